/// u ← s·u (Optax's `scale`).
public struct Scale: GradientTransformation {
  /// The factor s.
  public var factor: Double
  /// Scales by `factor`.
  public init(_ factor: Double) { self.factor = factor }
  /// No state.
  public func initialState(for parameters: Vector) -> EmptyState { EmptyState() }
  /// u ← s·u.
  public func update(_ updates: inout Vector, state: inout EmptyState, context: UpdateContext) {
    updates.scale(by: factor)
  }
}

/// u ← −ηₜ·u with ηₜ from a ``Schedule`` (Optax's `scale_by_learning_rate`): the sign turns a
/// gradient into a descent step.
public struct ScaleByLearningRate: GradientTransformation {
  /// The update count t.
  public struct State: Sendable, Codable, Equatable {
    /// Updates applied so far.
    public var count = 0
  }
  /// The learning-rate schedule.
  public var schedule: Schedule
  /// Scales by −ηₜ.
  public init(_ schedule: Schedule) { self.schedule = schedule }
  /// Scales by a constant −η.
  public init(_ learningRate: Double) { self.schedule = .constant(learningRate) }
  /// t = 0.
  public func initialState(for parameters: Vector) -> State { State() }
  /// u ← −ηₜ·u; t ← t + 1.
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    updates.scale(by: -schedule.value(at: state.count))
    state.count += 1
  }
}
