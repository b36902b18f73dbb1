/// Guards a transformation against non-finite directions (Optax's `apply_if_finite`): when the
/// incoming direction has a NaN or infinite element, the output is zero (the parameters stay
/// unchanged), the inner state is not advanced, and the event is counted in the state.
public struct SkipNonFinite<Inner: GradientTransformation>: GradientTransformation {
  /// The inner state and the skip counts.
  public struct State: Sendable, Codable, Equatable {
    /// The wrapped transformation's state.
    public var inner: Inner.State
    /// Non-finite directions met so far.
    public var skippedSteps: Int
    /// Consecutive non-finite directions up to now.
    public var consecutiveSkips: Int
    /// Whether the last update was skipped.
    public var lastUpdateSkipped: Bool
  }
  /// The guarded transformation.
  public let inner: Inner
  /// Guards `inner`.
  public init(_ inner: Inner) { self.inner = inner }
  /// The inner state, no skips.
  public func initialState(for parameters: Vector) -> State {
    State(
      inner: inner.initialState(for: parameters), skippedSteps: 0, consecutiveSkips: 0,
      lastUpdateSkipped: false)
  }
  /// Runs `inner` when the direction is finite (and its output too); otherwise outputs zeros.
  /// The inner transformation's stop reason.
  public func stopReason(_ state: State) -> TrainingStatus? { inner.stopReason(state.inner) }

  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    if updates.isFinite {
      var candidate = updates
      var next = state.inner
      inner.update(&candidate, state: &next, context: context)
      if candidate.isFinite {
        updates = candidate
        state.inner = next
        state.consecutiveSkips = 0
        state.lastUpdateSkipped = false
        return
      }
    }
    updates.fill(0)
    state.skippedSteps += 1
    state.consecutiveSkips += 1
    state.lastUpdateSkipped = true
  }
}
