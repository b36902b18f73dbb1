import RealModule
import Testing

@testable import Curvature

/// A family of symmetric test matrices.
enum SymmetricCase: Sendable, CustomTestStringConvertible {
  /// BᵀB + 0.1·I with B uniform in [−1, 1): well conditioned, positive definite.
  case randomSPD(Int, seed: UInt64)
  /// hᵢⱼ = 1/(i + j + 1): positive definite and badly conditioned (κ(H₈) ≈ 1.5·10¹⁰).
  case hilbert(Int)
  /// (B + Bᵀ)/2 with B uniform in [−1, 1): indefinite.
  case randomIndefinite(Int, seed: UInt64)

  var testDescription: String {
    switch self {
    case .randomSPD(let n, let seed): "random SPD n=\(n) seed=\(seed)"
    case .hilbert(let n): "Hilbert n=\(n)"
    case .randomIndefinite(let n, let seed): "random indefinite n=\(n) seed=\(seed)"
    }
  }

  var isPositiveDefinite: Bool {
    if case .randomIndefinite = self { return false }
    return true
  }

  var matrix: Matrix {
    switch self {
    case .randomSPD(let n, let seed):
      return uniformMatrix(n, n, seed: seed).gram.addingToDiagonal(0.1)
    case .hilbert(let n):
      return Matrix(rows: n, columns: n) { i, j in 1 / Double(i + j + 1) }
    case .randomIndefinite(let n, let seed):
      let b = uniformMatrix(n, n, seed: seed)
      return 0.5 * (b + b.transposed)
    }
  }

  static let positiveDefinite: [SymmetricCase] = [
    .randomSPD(1, seed: 1), .randomSPD(4, seed: 2), .randomSPD(17, seed: 3),
    .randomSPD(60, seed: 4), .hilbert(5), .hilbert(6), .hilbert(7), .hilbert(8),
  ]
  static let indefinite: [SymmetricCase] = [
    .randomIndefinite(3, seed: 5), .randomIndefinite(10, seed: 6),
    .randomIndefinite(31, seed: 7), .randomIndefinite(60, seed: 8),
  ]
  static let all = positiveDefinite + indefinite
}

private func uniformMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
  var rng = SplitMix64(seed: seed)
  return Matrix(rows: rows, columns: columns) { _, _ in 2 * rng.uniform() - 1 }
}

private func uniformVector(_ n: Int, seed: UInt64) -> Vector {
  var rng = SplitMix64(seed: seed)
  return Vector(count: n) { _ in 2 * rng.uniform() - 1 }
}

/// ‖X − Y‖_F / ‖Y‖_F (or ‖X − Y‖_F when Y = 0).
private func relativeDifference(_ x: Matrix, _ y: Matrix) -> Double {
  let scale = y.frobeniusNorm
  return (x - y).frobeniusNorm / (scale > 0 ? scale : 1)
}

/// ‖VᵀV − I‖_F.
private func orthogonalityError(_ v: Matrix) -> Double {
  (v.transposeMultiply(v) - Matrix.identity(v.columns)).frobeniusNorm
}

/// The [−1 2 −1] second-difference matrix of order n, eigenvalues 2 − 2cos(kπ/(n + 1)).
private func secondDifference(_ n: Int) -> Matrix {
  Matrix(rows: n, columns: n) { i, j in i == j ? 2 : (abs(i - j) == 1 ? -1 : 0) }
}

private func secondDifferenceEigenvalues(_ n: Int) -> [Double] {
  (1...n).map { k in 2 - 2 * Double.cos(Double(k) * Double.pi / Double(n + 1)) }
}

private let unitRoundoff = Double.ulpOfOne

