import Curvature
import CurvatureProblems

extension SolverBackend {
  /// A method the tool can run through `minimize`: its command-line name and a factory.
  public struct MinimizeMethod: Sendable {
    /// The command-line name (`newton-cg`, `lbfgs`, ...).
    public var name: String
    /// Creates the method with its default options.
    public var make: @Sendable () -> any MinimizationMethod

    /// A method entry.
    public init(_ name: String, _ make: @escaping @Sendable () -> any MinimizationMethod) {
      self.name = name
      self.make = make
    }
  }

  /// Largest n for the dense methods (`trust-exact`, `bfgs`), as in the peer harness.
  public static let denseDimensionLimit = 1000

  /// Why `method` does not apply to `problem` under the peer harness's rules, or nil: the dense
  /// methods need n ≤ 1000 and `lm` needs a sum-of-squares problem.
  public static func standardInapplicability(method: String, problem: TestProblem) -> String? {
    switch method {
    case "trust-exact", "bfgs":
      return problem.dimension > denseDimensionLimit
        ? "a dense method, used for n ≤ \(denseDimensionLimit) only (n = \(problem.dimension))"
        : nil
    case "lm":
      return problem.residuals == nil ? "needs a sum-of-squares problem (residuals)" : nil
    default:
      return nil
    }
  }

  /// A backend running the given methods through
  /// `minimize(problem.objective, from: problem.startingPoint, using:options:)`, with
  /// `--tolerance` as the gradient tolerance ‖∇f‖∞, `--max-iterations` as the iteration limit and
  /// `--verbose` as the per-iteration verbosity.
  public static func minimizing(_ methods: [MinimizeMethod]) -> SolverBackend {
    SolverBackend(
      methods: methods.map(\.name),
      inapplicability: { standardInapplicability(method: $0, problem: $1) },
      solve: { problem, name, settings in
        guard let entry = methods.first(where: { $0.name == name }) else {
          preconditionFailure("unknown method \(name); valid: \(methods.map(\.name))")
        }
        let options = MinimizeOptions(
          gradientTolerance: settings.gradientTolerance, maxIterations: settings.maxIterations,
          verbosity: settings.verbose ? .iterations : .silent)
        let s = minimize(
          problem.objective, from: problem.startingPoint, using: entry.make(), options: options)
        return SolveOutcome(
          x: s.x, value: s.value, termination: s.termination.rawValue, converged: s.isSuccess,
          iterations: s.statistics.iterations, counts: s.statistics.evaluations,
          seconds: s.statistics.seconds,
          // With verbosity `.iterations` the solver prints its table and full report itself.
          report: settings.verbose ? nil : s.fullReport)
      })
  }
}
