import Testing

@testable import Curvature

/// The KKT residuals of a QP solution: stationarity ‖Hp + g − Aₑᵀλₑ − Aᵢᵀλᵢ − λₗ + λᵤ‖∞,
/// the largest violation, the most negative multiplier and the largest complementarity product.
private func kkt(_ qp: QuadraticProgram, _ s: QuadraticProgramSolution) -> (
  stationarity: Double, violation: Double, dualSign: Double, complementarity: Double
) {
  var r = qp.hessian * s.x
  axpy(1, qp.gradient, &r)
  axpy(-1, qp.equalityMatrix.transposeMultiply(s.equalityMultipliers), &r)
  axpy(-1, qp.inequalityMatrix.transposeMultiply(s.inequalityMultipliers), &r)
  axpy(-1, s.lowerBoundMultipliers, &r)
  axpy(1, s.upperBoundMultipliers, &r)
  var dual = 0.0
  var comp = 0.0
  let ai = qp.inequalityMatrix * s.x
  for j in 0..<qp.inequalityCount {
    dual = min(dual, s.inequalityMultipliers[j])
    comp = max(comp, abs(s.inequalityMultipliers[j] * (ai[j] - qp.inequalityVector[j])))
  }
  for j in 0..<qp.dimension {
    dual = min(dual, s.lowerBoundMultipliers[j], s.upperBoundMultipliers[j])
    if qp.lower[j].isFinite {
      comp = max(comp, abs(s.lowerBoundMultipliers[j] * (s.x[j] - qp.lower[j])))
    }
    if qp.upper[j].isFinite {
      comp = max(comp, abs(s.upperBoundMultipliers[j] * (qp.upper[j] - s.x[j])))
    }
  }
  return (r.normInfinity, qp.violation(at: s.x), dual, comp)
}

@Suite("Active-set QP")
struct QuadraticProgramTests {
  /// Nocedal & Wright Example 16.4: min (x₁ − 1)² + (x₂ − 2.5)² over a pentagon; x* = (1.4, 1.7)
  /// with the first constraint active and λ₁ = 0.8.
  static let example164 = QuadraticProgram(
    hessian: Matrix([[2, 0], [0, 2]]), gradient: [-2, -5],
    inequalityMatrix: Matrix([[1, -2], [-1, -2], [-1, 2]]), inequalityVector: [-2, -6, -2],
    lower: [0, 0])

  @Test("N&W Example 16.4", arguments: [nil, [2.0, 0.0], [0.0, 1.0]] as [Vector?])
  func example164(start: Vector?) {
    let s = ActiveSetQPSolver().solve(Self.example164, from: start)
    #expect(s.status == .optimal)
    #expect(abs(s.x[0] - 1.4) < 1e-12 && abs(s.x[1] - 1.7) < 1e-12)
    #expect(abs(s.inequalityMultipliers[0] - 0.8) < 1e-12)
    #expect(s.inequalityMultipliers[1] == 0 && s.inequalityMultipliers[2] == 0)
    #expect(s.lowerBoundMultipliers.normInfinity == 0)
    let r = kkt(Self.example164, s)
    #expect(r.stationarity < 1e-12 && r.violation < 1e-12 && r.complementarity < 1e-12)
  }

  /// Nocedal & Wright Example 16.2 (equality constrained): x* = (2, −1, 1), λ* = (3, −2).
  @Test func example162() {
    let qp = QuadraticProgram(
      hessian: Matrix([[6, 2, 1], [2, 5, 2], [1, 2, 4]]), gradient: [-8, -3, -3],
      equalityMatrix: Matrix([[1, 0, 1], [0, 1, 1]]), equalityVector: [3, 0])
    let s = qp.solve()
    #expect(s.status == .optimal)
    #expect((s.x - [2, -1, 1]).normInfinity < 1e-12)
    #expect((s.equalityMultipliers - [3, -2]).normInfinity < 1e-12)
  }

