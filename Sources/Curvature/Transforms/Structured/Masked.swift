/// A transformation applied to some blocks of a ``ParameterLayout`` only (Optax's
/// `optax.masked`): with S the elements of the selected blocks (in block order),
///
///     u[S] ← T(u[S]; state, context restricted to S),   u[i] unchanged for i ∉ S.
///
/// As in Optax, the updates of the blocks outside the mask are passed on as they arrive, not set
/// to zero:
/// ```swift
/// chain {
///   Masked(ScaleByAdam(), layout: network.layout, labels: ["weight"])
///   ScaleByLearningRate(1e-3)
/// }
/// ```
/// is Adam on the weights and plain SGD on the rest. To freeze blocks instead, give them a
/// zeroing transformation in a ``Partition`` (e.g. `Scale(0)`).
///
/// The inner state is sized to the selected elements (the inner transformation is initialized
/// on θ[S]), and the inner transformation sees the restricted context described at
/// ``Partition``: slices of the parameters and gradient, re-evaluation closures that embed their
/// argument into the current parameters, curvature products restricted to the principal
/// sub-block, no per-layer statistics. A mask that selects every element runs the inner
/// transformation unchanged on the whole vector; one that selects nothing never calls it.
///
/// - Precondition: the parameters and updates have ``ParameterLayout/count`` elements.
public struct Masked<Inner: GradientTransformation>: GradientTransformation {
  /// The inner transformation's state, for the selected elements.
  public typealias State = Inner.State

  /// The transformation applied to the selected blocks.
  public let inner: Inner
  /// The layout the parameters follow.
  public let layout: ParameterLayout
  let selection: BlockSelection

  /// Applies `inner` to the blocks `selected` accepts.
  public init(
    _ inner: Inner, layout: ParameterLayout, where selected: (ParameterBlock) -> Bool
  ) {
    self.inner = inner
    self.layout = layout
    self.selection = BlockSelection(layout: layout, where: selected)
  }

  /// Applies `inner` to the blocks whose ``ParameterBlock/label`` is in `labels`.
  public init(_ inner: Inner, layout: ParameterLayout, labels: Set<String>) {
    self.init(inner, layout: layout) { labels.contains($0.label) }
  }

  /// The number of selected elements m = |S|.
  public var selectedCount: Int { selection.count }

  /// The inner initial state for θ[S].
  ///
  /// - Precondition: `parameters.count == layout.count`.
  public func initialState(for parameters: Vector) -> State {
    checkLayoutCount(parameters.count, "parameter vector")
    return inner.initialState(for: selection.gather(parameters))
  }

  /// u[S] ← T(u[S]); the other elements pass unchanged.
  ///
  /// - Precondition: the updates and the context's parameters have ``ParameterLayout/count``
  ///   elements.
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    checkLayoutCount(updates.count, "update vector")
    checkLayoutCount(context.parameters.count, "parameter vector")
    if selection.isEverything {
      inner.update(&updates, state: &state, context: context)
    } else if selection.count > 0 {
      var slice = selection.gather(updates)
      inner.update(&slice, state: &state, context: selection.restrict(context))
      precondition(
        slice.count == selection.count,
        "Masked: the inner transformation returned \(slice.count) elements for a slice of "
          + "\(selection.count)")
      selection.scatter(slice, into: &updates)
    }
  }

  /// The inner transformation's stop reason.
  public func stopReason(_ state: State) -> TrainingStatus? { inner.stopReason(state) }

  /// Stops when a vector does not follow the layout, naming both sizes.
  private func checkLayoutCount(_ n: Int, _ what: String) {
    precondition(
      n == layout.count,
      "Masked: the \(what) has \(n) elements, the layout \(layout.count)")
  }
}
