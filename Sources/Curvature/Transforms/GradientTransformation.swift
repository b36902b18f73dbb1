/// A composable gradient transformation in the style of Optax: an initial state built from the
/// parameters, and an update that turns an incoming direction (usually the gradient) into an
/// outgoing one while advancing its state.
///
/// A training step is
/// ```swift
/// var state = optimizer.initialState(for: params)
/// var direction = gradient
/// optimizer.update(&direction, state: &state, context: context)
/// apply(direction, to: &params)          // params ← params + direction
/// ```
/// Transforms compose with ``chain(_:)``: each stage's output is the next stage's input.
/// Second-order transforms read curvature oracles (Hessian-vector or Gauss-Newton products) and
/// re-evaluation closures from the typed ``UpdateContext``; first-order transforms ignore them.
///
/// States are value types that are `Sendable` and `Codable`, so a run can be checkpointed and
/// resumed bit for bit.
public protocol GradientTransformation: Sendable {
  /// The transformation's state.
  associatedtype State: Sendable, Codable, Equatable

  /// The state before the first update, for parameters shaped like `parameters`.
  func initialState(for parameters: Vector) -> State

  /// Transforms `updates` in place and advances `state`.
  func update(_ updates: inout Vector, state: inout State, context: UpdateContext)

  /// After an update: why training should stop, when the transformation knows something the
  /// loop cannot see (a line search that reached its largest step with the loss still falling
  /// says ``TrainingStatus/unboundedBelow``), or nil to go on. The default is nil;
  /// combinators pass their parts' answers on.
  func stopReason(_ state: State) -> TrainingStatus?
}

extension GradientTransformation {
  /// Nil: go on.
  public func stopReason(_ state: State) -> TrainingStatus? { nil }
}

/// An empty state for stateless transformations.
public struct EmptyState: Sendable, Codable, Hashable {
  /// The empty state.
  public init() {}
}

/// params ← params + updates (Optax's `apply_updates`).
@inlinable
public func apply(_ updates: Vector, to parameters: inout Vector) {
  axpy(1, updates, &parameters)
}
