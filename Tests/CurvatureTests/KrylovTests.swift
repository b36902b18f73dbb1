import RealModule
import Testing

@testable import Curvature

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Helpers

/// A seeded symmetric positive definite matrix GᵀG/n + shift·I.
private func randomSPD(_ n: Int, seed: UInt64, shift: Double = 1) -> Matrix {
  var rng = SplitMix64(seed: seed)
  let g = Matrix(rows: n, columns: n) { _, _ in rng.normal() }
  return Matrix(rows: n, columns: n) { i, j in
    var s = 0.0
    for k in 0..<n { s += g[k, i] * g[k, j] }
    return s / Double(n) + (i == j ? shift : 0)
  }
}

/// A seeded symmetric matrix with normal entries (indefinite in general).
private func randomSymmetric(_ n: Int, seed: UInt64) -> Matrix {
  var rng = SplitMix64(seed: seed)
  var a = Matrix(rows: n, columns: n)
  for i in 0..<n {
    for j in i..<n {
      let v = rng.normal()
      a[i, j] = v
      a[j, i] = v
    }
  }
  return a
}

private func randomVector(_ n: Int, seed: UInt64) -> Vector {
  var rng = SplitMix64(seed: seed)
  return Vector(count: n) { _ in rng.normal() }
}

/// The closure of a dense matrix.
private func op(_ a: Matrix) -> LinearOperator {
  { v, out in a.multiply(v, into: &out) }
}

/// The 1-D Laplacian tridiag(−1, 2, −1) as an operator.
private func laplacian(_ v: Vector, _ out: inout Vector) {
  let n = v.count
  for i in 0..<n {
    var s = 2 * v[i]
    if i > 0 { s -= v[i - 1] }
    if i + 1 < n { s -= v[i + 1] }
    out[i] = s
  }
}

/// ‖b − Ax‖ recomputed from scratch.
private func trueResidual(_ a: LinearOperator, _ x: Vector, _ b: Vector) -> Double {
  var ax = Vector.zeros(x.count)
  a(x, &ax)
  return (b - ax).norm
}

/// xᵀAx.
private func quadraticForm(_ a: LinearOperator, _ x: Vector) -> Double {
  var ax = Vector.zeros(x.count)
  a(x, &ax)
  return dot(x, ax)
}

// MARK: - Conjugate gradients

@Suite struct ConjugateGradientTests {
  @Test(arguments: [2, 5, 8, 12])
  func randomSPDIsExactInAtMostNIterations(n: Int) {
    let a = randomSPD(n, seed: UInt64(100 + n))
    let b = randomVector(n, seed: UInt64(200 + n))
    let result = ConjugateGradient(relativeTolerance: 1e-10).solve(op(a), rhs: b)
    #expect(result.termination == .converged)
    #expect(result.iterations <= n)
    #expect(trueResidual(op(a), result.solution, b) <= 1e-9 * b.norm)
    #expect(result.operatorApplications == result.iterations)
    #expect(result.residualNorm <= 1e-10 * b.norm)
  }

  @Test func laplacianReachesRequestedRelativeResidual() {
    let n = 50
    let b = Vector(count: n) { Double.sin(Double($0 + 1)) + 0.5 }
    for eta in [1e-4, 1e-8, 1e-12] {
      let result = ConjugateGradient(relativeTolerance: eta).solve(laplacian, rhs: b)
      #expect(result.termination == .converged)
      #expect(result.iterations <= n)
      #expect(result.residualNorm <= eta * b.norm)
      // The recursive residual tracks the true one.
      #expect(trueResidual(laplacian, result.solution, b) <= eta * b.norm + 1e-12 * b.norm)
    }
  }

  @Test func jacobiPreconditionerBeatsPlainCGOnBadlyScaledMatrix() {
    // A = D S D with S = tridiag(−¼, 1, −¼) (eigenvalues in [½, 3/2]) and D spanning 10⁰..10³.
    let n = 60
    let d = Vector(count: n) { Double.pow(10, 3 * Double($0) / Double(n - 1)) }
    let a: LinearOperator = { v, out in
      for i in 0..<n {
        var s = d[i] * v[i]
        if i > 0 { s -= 0.25 * d[i - 1] * v[i - 1] }
        if i + 1 < n { s -= 0.25 * d[i + 1] * v[i + 1] }
        out[i] = d[i] * s
      }
    }
    let jacobi: LinearOperator = { r, z in
      for i in 0..<n { z[i] = r[i] / (d[i] * d[i]) }
    }
    let b = randomVector(n, seed: 3)
    let cg = ConjugateGradient(relativeTolerance: 1e-8, maxIterations: 1000)
    let plain = cg.solve(a, rhs: b)
    let pcg = cg.solve(a, rhs: b, preconditioner: jacobi)
    #expect(pcg.termination == .converged)
    #expect(plain.termination == .converged)
    #expect(pcg.iterations <= 25)
    #expect(plain.iterations >= 3 * pcg.iterations)
    #expect(pcg.preconditionerApplications == pcg.iterations)
    #expect(trueResidual(a, pcg.solution, b) <= 1e-7 * b.norm)
  }

