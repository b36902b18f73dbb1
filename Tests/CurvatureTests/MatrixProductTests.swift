import Testing

@testable import Curvature

/// A product shape: A is m × p, B is p × n.
struct ProductShape: Sendable, CustomTestStringConvertible {
  let m: Int
  let p: Int
  let n: Int
  var testDescription: String { "\(m)x\(p) * \(p)x\(n)" }
}

private func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
  var rng = SplitMix64(seed: seed)
  return Matrix(rows: rows, columns: columns) { _, _ in 2 * rng.uniform() - 1 }
}

/// The textbook triple loop cᵢⱼ = Σₖ aᵢₖ bₖⱼ, the reference for every blocked kernel.
private func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
  var c = Matrix(rows: a.rows, columns: b.columns)
  for i in 0..<a.rows {
    for j in 0..<b.columns {
      var s = 0.0
      for k in 0..<a.columns { s += a[i, k] * b[k, j] }
      c[i, j] = s
    }
  }
  return c
}

/// A rounding allowance for sums of `terms` products: 4ε·terms·max(1, max|entry|).
private func entryTolerance(_ reference: Matrix, terms: Int) -> Double {
  4e-16 * Double(max(terms, 1)) * max(1, reference.maxAbs)
}

private func maxDifference(_ a: Matrix, _ b: Matrix) -> Double {
  #expect(a.rows == b.rows && a.columns == b.columns)
  return (a - b).maxAbs
}

@Suite struct MatrixProductTests {
  // Shapes cover empty dimensions, vectors, odd sizes, and k and j extents that are not multiples
  // of the 128 × 256 cache tiles (130, 260 and 270 cross a tile edge).
  static let shapes: [ProductShape] = [
    ProductShape(m: 1, p: 1, n: 1), ProductShape(m: 3, p: 5, n: 7),
    ProductShape(m: 7, p: 3, n: 2), ProductShape(m: 1, p: 9, n: 1),
    ProductShape(m: 17, p: 130, n: 9), ProductShape(m: 4, p: 260, n: 270),
    ProductShape(m: 0, p: 3, n: 4), ProductShape(m: 3, p: 0, n: 4),
    ProductShape(m: 33, p: 33, n: 33),
  ]

  @Test(arguments: shapes)
  func productMatchesNaiveTripleLoop(_ shape: ProductShape) {
    let a = randomMatrix(shape.m, shape.p, seed: 1)
    let b = randomMatrix(shape.p, shape.n, seed: 2)
    let tolerance = 4e-16 * Double(max(shape.p, 1))
    #expect(maxDifference(a * b, naiveProduct(a, b)) <= tolerance)
  }

  @Test(arguments: shapes)
  func transposedProductsMatchExplicitTransposes(_ shape: ProductShape) {
    let tolerance = 4e-16 * Double(max(shape.p, 1))
    // AᵀB with A stored p × m.
    let at = randomMatrix(shape.p, shape.m, seed: 3)
    let b = randomMatrix(shape.p, shape.n, seed: 4)
    #expect(maxDifference(at.transposeMultiply(b), naiveProduct(at.transposed, b)) <= tolerance)
    // ABᵀ with B stored n × p.
    let a = randomMatrix(shape.m, shape.p, seed: 5)
    let bt = randomMatrix(shape.n, shape.p, seed: 6)
    #expect(maxDifference(a.multiplyTranspose(bt), naiveProduct(a, bt.transposed)) <= tolerance)
  }

  @Test(arguments: shapes)
  func gramMatricesAreExactlySymmetricAndMatchNaive(_ shape: ProductShape) {
    // Both an m × n and a p × m matrix, so that the row count (the k extent of AᵀA) and the
    // order of the result each cross a cache tile edge for some shape.
    for a in [randomMatrix(shape.m, shape.n, seed: 7), randomMatrix(shape.p, shape.m, seed: 8)] {
      let reference = naiveProduct(a.transposed, a)
      let g = a.gram
      #expect(g.rows == a.columns && g.columns == a.columns)
      #expect(maxDifference(g, reference) <= entryTolerance(reference, terms: a.rows))
      #expect(g == g.transposed)
      let outerReference = naiveProduct(a, a.transposed)
      let h = a.outerGram
      #expect(h.rows == a.rows && h.columns == a.rows)
      #expect(maxDifference(h, outerReference) <= entryTolerance(outerReference, terms: a.columns))
      #expect(h == h.transposed)
    }
  }

  @Test(arguments: SymmetricRankKOperation.allCases)
  func symmetricRankKUpdateCombinesBothTerms(_ operation: SymmetricRankKOperation) {
    let a = randomMatrix(13, 9, seed: 8)
    let order = operation == .transposeTimesMatrix ? 9 : 13
    let c0 = randomMatrix(order, order, seed: 9).gram  // symmetric
    var c = c0
    Matrix.symmetricRankKUpdate(alpha: 0.5, a: a, beta: -2, c: &c, operation: operation)
    let product =
      operation == .transposeTimesMatrix
      ? naiveProduct(a.transposed, a) : naiveProduct(a, a.transposed)
    let expected = 0.5 * product + (-2) * c0
    #expect(maxDifference(c, expected) <= 1e-13)
    #expect(c == c.transposed)
  }

  @Test func rankKUpdateWithZeroBetaIgnoresNaNInOutput() {
    let a = randomMatrix(5, 4, seed: 10)
    var c = Matrix(rows: 4, columns: 4, repeating: .nan)
    Matrix.symmetricRankKUpdate(alpha: 1, a: a, beta: 0, c: &c)
    #expect(c.isFinite)
    #expect(maxDifference(c, a.gram) == 0)
  }

  @Test func addProductAccumulatesAndIdentityIsNeutral() {
    let a = randomMatrix(6, 11, seed: 11)
    let b = randomMatrix(11, 5, seed: 12)
    var c = randomMatrix(6, 5, seed: 13)
    let c0 = c
    c.addProduct(alpha: -3, a, b)
    #expect(maxDifference(c, c0 + (-3) * naiveProduct(a, b)) <= 1e-13)
    #expect(Matrix.identity(6) * a == a)
    #expect(a * Matrix.identity(11) == a)
  }

  @Test func matrixVectorProductAgreesWithMatrixProduct() {
    let a = randomMatrix(9, 7, seed: 14)
    let x = Vector(count: 7) { Double($0) - 3 }
    let asMatrix = a * Matrix(rows: 7, columns: 1, storage: x.storage)
    let y = a * x
    for i in 0..<9 { #expect(abs(y[i] - asMatrix[i, 0]) <= 1e-14) }
  }

  @Test func diagonalShiftAndAsymmetry() {
    let a = Matrix([[1, 2], [3, 4]])
    #expect(a.addingToDiagonal(0.5) == Matrix([[1.5, 2], [3, 4.5]]))
    #expect(a.asymmetry == 1)
    #expect(a.gram.asymmetry == 0)
  }

  @Test func productDimensionMismatchStops() async {
    await #expect(processExitsWith: .failure) {
      _ = Matrix(rows: 2, columns: 3) * Matrix(rows: 2, columns: 3)
    }
  }
}