@Suite struct CholeskyTests {
  @Test(arguments: SymmetricCase.positiveDefinite)
  func reconstructsAndSolves(_ c: SymmetricCase) throws {
    let a = c.matrix
    let n = a.rows
    let f = try #require(CholeskyFactorization(of: a))
    let l = f.lower
    for i in 0..<n {
      #expect(l[i, i] > 0)
      for j in (i + 1)..<n { #expect(l[i, j] == 0) }
    }
    // Backward stability: ‖A − LLᵀ‖ ≤ c·n·ε‖A‖ (Golub & Van Loan Thm. 4.2.6).
    #expect(relativeDifference(l.multiplyTranspose(l), a) <= 4 * Double(n) * unitRoundoff)
    // A small backward error: ‖Ax̂ − b‖ ≤ c·n·ε‖A‖‖x̂‖ even for Hilbert matrices.
    let b = uniformVector(n, seed: 99)
    let x = f.solve(b)
    let residual = (a * x - b).norm
    #expect(residual <= 8 * Double(n) * unitRoundoff * a.frobeniusNorm * x.norm)
    // Several right-hand sides agree with the vector solve, column by column.
    let bs = uniformMatrix(n, 3, seed: 100)
    let xs = f.solve(bs)
    for j in 0..<3 {
      let xj = f.solve(bs.column(j))
      #expect((xs.column(j) - xj).norm <= 1e-12 * max(xj.norm, 1))
    }
  }

  @Test(arguments: SymmetricCase.positiveDefinite)
  func logDeterminantMatchesEigenvalues(_ c: SymmetricCase) throws {
    let a = c.matrix
    let f = try #require(CholeskyFactorization(of: a))
    let eig = try #require(SymmetricEigendecomposition.eigenvalues(of: a))
    let expected = eig.storage.reduce(0) { $0 + Double.log($1) }
    #expect(abs(f.logDeterminant - expected) <= 1e-6 * max(1, abs(expected)))
    let kappa = eig[eig.count - 1] / eig[0]
    #expect(f.conditionLowerBound >= 1)
    #expect(f.conditionLowerBound <= kappa * (1 + 1e-6))
  }

  @Test(arguments: [65, 130, 150])
  func blockedFactorizationAcrossSeveralBlocks(_ n: Int) throws {
    // Orders beyond the 64-column block exercise the panel and trailing-update steps; the
    // reference is the unblocked row formula lᵢⱼ = (aᵢⱼ − Σₖ₍ₖ<ⱼ₎ lᵢₖlⱼₖ)/lⱼⱼ.
    let a = SymmetricCase.randomSPD(n, seed: UInt64(n)).matrix
    let f = try #require(CholeskyFactorization(of: a))
    var reference = Matrix(rows: n, columns: n)
    for i in 0..<n {
      for j in 0...i {
        var s = a[i, j]
        for k in 0..<j { s -= reference[i, k] * reference[j, k] }
        reference[i, j] = i == j ? s.squareRoot() : s / reference[j, j]
      }
    }
    #expect((f.lower - reference).maxAbs <= 1e-12 * reference.maxAbs)
    #expect(
      relativeDifference(f.lower.multiplyTranspose(f.lower), a) <= 4 * Double(n) * unitRoundoff)
    // A negative pivot in a later block is detected: make the last diagonal element too small.
    var broken = a
    broken[n - 1, n - 1] = -1
    #expect(CholeskyFactorization(of: broken) == nil)
  }

  @Test func triangularSolvesComposeToTheFullSolve() throws {
    let a = SymmetricCase.randomSPD(9, seed: 23).matrix
    let f = try #require(CholeskyFactorization(of: a))
    let b = uniformVector(9, seed: 24)
    let y = f.solveLower(b)
    #expect((f.lower * y - b).norm <= 1e-13 * b.norm)
    let x = f.solveLowerTranspose(y)
    #expect((f.lower.transposeMultiply(x) - y).norm <= 1e-13 * y.norm)
    #expect((x - f.solve(b)).norm <= 1e-13 * x.norm)
    // bᵀA⁻¹b = ‖L⁻¹b‖².
    #expect(abs(dot(b, f.solve(b)) - y.normSquared) <= 1e-12 * y.normSquared)
  }

  @Test func inverseOfWellConditionedMatrix() throws {
    let a = SymmetricCase.randomSPD(12, seed: 21).matrix
    let f = try #require(CholeskyFactorization(of: a))
    #expect((a * f.inverse - Matrix.identity(12)).maxAbs <= 1e-11)
  }