  /// Projection onto a box: min ½‖p − a‖² over [0, 1]³ gives clamp(a) with λ = clamp(a) − a
  /// split into lower and upper parts.
  @Test func boxProjection() {
    let a: Vector = [2, -1, 0.5]
    let qp = QuadraticProgram(
      hessian: .identity(3), gradient: -a, lower: [0, 0, 0], upper: [1, 1, 1])
    let s = qp.solve()
    #expect(s.status == .optimal)
    #expect((s.x - [1, 0, 0.5]).normInfinity < 1e-14)
    #expect((s.upperBoundMultipliers - [1, 0, 0]).normInfinity < 1e-14)
    #expect((s.lowerBoundMultipliers - [0, 1, 0]).normInfinity < 1e-14)
  }

  /// Degenerate vertex: x ≥ 0, y ≥ 0 and the redundant x + y ≥ 0 and 2x + y ≥ 0 all active at
  /// the minimizer (0, 0) of (x + 1)² + (y + 1)².
  @Test func degenerateVertex() {
    let qp = QuadraticProgram(
      hessian: Matrix([[2, 0], [0, 2]]), gradient: [2, 2],
      inequalityMatrix: Matrix([[1, 1], [2, 1], [1, 0], [0, 1]]), inequalityVector: [0, 0, 0, 0])
    for start in [Vector([1, 1]), Vector([3, 0]), Vector([-1, -1])] {
      let s = ActiveSetQPSolver().solve(qp, from: start)
      #expect(s.status == .optimal)
      #expect(s.x.normInfinity < 1e-12)
      let r = kkt(qp, s)
      #expect(r.stationarity < 1e-12 && r.dualSign >= 0 && r.complementarity < 1e-12)
    }
  }

  /// x₁ ≥ 1 and −x₁ ≥ 0 have no common point; phase 1 returns a point of least ℓ₁ violation
  /// (any x₁ ∈ [0, 1], where the total violation is 1).
  @Test func infeasible() {
    let qp = QuadraticProgram(
      hessian: .identity(2), gradient: [0, 0],
      inequalityMatrix: Matrix([[1, 0], [-1, 0]]), inequalityVector: [1, 0])
    let s = qp.solve()
    #expect(s.status == .infeasible)
    #expect(s.x[0] >= -1e-9 && s.x[0] <= 1 + 1e-9)
    #expect(s.violation >= 0.5 - 1e-9 && s.violation <= 1 + 1e-9)
  }

  @Test func inconsistentEqualitiesAreInfeasible() {
    let qp = QuadraticProgram(
      hessian: .identity(2), gradient: [1, 1],
      equalityMatrix: Matrix([[1, 1], [2, 2]]), equalityVector: [1, 3])
    #expect(qp.solve().status == .infeasible)
  }

  /// Dependent but consistent equalities (the second row is twice the first) are solved.
  @Test func dependentEqualities() {
    let qp = QuadraticProgram(
      hessian: .identity(2), gradient: [0, 0],
      equalityMatrix: Matrix([[1, 1], [2, 2]]), equalityVector: [1, 2])
    let s = qp.solve()
    #expect(s.status == .optimal)
    #expect((s.x - [0.5, 0.5]).normInfinity < 1e-12)
  }

  @Test func indefiniteHessianIsRejected() {
    let qp = QuadraticProgram(hessian: Matrix([[1, 0], [0, -1]]), gradient: [0, 0])
    #expect(qp.solve().status == .notConvex)
  }