  @Test func negativeCurvatureIsDetectedOnIndefiniteDiagonal() {
    let diag: Vector = [1, 2, -1, 3, 0.5]
    let a: LinearOperator = { v, out in out.assign(diag .* v) }
    let b: Vector = [1, 1, 1, 1, 1]
    let result = ConjugateGradient(relativeTolerance: 1e-12).solve(a, rhs: b)
    #expect(result.termination == .negativeCurvature)
    let p = try! #require(result.negativeCurvatureDirection)
    let pAp = quadraticForm(a, p)
    #expect(pAp < 0)
    let curvature = try! #require(result.curvature)
    #expect(abs(curvature - pAp / p.normSquared) <= 1e-14 * abs(curvature))
    // Started from 0, the iterate stays a descent direction for the model −bᵀx + ½xᵀAx.
    if result.iterations > 0 { #expect(dot(result.solution, b) > 0) }
  }

  @Test func zeroCurvatureThresholdRejectsSingularDirection() {
    let a: LinearOperator = { v, out in out.assign(v.scaled(by: 0)) }
    let result = ConjugateGradient().solve(a, rhs: [1, 2])
    #expect(result.termination == .zeroCurvature)
    #expect(result.curvature == 0)
    #expect(result.iterations == 0)
    #expect(result.solution == [0, 0])
  }

  @Test func nonFiniteOperatorOutputStops() {
    let nanOperator: LinearOperator = { v, out in
      out.assign(v)
      out[0] = .nan
    }
    let result = ConjugateGradient().solve(nanOperator, rhs: [1, 2, 3])
    #expect(result.termination == .nonFinite)
    #expect(result.solution.isFinite)
    let badRHS = ConjugateGradient().solve(laplacian, rhs: [1, .infinity, 3])
    #expect(badRHS.termination == .nonFinite)
    let badGuess = ConjugateGradient().solve(
      laplacian, rhs: [1, 2, 3], initialGuess: [0, .nan, 0])
    #expect(badGuess.termination == .nonFinite)
    #expect(badGuess.solution.isFinite)
  }

  @Test func warmStartFromSolutionTakesNoIterations() {
    let diag: Vector = [1, 4, 9, 16]
    let a: LinearOperator = { v, out in out.assign(diag .* v) }
    let b: Vector = [1, 2, 3, 4]
    let exact = b ./ diag
    let result = ConjugateGradient(relativeTolerance: 1e-10).solve(a, rhs: b, initialGuess: exact)
    #expect(result.termination == .converged)
    #expect(result.iterations == 0)
    #expect(result.operatorApplications == 1)
    #expect(result.solution == exact)
    // A warm start near the solution needs fewer iterations than a cold one on the Laplacian.
    let n = 40
    let rhs = Vector(count: n) { Double.cos(Double($0)) }
    let cold = ConjugateGradient(relativeTolerance: 1e-10).solve(laplacian, rhs: rhs)
    let guess = cold.solution + Vector(repeating: 1e-6, count: n)
    let warm = ConjugateGradient(relativeTolerance: 1e-10).solve(
      laplacian, rhs: rhs, initialGuess: guess)
    #expect(warm.termination == .converged)
    #expect(warm.iterations < cold.iterations)
  }

  @Test func zeroRightHandSideGivesZeroSolution() {
    let result = ConjugateGradient().solve(laplacian, rhs: .zeros(5))
    #expect(result.termination == .converged)
    #expect(result.iterations == 0)
    #expect(result.solution == .zeros(5))
  }

  @Test func nonPositivePreconditionerIsReported() {
    let result = ConjugateGradient().solve(
      laplacian, rhs: [1, 2, 3], preconditioner: { r, z in z.assign(-r) })
    #expect(result.termination == .preconditionerNotPositive)
  }

  @Test func maxIterationsIsHonoured() {
    let result = ConjugateGradient(relativeTolerance: 1e-14, maxIterations: 3).solve(
      laplacian, rhs: Vector(repeating: 1, count: 30))
    #expect(result.termination == .maxIterations)
    #expect(result.iterations == 3)
    #expect(result.operatorApplications == 3)
  }

  @Test func workspaceReuseGivesIdenticalResults() {
    let a = randomSPD(10, seed: 9)
    var workspace = KrylovWorkspace(dimension: 10)
    let cg = ConjugateGradient(relativeTolerance: 1e-12)
    let b1 = randomVector(10, seed: 1)
    let b2 = randomVector(10, seed: 2)
    let first = cg.solve(op(a), rhs: b1, workspace: &workspace)
    let second = cg.solve(op(a), rhs: b2, workspace: &workspace)
    let again = cg.solve(op(a), rhs: b1, workspace: &workspace)
    #expect(first.solution == again.solution)
    #expect(first.solution != second.solution)
    #expect(trueResidual(op(a), second.solution, b2) <= 1e-10 * b2.norm)
    // A workspace of another size is resized.
    let small = cg.solve(laplacian, rhs: [1, 1, 1], workspace: &workspace)
    #expect(workspace.dimension == 3)
    #expect(trueResidual(laplacian, small.solution, [1, 1, 1]) <= 1e-12)
  }

  @Test func modelValueAndSnapshotsMatchTheQuadratic() {
    let n = 40
    let b = Vector(count: n) { 1 + 0.1 * Double($0) }
    let cg = ConjugateGradient(relativeTolerance: 1e-12, snapshotGrowth: 1.3)
    let result = cg.solve(laplacian, rhs: b)
    #expect(result.termination == .converged)
    let iterations = result.snapshots.map(\.iteration)
    #expect(Array(iterations.prefix(8)) == [0, 1, 2, 3, 4, 5, 7, 9])
    #expect(iterations.last == result.iterations)
    #expect(iterations == iterations.sorted())
    var previous = Double.infinity
    for s in result.snapshots {
      let q = 0.5 * quadraticForm(laplacian, s.x) - dot(b, s.x)
      #expect(abs(q - s.modelValue) <= 1e-9 * (1 + abs(q)))
      #expect(s.modelValue <= previous)  // CG decreases q monotonically
      previous = s.modelValue
    }
    #expect(result.snapshots.last!.x == result.solution)
    let q = 0.5 * quadraticForm(laplacian, result.solution) - dot(b, result.solution)
    #expect(abs(q - result.modelValue) <= 1e-9 * abs(q))
  }

  @Test func martensRelativeProgressStopsEarly() {
    // A spread spectrum makes CG crawl; the relative-progress rule stops long before 1e-14.
    let n = 200
    let d = Vector(count: n) { Double.pow(10, 4 * Double($0) / Double(n - 1)) }
    let a: LinearOperator = { v, out in out.assign(d .* v) }
    let b = Vector(repeating: 1, count: n)
    let plain = ConjugateGradient(relativeTolerance: 1e-14, maxIterations: 400).solve(a, rhs: b)
    let martens = ConjugateGradient(
      relativeTolerance: 1e-14, maxIterations: 400, martensStopping: .init()
    ).solve(a, rhs: b)
    #expect(martens.termination == .relativeProgress)
    #expect(martens.iterations > 10)
    #expect(martens.iterations < plain.iterations)
    // The model value is already within a small fraction of the optimum q* = −½bᵀA⁻¹b.
    let qStar = -0.5 * dot(b, b ./ d)
    #expect((martens.modelValue - qStar) / abs(qStar) < 0.05)
  }
}

// MARK: - Steihaug-Toint CG

/// The exact Cauchy decrease: minimize m(−t g) over 0 ≤ t ≤ Δ/‖g‖.
private func cauchyDecrease(_ b: LinearOperator, _ g: Vector, _ radius: Double) -> Double {
  let gg = g.normSquared
  let gBg = quadraticForm(b, g)
  var t = radius / g.norm
  if gBg > 0 { t = min(t, gg / gBg) }
  return t * gg - 0.5 * t * t * gBg
}

/// m(p) = gᵀp + ½pᵀBp recomputed.
private func model(_ b: LinearOperator, _ g: Vector, _ p: Vector) -> Double {
  dot(g, p) + 0.5 * quadraticForm(b, p)
}

@Suite struct SteihaugCGTests {
  @Test(arguments: [1, 2, 3] as [UInt64])
  func interiorStepIsTheNewtonStep(seed: UInt64) {
    let n = 10
    let a = randomSPD(n, seed: seed)
    let g = randomVector(n, seed: seed + 50)
    let result = SteihaugCG(relativeTolerance: 1e-12).solve(op(a), gradient: g, radius: 1e6)
    #expect(result.termination == .interiorConverged)
    #expect(!result.hitsBoundary)
    let newton = ConjugateGradient(relativeTolerance: 1e-13).solve(op(a), rhs: -g).solution
    #expect((result.step - newton).norm <= 1e-10 * newton.norm)
    #expect(abs(result.stepNorm - result.step.norm) <= 1e-10 * result.step.norm)
    let decrease = -model(op(a), g, result.step)
    #expect(abs(result.modelDecrease - decrease) <= 1e-10 * decrease)
  }