  @Test(arguments: SymmetricCase.indefinite)
  func failsOnIndefiniteMatrices(_ c: SymmetricCase) {
    #expect(CholeskyFactorization(of: c.matrix) == nil)
  }

  @Test func failsOnSingularNonSquareAndNonFiniteInput() {
    #expect(CholeskyFactorization(of: Matrix([[1, 1], [1, 1]])) == nil)
    #expect(CholeskyFactorization(of: Matrix([[0, 0], [0, 1]])) == nil)
    #expect(CholeskyFactorization(of: Matrix(rows: 2, columns: 3)) == nil)
    #expect(CholeskyFactorization(of: Matrix([[4, .nan], [.nan, 4]])) == nil)
    #expect(CholeskyFactorization(of: Matrix([[.infinity]])) == nil)
    #expect(CholeskyFactorization(of: Matrix(rows: 0, columns: 0))?.dimension == 0)
  }

  @Test func readsOnlyTheLowerTriangle() throws {
    let a = SymmetricCase.randomSPD(6, seed: 22).matrix
    var garbled = a
    for i in 0..<6 { for j in (i + 1)..<6 { garbled[i, j] = -1e3 } }
    let f = try #require(CholeskyFactorization(of: a))
    let g = try #require(CholeskyFactorization(of: garbled))
    #expect(f == g)
  }

  @Test func knownFactorOfSmallMatrix() throws {
    // [4 2; 2 5] = [2 0; 1 2][2 1; 0 2].
    let f = try #require(CholeskyFactorization(of: Matrix([[4, 2], [2, 5]])))
    #expect(f.lower == Matrix([[2, 0], [1, 2]]))
    #expect(f.solve([6, 7]) == [1, 1])
  }
}

@Suite struct ModifiedCholeskyTests {
  @Test(arguments: SymmetricCase.positiveDefinite)
  func noShiftOnPositiveDefiniteMatrices(_ c: SymmetricCase) throws {
    let a = c.matrix
    let m = try #require(ModifiedCholeskyFactorization(of: a))
    #expect(m.shift == 0)
    #expect(m.attempts == 1)
    #expect(m.perturbation == Vector.zeros(a.rows))
    #expect(m.factorization == CholeskyFactorization(of: a))
  }

