import RealModule

/// AdaHessian's scaling (Yao et al., AAAI 2021): Adam with the squared gradient replaced by the
/// squared Hutchinson estimate D of the Hessian diagonal:
/// m ← β₁m + (1 − β₁)u, v ← β₂v + (1 − β₂)D², u ← m̂ / ((v̂)^(k/2) + ε),
/// with bias corrections m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) and Hessian power k (1 by default).
/// D is re-estimated every `updateInterval` steps and reused in between.
///
/// Needs ``UpdateContext/hessianVectorProduct``.
public struct ScaleByAdaHessian: GradientTransformation {
  /// Moments, the last diagonal estimate and the count.
  public struct State: Sendable, Codable, Equatable {
    /// First moment m.
    public var mean: Vector
    /// Second moment of the diagonal v.
    public var secondMoment: Vector
    /// The last Hutchinson estimate D.
    public var diagonal: Vector
    /// Updates so far.
    public var count: Int
    /// Hessian-vector products spent.
    public var hessianVectorProducts: Int
  }
  /// β₁.
  public var beta1: Double
  /// β₂.
  public var beta2: Double
  /// ε.
  public var epsilon: Double
  /// k in v̂^(k/2).
  public var hessianPower: Double
  /// Steps between diagonal estimates.
  public var updateInterval: Int
  /// The estimator.
  public var estimator: HutchinsonDiagonal

  /// AdaHessian with the paper's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-4, k = 1.
  public init(
    beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-4, hessianPower: Double = 1,
    updateInterval: Int = 1, probes: Int = 1
  ) {
    precondition(updateInterval >= 1, "updateInterval must be at least 1, got \(updateInterval)")
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.hessianPower = hessianPower
    self.updateInterval = updateInterval
    self.estimator = HutchinsonDiagonal(probes: probes)
  }

  /// Zero moments.
  public func initialState(for parameters: Vector) -> State {
    let n = parameters.count
    return State(
      mean: .zeros(n), secondMoment: .zeros(n), diagonal: .zeros(n), count: 0,
      hessianVectorProducts: 0)
  }

  /// One AdaHessian step.
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    checkSameCount(updates.count, state.mean.count)
    let n = updates.count
    if state.count % updateInterval == 0 {
      let hvp = context.requireHessianVectorProduct(for: "ScaleByAdaHessian")
      var generator = SplitMix64.forStep(seed: context.seed, step: state.count)
      state.diagonal = estimator.estimate(dimension: n, hvp: hvp, generator: &generator)
      state.hessianVectorProducts += estimator.probes
    }
    state.count += 1
    let t = Double(state.count)
    let c1 = 1 / (1 - Double.pow(beta1, t))
    let c2 = 1 / (1 - Double.pow(beta2, t))
    for i in 0..<n {
      let d = state.diagonal[i]
      state.mean[i] = beta1 * state.mean[i] + (1 - beta1) * updates[i]
      state.secondMoment[i] = beta2 * state.secondMoment[i] + (1 - beta2) * d * d
      let denominator = Double.pow(state.secondMoment[i] * c2, hessianPower / 2) + epsilon
      updates[i] = state.mean[i] * c1 / denominator
    }
  }
}