  @Test(arguments: [(4, 0.05), (7, 0.3), (11, 1.0)] as [(UInt64, Double)])
  func boundaryStepOnSPDHasRadiusNorm(seed: UInt64, radius: Double) {
    let n = 12
    let a = randomSPD(n, seed: seed)
    let g = randomVector(n, seed: seed + 7)
    let result = SteihaugCG().solve(op(a), gradient: g, radius: radius)
    #expect(result.termination == .boundary)
    #expect(abs(result.step.norm - radius) <= 1e-12 * radius)
    let decrease = -model(op(a), g, result.step)
    #expect(abs(result.modelDecrease - decrease) <= 1e-10 * abs(decrease))
    #expect(decrease >= cauchyDecrease(op(a), g, radius) * (1 - 1e-12))
  }

  @Test(arguments: [21, 22, 23, 24] as [UInt64])
  func indefiniteModelGoesToBoundaryAndBeatsCauchy(seed: UInt64) {
    let n = 8
    let a = randomSymmetric(n, seed: seed)
    let g = randomVector(n, seed: seed + 3)
    let radius = 2.0
    let result = SteihaugCG().solve(op(a), gradient: g, radius: radius)
    #expect(result.hitsBoundary)
    #expect(abs(result.step.norm - radius) <= 1e-12 * radius)
    let decrease = -model(op(a), g, result.step)
    #expect(abs(result.modelDecrease - decrease) <= 1e-10 * abs(decrease))
    // The exact Cauchy decrease, and the bound ½‖g‖min(Δ, ‖g‖/‖B‖) of N&W Lemma 4.3 (with the
    // Frobenius norm, which bounds the spectral norm from above).
    #expect(decrease >= cauchyDecrease(op(a), g, radius) * (1 - 1e-12))
    #expect(decrease >= 0.5 * g.norm * min(radius, g.norm / a.frobeniusNorm))
  }

