/// Counts and timings of one solve.
public struct SolverStatistics: Sendable, Hashable, Codable {
  /// Iterations taken (accepted or rejected steps of the outer loop).
  public var iterations = 0
  /// Objective, gradient, Hessian-vector product and Hessian evaluations.
  public var evaluations = EvaluationCounts()
  /// Total inner Krylov (CG/Lanczos) iterations.
  public var cgIterations = 0
  /// How many times negative curvature was detected.
  public var negativeCurvatureEvents = 0
  /// Trust-region steps rejected by the ratio test.
  public var rejectedSteps = 0
  /// Evaluations spent inside line searches.
  public var lineSearchEvaluations = 0
  /// Wall-clock seconds.
  public var seconds = 0.0
  /// The smallest curvature the last second-order probe found: the smallest Ritz value θ₁ of a
  /// Lanczos probe, or the smallest eigenvalue of the dense Hessian (nil when no probe ran; the
  /// first-order methods never probe).
  public var probedCurvature: Double?
  /// The iteration at whose point that probe ran (nil when no probe ran).
  public var probedIteration: Int?
  /// The power of two c by which the solve multiplied the objective, when it did (see
  /// ``Oracle/scaleOutputs(forGradientNorm:)``): the methods worked on c·f. Nil for a gradient
  /// of ordinary size at the start. Every value, gradient and curvature reported is the user's.
  public var objectiveScale: Double?

  /// Zero statistics.
  public init() {}

  /// Gradient evaluations plus Hessian-vector products (the work measure compared with SciPy).
  public var gradientAndCurvatureEvaluations: Int {
    evaluations.gradients + evaluations.hessianVectorProducts
  }
}
