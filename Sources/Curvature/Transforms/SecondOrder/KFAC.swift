import RealModule

/// K-FAC, Kronecker-factored approximate curvature (Martens & Grosse, "Optimizing neural networks
/// with Kronecker-factored approximate curvature", ICML 2015), as a transform for layered models
/// (``NetworkObjective``): it reads each dense layer's inputs and output gradients from
/// ``UpdateContext/layerStatistics`` and returns a descent step (like ``HessianFreeNewton``, a
/// complete optimizer: do not chain a learning rate after it).
///
/// Each step k:
/// 1. per layer, moving averages of the factors A = E[āāᵀ] and G = E[ggᵀ]
///    (``KroneckerFactors``), with g from targets sampled from the model (true Fisher) or, as an
///    option, the data's own (empirical Fisher); the decay is min(ρ, k/(k+1)), so early steps
///    average all the batches seen;
/// 2. every ``inverseInterval`` steps, the damped inverses with factored Tikhonov damping
///    γ² = λ + η (the π rule, section 6.3), η the objective's L2 weight ``regularization``;
/// 3. the preconditioned direction Δ = −(G + γ/π I)⁻¹ ∇W̄ (A + πγI)⁻¹ per layer;
/// 4. the step u = αΔ + μδ with δ the previous step: in ``Mode/adaptive``, α and μ minimize the
///    exact quadratic model m(u) = gᵀu + ½uᵀ(C + λI)u with C the generalized Gauss-Newton matrix
///    (section 7; the three forms ΔᵀCΔ, ΔᵀCδ, δᵀCδ from two forward tangents J·Δ, J·δ when the
///    context has ``UpdateContext/gaussNewtonForms``, else from two Gauss-Newton products); in ``Mode/fixed(learningRate:momentum:)``, given;
/// 5. in adaptive mode, every ``dampingInterval`` steps, the Levenberg-Marquardt rule on the
///    reduction ratio ρ = (f(x + u) − f(x))/m₀(u) (m₀ the model without λ): λ ← ωλ when ρ > 3/4,
///    λ ← λ/ω when ρ < 1/4, ω = ``dampingDecay``^``dampingInterval`` (section 6.5 takes 19/20,
///    kfac-jax 9/10).
///
/// Parameters outside the dense layers (none for ``Network``) get Δ = −g.
public struct KFAC: GradientTransformation {
  /// How the step's length and momentum are chosen.
  public enum Mode: Sendable, Hashable, Codable {
    /// α and μ from the exact quadratic model, λ by the Levenberg-Marquardt rule.
    case adaptive
    /// u = ηΔ + μδ with a fixed learning rate η and momentum μ, and a fixed damping.
    case fixed(learningRate: Double, momentum: Double)
  }

  /// The state: factors, inverses, damping, the previous step.
  public struct State: Sendable, Codable, Equatable {
    /// Per dense layer (empty before the first update).
    public var factors: [KroneckerFactors]
    /// λ.
    public var damping: Double
    /// δ, the previous step.
    public var previousStep: Vector
    /// Updates so far.
    public var count: Int
    /// The last step's coefficients (α, μ) and reduction ratio (NaN when not measured).
    public var lastLearningRate: Double
    /// μ of the last step.
    public var lastMomentum: Double
    /// ρ of the last damping adaptation.
    public var lastReductionRatio: Double
  }

  /// Adaptive or fixed step.
  public var mode: Mode
  /// Sampled (true) or empirical Fisher.
  public var fisher: FisherEstimate
  /// ρ, the decay of the factors' moving averages.
  public var decay: Double
  /// Steps between refreshes of the factors' inverses.
  public var inverseInterval: Int
  /// λ₀.
  public var initialDamping: Double
  /// Bounds on λ.
  public var dampingRange: ClosedRange<Double>
  /// Steps between Levenberg-Marquardt adaptations of λ (adaptive mode).
  public var dampingInterval: Int
  /// The per-step factor of the Levenberg-Marquardt rule: ω = dampingDecay^dampingInterval.
  public var dampingDecay: Double
  /// η, the objective's L2 weight, added to the damping of the factors.
  public var regularization: Double

  /// K-FAC with kfac-jax's usual settings: adaptive steps, sampled Fisher, ρ = 0.95, inverses
  /// every 5 steps, λ₀ = 1 adapted every 5 steps by the factor 0.9⁵ within [1e-8, 1e8].
  public init(
    mode: Mode = .adaptive, fisher: FisherEstimate = .sampled, decay: Double = 0.95,
    inverseInterval: Int = 5, initialDamping: Double = 1,
    dampingRange: ClosedRange<Double> = 1e-8...1e8, dampingInterval: Int = 5,
    dampingDecay: Double = 0.9, regularization: Double = 0
  ) {
    precondition(decay >= 0 && decay < 1, "decay must lie in [0, 1), got \(decay)")
    precondition(inverseInterval >= 1, "inverseInterval must be at least 1")
    precondition(dampingInterval >= 1, "dampingInterval must be at least 1")
    precondition(
      dampingDecay > 0 && dampingDecay < 1, "dampingDecay must lie in (0, 1), got \(dampingDecay)")
    precondition(initialDamping > 0, "initialDamping must be positive, got \(initialDamping)")
    precondition(regularization >= 0, "regularization must be non-negative")
    self.mode = mode
    self.fisher = fisher
    self.decay = decay
    self.inverseInterval = inverseInterval
    self.initialDamping = initialDamping
    self.dampingRange = dampingRange
    self.dampingInterval = dampingInterval
    self.dampingDecay = dampingDecay
    self.regularization = regularization
  }