  @Test func negativeCurvatureAtFirstStepFollowsSteepestDescent() {
    // B = −I: the first direction −g has negative curvature; the step is −Δ g/‖g‖.
    let b: LinearOperator = { v, out in out.assign(-v) }
    let g: Vector = [3, 4]
    let result = SteihaugCG().solve(b, gradient: g, radius: 2)
    #expect(result.termination == .negativeCurvature)
    #expect(result.iterations == 1)
    #expect((result.step - Vector([-1.2, -1.6])).norm <= 1e-15)
    // m = gᵀp + ½pᵀBp = −10 − 2.
    #expect(abs(result.modelDecrease - 12) <= 1e-13)
  }

  @Test func preconditionedStepMeasuresTheMNorm() {
    let n = 10
    let a = randomSPD(n, seed: 31)
    let g = randomVector(n, seed: 32)
    let m = a.diagonal
    let jacobi: LinearOperator = { r, z in z.assign(r ./ m) }
    let radius = 0.2
    let result = SteihaugCG().solve(op(a), gradient: g, radius: radius, preconditioner: jacobi)
    #expect(result.termination == .boundary)
    let mNorm = dot(result.step, m .* result.step).squareRoot()
    #expect(abs(mNorm - radius) <= 1e-10 * radius)
    let decrease = -model(op(a), g, result.step)
    #expect(abs(result.modelDecrease - decrease) <= 1e-10 * abs(decrease))
    // With a large radius the preconditioned solve reaches the Newton step.
    let inner = SteihaugCG(relativeTolerance: 1e-12).solve(
      op(a), gradient: g, radius: 1e6, preconditioner: jacobi)
    #expect(inner.termination == .interiorConverged)
    #expect(trueResidual(op(a), inner.step, -g) <= 1e-10 * g.norm)
  }

