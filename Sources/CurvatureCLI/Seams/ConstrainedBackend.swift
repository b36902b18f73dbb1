import Curvature
import CurvatureProblems

/// What the tool needs to know about one finished constrained solve.
public struct ConstrainedOutcome: Sendable {
  /// The final point.
  public var x: Vector
  /// f at the final point.
  public var value: Double
  /// The reason the solver stopped, in words.
  public var termination: String
  /// Whether the solver itself considers the run successful.
  public var converged: Bool
  /// Iterations.
  public var iterations: Int
  /// Objective evaluations (values, gradients, Hessians).
  public var counts: EvaluationCounts
  /// Evaluations of the constraint values c(x).
  public var constraintEvaluations: Int
  /// Evaluations of the constraint Jacobians.
  public var jacobianEvaluations: Int
  /// The KKT residuals the solver reports at its final point with its multipliers
  /// (stationarity, feasibility, complementarity); nil for a method without multipliers.
  public var residuals: KKTResiduals?
  /// The iterates, when ``SolveSettings/recordsIterations`` was set.
  public var trace: [IterationPoint]

  /// An outcome.
  public init(
    x: Vector, value: Double, termination: String, converged: Bool, iterations: Int,
    counts: EvaluationCounts, constraintEvaluations: Int = 0, jacobianEvaluations: Int = 0,
    residuals: KKTResiduals? = nil, trace: [IterationPoint] = []
  ) {
    self.x = x
    self.value = value
    self.termination = termination
    self.converged = converged
    self.iterations = iterations
    self.counts = counts
    self.constraintEvaluations = constraintEvaluations
    self.jacobianEvaluations = jacobianEvaluations
    self.residuals = residuals
    self.trace = trace
  }
}

/// The constrained problems and solvers of `curvature bench --suite constrained`: which methods
/// exist, which problems each applies to, and how to run one. Like ``SolverBackend`` it keeps the
/// command independent of the solvers, so tests can substitute their own.
public struct ConstrainedBackend: Sendable {
  /// The method names, in the order benchmarks run them.
  public var methods: [String]
  /// The problem names, in listing order.
  public var problemNames: [String]
  /// Builds the named problem (nil for an unknown name).
  public var build: @Sendable (String) -> ConstrainedTestProblem?
  /// Why `method` does not apply to `problem` (e.g. a bound-constrained method on a problem with
  /// general constraints); nil when it applies.
  public var inapplicability:
    @Sendable (_ method: String, _ problem: ConstrainedTestProblem) -> String?
  /// Runs `method` on `problem` from its standard starting point.
  public var solve:
    @Sendable (_ problem: ConstrainedTestProblem, _ method: String, _ settings: SolveSettings) ->
      ConstrainedOutcome

  /// A backend.
  public init(
    methods: [String], problemNames: [String],
    build: @escaping @Sendable (String) -> ConstrainedTestProblem?,
    inapplicability: @escaping @Sendable (String, ConstrainedTestProblem) -> String? = { _, _ in nil
    },
    solve: @escaping @Sendable (ConstrainedTestProblem, String, SolveSettings) -> ConstrainedOutcome
  ) {
    self.methods = methods
    self.problemNames = problemNames
    self.build = build
    self.inapplicability = inapplicability
    self.solve = solve
  }
}

extension ConstrainedTestProblem {
  /// Whether the problem has bounds only (no equality or inequality constraints).
  var isBoundConstrainedOnly: Bool {
    constraints.equalityCount == 0 && constraints.inequalityCount == 0
  }
}

extension ConstrainedBackend {
  /// A method the tool can run on constrained problems: SQP, or a bound-constrained method
  /// (which needs a problem whose only constraints are bounds).
  public enum Method: Sendable {
    /// `minimize(f, from:, subjectTo:, bounds:, using: sqp)`.
    case sqp(SQP)
    /// `minimize(f, from:, bounds:, using: method)`.
    case bounded(@Sendable () -> any BoundConstrainedMethod)
  }

  /// A backend running the named methods on the given problems with `--tolerance` as the KKT
  /// tolerance (SQP) or the projected-gradient tolerance ‖P(x − ∇f) − x‖∞ (bound-constrained
  /// methods) and `--max-iterations` as the iteration limit; the solver's observer records the
  /// iterates when ``SolveSettings/recordsIterations`` is set (SQP reports f(xₖ) and the
  /// stationarity residual ‖∇ₓL‖∞, the bound-constrained methods f(xₖ) and the projected gradient
  /// norm).
  public static func running(
    _ methods: [(name: String, method: Method)], problems: [ConstrainedTestProblem]
  ) -> ConstrainedBackend {
    let table = methods.map { ($0.name, $0.method) }
    return ConstrainedBackend(
      methods: methods.map(\.name), problemNames: problems.map(\.name),
      build: { name in problems.first { $0.name == name } },
      inapplicability: { name, problem in
        guard let entry = table.first(where: { $0.0 == name }) else { return "unknown method" }
        if case .bounded = entry.1, !problem.isBoundConstrainedOnly {
          return "a bound-constrained method; \(problem.name) has general constraints"
        }
        return nil
      },
      solve: { problem, name, settings in
        guard let entry = table.first(where: { $0.0 == name }) else {
          preconditionFailure("unknown method \(name); valid: \(table.map(\.0))")
        }
        let options = MinimizeOptions(
          gradientTolerance: settings.gradientTolerance, maxIterations: settings.maxIterations,
          verbosity: settings.verbose ? .iterations : .silent)
        let recorder = settings.recordsIterations ? IterationRecorder() : nil
        switch entry.1 {
        case .sqp(let sqp):
          let s = minimize(
            problem.objective, from: problem.startingPoint, subjectTo: problem.constraints,
            bounds: problem.bounds, using: sqp, options: options, observer: recorder?.observer)
          return ConstrainedOutcome(
            x: s.x, value: s.value, termination: s.termination.rawValue, converged: s.isSuccess,
            iterations: s.statistics.iterations, counts: s.statistics.evaluations,
            constraintEvaluations: s.statistics.constraintEvaluations,
            jacobianEvaluations: s.statistics.jacobianEvaluations, residuals: s.residuals,
            trace: recorder?.points ?? [])
        case .bounded(let make):
          let s = minimize(
            problem.objective, from: problem.startingPoint, bounds: problem.bounds,
            using: make(), options: options, observer: recorder?.observer)
          return ConstrainedOutcome(
            x: s.x, value: s.value, termination: s.termination.rawValue, converged: s.isSuccess,
            iterations: s.statistics.iterations, counts: s.statistics.evaluations,
            trace: recorder?.points ?? [])
        }
      })
  }
}