  /// No factors yet, λ = λ₀, δ = 0.
  public func initialState(for parameters: Vector) -> State {
    State(
      factors: [], damping: initialDamping, previousStep: .zeros(parameters.count), count: 0,
      lastLearningRate: .nan, lastMomentum: .nan, lastReductionRatio: .nan)
  }

  /// One K-FAC step: `updates` holds ∇f(xₖ) on entry and the step on return.
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    checkSameCount(updates.count, state.previousStep.count)
    let statistics = context.requireLayerStatistics(for: "KFAC")(fisher)
    let gradient = updates
    let k = state.count
    let rho = Swift.min(decay, Double(k) / Double(k + 1))
    if state.factors.isEmpty {
      state.factors = statistics.map {
        KroneckerFactors(
          layer: $0.layer, inputFactor: Matrix(rows: 0, columns: 0),
          outputFactor: Matrix(rows: 0, columns: 0), inputInverse: Matrix(rows: 0, columns: 0),
          outputInverse: Matrix(rows: 0, columns: 0), weight: $0.weight, bias: $0.bias)
      }
    }
    precondition(
      state.factors.count == statistics.count,
      "KFAC: the model has \(statistics.count) layers, the state \(state.factors.count)")
    for l in 0..<statistics.count { state.factors[l].average(statistics[l], decay: rho) }
    if k % inverseInterval == 0 {
      for l in 0..<state.factors.count
      where !state.factors[l].refreshInverses(damping: state.damping + regularization) {
        updates = Vector(repeating: .nan, count: updates.count)
        state.count += 1
        return
      }
    }
    // Δ = −F̃⁻¹g; elements outside the layers keep −g.
    var delta = gradient.scaled(by: -1)
    for f in state.factors { f.precondition(gradient, into: &delta) }
    var step: Vector
    switch mode {
    case .fixed(let rate, let momentum):
      step = delta.scaled(by: rate)
      if momentum != 0 { axpy(momentum, state.previousStep, &step) }
      state.lastLearningRate = rate
      state.lastMomentum = momentum
    case .adaptive:
      step = adaptiveStep(delta, gradient: gradient, state: &state, context: context)
    }
    state.previousStep = step
    state.count += 1
    updates = step
  }

  /// u = αΔ + μδ minimizing gᵀu + ½uᵀ(C + λI)u, and the damping adaptation.
  func adaptiveStep(
    _ delta: Vector, gradient g: Vector, state: inout State, context: UpdateContext
  ) -> Vector {
    let lambda = state.damping
    let previous = state.previousStep
    let usePrevious = maximumMagnitude(previous) > 0
    // ΔᵀCΔ, ΔᵀCδ, δᵀCδ: from forward tangents when the model offers the forms, else from
    // Gauss-Newton products.
    var (dd, dp, pp) = (0.0, 0.0, 0.0)
    if let forms = context.gaussNewtonForms {
      let gram = forms(usePrevious ? [delta, previous] : [delta])
      dd = gram[0, 0]
      if usePrevious { (dp, pp) = (gram[0, 1], gram[1, 1]) }
    } else {
      let product = context.requireGaussNewtonProduct(for: "KFAC (adaptive)")
      var cDelta = Vector()
      product(delta, &cDelta)
      dd = dot(delta, cDelta)
      if usePrevious {
        var cPrev = Vector()
        product(previous, &cPrev)
        (dp, pp) = (dot(delta, cPrev), dot(previous, cPrev))
      }
    }
    let gd = dot(g, delta)
    var alpha = 0.0
    var mu = 0.0
    let a11 = dd + lambda * dot(delta, delta)
    if usePrevious {
      let a12 = dp + lambda * dot(delta, previous)
      let a22 = pp + lambda * dot(previous, previous)
      let gp = dot(g, previous)
      let det = a11 * a22 - a12 * a12
      if det > 1e-12 * Swift.abs(a11 * a22) && det.isFinite {
        alpha = (-gd * a22 + gp * a12) / det
        mu = (-gp * a11 + gd * a12) / det
      } else if a11 > 0 {
        alpha = -gd / a11
      }
    } else if a11 > 0 {
      alpha = -gd / a11
    }
    var step = delta.scaled(by: alpha)
    if mu != 0 { axpy(mu, previous, &step) }
    state.lastLearningRate = alpha
    state.lastMomentum = mu
    if (state.count + 1) % dampingInterval == 0, let f0 = context.value {
      // m₀(u) = gᵀu + ½uᵀCu, without λ.
      let quadratic = alpha * alpha * dd + 2 * alpha * mu * dp + mu * mu * pp
      let model = dot(g, step) + 0.5 * quadratic
      let evaluate = context.requireValueEvaluation(for: "KFAC (adaptive)")
      var trial = context.parameters
      axpy(1, step, &trial)
      let ratio = (evaluate(trial) - f0) / model
      state.lastReductionRatio = ratio
      let omega = Double.pow(dampingDecay, Double(dampingInterval))
      if !(ratio >= 0.25) || !model.isFinite || model >= 0 {
        state.damping = Swift.min(state.damping / omega, dampingRange.upperBound)
      } else if ratio > 0.75 {
        state.damping = Swift.max(state.damping * omega, dampingRange.lowerBound)
      }
    }
    return step
  }
}
