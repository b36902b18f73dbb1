/// Two transformations applied in sequence: `first`'s output is `second`'s input.
public struct Chain<First: GradientTransformation, Second: GradientTransformation>:
  GradientTransformation
{
  /// The two states.
  public struct State: Sendable, Codable, Equatable {
    /// The first stage's state.
    public var first: First.State
    /// The second stage's state.
    public var second: Second.State
    /// Both states.
    @inlinable
    public init(first: First.State, second: Second.State) {
      self.first = first
      self.second = second
    }
  }

  /// The first stage.
  public let first: First
  /// The second stage.
  public let second: Second

  /// Chains `first` then `second`.
  @inlinable
  public init(_ first: First, _ second: Second) {
    self.first = first
    self.second = second
  }

  /// Both initial states.
  @inlinable
  public func initialState(for parameters: Vector) -> State {
    State(first: first.initialState(for: parameters), second: second.initialState(for: parameters))
  }

  /// Applies `first`, then `second`.
  @inlinable
  /// The first stage's stop reason, else the second's.
  public func stopReason(_ state: State) -> TrainingStatus? {
    first.stopReason(state.first) ?? second.stopReason(state.second)
  }

  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    first.update(&updates, state: &state.first, context: context)
    second.update(&updates, state: &state.second, context: context)
  }
}

/// Builds nested ``Chain`` values from a list of transformations, left to right.
@resultBuilder
public enum ChainBuilder {
  /// A single stage.
  public static func buildPartialBlock<T: GradientTransformation>(first: T) -> T { first }

  /// Appends a stage.
  public static func buildPartialBlock<A: GradientTransformation, B: GradientTransformation>(
    accumulated: A, next: B
  ) -> Chain<A, B> {
    Chain(accumulated, next)
  }
}

/// Composes transformations in order (Optax's `optax.chain`):
/// ```swift
/// let opt = chain {
///   ClipByGlobalNorm(1.0)
///   ScaleByAdam()
///   ScaleByLearningRate(.constant(1e-3))
/// }
/// ```
@inlinable
public func chain<T: GradientTransformation>(@ChainBuilder _ body: () -> T) -> T { body() }
