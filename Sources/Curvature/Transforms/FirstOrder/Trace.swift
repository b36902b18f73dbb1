/// Momentum (Optax's `trace`): m ← u + β·m, then u ← m, or u ← u + β·m with Nesterov's variant
/// (Sutskever et al. 2013 formulation).
public struct Trace: GradientTransformation {
  /// The momentum buffer m.
  public struct State: Sendable, Codable, Equatable {
    /// m.
    public var momentum: Vector
  }
  /// β.
  public var decay: Double
  /// Whether to use Nesterov's look-ahead.
  public var nesterov: Bool
  /// Momentum with decay β.
  public init(decay: Double = 0.9, nesterov: Bool = false) {
    self.decay = decay
    self.nesterov = nesterov
  }
  /// m = 0.
  public func initialState(for parameters: Vector) -> State {
    State(momentum: .zeros(parameters.count))
  }
  /// m ← u + β·m; u ← m (or u + β·m with Nesterov).
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    checkSameCount(updates.count, state.momentum.count)
    state.momentum.scale(by: decay)
    axpy(1, updates, &state.momentum)
    if nesterov {
      axpy(decay, state.momentum, &updates)
    } else {
      updates.assign(state.momentum)
    }
  }
}
