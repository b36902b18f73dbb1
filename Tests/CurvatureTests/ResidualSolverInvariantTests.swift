import Testing

@testable import Curvature

/// A call counter shared with residual closures (each test runs its cases on one thread).
private final class EvaluationCounter: @unchecked Sendable {
  var calls = 0
}

/// Awkward square residual systems, for least squares and root finding alike (n = m = 2).
struct AwkwardResiduals: CustomStringConvertible, Sendable {
  var name: String
  var make: @Sendable () -> FunctionResiduals
  var x0: Vector
  /// Whether a reported success is impossible (the residuals overflow, or turn NaN before any
  /// method could converge).
  var successImpossible: Bool
  var description: String { name }

  /// Rosenbrock's residuals s·(10(x₂ − x₁²), 1 − x₁), the second one NaN from the k-th
  /// evaluation on when `failAfter` is set, with a Jacobian scaled by `model`.
  static func rosenbrock(
    _ name: String, scale s: Double = 1, model: Double = 1, failAfter: Int? = nil,
    successImpossible: Bool = false
  ) -> AwkwardResiduals {
    AwkwardResiduals(
      name: name,
      make: {
        let counter = EvaluationCounter()
        return FunctionResiduals(
          dimension: 2, residualCount: 2,
          residuals: { x, r in
            counter.calls += 1
            r[0] = s * 10 * (x[1] - x[0] * x[0])
            r[1] = failAfter.map { counter.calls > $0 } == true ? .nan : s * (1 - x[0])
          },
          jacobian: { x in Matrix([[model * s * -20 * x[0], model * s * 10], [-model * s, 0]]) })
      }, x0: [-1.2, 1], successImpossible: successImpossible)
  }

  static let all: [AwkwardResiduals] = [
    rosenbrock("plain"),
    rosenbrock("scaled 1e150", scale: 1e150),
    rosenbrock("scaled 1e300", scale: 1e300, successImpossible: true),
    rosenbrock("scaled 1e-150", scale: 1e-150),
    rosenbrock("Jacobian 1e10 too large", model: 1e10),
    rosenbrock("Jacobian of the wrong sign", model: -1),
    rosenbrock("NaN after 3 evaluations", failAfter: 3, successImpossible: true),
    AwkwardResiduals(
      name: "no root (x² + 1)",
      make: {
        FunctionResiduals(
          dimension: 2, residualCount: 2,
          residuals: { x, r in
            r[0] = x[0] * x[0] + 1
            r[1] = x[1]
          }, jacobian: { x in Matrix([[2 * x[0], 0], [0, 1]]) })
      }, x0: [3, 1], successImpossible: false),
  ]
}

/// Invariants every least-squares method and root finder keeps on every awkward system: it ends
/// within its budget at a finite point, never reports success where none is possible, and a
/// reported success has a finite cost.
@Suite struct ResidualSolverInvariantTests {
  /// The checks both kinds share (a budget of 2,000 residuals, a line search may finish past it
  /// by a bounded amount; a finite point); returns the label for further expectations.
  static func check(
    _ problem: AwkwardResiduals, _ method: String, _ termination: Termination,
    _ statistics: SolverStatistics, _ x: Vector
  ) -> String {
    let label = "\(problem) / \(method): \(termination)"
    #expect(statistics.evaluations.residuals <= 2_000 + 100, "\(label)")
    #expect(x.isFinite, "\(label)")
    return label
  }

  @Test(arguments: AwkwardResiduals.all)
  func leastSquaresEndHonestly(problem: AwkwardResiduals) {
    let methods: [any LeastSquaresMethod] = [
      .levenbergMarquardt(), .levenbergMarquardt(.matrixFree), .gaussNewton(), .dogleg(),
    ]
    for method in methods {
      let s = leastSquares(
        problem.make(), from: problem.x0, using: method,
        options: LeastSquaresOptions(maxIterations: 500, maxEvaluations: 2_000))
      let label = Self.check(problem, s.method, s.termination, s.statistics, s.x)
      if s.isSuccess { #expect(s.cost.isFinite, "\(label)") }
      if problem.successImpossible { #expect(!s.isSuccess, "\(label)") }
    }
  }

  @Test(arguments: AwkwardResiduals.all)
  func rootFindersEndHonestly(problem: AwkwardResiduals) {
    let methods: [any RootFindingMethod] = [.hybrid(), .newton(), .broyden()]
    for method in methods {
      let s = findRoot(
        problem.make(), from: problem.x0, using: method,
        options: RootFindingOptions(maxIterations: 500, maxEvaluations: 2_000))
      let label = Self.check(problem, s.method, s.termination, s.statistics, s.x)
      // A reported root has residuals below the tolerance, recomputed here.
      if s.termination == .residualTolerance {
        var r = Vector.zeros(2)
        problem.make().residuals(at: s.x, into: &r)
        #expect(r.normInfinity <= RootFindingOptions().residualTolerance, "\(label)")
      }
      if problem.successImpossible { #expect(s.termination != .residualTolerance, "\(label)") }
    }
  }
}
