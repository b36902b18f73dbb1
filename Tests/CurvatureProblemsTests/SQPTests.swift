import Curvature
import CurvatureProblems
import RealModule
import Testing

@Suite("SQP")
struct SQPTests {
  static let names = HockSchittkowski.all.map(\.name)

  /// Every Hock-Schittkowski problem is solved to its published optimum with small KKT residuals.
  @Test(
    "Hock-Schittkowski problems", arguments: names, SQP.HessianApproximation.allCases)
  func hockSchittkowski(name: String, hessian: SQP.HessianApproximation) throws {
    let problem = try #require(HockSchittkowski.named(name))
    let s = minimize(
      problem.objective, from: problem.startingPoint, subjectTo: problem.constraints,
      bounds: problem.bounds, using: .sqp(hessian: hessian))
    #expect(s.termination == .residualTolerance, "\(s.briefReport)")
    let fStar = problem.optimalValue
    if fStar == 0 {
      #expect(abs(s.value) <= 1e-6, "\(s.briefReport)")
    } else {
      #expect(abs(s.value - fStar) <= 1e-4 * max(1, abs(fStar)), "\(s.briefReport)")
    }
    #expect(s.residuals.maximum <= 1e-6)
    #expect(problem.violation(at: s.x) <= 1e-6)
  }
}

extension SQPTests {
  static func objective(
    _ n: Int, _ f: @escaping @Sendable (Vector) -> Double,
    _ g: @escaping @Sendable (Vector) -> Vector
  ) -> FunctionObjective {
    FunctionObjective(
      dimension: n, value: f,
      gradient: { x, out in
        out = g(x)
        return f(x)
      })
  }

  /// x₁ ≥ 1 and −x₁ ≥ 0 cannot both hold: the solve ends `.infeasible` at a point of least ℓ₁
  /// violation (x₁ ∈ [0, 1], where (1 − x₁)⁺ + x₁⁺ = 1), reporting its violation.
  @Test func infeasibleProblem() {
    let f = Self.objective(2, { x in (x[0] - 0.3) * (x[0] - 0.3) + x[1] * x[1] }) { x in
      [2 * (x[0] - 0.3), 2 * x[1]]
    }
    let c = FunctionConstraints(
      dimension: 2, inequalityCount: 2, inequalities: { x in [x[0] - 1, -x[0]] },
      inequalityJacobian: { _ in Matrix([[1, 0], [-1, 0]]) })
    let s = minimize(f, from: [3, 1], subjectTo: c)
    #expect(s.termination == .infeasible)
    #expect(s.x[0] >= -1e-8 && s.x[0] <= 1 + 1e-8)
    let l1 = max(0, 1 - s.x[0]) + max(0, s.x[0])
    #expect(abs(l1 - 1) <= 1e-8)
    #expect(s.violation >= 0.5 - 1e-8 && s.violation <= 1 + 1e-8)
    #expect(abs(s.violation - max(1 - s.x[0], s.x[0])) <= 1e-12)
    #expect(s.statistics.elasticIterations > 0)
  }

  /// c(x) = x₁² − 1 = 0 linearizes to 0·p = 1 at x₁ = 0 (inconsistent), yet the problem
  /// min (x₁ − 2)² + x₂² is feasible with minimizer (1, 0), f* = 1: elastic mode takes the first
  /// step and the solve converges.
  @Test("elastic mode", arguments: SQP.HessianApproximation.allCases)
  func elasticMode(hessian: SQP.HessianApproximation) {
    let f = Self.objective(2, { x in (x[0] - 2) * (x[0] - 2) + x[1] * x[1] }) { x in
      [2 * (x[0] - 2), 2 * x[1]]
    }
    let c = FunctionConstraints(
      dimension: 2, equalityCount: 1, equalities: { x in [x[0] * x[0] - 1] },
      equalityJacobian: { x in Matrix([[2 * x[0], 0]]) })
    let s = minimize(f, from: [0, 1], subjectTo: c, using: .sqp(hessian: hessian))
    #expect(s.termination == .residualTolerance, "\(s.briefReport)")
    #expect(s.statistics.elasticIterations >= 1)
    #expect(abs(s.value - 1) <= 1e-8)
    #expect((s.x - [1, 0]).normInfinity <= 1e-6)
    #expect(abs(s.multipliers.equality[0] - (-1)) <= 1e-5)  // ∇f = λ∇c: −2 = λ·2
  }

  /// Nocedal & Wright Example 15.4 (the Maratos effect): min 2(x₁² + x₂² − 1) − x₁ s.t.
  /// x₁² + x₂² = 1, x* = (1, 0), λ* = 3/2, from a feasible point near x*. The full SQP step
  /// increases the ℓ₁ merit function; the second-order correction is accepted instead.
  static func maratos(secondOrderCorrection: Bool) -> ConstrainedSolution {
    let f = objective(2, { x in 2 * (x[0] * x[0] + x[1] * x[1] - 1) - x[0] }) { x in
      [4 * x[0] - 1, 4 * x[1]]
    }
    let c = FunctionConstraints(
      dimension: 2, equalityCount: 1, equalities: { x in [x[0] * x[0] + x[1] * x[1] - 1] },
      equalityJacobian: { x in Matrix([[2 * x[0], 2 * x[1]]]) })
    let theta = 0.3
    return minimize(
      f, from: [Double.cos(theta), Double.sin(theta)], subjectTo: c,
      using: .sqp(hessian: .exact, secondOrderCorrection: secondOrderCorrection))
  }

