/// The settings of ``train(_:objective:from:options:)``.
public struct TrainingOptions: Sendable {
  /// The budget in gradient-equivalent passes over the data set (see ``PassCost``). Training
  /// stops before a step (before its gradient) whose cost, predicted by the previous step's,
  /// would take the passes above the budget, so the budget is exceeded only by a step that
  /// costs more than the one before it (or by a first step costing more than the whole
  /// budget), and by at most that step; a transform that plans with
  /// ``UpdateContext/budgetRemaining`` (``HessianFreeNewton``) fits its step to what is left.
  /// ``TrainingResult/passes`` reports what was spent, exactly; the loss at the final point is
  /// monitoring, not charged.
  public var passes: Double
  /// The mini-batch size |B|, or nil for full-batch training.
  public var batchSize: Int?
  /// The largest number of steps.
  public var maxSteps: Int
  /// Full batch only: stop when ‖∇f(xₖ)‖∞ ≤ this tolerance (0 disables the test).
  public var gradientTolerance: Double
  /// Stop as soon as a recorded full-data loss is at most this value (nil: never).
  public var targetLoss: Double?
  /// Mini-batch only: the passes between two recordings of the full-data loss (nil: 1/100 of
  /// the budget). Full-batch training records every step, for free.
  public var recordInterval: Double?
  /// The seed of the mini-batch permutations and of the per-step seeds of the transforms.
  public var seed: UInt64
  /// A loss below which the objective is declared unbounded below (as
  /// ``MinimizeOptions/unboundedValue``; default −1e300).
  public var unboundedLoss: Double
  /// Stop with ``TrainingStatus/stalled`` after this many updates of zeros in a row at points
  /// with a non-zero gradient (default 10).
  public var stallSteps: Int
  /// Called after every step; ``TrainingDecision/stop`` ends training with
  /// ``TrainingStatus/stoppedByObserver`` (its time is not counted).
  public var observer: (@Sendable (TrainingProgress) -> TrainingDecision)?
  /// Held-out metrics recorded in the history (nil: none).
  public var evaluation: TrainingEvaluation?

  /// Creates options.
  public init(
    passes: Double = 100, batchSize: Int? = nil, maxSteps: Int = 1_000_000,
    gradientTolerance: Double = 0, targetLoss: Double? = nil, recordInterval: Double? = nil,
    seed: UInt64 = 0, unboundedLoss: Double = -1e300, stallSteps: Int = 10,
    observer: (@Sendable (TrainingProgress) -> TrainingDecision)? = nil,
    evaluation: TrainingEvaluation? = nil
  ) {
    self.observer = observer
    self.evaluation = evaluation
    precondition(stallSteps >= 1, "stallSteps must be at least 1, got \(stallSteps)")
    precondition(passes > 0, "the pass budget must be positive, got \(passes)")
    precondition(batchSize.map { $0 > 0 } ?? true, "batch size must be positive")
    precondition(maxSteps >= 0, "maxSteps must be non-negative, got \(maxSteps)")
    self.passes = passes
    self.batchSize = batchSize
    self.maxSteps = maxSteps
    self.gradientTolerance = gradientTolerance
    self.targetLoss = targetLoss
    self.recordInterval = recordInterval
    self.seed = seed
    self.unboundedLoss = unboundedLoss
    self.stallSteps = stallSteps
  }
}

/// The cost of each oracle call in gradient-equivalent passes, the unit of the training loop's
/// ``TrainingResult/passes``. A call on a mini-batch B costs its weight times |B|/m, so one pass
/// is one gradient over the whole data set (one epoch of gradients):
///
/// | call                                   | weight |
/// |----------------------------------------|--------|
/// | value f_B(θ) (one forward pass)        | 1/2    |
/// | value and gradient (forward + reverse) | 1      |
/// | Hessian-vector product (dual reverse)  | 2      |
/// | Gauss-Newton product (J·v, then Jᵀu)   | 2      |
/// | preparing a Gauss-Newton product at θ  | 1/2    |
/// | per-layer statistics (one backward)    | 1/2    |
/// | Gauss-Newton form, per direction (J·v) | 1      |
///
/// The weights follow the usual operation counts (Griewank & Walther, 2008, chapter 4: a
/// gradient costs a small multiple of a value; Martens 2010, section 4: a Gauss-Newton product
/// costs about two gradients). The preparation is the forward pass that records the model's
/// pullback at θ, paid once per step and shared by all its Gauss-Newton products. Evaluations
/// that only monitor training (the recorded full-data loss of mini-batch runs, the final
/// gradient norm) are neither counted nor timed.
public enum PassCost {
  /// A value: 1/2.
  public static let value = 0.5
  /// A value and gradient: 1.
  public static let gradient = 1.0
  /// A Hessian-vector product: 2.
  public static let hessianVectorProduct = 2.0
  /// A Gauss-Newton product: 2.
  public static let gaussNewtonProduct = 2.0
  /// Preparing Gauss-Newton products at a point: 1/2.
  public static let gaussNewtonPreparation = 0.5
  /// Per-layer statistics at a point whose forward pass is cached (one backward pass of output
  /// gradients, without the weight gradients): 1/2.
  public static let layerStatistics = 0.5
  /// The Gauss-Newton quadratic forms of k directions cost k forward tangents J·v (each about
  /// two forward passes), without a backward pass: 1 per direction.
  public static let gaussNewtonForm = 1.0
}