  @Test(arguments: SymmetricCase.indefinite)
  func addedIdentityShiftBracketsMinusSmallestEigenvalue(_ c: SymmetricCase) throws {
    let a = c.matrix
    let n = a.rows
    let lambdaMin = try #require(SymmetricEigendecomposition.eigenvalues(of: a))[0]
    #expect(lambdaMin < 0)
    let m = try #require(ModifiedCholeskyFactorization(of: a))
    let tau = m.shift
    // A + τI is positive definite, so τ > −λmin ...
    #expect(tau > -lambdaMin)
    // ... and the sequence τ₀ = β − min aᵢᵢ, τₖ₊₁ = 2τₖ never overshoots by more than a factor 2
    // (each rejected τ is below −λmin), with β = 10⁻³ maxᵢ|aᵢᵢ|.
    let beta = 1e-3 * (0..<n).map { abs(a[$0, $0]) }.max()!
    #expect(m.attempts <= 9)
    #expect(tau <= max(-2 * lambdaMin, beta - lambdaMin) * (1 + 1e-12))
    #expect(
      relativeDifference(m.lower.multiplyTranspose(m.lower), a.addingToDiagonal(tau)) <= 1e-13)
    // The solve is the solve with A + τI.
    let b = uniformVector(n, seed: 5)
    let x = m.solve(b)
    #expect((a.addingToDiagonal(tau) * x - b).norm <= 1e-10 * max(1, x.norm))
  }

  @Test func customMinimumShiftAndZeroMatrix() throws {
    // [[0, 1], [1, 0]] has eigenvalues ±1: τ must exceed 1.
    let a = Matrix([[0, 1], [1, 0]])
    let m = try #require(ModifiedCholeskyFactorization(of: a, minimumShift: 0.25))
    // τ₀ = β − min aᵢᵢ = 0.25, then 0.5, 1 (singular, rejected), 2.
    #expect(m.shift == 2)
    #expect(m.attempts == 4)
    let zero = try #require(ModifiedCholeskyFactorization(of: Matrix(rows: 3, columns: 3)))
    #expect(zero.shift == 1e-3)
  }

  @Test(arguments: SymmetricCase.all)
  func gillMurrayWrightGivesPositiveDiagonalPerturbation(_ c: SymmetricCase) throws {
    let a = c.matrix
    let m = try #require(ModifiedCholeskyFactorization(of: a, strategy: .gillMurrayWright))
    #expect(m.attempts == 1)
    #expect(m.perturbation.allSatisfy { $0 >= 0 })
    #expect(m.shift == m.perturbation.storage.max())
    let perturbed = a + Matrix.diagonal(m.perturbation)
    #expect(relativeDifference(m.lower.multiplyTranspose(m.lower), perturbed) <= 1e-13)
    let lambdaMin = try #require(SymmetricEigendecomposition.eigenvalues(of: a))[0]
    if lambdaMin < 0 {
      #expect(m.shift > 0)
      // vᵀ(A + E)v > 0 for the unit eigenvector of λmin gives maxᵢ eᵢ ≥ Σᵢ eᵢvᵢ² > −λmin.
      #expect(m.shift >= -lambdaMin * (1 - 1e-9))
    }
  }

  @Test func gillMurrayWrightLeavesDiagonallyDominantMatrixUnchanged() throws {
    let a = Matrix(rows: 8, columns: 8) { i, j in i == j ? 4 : (abs(i - j) == 1 ? -1 : 0) }
    let m = try #require(ModifiedCholeskyFactorization(of: a, strategy: .gillMurrayWright))
    #expect(m.shift == 0)
    let plain = try #require(CholeskyFactorization(of: a))
    #expect((m.lower - plain.lower).maxAbs <= 1e-15)
  }

  @Test func nonSquareInputStops() async {
    await #expect(processExitsWith: .failure) {
      _ = ModifiedCholeskyFactorization(of: Matrix(rows: 3, columns: 2))
    }
  }

  @Test(arguments: ModifiedCholeskyFactorization.Strategy.allCases)
  func nonFiniteInputGivesNil(_ strategy: ModifiedCholeskyFactorization.Strategy) {
    #expect(
      ModifiedCholeskyFactorization(of: Matrix([[1, .nan], [.nan, 1]]), strategy: strategy) == nil)
    #expect(ModifiedCholeskyFactorization(of: Matrix([[-.infinity]]), strategy: strategy) == nil)
  }
}