  @Test func maratosEffect() {
    let with = Self.maratos(secondOrderCorrection: true)
    let without = Self.maratos(secondOrderCorrection: false)
    for s in [with, without] {
      #expect(s.termination == .residualTolerance, "\(s.briefReport)")
      #expect((s.x - [1, 0]).normInfinity <= 1e-6)
      #expect(abs(s.multipliers.equality[0] - 1.5) <= 1e-5)
    }
    #expect(with.statistics.acceptedSecondOrderCorrections >= 1)
    #expect(without.statistics.backtracks > with.statistics.backtracks)
    #expect(with.statistics.iterations <= without.statistics.iterations)
  }

  /// Mismatched sizes end with `.invalidProblem` before any evaluation.
  @Test func invalidDimensions() throws {
    let p = try #require(HockSchittkowski.named("hs071"))
    let wrongStart = minimize(
      p.objective, from: [1, 2, 3], subjectTo: p.constraints, bounds: p.bounds)
    #expect(wrongStart.termination == .invalidProblem)
    #expect(wrongStart.statistics.evaluations.gradients == 0)
    #expect(wrongStart.statistics.constraintEvaluations == 0)
    let wrongBounds = minimize(
      p.objective, from: p.startingPoint, subjectTo: p.constraints, bounds: .unbounded(3))
    #expect(wrongBounds.termination == .invalidProblem)
    let c = FunctionConstraints(
      dimension: 3, equalityCount: 1, equalities: { _ in [0] },
      equalityJacobian: { _ in Matrix(rows: 1, columns: 3) })
    let wrongConstraints = minimize(p.objective, from: p.startingPoint, subjectTo: c)
    #expect(wrongConstraints.termination == .invalidProblem)
    #expect(wrongConstraints.statistics.evaluations.gradients == 0)
    let nonFinite = minimize(
      p.objective, from: [1, .nan, 1, 1], subjectTo: p.constraints, bounds: p.bounds)
    #expect(nonFinite.termination == .nonFiniteStartingPoint)
  }

  /// A start outside the bounds is projected (and the note says so); HS71 from (0, 6, 6, 0).
  @Test func projectedStart() throws {
    let p = try #require(HockSchittkowski.named("hs071"))
    let s = minimize(p.objective, from: [0, 6, 6, 0], subjectTo: p.constraints, bounds: p.bounds)
    #expect(s.termination == .residualTolerance)
    #expect(s.note?.contains("projected") == true)
    #expect(abs(s.value - p.optimalValue) <= 1e-4 * p.optimalValue)
    #expect(p.bounds.contains(s.x))
  }

  /// The multipliers of HS35 agree with the KKT system solved by hand: at x* = (4/3, 7/9, 4/9)
  /// only 3 − x₁ − x₂ − 2x₃ ≥ 0 is active, with ∇f(x*) = −λ(1, 1, 2), λ = 2/9.
  @Test func hs035Multiplier() throws {
    let p = try #require(HockSchittkowski.named("hs035"))
    let s = minimize(p.objective, from: p.startingPoint, subjectTo: p.constraints, bounds: p.bounds)
    #expect(abs(s.multipliers.inequality[0] - 2.0 / 9.0) <= 1e-6)
    #expect(s.multipliers.lowerBound.normInfinity <= 1e-8)
  }

  @Test func reports() throws {
    let p = try #require(HockSchittkowski.named("hs071"))
    let s = minimize(p.objective, from: p.startingPoint, subjectTo: p.constraints, bounds: p.bounds)
    #expect(s.briefReport.hasPrefix("SQP: success"))
    #expect(s.fullReport.contains("QP iterations"))
    #expect(s.message.contains("KKT"))
  }
}

