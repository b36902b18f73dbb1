import Testing

@testable import Curvature

/// One case of the packed product: shape, transposes and the triangle of C that is updated.
struct PackedCase: Sendable, CustomTestStringConvertible {
  let m: Int
  let k: Int
  let n: Int
  let transposingA: Bool
  let transposingB: Bool
  var testDescription: String {
    "\(m)x\(k)x\(n)\(transposingA ? " Aᵀ" : "")\(transposingB ? " Bᵀ" : "")"
  }
}

private func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
  var rng = SplitMix64(seed: seed)
  return Matrix(rows: rows, columns: columns) { _, _ in 2 * rng.uniform() - 1 }
}

/// op(X)[i, j]: X[i, j], or X[j, i] when transposed.
private func element(_ x: Matrix, _ transposed: Bool, _ i: Int, _ j: Int) -> Double {
  transposed ? x[j, i] : x[i, j]
}

/// C₀ + α·op(A)·op(B) by the textbook triple loop, restricted to a triangle of C.
private func reference(
  _ c0: Matrix, alpha: Double, _ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool, depth: Int,
  triangle: ProductTriangle = .full
) -> Matrix {
  var c = c0
  for i in 0..<c.rows {
    for j in 0..<c.columns {
      if triangle == .lower && j > i { continue }
      if triangle == .upper && j < i { continue }
      var s = 0.0
      for p in 0..<depth { s += element(a, ta, i, p) * element(b, tb, p, j) }
      c[i, j] += alpha * s
    }
  }
  return c
}

/// Runs the packed kernel on whole matrices with an explicit thread cap.
private func packed(
  _ c0: Matrix, alpha: Double, _ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool, depth: Int,
  triangle: ProductTriangle = .full, threads: Int
) -> Matrix {
  var c = c0
  let (m, n) = (c.rows, c.columns)
  a.storage.withUnsafeBufferPointer { pa in
    b.storage.withUnsafeBufferPointer { pb in
      c.storage.withUnsafeMutableBufferPointer { pc in
        guard let ra = pa.baseAddress, let rb = pb.baseAddress, let rc = pc.baseAddress else {
          return
        }
        PackedProduct.multiply(
          m: m, n: n, depth: depth, alpha: alpha,
          a: StridedMatrix(
            ra, rowStride: ta ? 1 : a.columns, columnStride: ta ? a.columns : 1),
          b: StridedMatrix(
            rb, rowStride: tb ? 1 : b.columns, columnStride: tb ? b.columns : 1),
          c: rc, cRowStride: n, triangle: triangle, threads: threads)
      }
    }
  }
  return c
}

/// A rounding allowance for sums of `terms` products of entries in [−1, 1] added to C₀.
private func tolerance(terms: Int) -> Double { 4e-16 * Double(max(terms, 1) + 2) }

@Suite struct PackedProductTests {
  // Sizes around the 6 × 4 tile, the 96-row block, the 256-deep block and primes; every
  // transpose combination of each.
  static let shapes: [(Int, Int, Int)] = [
    (1, 1, 1), (5, 3, 3), (6, 4, 4), (7, 5, 5), (13, 17, 11), (31, 255, 29), (37, 256, 41),
    (97, 257, 23), (96, 513, 8), (101, 37, 103), (193, 67, 9),
  ]
  static let cases: [PackedCase] = shapes.flatMap { s in
    [(false, false), (true, false), (false, true), (true, true)].map {
      PackedCase(m: s.0, k: s.1, n: s.2, transposingA: $0.0, transposingB: $0.1)
    }
  }

  @Test(arguments: cases)
  func everyTransposeMatchesTheTripleLoop(_ c: PackedCase) {
    let a = c.transposingA ? randomMatrix(c.k, c.m, seed: 1) : randomMatrix(c.m, c.k, seed: 1)
    let b = c.transposingB ? randomMatrix(c.n, c.k, seed: 2) : randomMatrix(c.k, c.n, seed: 2)
    let c0 = randomMatrix(c.m, c.n, seed: 3)
    let expected = reference(
      c0, alpha: -0.75, a, c.transposingA, b, c.transposingB, depth: c.k)
    let got = packed(
      c0, alpha: -0.75, a, c.transposingA, b, c.transposingB, depth: c.k, threads: 1)
    #expect((got - expected).maxAbs <= tolerance(terms: c.k))
    // The public entry point reads the same transposes (through the system BLAS with the
    // SystemLAPACK trait, so to rounding rather than bit for bit).
    var viaMatrix = c0
    viaMatrix.addProduct(
      alpha: -0.75, a, b, transposingA: c.transposingA, transposingB: c.transposingB)
    #expect((viaMatrix - expected).maxAbs <= tolerance(terms: c.k))
  }