@Suite struct SymmetricEigendecompositionTests {
  @Test(arguments: SymmetricCase.all)
  func eigenpairsSatisfyTheDefinition(_ c: SymmetricCase) throws {
    let a = c.matrix
    let n = a.rows
    let e = try #require(SymmetricEigendecomposition(of: a))
    let v = e.eigenvectors
    let lambda = e.eigenvalues
    for j in 1..<max(n, 1) { #expect(lambda[j - 1] <= lambda[j]) }
    // ‖AV − VΛ‖_F ≤ c·n·ε‖A‖_F and ‖VᵀV − I‖_F ≤ c·n·ε (Golub & Van Loan §8.3.6).
    let av = a * v
    let vl = v * Matrix.diagonal(lambda)
    #expect((av - vl).frobeniusNorm <= 8 * Double(n) * unitRoundoff * a.frobeniusNorm)
    #expect(orthogonalityError(v) <= 8 * Double(n) * unitRoundoff)
    #expect(e.minimumEigenvalue == lambda[0])
    #expect(e.maximumEigenvalue == lambda[n - 1])
    #expect(c.isPositiveDefinite == (e.minimumEigenvalue > 0))
    // The values-only path agrees.
    let valuesOnly = try #require(SymmetricEigendecomposition.eigenvalues(of: a))
    #expect((valuesOnly - lambda).normInfinity <= 8 * Double(n) * unitRoundoff * a.frobeniusNorm)
    // Trace and Frobenius norm are invariants: Σλ = tr A, Σλ² = ‖A‖_F².
    let trace = (0..<n).reduce(0.0) { $0 + a[$1, $1] }
    #expect(abs(lambda.sum - trace) <= 1e-12 * a.frobeniusNorm)
    #expect(abs(lambda.norm - a.frobeniusNorm) <= 1e-12 * a.frobeniusNorm)
  }

  @Test(arguments: [1, 2, 3, 5, 10, 31, 60])
  func secondDifferenceMatrixHasKnownEigenvalues(_ n: Int) throws {
    let expected = Vector(secondDifferenceEigenvalues(n))
    let dense = try #require(SymmetricEigendecomposition(of: secondDifference(n)))
    #expect((dense.eigenvalues - expected).normInfinity <= 1e-13)
    let tri = try #require(
      SymmetricEigendecomposition(
        tridiagonalDiagonal: Vector(repeating: 2, count: n),
        offDiagonal: Vector(repeating: -1, count: n - 1)))
    #expect((tri.eigenvalues - expected).normInfinity <= 1e-13)
    let t = secondDifference(n)
    let residual = t * tri.eigenvectors - tri.eigenvectors * Matrix.diagonal(tri.eigenvalues)
    #expect(residual.frobeniusNorm <= 1e-13 * Double(n))
    #expect(orthogonalityError(tri.eigenvectors) <= 1e-13 * Double(n))
    let valuesOnly = try #require(
      SymmetricEigendecomposition.eigenvalues(
        tridiagonalDiagonal: Vector(repeating: 2, count: n),
        offDiagonal: Vector(repeating: -1, count: n - 1)))
    #expect((valuesOnly - expected).normInfinity <= 1e-13)
  }

  @Test(arguments: [1e-200, 1e-8, 1.0, 1e8, 1e200])
  func recoversPrescribedSpectrumAtAnyScale(_ scale: Double) throws {
    // A = Q diag(λ) Qᵀ with Q orthogonal from the QR factorization of a random matrix; λ has a
    // repeated value and a zero.
    let n = 9
    let q = try #require(QRFactorization(of: uniformMatrix(n, n, seed: 31))).q
    let spectrum: [Double] = [-3, -1, 0, 0.5, 0.5, 0.5, 2, 7, 11]
    let a = (q * Matrix.diagonal(Vector(spectrum.map { $0 * scale }))).multiplyTranspose(q)
    let e = try #require(SymmetricEigendecomposition(of: a))
    for (computed, exact) in zip(e.eigenvalues, spectrum) {
      #expect(abs(computed / scale - exact) <= 1e-13 * 11)
    }
    #expect(orthogonalityError(e.eigenvectors) <= 1e-13)
    // The invariant subspace of the triple eigenvalue 0.5 is reproduced: A v = 0.5 v.
    for j in 3..<6 {
      let vj = e.eigenvectors.column(j)
      #expect((a * vj - (0.5 * scale) * vj).norm <= 1e-13 * 11 * scale)
    }
  }

  @Test func wilkinsonMatrixWithNearlyEqualEigenvalues() throws {
    // W₂₁⁺: diagonal |10 − i|, off-diagonal 1. Its two largest eigenvalues agree to about 14
    // digits (λ ≈ 10.7461941829033), a classic test for the orthogonality of computed vectors.
    let d = Vector(count: 21) { Double(abs(10 - $0)) }
    let e = try #require(
      SymmetricEigendecomposition(
        tridiagonalDiagonal: d, offDiagonal: Vector(repeating: 1, count: 20)))
    #expect(abs(e.maximumEigenvalue - 10.7461941829033) <= 1e-9)
    #expect(abs(e.eigenvalues[20] - e.eigenvalues[19]) <= 1e-12)
    #expect(orthogonalityError(e.eigenvectors) <= 1e-13)
    let t = Matrix(rows: 21, columns: 21) { i, j in i == j ? d[i] : (abs(i - j) == 1 ? 1 : 0) }
    let residual = t * e.eigenvectors - e.eigenvectors * Matrix.diagonal(e.eigenvalues)
    #expect(residual.frobeniusNorm <= 1e-13 * t.frobeniusNorm)
  }

  @Test func trivialMatrices() throws {
    let zero = try #require(SymmetricEigendecomposition(of: Matrix(rows: 4, columns: 4)))
    #expect(zero.eigenvalues == Vector.zeros(4))
    #expect(zero.eigenvectors == Matrix.identity(4))
    let diagonal = try #require(SymmetricEigendecomposition(of: Matrix.diagonal([3, -1, 2])))
    #expect(diagonal.eigenvalues == [-1, 2, 3])
    #expect(abs(diagonal.minimumEigenvector[1]) == 1)
    let empty = try #require(SymmetricEigendecomposition(of: Matrix(rows: 0, columns: 0)))
    #expect(empty.dimension == 0)
    #expect(empty.minimumEigenvalue == .infinity)
    let twoByTwo = try #require(SymmetricEigendecomposition(of: Matrix([[2, 1], [1, 2]])))
    #expect((twoByTwo.eigenvalues - [1, 3]).normInfinity <= 1e-15)
  }

  @Test func readsOnlyTheLowerTriangle() throws {
    let a = SymmetricCase.randomIndefinite(7, seed: 40).matrix
    var garbled = a
    for i in 0..<7 { for j in (i + 1)..<7 { garbled[i, j] = .greatestFiniteMagnitude } }
    let e = try #require(SymmetricEigendecomposition.eigenvalues(of: a))
    let g = try #require(SymmetricEigendecomposition.eigenvalues(of: garbled))
    #expect(e == g)
  }

  @Test func nonFiniteOrNonSquareInputGivesNil() {
    #expect(SymmetricEigendecomposition(of: Matrix([[1, 0], [.nan, 1]])) == nil)
    #expect(SymmetricEigendecomposition(of: Matrix(rows: 2, columns: 3)) == nil)
    #expect(SymmetricEigendecomposition.eigenvalues(of: Matrix([[.infinity]])) == nil)
    #expect(
      SymmetricEigendecomposition(tridiagonalDiagonal: [1, .nan], offDiagonal: [1]) == nil)
    #expect(
      SymmetricEigendecomposition.eigenvalues(
        tridiagonalDiagonal: [1, 2], offDiagonal: [.infinity])
        == nil)
  }
}