extension SQPTests {
  static let rosenbrock = objective(
    2, { x in (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) }
  ) { x in
    [-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]), 200 * (x[1] - x[0] * x[0])]
  }

  static let noConstraints = FunctionConstraints(dimension: 2)

  /// Bounds only: Rosenbrock with x₁ ≤ 1/2 has x* = (1/2, 1/4), f* = 1/4 and upper-bound
  /// multiplier λᵤ = −∂f/∂x₁ = 1.
  @Test func boundConstrainedRosenbrock() throws {
    let bounds = try Bounds(lower: [-.infinity, -.infinity], upper: [0.5, .infinity])
    let s = minimize(
      Self.rosenbrock, from: [-1.2, 1], subjectTo: Self.noConstraints, bounds: bounds)
    #expect(s.termination == .residualTolerance, "\(s.briefReport)")
    #expect((s.x - [0.5, 0.25]).normInfinity <= 1e-6)
    #expect(abs(s.multipliers.upperBound[0] - 1) <= 1e-5)
  }

  /// No constraints at all: SQP reduces to damped BFGS with a line search on f.
  @Test func unconstrainedRosenbrock() {
    let s = minimize(Self.rosenbrock, from: [-1.2, 1], subjectTo: Self.noConstraints)
    #expect(s.termination == .residualTolerance, "\(s.briefReport)")
    #expect((s.x - [1, 1]).normInfinity <= 1e-5)
  }

  /// An objective that is NaN beyond x₁ > 2; the first QP step from 0 (with B = I) is p = (8, 0),
  /// into that region: the line search backtracks into the finite region and the solve converges
  /// to (1, 0).
  @Test func nonFiniteRegionIsAvoided() {
    let f = Self.objective(
      2, { x in x[0] > 2 ? .nan : 4 * (x[0] - 1) * (x[0] - 1) + x[1] * x[1] }
    ) { x in x[0] > 2 ? [.nan, .nan] : [8 * (x[0] - 1), 2 * x[1]] }
    let c = FunctionConstraints(
      dimension: 2, inequalityCount: 1, inequalities: { x in [10 - x[0]] },
      inequalityJacobian: { _ in Matrix([[-1, 0]]) })
    let s = minimize(f, from: [0, 0], subjectTo: c)
    #expect(s.termination == .residualTolerance, "\(s.briefReport)")
    #expect((s.x - [1, 0]).normInfinity <= 1e-6)
    #expect(s.statistics.backtracks >= 2)
  }

  /// Limits end the solve with the matching termination and a finite point.
  @Test func limits() throws {
    let p = try #require(HockSchittkowski.named("hs100"))
    let byIterations = minimize(
      p.objective, from: p.startingPoint, subjectTo: p.constraints, bounds: p.bounds,
      options: MinimizeOptions(maxIterations: 2))
    #expect(byIterations.termination == .iterationLimit)
    #expect(byIterations.statistics.iterations == 2)
    let zero = minimize(
      p.objective, from: p.startingPoint, subjectTo: p.constraints, bounds: p.bounds,
      options: MinimizeOptions(maxIterations: 0))
    #expect(zero.termination == .iterationLimit)
    #expect(zero.x == p.startingPoint)
    let byEvaluations = minimize(
      p.objective, from: p.startingPoint, subjectTo: p.constraints, bounds: p.bounds,
      options: MinimizeOptions(maxEvaluations: 5))
    #expect(byEvaluations.termination == .evaluationLimit)
    #expect(byEvaluations.value.isFinite)
  }
}

extension SQPTests {
  /// The observer sees iterations 0, 1, … and can stop the solve.
  @Test func observerStops() throws {
    let p = try #require(HockSchittkowski.named("hs100"))
    let seen = Recorder()
    let s = minimize(
      p.objective, from: p.startingPoint, subjectTo: p.constraints, bounds: p.bounds,
      observer: { summary in
        seen.append(summary.iteration)
        return summary.iteration >= 3 ? .stop : .continue
      })
    #expect(s.termination == .stoppedByObserver)
    #expect(seen.values == [0, 1, 2, 3])
    #expect(s.statistics.iterations == 3)
  }
}

/// A list of integers filled by an observer.
final class Recorder {
  private(set) var values: [Int] = []
  func append(_ v: Int) { values.append(v) }
}

/// HS28's constraint x₁ + 2x₂ + 3x₃ = 1 as a custom `ConstraintFunctions` type.
struct PlaneConstraint: ConstraintFunctions {
  var dimension: Int { 3 }
  var equalityCount: Int { 1 }
  var inequalityCount: Int { 0 }
  func equalities(at x: Vector) -> Vector { [x[0] + 2 * x[1] + 3 * x[2] - 1] }
  func inequalities(at x: Vector) -> Vector { [] }
  func equalityJacobian(at x: Vector) -> Matrix { Matrix([[1, 2, 3]]) }
  func inequalityJacobian(at x: Vector) -> Matrix { Matrix(rows: 0, columns: 3) }
}

extension SQPTests {
  /// Any `ConstraintFunctions` type works, and `requireSuccess` passes a converged solution and
  /// throws for a failed one.
  @Test func customConstraintType() throws {
    let p = try #require(HockSchittkowski.named("hs028"))
    let s = try minimize(p.objective, from: p.startingPoint, subjectTo: PlaneConstraint())
      .requireSuccess()
    #expect((s.x - [0.5, -0.5, 0.5]).normInfinity <= 1e-6)
    let stopped = minimize(
      p.objective, from: p.startingPoint, subjectTo: PlaneConstraint(),
      options: MinimizeOptions(maxIterations: 1))
    #expect(throws: ConstrainedSolveFailure.self) { try stopped.requireSuccess() }
  }
}
