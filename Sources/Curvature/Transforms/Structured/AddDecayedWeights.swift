/// u ← u + λ·m⊙θ, decoupled weight decay (Loshchilov & Hutter 2019; Optax's
/// `add_decayed_weights` with its `mask`), where m ∈ {0, 1}ⁿ selects the decayed elements:
/// every element (m = 1) without a layout, the blocks labelled "weight" by default with one, so
/// that biases are not decayed.
///
/// Placed after the preconditioner and before the learning rate, it gives AdamW
/// (``Optimizers/adamw(learningRate:beta1:beta2:epsilon:weightDecay:layout:)``):
/// ```swift
/// chain {
///   ScaleByAdam()
///   AddDecayedWeights(1e-2, layout: network.layout)     // weights only
///   ScaleByLearningRate(1e-3)
/// }
/// ```
/// Elements outside the mask are not touched (bit for bit), not added a zero.
///
/// - Precondition: with a layout, the updates and parameters have ``ParameterLayout/count``
///   elements; without one, the updates and parameters have the same count.
public struct AddDecayedWeights: GradientTransformation {
  /// λ.
  public var weightDecay: Double
  /// The decayed elements; nil decays every element.
  let selection: BlockSelection?

  /// Adds λ·θ to every element.
  public init(_ weightDecay: Double) {
    self.weightDecay = weightDecay
    self.selection = nil
  }

  /// Adds λ·θ to the elements of the blocks whose ``ParameterBlock/label`` is in `labels`
  /// (the weights of a ``Network`` by default, not its biases).
  public init(_ weightDecay: Double, layout: ParameterLayout, labels: Set<String> = ["weight"]) {
    self.init(weightDecay, layout: layout) { labels.contains($0.label) }
  }

  /// Adds λ·θ to the elements of the blocks `selected` accepts.
  public init(
    _ weightDecay: Double, layout: ParameterLayout, where selected: (ParameterBlock) -> Bool
  ) {
    self.weightDecay = weightDecay
    self.selection = BlockSelection(layout: layout, where: selected)
  }

  /// The number of decayed elements, or nil when every element is decayed (no layout).
  public var decayedCount: Int? { selection?.count }

  /// No state.
  public func initialState(for parameters: Vector) -> EmptyState { EmptyState() }

  /// u ← u + λ·m⊙θ.
  public func update(_ updates: inout Vector, state: inout EmptyState, context: UpdateContext) {
    guard let selection else {
      axpy(weightDecay, context.parameters, &updates)
      return
    }
    precondition(
      updates.count == selection.totalCount && context.parameters.count == selection.totalCount,
      "AddDecayedWeights: the update vector has \(updates.count) elements and the parameter "
        + "vector \(context.parameters.count), the layout \(selection.totalCount)")
    if selection.isEverything {
      axpy(weightDecay, context.parameters, &updates)
      return
    }
    let lambda = weightDecay
    context.parameters.withUnsafeBufferPointer { px in
      updates.withUnsafeMutableBufferPointer { pu in
        guard let x = px.baseAddress, let u = pu.baseAddress else { return }
        for run in selection.runs {
          for i in run { u[i] += lambda * x[i] }
        }
      }
    }
  }
}
