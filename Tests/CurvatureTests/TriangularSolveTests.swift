import Testing

@testable import Curvature

private func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
  var rng = SplitMix64(seed: seed)
  return Matrix(rows: rows, columns: columns) { _, _ in 2 * rng.uniform() - 1 }
}

/// BᵀB + nI: symmetric positive definite with eigenvalues in [n, n + ‖B‖²].
private func spd(_ n: Int, seed: UInt64) -> Matrix {
  randomMatrix(n, n, seed: seed).gram.addingToDiagonal(Double(n))
}

/// ‖X − Y‖_F / max(‖Y‖_F, 1).
private func relativeDifference(_ x: Matrix, _ y: Matrix) -> Double {
  (x - y).frobeniusNorm / max(y.frobeniusNorm, 1)
}

@Suite struct TriangularSolveTests {
  // Sizes around the 64-row block, the 16-column strip and the product kernel's 6 × 4 tile.
  static let sizes = [1, 2, 15, 16, 17, 63, 64, 65, 129, 150]

  @Test(arguments: sizes)
  func blockedCholeskyReproducesTheMatrix(_ n: Int) throws {
    let a = spd(n, seed: UInt64(n))
    let chol = try #require(CholeskyFactorization(of: a))
    let l = chol.lower
    #expect(relativeDifference(l.multiplyTranspose(l), a) <= 1e-14)
    for i in 0..<n {
      #expect(l[i, i] > 0)
      for j in (i + 1)..<max(n, i + 1) { #expect(l[i, j] == 0) }
    }
  }

  @Test(arguments: sizes)
  func manyRightHandSidesSolveEachTriangle(_ n: Int) throws {
    let a = spd(n, seed: 40 + UInt64(n))
    let chol = try #require(CholeskyFactorization(of: a))
    let l = chol.lower
    let b = randomMatrix(n, 37, seed: 7)
    let y = chol.solveLower(b)
    #expect(relativeDifference(l * y, b) <= 1e-14)
    let x = chol.solveLowerTranspose(b)
    #expect(relativeDifference(l.transposeMultiply(x), b) <= 1e-14)
    let z = chol.solve(b)
    #expect(relativeDifference(a * z, b) <= 1e-13)
    // Column by column the same solution as the vector solve.
    for j in [0, 36] {
      let column = chol.solve(b.column(j))
      for i in 0..<n { #expect(abs(z[i, j] - column[i]) <= 1e-13 * max(1, abs(column[i]))) }
    }
  }

  @Test(arguments: [(5, 3), (70, 65), (200, 20)])
  func rightTransposeSolveIsThePanelOfACholesky(_ shape: (Int, Int)) throws {
    let (m, w) = shape
    let chol = try #require(CholeskyFactorization(of: spd(w, seed: 9)))
    let l = chol.lower
    let b = randomMatrix(m, w, seed: 10)
    var x = b
    l.storage.withUnsafeBufferPointer { pl in
      x.storage.withUnsafeMutableBufferPointer { px in
        TriangularSolve.solveRightTransposeInPlace(
          pl.baseAddress!, n: w, lStride: w, x: px.baseAddress!, rows: m, xStride: w)
      }
    }
    #expect(relativeDifference(x.multiplyTranspose(l), b) <= 1e-14)
  }

  @Test func gradedMatrixFactorsToHighRelativeAccuracy() throws {
    // D·S·D with D spanning 1e-6..1e6: the factor is D·chol(S) up to rounding per row.
    let n = 90
    let s = spd(n, seed: 11)
    let d = (0..<n).map { Double.pow(10, -6 + 12 * Double($0) / Double(n - 1)) }
    let a = Matrix(rows: n, columns: n) { i, j in d[i] * s[i, j] * d[j] }
    let chol = try #require(CholeskyFactorization(of: a))
    let reference = try #require(CholeskyFactorization(of: s)).lower
    for i in 0..<n {
      for j in 0...i {
        let expected = d[i] * reference[i, j]
        #expect(abs(chol.lower[i, j] - expected) <= 1e-12 * d[i] * reference[i, i] * 10)
      }
    }
  }

  @Test func indefiniteAndNonFiniteMatricesAreRefused() {
    var a = spd(80, seed: 12)
    a[70, 70] = -1e6
    #expect(CholeskyFactorization(of: a) == nil)
    var b = spd(80, seed: 13)
    b[3, 1] = .nan
    #expect(CholeskyFactorization(of: b) == nil)
  }
}
