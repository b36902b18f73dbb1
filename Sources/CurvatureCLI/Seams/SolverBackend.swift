import Curvature
import CurvatureProblems

/// Settings of one solve, as given on the command line.
public struct SolveSettings: Sendable, Hashable {
  /// The gradient tolerance: stop when ‖∇f(x)‖∞ ≤ this (the peers use 10⁻⁶).
  public var gradientTolerance: Double
  /// The iteration limit.
  public var maxIterations: Int
  /// Whether the solver should report its progress (one line per iteration) and a full report.
  public var verbose: Bool
  /// Whether to record the value and gradient norm of every iterate through the solver's
  /// observer (``SolveOutcome/trace``), for convergence curves. Benchmarks time runs without it.
  public var recordsIterations: Bool

  /// Settings.
  public init(
    gradientTolerance: Double = 1e-6, maxIterations: Int = 1000, verbose: Bool = false,
    recordsIterations: Bool = false
  ) {
    self.gradientTolerance = gradientTolerance
    self.maxIterations = maxIterations
    self.verbose = verbose
    self.recordsIterations = recordsIterations
  }
}

/// What the tool needs to know about one finished solve.
public struct SolveOutcome: Sendable {
  /// The final point.
  public var x: Vector
  /// f at the final point.
  public var value: Double
  /// The reason the solver stopped, in words (e.g. "converged: gradient tolerance").
  public var termination: String
  /// Whether the solver itself considers the run successful.
  public var converged: Bool
  /// Iterations.
  public var iterations: Int
  /// Oracle calls.
  public var counts: EvaluationCounts
  /// Wall-clock seconds spent in the solver.
  public var seconds: Double
  /// The solver's own human report, printed with `--verbose`.
  public var report: String?
  /// The iterates' values and gradient norms, when ``SolveSettings/recordsIterations`` was set.
  public var trace: [IterationPoint]

  /// An outcome.
  public init(
    x: Vector, value: Double, termination: String, converged: Bool, iterations: Int,
    counts: EvaluationCounts, seconds: Double, report: String? = nil, trace: [IterationPoint] = []
  ) {
    self.trace = trace
    self.x = x
    self.value = value
    self.termination = termination
    self.converged = converged
    self.iterations = iterations
    self.counts = counts
    self.seconds = seconds
    self.report = report
  }
}

/// The bridge between the tool and the solvers: which methods exist, which problems each applies
/// to, and how to run one.
///
/// The tool never calls a solver directly, so the commands can be tested with a stub backend and
/// the real one (``SolverBackend/builtIn``) wraps `minimize`.
public struct SolverBackend: Sendable {
  /// The method names this backend offers, in the order benchmarks run them.
  public var methods: [String]
  /// Whether `method` applies to `problem` (e.g. `lm` needs residuals, dense methods a small n);
  /// `nil` when the method applies, otherwise the reason it does not.
  public var inapplicability: @Sendable (_ method: String, _ problem: TestProblem) -> String?
  /// Runs `method` on `problem` from its standard starting point.
  public var solve:
    @Sendable (_ problem: TestProblem, _ method: String, _ settings: SolveSettings) -> SolveOutcome

  /// A backend.
  public init(
    methods: [String],
    inapplicability: @escaping @Sendable (String, TestProblem) -> String? = { _, _ in nil },
    solve: @escaping @Sendable (TestProblem, String, SolveSettings) -> SolveOutcome
  ) {
    self.methods = methods
    self.inapplicability = inapplicability
    self.solve = solve
  }
}