  @Test func degenerateInputs() {
    let zero = SteihaugCG().solve(laplacian, gradient: .zeros(4), radius: 1)
    #expect(zero.termination == .interiorConverged)
    #expect(zero.step == .zeros(4))
    #expect(zero.modelDecrease == 0)
    let nan = SteihaugCG().solve(laplacian, gradient: [1, .nan], radius: 1)
    #expect(nan.termination == .nonFinite)
    let badOperator = SteihaugCG().solve(
      { _, out in out.fill(.infinity) }, gradient: [1, 2], radius: 1)
    #expect(badOperator.termination == .nonFinite)
    #expect(badOperator.step.isFinite)
    let limited = SteihaugCG(relativeTolerance: 1e-14, maxIterations: 2).solve(
      laplacian, gradient: Vector(repeating: 1, count: 20), radius: 1e9)
    #expect(limited.termination == .maxIterations)
    #expect(limited.iterations == 2)
  }
}

// MARK: - Lanczos

/// Q·diag(d)·Q with the Householder reflection Q = I − 2uuᵀ/uᵀu: eigenvalues exactly d.
private func reflectedDiagonal(_ d: [Double], seed: UInt64) -> Matrix {
  let n = d.count
  let u = randomVector(n, seed: seed)
  let uu = u.normSquared
  let q = Matrix(rows: n, columns: n) { i, j in (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu }
  return Matrix(rows: n, columns: n) { i, j in
    var s = 0.0
    for k in 0..<n { s += q[i, k] * d[k] * q[j, k] }
    return s
  }
}

/// A·B for small dense matrices.
private func multiply(_ a: Matrix, _ b: Matrix) -> Matrix {
  Matrix(rows: a.rows, columns: b.columns) { i, j in
    var s = 0.0
    for k in 0..<a.columns { s += a[i, k] * b[k, j] }
    return s
  }
}

@Suite struct LanczosTests {
  @Test(arguments: [5, 10, 16])
  func fullReorthogonalizationGivesOrthonormalBasisAndTridiagonalProjection(n: Int) {
    let a = randomSymmetric(n, seed: UInt64(n))
    let start = randomVector(n, seed: 77)
    let result = Lanczos(reorthogonalization: .full, returnsBasis: true).run(
      op(a), start: start, steps: n)
    // n steps span the whole space, which is invariant: the last β is at rounding level.
    #expect(result.termination == .invariantSubspace)
    #expect(result.steps == n)
    let q = try! #require(result.basis)
    let gram = multiply(q, q.transposed)
    #expect((gram - .identity(n)).maxAbs <= 1e-13)
    var t = Matrix(rows: n, columns: n)
    for i in 0..<n {
      t[i, i] = result.alphas[i]
      if i + 1 < n {
        t[i, i + 1] = result.betas[i]
        t[i + 1, i] = result.betas[i]
      }
    }
    let projected = multiply(multiply(q, a), q.transposed)
    #expect((projected - t).maxAbs <= 1e-12 * a.frobeniusNorm)
    // T is similar to A: equal trace and Frobenius norm; the last β vanishes.
    var trace = 0.0
    for i in 0..<n { trace += a[i, i] }
    #expect(abs(result.alphas.reduce(0, +) - trace) <= 1e-12 * a.frobeniusNorm)
    #expect(abs(t.frobeniusNorm - a.frobeniusNorm) <= 1e-12 * a.frobeniusNorm)
    #expect(result.nextBeta <= 1e-10 * a.frobeniusNorm)
  }

  @Test func ritzValuesAfterNStepsAreTheEigenvalues() {
    let eigenvalues = [-3.0, -1.25, 0.5, 2, 4, 7.5, 9, 11]
    let a = reflectedDiagonal(eigenvalues, seed: 5)
    let result = Lanczos().run(op(a), start: randomVector(8, seed: 6), steps: 8)
    let ritz = result.ritzValues()
    #expect(ritz.count == 8)
    for (r, e) in zip(ritz, eigenvalues) { #expect(abs(r - e) <= 1e-11 * 11) }
  }

  @Test func theCallersTestStopsTheProcess() {
    let a = randomSymmetric(12, seed: 3)
    let start = randomVector(12, seed: 4)
    var calls = 0
    let stopped = Lanczos().run(op(a), start: start, steps: 10) { alphas, betas, nextBeta in
      calls += 1
      #expect(betas.count == alphas.count - 1)
      #expect(nextBeta > 0)
      return alphas.count == 3
    }
    #expect(stopped.termination == .stoppedByCaller)
    #expect(stopped.steps == 3)
    #expect(stopped.operatorApplications == 3)
    #expect(calls == 3)
    // The first three steps are those of an uninterrupted run.
    let full = Lanczos().run(op(a), start: start, steps: 10)
    #expect(Array(full.alphas.prefix(3)) == stopped.alphas)
    #expect(Array(full.betas.prefix(2)) == stopped.betas)
    #expect(full.betas[2] == stopped.nextBeta)
  }

  @Test func invariantSubspaceBreaksDownEarly() {
    // The start vector touches only three eigenvectors of a diagonal matrix.
    let diag: Vector = [1, 2, 3, 4, 5, 6]
    let a: LinearOperator = { v, out in out.assign(diag .* v) }
    let result = Lanczos().run(a, start: [1, 0, 1, 0, 0, 1], steps: 6)
    #expect(result.termination == .invariantSubspace)
    #expect(result.steps == 3)
    let ritz = result.ritzValues()
    for (r, e) in zip(ritz, [1.0, 3, 6]) { #expect(abs(r - e) <= 1e-12) }
  }

  @Test func plainRecurrenceAgreesWithReorthogonalizedEarlySteps() {
    let a = randomSymmetric(30, seed: 8)
    let start = randomVector(30, seed: 9)
    let plain = Lanczos(reorthogonalization: .none).run(op(a), start: start, steps: 5)
    let full = Lanczos(reorthogonalization: .full).run(op(a), start: start, steps: 5)
    #expect(plain.basis == nil)
    for (x, y) in zip(plain.alphas, full.alphas) { #expect(abs(x - y) <= 1e-10) }
    for (x, y) in zip(plain.betas, full.betas) { #expect(abs(x - y) <= 1e-10) }
    #expect(plain.operatorApplications == 5)
  }

  @Test func nonFiniteInputs() {
    #expect(Lanczos().run(laplacian, start: [1, .nan], steps: 2).termination == .nonFinite)
    let nanOperator: LinearOperator = { _, out in out.fill(.nan) }
    #expect(Lanczos().run(nanOperator, start: [1, 2], steps: 2).termination == .nonFinite)
  }

  @Test func tridiagonalEigenvaluesOfTheLaplacian() {
    let n = 12
    let a = [Double](repeating: 2, count: n)
    let b = [Double](repeating: -1, count: n - 1)
    let computed = KrylovTridiagonal.eigenvalues(a, b)
    for j in 1...n {
      let exact = 2 - 2 * Double.cos(Double(j) * Double.pi / Double(n + 1))
      #expect(abs(computed[j - 1] - exact) <= 1e-14 * 4)
    }
  }
}

// MARK: - GLTR

/// The 2-D trust-region subproblem by brute force: the best of the interior Newton point (when B
/// is positive definite and the point is inside) and a fine scan of the circle ‖p‖ = Δ refined by
/// golden-section search.
private func bruteForceTrustRegion2D(_ b: Matrix, _ g: Vector, _ radius: Double) -> (
  p: Vector, model: Double
) {
  let m: (Vector) -> Double = { p in dot(g, p) + 0.5 * dot(p, b * p) }
  let onCircle: (Double) -> Vector = { t in [radius * Double.cos(t), radius * Double.sin(t)] }
  var bestT = 0.0
  var bestM = Double.infinity
  let samples = 4000
  for i in 0..<samples {
    let t = 2 * Double.pi * Double(i) / Double(samples)
    let v = m(onCircle(t))
    if v < bestM {
      bestM = v
      bestT = t
    }
  }
  var lo = bestT - 2 * Double.pi / Double(samples)
  var hi = bestT + 2 * Double.pi / Double(samples)
  let ratio = (5.0.squareRoot() - 1) / 2
  for _ in 0..<100 {
    let t1 = hi - ratio * (hi - lo)
    let t2 = lo + ratio * (hi - lo)
    if m(onCircle(t1)) < m(onCircle(t2)) { hi = t2 } else { lo = t1 }
  }
  var best = onCircle(0.5 * (lo + hi))
  let det = b[0, 0] * b[1, 1] - b[0, 1] * b[1, 0]
  if b[0, 0] > 0 && det > 0 {
    let newton: Vector = [
      -(b[1, 1] * g[0] - b[0, 1] * g[1]) / det, -(-b[1, 0] * g[0] + b[0, 0] * g[1]) / det,
    ]
    if newton.norm <= radius && m(newton) < m(best) { best = newton }
  }
  return (best, m(best))
}

@Suite struct GLTRTests {
  @Test(arguments: [1, 2, 3] as [UInt64])
  func interiorSolutionEqualsCG(seed: UInt64) {
    let n = 12
    let a = randomSPD(n, seed: seed)
    let g = randomVector(n, seed: seed + 90)
    let result = GLTR(relativeTolerance: 1e-12).solve(op(a), gradient: g, radius: 1e6)
    #expect(result.termination == .converged)
    #expect(!result.hitsBoundary)
    #expect(result.lambda == 0)
    let cg = ConjugateGradient(relativeTolerance: 1e-13).solve(op(a), rhs: -g)
    #expect((result.step - cg.solution).norm <= 1e-9 * cg.solution.norm)
    #expect(abs(result.modelDecrease + model(op(a), g, result.step)) <= 1e-9 * result.modelDecrease)
    #expect(result.iterations <= n)
  }

  @Test(arguments: [41, 42, 43, 44, 45] as [UInt64])
  func indefiniteProblemBeatsSteihaugOnTheBoundary(seed: UInt64) {
    let n = 10
    let a = randomSymmetric(n, seed: seed)
    let g = randomVector(n, seed: seed + 1)
    let radius = 1.5
    let gltr = GLTR(relativeTolerance: 1e-10).solve(op(a), gradient: g, radius: radius)
    let steihaug = SteihaugCG().solve(op(a), gradient: g, radius: radius)
    #expect(gltr.termination == .converged || gltr.termination == .invariantSubspace)
    #expect(gltr.hitsBoundary)
    #expect(abs(gltr.step.norm - radius) <= 1e-8 * radius)
    let mGLTR = model(op(a), g, gltr.step)
    #expect(abs(-gltr.modelDecrease - mGLTR) <= 1e-8 * abs(mGLTR))
    #expect(mGLTR <= model(op(a), g, steihaug.step) + 1e-12)
    // Optimality (Moré-Sorensen): (B + λI)p = −g with λ ≥ 0 and B + λI positive semidefinite.
    var bp = Vector.zeros(n)
    op(a)(gltr.step, &bp)
    let kkt = bp + gltr.lambda * gltr.step + g
    #expect(kkt.norm <= 1e-8 * g.norm)
    let lambdaMin = Lanczos().run(op(a), start: g, steps: n).ritzValues()[0]
    #expect(gltr.lambda >= -lambdaMin - 1e-8)
  }

  @Test(
    arguments: [
      ([[2.0, 0.5], [0.5, 1.0]], [0.3, -0.2], 1.0),  // positive definite, interior
      ([[2.0, 0.5], [0.5, 1.0]], [3.0, -2.0], 0.5),  // positive definite, boundary
      ([[1.0, 2.0], [2.0, -1.0]], [0.4, 0.7], 1.0),  // indefinite
      ([[-1.0, 0.3], [0.3, -2.0]], [0.1, 0.2], 2.0),  // negative definite
      ([[1.0, 0.0], [0.0, -1.0]], [1.0, 1e-3], 1.0),  // nearly hard case
    ] as [([[Double]], [Double], Double)])
  func matchesBruteForceIn2D(rows: [[Double]], gradient: [Double], radius: Double) {
    let b = Matrix(rows)
    let g = Vector(gradient)
    let brute = bruteForceTrustRegion2D(b, g, radius)
    let result = GLTR(relativeTolerance: 1e-12).solve(op(b), gradient: g, radius: radius)
    let m = model(op(b), g, result.step)
    #expect(m <= brute.model + 1e-10)
    #expect(m >= brute.model - 1e-9 * max(1, abs(brute.model)))
    #expect((result.step - brute.p).norm <= 1e-4 * radius)
    #expect(result.step.norm <= radius * (1 + 1e-10))
  }

  @Test func preconditionedBoundaryStepUsesTheMNorm() {
    let n = 10
    let a = randomSPD(n, seed: 51)
    let g = randomVector(n, seed: 52)
    let mDiag = Vector(count: n) { 0.5 + Double($0) / Double(n) }
    let precondition: LinearOperator = { r, z in z.assign(r ./ mDiag) }
    let radius = 0.3
    let result = GLTR(relativeTolerance: 1e-10).solve(
      op(a), gradient: g, radius: radius, preconditioner: precondition)
    #expect(result.hitsBoundary)
    let mNorm = dot(result.step, mDiag .* result.step).squareRoot()
    #expect(abs(mNorm - radius) <= 1e-8 * radius)
    // KKT in the M-norm: (B + λM)p = −g.
    var bp = Vector.zeros(n)
    op(a)(result.step, &bp)
    #expect((bp + result.lambda * (mDiag .* result.step) + g).norm <= 1e-7 * g.norm)
    // Steihaug in the same norm can only do worse.
    let steihaug = SteihaugCG().solve(
      op(a), gradient: g, radius: radius, preconditioner: precondition)
    #expect(model(op(a), g, result.step) <= model(op(a), g, steihaug.step) + 1e-12)
  }

  @Test func workspaceReuseAndDegenerateInputs() {
    var workspace = GLTR.Workspace(dimension: 6)
    let a = randomSymmetric(6, seed: 61)
    let g = randomVector(6, seed: 62)
    let first = GLTR().solve(op(a), gradient: g, radius: 1, workspace: &workspace)
    _ = GLTR().solve(op(a), gradient: g.scaled(by: 3), radius: 0.1, workspace: &workspace)
    let again = GLTR().solve(op(a), gradient: g, radius: 1, workspace: &workspace)
    #expect(first.step == again.step)
    let zero = GLTR().solve(laplacian, gradient: .zeros(3), radius: 1)
    #expect(zero.termination == .converged)
    #expect(zero.step == .zeros(3))
    #expect(GLTR().solve(laplacian, gradient: [.nan, 1], radius: 1).termination == .nonFinite)
    let nanOperator: LinearOperator = { _, out in out.fill(.nan) }
    let bad = GLTR().solve(nanOperator, gradient: [1, 1], radius: 1)
    #expect(bad.termination == .nonFinite)
    #expect(bad.step.isFinite)
  }
}

@Suite struct TridiagonalTrustRegionTests {
  @Test func exactHardCaseOnReducedTridiagonal() {
    // T = diag(1, −1), γe₁ ⟂ e₂: λ = 1, h = (−γ/2, ±√(Δ² − γ²/4)).
    var solver = TridiagonalTrustRegion()
    let gamma = 1.0
    let radius = 2.0
    let outcome = solver.solve(diagonal: [1, -1], offDiagonal: [0], gamma: gamma, radius: radius)
    #expect(outcome.hardCase)
    #expect(abs(outcome.lambda - 1) <= 1e-10)
    #expect(abs(solver.h[0] + 0.5) <= 1e-10)
    #expect(abs(abs(solver.h[1]) - (radius * radius - 0.25).squareRoot()) <= 1e-8)
    let exactModel = -0.5 + 0.5 * (0.25 - (radius * radius - 0.25))
    #expect(abs(outcome.model - exactModel) <= 1e-9)
  }

  @Test func interiorAndBoundaryOnTheLaplacian() {
    var solver = TridiagonalTrustRegion()
    let a = [Double](repeating: 2, count: 6)
    let b = [Double](repeating: -1, count: 5)
    let inside = solver.solve(diagonal: a, offDiagonal: b, gamma: 1, radius: 100)
    #expect(inside.interior && inside.lambda == 0)
    // (T h)₀ = −γ for the interior solution.
    #expect(abs(2 * solver.h[0] - solver.h[1] + 1) <= 1e-14)
    let boundary = solver.solve(diagonal: a, offDiagonal: b, gamma: 1, radius: 0.1)
    #expect(!boundary.interior && boundary.lambda > 0)
    let hNorm = solver.h.reduce(0) { $0 + $1 * $1 }.squareRoot()
    #expect(abs(hNorm - 0.1) <= 1e-13)
  }
}

// MARK: - Large cases (CURVATURE_LARGE_TESTS=1)

private let largeTestsEnabled = getenv("CURVATURE_LARGE_TESTS").map { String(cString: $0) } == "1"

/// tridiag(−1, 2.5, −1), eigenvalues in (0.5, 4.5): a well-conditioned operator of any size.
private func shiftedLaplacian(_ v: Vector, _ out: inout Vector) {
  let n = v.count
  v.withUnsafeBufferPointer { x in
    out.withUnsafeMutableBufferPointer { y in
      for i in 0..<n {
        var s = 2.5 * x[i]
        if i > 0 { s -= x[i - 1] }
        if i + 1 < n { s -= x[i + 1] }
        y[i] = s
      }
    }
  }
}

@Suite(.enabled(if: largeTestsEnabled)) struct KrylovLargeTests {
  @Test func conjugateGradientOnAMillionUnknowns() {
    let n = 1_000_000
    let b = Vector(count: n) { Double.sin(Double($0)) }
    var workspace = KrylovWorkspace(dimension: n)
    let cg = ConjugateGradient(relativeTolerance: 1e-10)
    let clock = ContinuousClock()
    var result: ConjugateGradient.Result? = nil
    let elapsed = clock.measure {
      result = cg.solve(shiftedLaplacian, rhs: b, workspace: &workspace)
    }
    let r = result!
    #expect(r.termination == .converged)
    #expect(r.iterations < 60)
    #expect(trueResidual(shiftedLaplacian, r.solution, b) <= 1e-9 * b.norm)
    print("CG n = \(n): \(r.iterations) iterations in \(elapsed)")
  }

  @Test func trustRegionSolversOnALargeIndefiniteOperator() {
    // tridiag(−1, 0.5, −1) has eigenvalues in (−1.5, 2.5).
    let n = 20_000
    let indefinite: LinearOperator = { v, out in
      shiftedLaplacian(v, &out)
      axpy(-2, v, &out)
    }
    let g = randomVector(n, seed: 2026)
    let radius = 500.0
    let clock = ContinuousClock()
    var steihaug: SteihaugCG.Result? = nil
    var gltr: GLTR.Result? = nil
    let tS = clock.measure {
      steihaug = SteihaugCG().solve(indefinite, gradient: g, radius: radius)
    }
    let tG = clock.measure {
      gltr = GLTR(relativeTolerance: 1e-6, maxIterations: 400).solve(
        indefinite, gradient: g, radius: radius)
    }
    #expect(steihaug!.hitsBoundary)
    #expect(gltr!.hitsBoundary)
    #expect(gltr!.modelDecrease >= steihaug!.modelDecrease)
    // Without reorthogonalization the Lanczos basis stays orthonormal enough here.
    #expect(abs(gltr!.step.norm - radius) <= 1e-6 * radius)
    let decrease = -model(indefinite, g, gltr!.step)
    #expect(abs(decrease - gltr!.modelDecrease) <= 1e-6 * decrease)
    print(
      "Steihaug: \(steihaug!.iterations) its, decrease \(steihaug!.modelDecrease), \(tS); "
        + "GLTR: \(gltr!.iterations) its, decrease \(gltr!.modelDecrease), \(tG)"
    )
  }
}
