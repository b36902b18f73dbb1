/// Options of ``findRoot(_:from:using:options:observer:)``.
///
/// - A root is declared when ‖F(x)‖∞ ≤ `residualTolerance` (``Termination/residualTolerance``).
/// - A method that cannot make progress (its line search fails, its trust region collapses, its
///   steps fall below ‖p‖₂ ≤ `stepTolerance`·(`stepTolerance` + ‖x‖₂), or ‖F‖ stops decreasing)
///   checks whether x is a stationary point of ½‖F‖² that is not a root, with the scale-free
///   measure (the cosine between F and each column of J, as in MINPACK's gradient test)
///
///       maxⱼ |(J(x)ᵀF(x))ⱼ| / (‖J(x)eⱼ‖₂·‖F(x)‖₂) ≤ `stationarityTolerance`,
///
///   and then stops with ``Termination/stationaryNotRoot``. Otherwise the stalled iterate is
///   polished by dense Levenberg-Marquardt on ½‖F‖² (at most 200 iterations, counted in the
///   statistics): a root found there ends with ``Termination/residualTolerance``, convergence to
///   a point with F ≠ 0 with ``Termination/stationaryNotRoot`` at that point, anything else with
///   the reason the method stalled.
public struct RootFindingOptions: Sendable, Hashable, Codable {
  /// Root test ‖F(x)‖∞ ≤ residualTolerance (default 10⁻¹⁰).
  public var residualTolerance: Double = 1e-10
  /// Stall test on the step, ‖p‖₂ ≤ stepTolerance·(stepTolerance + ‖x‖₂) (default 10⁻¹⁴).
  public var stepTolerance: Double = 1e-14
  /// The stationarity measure below which a stalled iterate is declared a stationary point of
  /// ½‖F‖² that is not a root (default 10⁻⁶).
  public var stationarityTolerance: Double = 1e-6
  /// The largest number of iterations (0 returns the evaluated starting point).
  public var maxIterations: Int = 1000
  /// The largest number of evaluations of F.
  public var maxEvaluations: Int = 10_000
  /// What to print.
  public var verbosity: Verbosity = .silent
  /// Whether to record a per-iteration history in the solution.
  public var recordHistory: Bool = false

  /// Options with the given tolerances and limits.
  public init(
    residualTolerance: Double = 1e-10, stepTolerance: Double = 1e-14,
    stationarityTolerance: Double = 1e-6, maxIterations: Int = 1000,
    maxEvaluations: Int = 10_000, verbosity: Verbosity = .silent, recordHistory: Bool = false
  ) {
    self.residualTolerance = residualTolerance
    self.stepTolerance = stepTolerance
    self.stationarityTolerance = stationarityTolerance
    self.maxIterations = maxIterations
    self.maxEvaluations = maxEvaluations
    self.verbosity = verbosity
    self.recordHistory = recordHistory
  }
}
