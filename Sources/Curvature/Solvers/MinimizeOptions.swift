/// How much a solver prints while it runs.
public enum Verbosity: Int, Sendable, Hashable, Codable, Comparable {
  /// Nothing.
  case silent = 0
  /// The brief report at the end.
  case summary = 1
  /// A per-iteration table (Ceres/IPOPT style) and the full report at the end.
  case iterations = 2

  public static func < (a: Verbosity, b: Verbosity) -> Bool { a.rawValue < b.rawValue }
}

/// Options shared by every `minimize` method. Defaults follow SciPy and Optimistix where they agree.
public struct MinimizeOptions: Sendable, Hashable, Codable {
  /// Stop when ‖∇f(x)‖∞ ≤ gradientTolerance (default 1e-6, as SciPy's `gtol`).
  public var gradientTolerance: Double = 1e-6
  /// Also stop with ``Termination/gradientTolerance`` when ‖∇f(x)‖∞ ≤
  /// relativeGradientTolerance·max(1, |f(x)|): a test that scales with f, as scikit-learn's
  /// and SciPy's relative `tol` users expect (0, the default, disables it).
  public var relativeGradientTolerance: Double = 0
  /// Stop with ``Termination/stagnated`` after this many iterations in a row in which both
  /// |fₖ₋₁ − fₖ| ≤ 10ε·max(|fₖ₋₁|, |fₖ|) and ‖xₖ − xₖ₋₁‖₂ ≤ 10ε·‖xₖ‖₂ (ε the machine epsilon):
  /// nothing changes beyond rounding any more (default 5; 0 disables the test).
  public var stagnationIterations: Int = 5
  /// Stop when |fₖ₋₁ − fₖ| ≤ functionTolerance·max(|fₖ₋₁|, |fₖ|, 1) (0 disables the test).
  public var functionTolerance: Double = 0
  /// Stop when ‖xₖ − xₖ₋₁‖₂ ≤ stepTolerance·(‖xₖ‖₂ + stepTolerance) (0 disables the test).
  public var stepTolerance: Double = 0
  /// The largest number of iterations (0 returns the evaluated starting point).
  public var maxIterations: Int = 1000
  /// The largest number of objective evaluations (values plus gradients).
  public var maxEvaluations: Int = 100_000
  /// A value below which the objective is declared unbounded below.
  public var unboundedValue: Double = -1e300
  /// Where Hessian-vector products come from.
  public var curvature: CurvatureSource = .automatic
  /// What to print.
  public var verbosity: Verbosity = .silent
  /// Whether to record a per-iteration history in the solution.
  public var recordHistory: Bool = false

  /// Default options.
  public init() {}

  /// Options with the most common settings changed.
  public init(
    gradientTolerance: Double = 1e-6, functionTolerance: Double = 0, stepTolerance: Double = 0,
    maxIterations: Int = 1000, maxEvaluations: Int = 100_000, verbosity: Verbosity = .silent,
    recordHistory: Bool = false
  ) {
    self.gradientTolerance = gradientTolerance
    self.functionTolerance = functionTolerance
    self.stepTolerance = stepTolerance
    self.maxIterations = maxIterations
    self.maxEvaluations = maxEvaluations
    self.verbosity = verbosity
    self.recordHistory = recordHistory
  }
}
