/// One point of a training curve.
public struct TrainingRecord: Sendable, Hashable, Codable {
  /// The number of steps taken.
  public var step: Int
  /// Gradient-equivalent passes spent so far (``PassCost``).
  public var passes: Double
  /// Seconds spent in steps so far (monitoring excluded).
  public var seconds: Double
  /// The full-data loss f(xₖ).
  public var loss: Double
  /// Held-out metrics at xₖ (``TrainingOptions/evaluation``), empty when none were taken.
  public var metrics: [String: Double]

  /// Creates a record.
  public init(
    step: Int, passes: Double, seconds: Double, loss: Double, metrics: [String: Double] = [:]
  ) {
    self.step = step
    self.passes = passes
    self.seconds = seconds
    self.loss = loss
    self.metrics = metrics
  }

  enum CodingKeys: String, CodingKey { case step, passes, seconds, loss, metrics }

  /// Decodes a record; records written before held-out metrics existed have none.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    step = try c.decode(Int.self, forKey: .step)
    passes = try c.decode(Double.self, forKey: .passes)
    seconds = try c.decode(Double.self, forKey: .seconds)
    loss = try c.decode(Double.self, forKey: .loss)
    metrics = try c.decodeIfPresent([String: Double].self, forKey: .metrics) ?? [:]
  }
}

/// Why training stopped.
public enum TrainingStatus: String, Sendable, Hashable, Codable {
  /// Full batch: ‖∇f‖∞ reached the gradient tolerance.
  case gradientTolerance
  /// A recorded loss reached the target loss.
  case targetLoss
  /// The pass budget was spent.
  case passBudget
  /// The step limit was reached.
  case stepLimit
  /// A loss, gradient or update was NaN or infinite (a non-finite update is not applied).
  case nonFinite
  /// The starting point's length differs from the objective's dimension, or the objective has
  /// no parameters; nothing was evaluated.
  case invalidProblem
  /// A loss fell below ``TrainingOptions/unboundedLoss``: the objective appears unbounded below.
  case unboundedBelow
  /// The transformation returned an update of zeros at a point whose gradient is not zero, for
  /// ``TrainingOptions/stallSteps`` steps in a row (an L-BFGS transform whose line search finds
  /// no decrease, say): the parameters can no longer change.
  case stalled
  /// ``TrainingOptions/observer`` asked to stop.
  case stoppedByObserver
}

/// Oracle calls made by a training run (on mini-batches or on the full data).
public struct TrainingCounts: Sendable, Hashable, Codable {
  /// Value-only evaluations.
  public var values = 0
  /// Value-and-gradient evaluations.
  public var gradients = 0
  /// Hessian-vector products.
  public var hessianVectorProducts = 0
  /// Gauss-Newton products.
  public var gaussNewtonProducts = 0
  /// Gauss-Newton preparations (one forward pass each).
  public var gaussNewtonPreparations = 0
  /// Per-layer statistics (one backward pass of sampled or data gradients each).
  public var layerStatistics = 0
  /// Directions whose Gauss-Newton quadratic forms were taken (one forward tangent J·v each).
  public var gaussNewtonForms = 0

  /// No calls.
  public init() {}
}

/// The outcome of ``train(_:objective:from:options:)``.
public struct TrainingResult: Sendable {
  /// The final parameters.
  public var parameters: Vector
  /// The full-data loss f at the final parameters.
  public var loss: Double
  /// ‖∇f‖∞ on the full data at the final parameters (a monitoring evaluation, not counted).
  public var gradientNormInfinity: Double
  /// Steps taken.
  public var steps: Int
  /// Gradient-equivalent passes spent (``PassCost``).
  public var passes: Double
  /// Seconds spent in steps (monitoring excluded).
  public var seconds: Double
  /// Why training stopped.
  public var status: TrainingStatus
  /// The oracle calls.
  public var counts: TrainingCounts
  /// The loss curve, starting at the initial point.
  public var history: [TrainingRecord]
  /// What went wrong, in a sentence, when the status alone does not say (nil otherwise).
  public var note: String? = nil

  /// The passes spent when a recorded loss first reached `loss` (nil if never).
  public func passesToReach(loss target: Double) -> Double? {
    history.first { $0.loss <= target }?.passes
  }

  /// The passes spent at the first record from which every later recorded loss stays at most
  /// `loss` (nil if the last one is above): robust to methods whose loss oscillates.
  public func passesToStayBelow(loss target: Double) -> Double? {
    guard let last = history.last, last.loss <= target else { return nil }
    var k = history.count - 1
    while k > 0 && history[k - 1].loss <= target { k -= 1 }
    return history[k].passes
  }

  /// The lowest recorded loss with at most `passes` spent (nil if none).
  public func bestLoss(withinPasses budget: Double) -> Double? {
    history.filter { $0.passes <= budget }.map(\.loss).min()
  }
}