  /// Random strictly convex QPs with a known feasible point: KKT conditions checked numerically.
  @Test("random QPs satisfy the KKT conditions", arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
  func randomKKT(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let n = 6
    let me = 2
    let mi = 8
    let b = Matrix(rows: n, columns: n) { _, _ in 2 * rng.uniform() - 1 }
    let h = b.transposeMultiply(b).addingToDiagonal(0.1)
    let g = Vector(count: n) { _ in 4 * rng.uniform() - 2 }
    let feasible = Vector(count: n) { _ in rng.uniform() }
    let ae = Matrix(rows: me, columns: n) { _, _ in 2 * rng.uniform() - 1 }
    let ai = Matrix(rows: mi, columns: n) { _, _ in 2 * rng.uniform() - 1 }
    var bi = ai * feasible
    for j in 0..<mi { bi[j] -= rng.uniform() < 0.5 ? 0 : rng.uniform() }
    let qp = QuadraticProgram(
      hessian: h, gradient: g, equalityMatrix: ae, equalityVector: ae * feasible,
      inequalityMatrix: ai, inequalityVector: bi,
      lower: Vector(repeating: -0.5, count: n), upper: Vector(repeating: 2, count: n))
    let s = ActiveSetQPSolver().solve(qp, from: Vector(repeating: 1.5, count: n))
    #expect(s.status == .optimal)
    let r = kkt(qp, s)
    #expect(r.stationarity < 1e-10)
    #expect(r.violation < 1e-10)
    #expect(r.dualSign >= 0)
    #expect(r.complementarity < 1e-10)
    // Optimality against the feasible point (convexity makes x* the global minimizer).
    #expect(qp.objective(at: s.x) <= qp.objective(at: feasible) + 1e-12)
  }

  /// The elastic program of x₁ = 0 and x₁ = 1 (penalty γ) ends between the two with |λ| ≤ γ.
  @Test func elasticRelaxation() {
    let qp = QuadraticProgram(
      hessian: .identity(1), gradient: [0],
      equalityMatrix: Matrix([[1], [1]]), equalityVector: [0, 1])
    let s = ActiveSetQPSolver().solveElastic(qp, penalty: 10)
    #expect(s.status == .optimal)
    #expect(s.x[0] >= -1e-12 && s.x[0] <= 1 + 1e-12)
    #expect(s.equalityMultipliers.normInfinity <= 10.01 + 1e-9)  // γ plus the slack term
  }
}

extension QuadraticProgramTests {
  /// A feasible region far from the start (x₁ + x₂ ≥ 10⁷): phase 1 stays exact.
  @Test func farFeasibleRegion() {
    let qp = QuadraticProgram(
      hessian: .identity(2), gradient: [0, 0],
      inequalityMatrix: Matrix([[1, 1]]), inequalityVector: [1e7])
    let s = qp.solve()
    #expect(s.status == .optimal)
    #expect(abs(s.x[0] - 5e6) <= 1e-6 && abs(s.x[1] - 5e6) <= 1e-6)
    #expect(abs(s.inequalityMultipliers[0] - 5e6) <= 1e-6)
  }

  /// A fixed variable (l = u) and an empty box (l > u).
  @Test func fixedVariableAndEmptyBox() {
    let qp = QuadraticProgram(
      hessian: .identity(2), gradient: [-3, -3], lower: [1, 0], upper: [1, 2])
    let s = qp.solve()
    #expect(s.status == .optimal)
    #expect((s.x - [1, 2]).normInfinity <= 1e-14)
    // ∇q = (1 − 3, 2 − 3) = (−2, −1) = λₗ − λᵤ.
    #expect(abs(s.upperBoundMultipliers[0] - s.lowerBoundMultipliers[0] - 2) <= 1e-12)
    #expect(abs(s.upperBoundMultipliers[1] - 1) <= 1e-12)
    let empty = QuadraticProgram(hessian: .identity(1), gradient: [0], lower: [1], upper: [0])
    #expect(empty.solve().status == .infeasible)
  }

  /// Non-finite data is reported, not trapped.
  @Test func nonFiniteData() {
    let qp = QuadraticProgram(hessian: .identity(1), gradient: [.nan])
    #expect(qp.solve().status == .numericalFailure)
  }
}

extension QuadraticProgramTests {
  /// The iteration limit is honoured (Example 16.4 needs more than one iteration from 0).
  @Test func iterationLimit() {
    let s = ActiveSetQPSolver(maxIterations: 1).solve(Self.example164, from: [2, 0])
    #expect(s.status == .iterationLimit)
    #expect(s.totalIterations <= 2)
  }
}
