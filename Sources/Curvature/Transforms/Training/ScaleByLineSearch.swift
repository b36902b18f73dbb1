/// A line search as the tail of a chain (Optax's `scale_by_zoom_linesearch` and
/// `scale_by_backtracking_linesearch`): the incoming direction p is scaled by a step length α
/// found by `search` on φ(α) = f(x + αp), so the outgoing update is αp.
///
/// Any ``LineSearch`` of the solver layer can run here: ``StrongWolfe`` (zoom, Nocedal & Wright,
/// Algorithms 3.5-3.6) for quasi-Newton directions, ``BacktrackingArmijo`` (φ(α) ≤ φ(0) +
/// c₁αφ'(0)) for cheap safeguards. The search reads f and ∇f through
/// ``UpdateContext/evaluateGradient`` (or values only through ``UpdateContext/evaluateValue``
/// when it does not use derivatives).
///
/// The accepted point's value and gradient are kept in the state (``State/value``,
/// ``State/gradient``): the next update reads f(xₖ₊₁) and ∇f(xₖ₊₁) from there when the context
/// does not carry them, so they are not evaluated twice. Trial points are formed exactly as the
/// caller forms the next parameters (u = α·p, then x + u), so a caller that caches its last
/// evaluation by point finds the accepted one bit for bit.
///
/// Rules:
/// - φ(0) = ``UpdateContext/value`` or the stored value; φ'(0) = gᵀp with g =
///   ``UpdateContext/gradient`` or the stored gradient (evaluated when neither is known);
/// - if p is not a descent direction (gᵀp ≥ 0 or not finite), p ← −g;
/// - the first trial step is ``initialStep`` (1 suits Newton and quasi-Newton directions), except
///   on the first update where it is min(1, 1/‖p‖∞) when ``scalesFirstStep`` is set;
/// - when the search finds no decrease, the update is zero and the failure is counted.
public struct ScaleByLineSearch<Search: LineSearch>: GradientTransformation {
  /// The accepted point's value and gradient and the counters.
  public struct State: Sendable, Codable, Equatable {
    /// f at the last accepted point (nil before the first update).
    public var value: Double?
    /// ∇f at the last accepted point, when it was evaluated during the search.
    public var gradient: Vector?
    /// Updates so far.
    public var count: Int
    /// Evaluations of φ (each one value, plus a gradient when the search uses derivatives).
    public var evaluations: Int
    /// The last accepted step length α (0 after a failure).
    public var lastStep: Double
    /// Why the last search stopped.
    public var lastStatus: LineSearchStatus?
    /// Searches that found no decrease.
    public var failures: Int
  }

  /// The line search.
  public var search: Search
  /// The first trial step α₀.
  public var initialStep: Double
  /// Whether the first update starts from min(1, 1/‖p‖∞) instead of α₀.
  public var scalesFirstStep: Bool

  /// A line-search stage.
  public init(_ search: Search, initialStep: Double = 1, scalesFirstStep: Bool = true) {
    precondition(initialStep > 0 && initialStep.isFinite, "initialStep must be positive")
    self.search = search
    self.initialStep = initialStep
    self.scalesFirstStep = scalesFirstStep
  }

  /// Nothing evaluated yet.
  public func initialState(for parameters: Vector) -> State {
    State(
      value: nil, gradient: nil, count: 0, evaluations: 0, lastStep: 0, lastStatus: nil,
      failures: 0)
  }

  /// ``TrainingStatus/unboundedBelow`` when the last search reached the largest step with the
  /// value still decreasing (``LineSearchStatus/maximumStepReached``), as the solvers decide.
  public func stopReason(_ state: State) -> TrainingStatus? {
    state.lastStatus == .maximumStepReached && state.lastStep > 0 ? .unboundedBelow : nil
  }

  /// Searches along the incoming direction and writes α·p.
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    let name = "ScaleByLineSearch(\(search.name))"
    let n = updates.count
    checkSameCount(n, context.parameters.count)
    let x = context.parameters
    let first = state.count == 0
    state.count += 1
    let gradientAt = context.evaluateGradient
    let valueAt = context.requireValueEvaluation(for: name)
    var f0 = context.value ?? state.value ?? .nan
    var g0 = context.gradient ?? state.gradient
    if g0 == nil || !f0.isFinite {
      let e = context.requireGradientEvaluation(for: name)
      var g = Vector.zeros(n)
      f0 = e(x, &g)
      g0 = g
    }
    let g = g0!
    var p = updates
    var slope = dot(g, p)
    if !(slope < 0) || !slope.isFinite {
      p = g.scaled(by: -1)
      slope = -g.normSquared
    }
    guard f0.isFinite, slope < 0, slope.isFinite else {
      updates.fill(0)
      state.value = f0
      state.gradient = g
      state.lastStep = 0
      state.lastStatus = .invalidInput
      state.failures += 1
      return
    }
    let alpha0 =
      first && scalesFirstStep ? Swift.min(initialStep, 1 / p.normInfinity) : initialStep
    let derivatives = search.usesDerivatives
    if derivatives && gradientAt == nil {
      _ = context.requireGradientEvaluation(for: name)
    }
    var lastStep = Double.nan
    var lastValue = Double.nan
    var lastGradient = Vector.zeros(n)
    var trialGradient = Vector.zeros(n)
    let phi: (Double) -> LineSearchSample = { alpha in
      var trial = x
      apply(p.scaled(by: alpha), to: &trial)
      if derivatives, let e = gradientAt {
        let f = e(trial, &trialGradient)
        lastStep = alpha
        lastValue = f
        swap(&lastGradient, &trialGradient)
        return (f, dot(lastGradient, p))
      }
      return (valueAt(trial), .nan)
    }
    let result = search.search(phi, value0: f0, slope0: slope, initialStep: alpha0)
    state.evaluations += result.evaluations
    state.lastStatus = result.status
    if result.step > 0 && result.value.isFinite && result.value < f0 {
      updates = p.scaled(by: result.step)
      state.lastStep = result.step
      state.value = result.value
      state.gradient =
        derivatives && lastStep == result.step && lastValue == result.value
        ? lastGradient : nil
    } else {
      updates.fill(0)
      state.lastStep = 0
      state.value = f0
      state.gradient = g
      state.failures += 1
    }
  }
}