/// A QR test shape: m × n with m ≥ n.
struct QRShape: Sendable, CustomTestStringConvertible {
  let m: Int
  let n: Int
  var testDescription: String { "\(m)x\(n)" }
}

@Suite struct QRFactorizationTests {
  static let shapes: [QRShape] = [
    QRShape(m: 1, n: 1), QRShape(m: 5, n: 1), QRShape(m: 4, n: 4), QRShape(m: 7, n: 3),
    QRShape(m: 30, n: 17), QRShape(m: 60, n: 60), QRShape(m: 3, n: 0),
    // Beyond the 32-column panel: one, two and three panels, with a partial last one.
    QRShape(m: 40, n: 33), QRShape(m: 90, n: 64), QRShape(m: 120, n: 70),
  ]

  @Test(arguments: shapes)
  func factorsReproduceTheMatrix(_ shape: QRShape) throws {
    let a = uniformMatrix(shape.m, shape.n, seed: UInt64(shape.m * 100 + shape.n))
    let f = try #require(QRFactorization(of: a))
    let q = f.q
    let r = f.r
    #expect(q.rows == shape.m && q.columns == shape.n)
    #expect(r.rows == shape.n && r.columns == shape.n)
    for i in 0..<shape.n { for j in 0..<i { #expect(r[i, j] == 0) } }
    let tolerance = 8 * Double(max(shape.m, 1)) * unitRoundoff
    #expect(orthogonalityError(q) <= tolerance)
    #expect(relativeDifference(q * r, a) <= tolerance)
    // The full Q is orthogonal: Q(Qᵀb) = b and ‖Qᵀb‖ = ‖b‖.
    let b = uniformVector(shape.m, seed: 3)
    let qtb = f.multiplyQTranspose(b)
    #expect((f.multiplyQ(qtb) - b).norm <= tolerance * max(b.norm, 1))
    #expect(abs(qtb.norm - b.norm) <= tolerance * max(b.norm, 1))
  }

  @Test(arguments: SymmetricCase.positiveDefinite)
  func factorsHilbertAndSPDMatrices(_ c: SymmetricCase) throws {
    let a = c.matrix
    let f = try #require(QRFactorization(of: a))
    let tolerance = 8 * Double(a.rows) * unitRoundoff
    #expect(orthogonalityError(f.q) <= tolerance)
    #expect(relativeDifference(f.q * f.r, a) <= tolerance)
    // max|rᵢᵢ|/min|rᵢᵢ| never exceeds κ₂(A) = λmax/λmin for a symmetric positive definite A.
    let eig = try #require(SymmetricEigendecomposition.eigenvalues(of: a))
    let kappa = eig[eig.count - 1] / eig[0]
    #expect(f.conditionEstimate >= 1)
    #expect(f.conditionEstimate <= kappa * (1 + 1e-6))
    #expect(f.rank() == a.columns)
  }

  @Test func leastSquaresRecoversExactSolutionOfConsistentSystem() throws {
    let a = uniformMatrix(40, 12, seed: 50)
    let xStar = Vector(count: 12) { Double($0) - 5.5 }
    let f = try #require(QRFactorization(of: a))
    let b = a * xStar
    let x = f.leastSquaresSolution(b)
    #expect((x - xStar).norm <= 1e-12 * xStar.norm)
    #expect(f.leastSquaresResidualNorm(b) <= 1e-12 * b.norm)
    #expect(f.solve(b) == x)
  }

  @Test func leastSquaresMatchesNormalEquations() throws {
    let a = uniformMatrix(50, 8, seed: 51)
    let b = uniformVector(50, seed: 52)
    let f = try #require(QRFactorization(of: a))
    let x = f.leastSquaresSolution(b)
    // Normal equations AᵀAx = Aᵀb through Cholesky (fine for this well-conditioned A).
    let normal = try #require(CholeskyFactorization(of: a.gram)).solve(a.transposeMultiply(b))
    #expect((x - normal).norm <= 1e-11 * normal.norm)
    // The residual is orthogonal to the range of A, and its norm is reported without forming x.
    let residual = a * x - b
    #expect(a.transposeMultiply(residual).norm <= 1e-12 * a.frobeniusNorm * b.norm)
    #expect(abs(f.leastSquaresResidualNorm(b) - residual.norm) <= 1e-12 * b.norm)
    // Any perturbation of x increases the residual.
    let nudged = x + Vector(count: 8) { $0 == 3 ? 1e-4 : 0 }
    #expect((a * nudged - b).norm > residual.norm)
  }

  @Test func squareSystemSolve() throws {
    let a = Matrix([[2, 1, 1], [1, 3, 2], [1, 0, 0]])
    let f = try #require(QRFactorization(of: a))
    let x = f.solve([4, 5, 6])
    // Exact solution (6, 15, −23).
    #expect((x - [6, 15, -23]).normInfinity <= 1e-12)
  }

  @Test func rankAndConditionOfDeficientMatrix() throws {
    // A rank-3 product of 10 × 3 and 3 × 6 factors.
    let a = uniformMatrix(10, 3, seed: 60) * uniformMatrix(3, 6, seed: 61)
    let f = try #require(QRFactorization(of: a))
    #expect(f.rank() == 3)
    #expect(f.conditionEstimate > 1e10)
    let full = try #require(QRFactorization(of: uniformMatrix(10, 6, seed: 62)))
    #expect(full.rank() == 6)
    #expect(full.conditionEstimate < 1e3)
    let zero = try #require(QRFactorization(of: Matrix(rows: 4, columns: 2)))
    #expect(zero.rank() == 0)
    #expect(zero.conditionEstimate == .infinity)
  }

  @Test func nonFiniteInputGivesNil() {
    #expect(QRFactorization(of: Matrix([[1, 2], [.nan, 3], [4, 5]])) == nil)
    #expect(QRFactorization(of: Matrix([[-.infinity]])) == nil)
  }

  @Test func wideMatrixStops() async {
    await #expect(processExitsWith: .failure) {
      _ = QRFactorization(of: Matrix(rows: 2, columns: 3))
    }
  }
}