  @Test(arguments: [ProductTriangle.lower, .upper], [(7, 9, 7), (50, 300, 50), (121, 40, 121)])
  func triangularUpdateTouchesOnlyItsTriangle(_ triangle: ProductTriangle, _ s: (Int, Int, Int)) {
    let a = randomMatrix(s.0, s.1, seed: 4)
    let b = randomMatrix(s.1, s.2, seed: 5)
    let c0 = randomMatrix(s.0, s.2, seed: 6)
    let expected = reference(c0, alpha: 2, a, false, b, false, depth: s.1, triangle: triangle)
    let got = packed(c0, alpha: 2, a, false, b, false, depth: s.1, triangle: triangle, threads: 2)
    #expect((got - expected).maxAbs <= 2 * tolerance(terms: s.1))
    // Entries outside the triangle are bit for bit the ones before.
    for i in 0..<s.0 {
      for j in 0..<s.2 where (triangle == .lower && j > i) || (triangle == .upper && j < i) {
        #expect(got[i, j] == c0[i, j])
      }
    }
  }

  @Test(arguments: [(130, 260, 70), (240, 40, 240), (61, 513, 70)])
  func resultDoesNotDependOnTheThreadCount(_ s: (Int, Int, Int)) {
    let a = randomMatrix(s.0, s.1, seed: 7)
    let b = randomMatrix(s.1, s.2, seed: 8)
    let c0 = randomMatrix(s.0, s.2, seed: 9)
    let one = packed(c0, alpha: 1, a, false, b, false, depth: s.1, threads: 1)
    for threads in [2, 3, 5] {
      #expect(packed(c0, alpha: 1, a, false, b, false, depth: s.1, threads: threads) == one)
    }
    for triangle in [ProductTriangle.lower, .upper] where s.0 == s.2 || triangle == .lower {
      let serial = packed(
        c0, alpha: 1, a, false, b, false, depth: s.1, triangle: triangle, threads: 1)
      let threaded = packed(
        c0, alpha: 1, a, false, b, false, depth: s.1, triangle: triangle, threads: 2)
      #expect(threaded == serial)
    }
    #expect((one - reference(c0, alpha: 1, a, false, b, false, depth: s.1)).maxAbs <= 1e-12)
  }

  @Test func rowSplitBalancesEntriesAtTileMultiples() {
    let full = PackedProduct.rowSplit(m: 600, n: 600, parts: 2, triangle: .full)
    #expect(full == [0, 300, 600])
    // A lower triangle's first half of its entries ends near m/√2 ≈ 424.3 (a multiple of 6).
    let lower = PackedProduct.rowSplit(m: 600, n: 600, parts: 2, triangle: .lower)
    #expect(lower == [0, 426, 600] || lower == [0, 420, 600] || lower == [0, 432, 600])
    #expect(lower[1] % PackedProduct.tileRows == 0)
    let upper = PackedProduct.rowSplit(m: 600, n: 600, parts: 2, triangle: .upper)
    #expect(upper[1] >= 174 && upper[1] <= 180 && upper[1] % PackedProduct.tileRows == 0)
  }

  @Test func nonFiniteInputPropagatesAndZeroAlphaLeavesCAlone() {
    var a = randomMatrix(40, 30, seed: 10)
    a[3, 7] = .nan
    let b = randomMatrix(30, 20, seed: 11)
    let c0 = randomMatrix(40, 20, seed: 12)
    let got = packed(c0, alpha: 1, a, false, b, false, depth: 30, threads: 2)
    for j in 0..<20 { #expect(got[3, j].isNaN) }
    #expect(got[2, 0].isFinite && got[4, 19].isFinite)
    // α = 0 is the BLAS quick return: C is not read or changed, NaN in A notwithstanding.
    #expect(packed(c0, alpha: 0, a, false, b, false, depth: 30, threads: 1) == c0)
  }

  @Test func gramAndOuterGramMatchProductsWithTheTranspose() {
    let a = randomMatrix(130, 70, seed: 13)
    let gram = a.gram
    let outer = a.outerGram
    #expect((gram - a.transposeMultiply(a)).maxAbs <= tolerance(terms: 130))
    #expect((outer - a.multiplyTranspose(a)).maxAbs <= tolerance(terms: 70))
    #expect(gram.asymmetry == 0 && outer.asymmetry == 0)
  }
}
