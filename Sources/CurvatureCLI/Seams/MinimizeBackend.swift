import Curvature
import CurvatureProblems

extension SolverBackend {
  /// A method the tool can run: its command-line name and a factory, either for `minimize` or
  /// for `leastSquares` (which needs a sum-of-squares problem).
  public struct MinimizeMethod: Sendable {
    /// The two entry points.
    public enum Factory: Sendable {
      /// A method of `minimize`.
      case minimize(@Sendable () -> any MinimizationMethod)
      /// A method of `leastSquares`, run on the problem's residuals.
      case leastSquares(@Sendable () -> any LeastSquaresMethod)
    }

    /// The command-line name (`newton-cg`, `lbfgs`, ...).
    public var name: String
    /// Creates the method with its default options.
    public var factory: Factory

    /// A method of `minimize`.
    public init(_ name: String, _ make: @escaping @Sendable () -> any MinimizationMethod) {
      self.name = name
      self.factory = .minimize(make)
    }

    /// A method of `leastSquares`.
    public static func leastSquares(
      _ name: String, _ make: @escaping @Sendable () -> any LeastSquaresMethod
    ) -> MinimizeMethod {
      var m = MinimizeMethod(name) { preconditionFailure("unreachable") }
      m.factory = .leastSquares(make)
      return m
    }
  }

  /// Largest n for the dense methods (`trust-exact`, `bfgs`), as in the peer harness.
  public static let denseDimensionLimit = 1000

  /// Why `method` does not apply to `problem` under the peer harness's rules, or nil: the dense
  /// methods need n ≤ 1000; `lm` needs a sum-of-squares problem and, being dense too, is not
  /// run on the large collection (the peers run it on the MGH problems only) nor above n = 1000;
  /// `lbfgs-single` differs from `lbfgs` only where L-BFGS uses its compact form (n ≥ 4096).
  public static func standardInapplicability(method: String, problem: TestProblem) -> String? {
    switch method {
    case "trust-exact", "bfgs":
      return problem.dimension > denseDimensionLimit
        ? "a dense method, used for n ≤ \(denseDimensionLimit) only (n = \(problem.dimension))"
        : nil
    case "lm":
      return leastSquaresInapplicability(problem: problem)
    case "lbfgs-single":
      let compact = LBFGS().compactMinimumDimension
      return problem.dimension < compact
        ? "its single-precision history is the compact form's, used for n ≥ \(compact) (n = \(problem.dimension))"
        : nil
    default:
      return nil
    }
  }

  /// Why a least-squares method does not apply to `problem`, or nil: it needs the residual form,
  /// and is run on the small (MGH) problems only, as by the peers, with n ≤ 1000.
  public static func leastSquaresInapplicability(problem: TestProblem) -> String? {
    if problem.residuals == nil { return "needs a sum-of-squares problem (residuals)" }
    if problem.collection == "large" {
      return "a least-squares method, run on the small (MGH) problems only, as by the peers"
    }
    return problem.dimension > denseDimensionLimit
      ? "a dense method, used for n ≤ \(denseDimensionLimit) only (n = \(problem.dimension))"
      : nil
  }

  /// A backend running the given methods through
  /// `minimize(problem.objective, from: problem.startingPoint, using:options:)`, with
  /// `--tolerance` as the gradient tolerance ‖∇f‖∞, `--max-iterations` as the iteration limit and
  /// `--verbose` as the per-iteration verbosity, and the solver's observer recording the iterates
  /// when ``SolveSettings/recordsIterations`` is set. Every least-squares method needs the
  /// problem's residuals (``leastSquaresInapplicability(problem:)``). Least-squares methods run
  /// `leastSquares(problem.residuals, ...)` with the gradient tolerance halved (the cost there is
  /// ½Σrᵢ², whose gradient is half that of f = Σrᵢ²) and `ftol` = `xtol` = 10⁻¹², as the peers
  /// run MINPACK.
  public static func minimizing(_ methods: [MinimizeMethod]) -> SolverBackend {
    SolverBackend(
      methods: methods.map(\.name),
      inapplicability: { name, problem in
        if let entry = methods.first(where: { $0.name == name }),
          case .leastSquares = entry.factory
        {
          return leastSquaresInapplicability(problem: problem)
        }
        return standardInapplicability(method: name, problem: problem)
      },
      solve: { problem, name, settings in
        guard let entry = methods.first(where: { $0.name == name }) else {
          preconditionFailure("unknown method \(name); valid: \(methods.map(\.name))")
        }
        let verbosity: Verbosity = settings.verbose ? .iterations : .silent
        switch entry.factory {
        case .minimize(let make):
          let options = MinimizeOptions(
            gradientTolerance: settings.gradientTolerance, maxIterations: settings.maxIterations,
            verbosity: verbosity)
          let recorder = settings.recordsIterations ? IterationRecorder() : nil
          let s = minimize(
            problem.objective, from: problem.startingPoint, using: make(), options: options,
            observer: recorder?.observer)
          return SolveOutcome(
            x: s.x, value: s.value, termination: s.termination.rawValue, converged: s.isSuccess,
            iterations: s.statistics.iterations, counts: s.statistics.evaluations,
            // With verbosity `.iterations` the solver prints its table and full report itself;
            // otherwise nobody reads a report, and formatting one (10-20 µs, a sizeable part
            // of a small solve) would be timed by the benchmarks for nothing.
            seconds: s.statistics.seconds, report: nil, trace: recorder?.points ?? [])
        case .leastSquares(let make):
          guard let residuals = problem.residuals else {
            preconditionFailure("\(name) needs residuals; \(problem.name) has none")
          }
          let options = LeastSquaresOptions(
            functionTolerance: 1e-12, stepTolerance: 1e-12,
            gradientTolerance: settings.gradientTolerance / 2,
            maxIterations: settings.maxIterations, verbosity: verbosity)
          // The solvers report the cost ½‖r‖² and its gradient; the curves use f = ‖r‖².
          let recorder = settings.recordsIterations ? IterationRecorder(scale: 2) : nil
          let s = leastSquares(
            residuals, from: problem.startingPoint, using: make(), options: options,
            observer: recorder?.observer)
          return SolveOutcome(
            x: s.x, value: s.sumOfSquares, termination: s.termination.rawValue,
            converged: s.isSuccess, iterations: s.statistics.iterations,
            counts: s.statistics.evaluations, seconds: s.statistics.seconds, report: nil,
            trace: recorder?.points ?? [])
        }
      })
  }
}
