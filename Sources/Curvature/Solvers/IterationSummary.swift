/// What a solver reports to the observer after each iteration.
public struct IterationSummary: Sendable, Hashable, Codable {
  /// The iteration number (0 is the starting point).
  public var iteration: Int
  /// f(xₖ).
  public var value: Double
  /// ‖∇f(xₖ)‖∞.
  public var gradientNorm: Double
  /// ‖xₖ − xₖ₋₁‖₂ (0 at the start).
  public var stepNorm: Double
  /// The accepted line-search step length αₖ, when the method uses a line search.
  public var stepLength: Double?
  /// The trust-region radius Δₖ, when the method uses a trust region.
  public var radius: Double?
  /// Krylov (CG or Lanczos) iterations spent in this iteration.
  public var cgIterations: Int
  /// Whether negative curvature was met in this iteration.
  public var negativeCurvature: Bool
  /// Whether the step was accepted (trust-region methods may reject steps).
  public var accepted: Bool
  /// Evaluations so far.
  public var evaluations: EvaluationCounts
  /// Seconds since the solve started.
  public var seconds: Double

  /// Creates a summary.
  public init(
    iteration: Int, value: Double, gradientNorm: Double, stepNorm: Double = 0,
    stepLength: Double? = nil, radius: Double? = nil, cgIterations: Int = 0,
    negativeCurvature: Bool = false, accepted: Bool = true,
    evaluations: EvaluationCounts = EvaluationCounts(), seconds: Double = 0
  ) {
    self.iteration = iteration
    self.value = value
    self.gradientNorm = gradientNorm
    self.stepNorm = stepNorm
    self.stepLength = stepLength
    self.radius = radius
    self.cgIterations = cgIterations
    self.negativeCurvature = negativeCurvature
    self.accepted = accepted
    self.evaluations = evaluations
    self.seconds = seconds
  }
}

/// What the observer wants after an iteration.
public enum ObserverDecision: Sendable, Hashable {
  /// Go on.
  case `continue`
  /// Stop and return the current point (``Termination/stoppedByObserver``).
  case stop
  /// Abort (``Termination/abortedByObserver``).
  case abort
}

/// A callback run after every iteration.
public typealias Observer = (IterationSummary) -> ObserverDecision
