/// Options of ``leastSquares(_:from:using:options:observer:)``, named after SciPy's
/// `least_squares` (`ftol`, `xtol`, `gtol`, all 10⁻⁸ by default).
///
/// With cost F(x) = ½‖r(x)‖², gradient g = J(x)ᵀr(x) and a trial step p, the tests are:
///
/// - **gtol** (``Termination/gradientTolerance``): ‖g‖∞ ≤ `gradientTolerance` (SciPy's definition
///   for its `trf` method), or r(x) = 0 exactly.
/// - **ftol** (``Termination/functionTolerance``): for dense Levenberg-Marquardt, the test of
///   MINPACK's `lmder` (Moré 1978): the actual and predicted relative reductions of ‖r‖² both fall
///   below `functionTolerance` and their ratio is at most 2,
///
///       |1 − ‖r(x+p)‖²/‖r(x)‖²| ≤ ftol,  (‖Jp‖² + 2λ‖Dp‖²)/‖r‖² ≤ ftol,  ρ ≤ 2;
///
///   for the other methods, an accepted step reduced the cost by at most `functionTolerance`·F(x)
///   (SciPy's `dF < ftol·F`), counted only for full Gauss-Newton steps (α = 1 for Gauss-Newton,
///   the unconstrained model minimizer for dogleg) and, for matrix-free Levenberg-Marquardt, with
///   ρ > ¼ as in SciPy's `trf`.
/// - **xtol** (``Termination/stepTolerance``): for dense Levenberg-Marquardt, the radius of the
///   scaled trust region fell to Δ ≤ `stepTolerance`·‖Dx‖ (MINPACK); for the other methods the
///   step satisfies ‖p‖₂ ≤ `stepTolerance`·(`stepTolerance` + ‖x‖₂) (SciPy; for Gauss-Newton p is
///   the full step before the line search).
///
/// A tolerance of 0 disables its test. The limits count outer iterations (one trial step each,
/// accepted or rejected) and residual evaluations r(x).
public struct LeastSquaresOptions: Sendable, Hashable, Codable {
  /// `ftol`, the relative reduction test (default 10⁻⁸).
  public var functionTolerance: Double = 1e-8
  /// `xtol`, the step test (default 10⁻⁸).
  public var stepTolerance: Double = 1e-8
  /// `gtol`, the gradient test ‖Jᵀr‖∞ ≤ gtol (default 10⁻⁸).
  public var gradientTolerance: Double = 1e-8
  /// The largest number of iterations (trial steps); 0 returns the evaluated starting point.
  public var maxIterations: Int = 1000
  /// The largest number of residual evaluations r(x).
  public var maxEvaluations: Int = 10_000
  /// What to print.
  public var verbosity: Verbosity = .silent
  /// Whether to record a per-iteration history in the solution.
  public var recordHistory: Bool = false

  /// Options with the given tolerances and limits.
  public init(
    functionTolerance: Double = 1e-8, stepTolerance: Double = 1e-8,
    gradientTolerance: Double = 1e-8, maxIterations: Int = 1000, maxEvaluations: Int = 10_000,
    verbosity: Verbosity = .silent, recordHistory: Bool = false
  ) {
    self.functionTolerance = functionTolerance
    self.stepTolerance = stepTolerance
    self.gradientTolerance = gradientTolerance
    self.maxIterations = maxIterations
    self.maxEvaluations = maxEvaluations
    self.verbosity = verbosity
    self.recordHistory = recordHistory
  }
}
