/// Sophia-H's scaling (Liu, Li, Hall, Liang & Ma, 2023): momentum m ← β₁m + (1 − β₁)u, an EMA of
/// Hutchinson diagonal estimates h ← β₂h + (1 − β₂)ĥ refreshed every `updateInterval` steps,
/// and the clipped, preconditioned direction u ← clip(m / max(γ·h, ε), −1, 1), elementwise.
/// Follow it with a learning rate (and, for the paper's setting, decoupled weight decay).
///
/// The clip bounds each coordinate's step by the learning rate where curvature is negative or
/// tiny, which is how Sophia stays stable on non-convex losses. Needs
/// ``UpdateContext/hessianVectorProduct``.
public struct ScaleBySophia: GradientTransformation {
  /// Momentum, the curvature EMA and the count.
  public struct State: Sendable, Codable, Equatable {
    /// m.
    public var mean: Vector
    /// h.
    public var curvature: Vector
    /// Updates so far.
    public var count: Int
    /// Hessian-vector products spent.
    public var hessianVectorProducts: Int
    /// Coordinates clipped in the last update.
    public var clippedCoordinates: Int
  }
  /// β₁.
  public var beta1: Double
  /// β₂.
  public var beta2: Double
  /// γ, the scale of the curvature in the denominator.
  public var gamma: Double
  /// ε, the floor of the denominator.
  public var epsilon: Double
  /// Steps between curvature estimates (k in the paper).
  public var updateInterval: Int
  /// The estimator.
  public var estimator: HutchinsonDiagonal

  /// Sophia with the paper's defaults β₁ = 0.965, β₂ = 0.99, γ = 0.01, ε = 1e-12, k = 10.
  public init(
    beta1: Double = 0.965, beta2: Double = 0.99, gamma: Double = 0.01, epsilon: Double = 1e-12,
    updateInterval: Int = 10, probes: Int = 1
  ) {
    precondition(updateInterval >= 1, "updateInterval must be at least 1, got \(updateInterval)")
    self.beta1 = beta1
    self.beta2 = beta2
    self.gamma = gamma
    self.epsilon = epsilon
    self.updateInterval = updateInterval
    self.estimator = HutchinsonDiagonal(probes: probes)
  }

  /// Zero momentum and curvature.
  public func initialState(for parameters: Vector) -> State {
    State(
      mean: .zeros(parameters.count), curvature: .zeros(parameters.count), count: 0,
      hessianVectorProducts: 0, clippedCoordinates: 0)
  }

  /// One Sophia step.
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    checkSameCount(updates.count, state.mean.count)
    let n = updates.count
    if state.count % updateInterval == 0 {
      let hvp = context.requireHessianVectorProduct(for: "ScaleBySophia")
      var generator = SplitMix64.forStep(seed: context.seed, step: state.count)
      let estimate = estimator.estimate(dimension: n, hvp: hvp, generator: &generator)
      state.hessianVectorProducts += estimator.probes
      for i in 0..<n {
        state.curvature[i] = beta2 * state.curvature[i] + (1 - beta2) * estimate[i]
      }
    }
    state.count += 1
    var clipped = 0
    for i in 0..<n {
      state.mean[i] = beta1 * state.mean[i] + (1 - beta1) * updates[i]
      let ratio = state.mean[i] / Swift.max(gamma * state.curvature[i], epsilon)
      if Swift.abs(ratio) > 1 { clipped += 1 }
      updates[i] = Swift.min(Swift.max(ratio, -1), 1)
    }
    state.clippedCoordinates = clipped
  }
}
