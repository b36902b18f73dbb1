/// One transformation per group of parameter blocks (Optax's `optax.partition`, formerly
/// `multi_transform`): each block of a ``ParameterLayout`` gets a label, and the label's
/// transformation updates the elements of all blocks with that label, as one vector.
///
/// With S_ℓ the elements of the blocks labelled ℓ (in block order) and T_ℓ its transformation,
/// an update is, for each label ℓ,
///
///     u[S_ℓ] ← T_ℓ(u[S_ℓ]; state_ℓ, context restricted to S_ℓ).
///
/// Adam on the weights and plain SGD on the biases of a ``Network``:
/// ```swift
/// let optimizer = chain {
///   Partition(layout: network.layout, transforms: [
///     "weight": AnyGradientTransformation(ScaleByAdam()),
///     "bias": AnyGradientTransformation(Scale(1)),
///   ])
///   ScaleByLearningRate(1e-3)
/// }
/// ```
///
/// **The restricted context.** Label ℓ's transformation sees the objective as a function of its
/// own elements, φ(y) = f(θ with θ[S_ℓ] = y), with every other block held at the current
/// parameters θ: its ``UpdateContext/parameters`` and ``UpdateContext/gradient`` are the slices
/// θ[S_ℓ] and ∇f(θ)[S_ℓ]; ``UpdateContext/value``, ``UpdateContext/iteration`` and
/// ``UpdateContext/seed`` pass unchanged; the re-evaluation closures embed their argument into
/// θ and return the gradient's slice; the Hessian-vector and Gauss-Newton products embed the
/// direction with zeros elsewhere and return the slice of the product (the principal sub-blocks
/// H[S_ℓ, S_ℓ] and G[S_ℓ, S_ℓ]); ``UpdateContext/layerStatistics`` is dropped, since statistics
/// of the whole network do not restrict to part of it. A label that covers every element gets the
/// context unchanged. So a line search or a Newton-CG step inside a partition works on its own
/// slice with the other blocks frozen (block-coordinate steps); the labels' steps are not
/// searched jointly.
///
/// Labels run in order of their first block; labels that no block carries come after, sorted,
/// and keep their initial state (built for an empty vector): a transformation is not called for a
/// label with no elements.
///
/// - Precondition: every label a block maps to has a transformation (checked at creation), and
///   the parameters and updates have ``ParameterLayout/count`` elements.
public struct Partition<Transform: GradientTransformation>: GradientTransformation {
  /// One state per label.
  public struct State: Sendable, Codable, Equatable {
    /// The labels, in the partition's order.
    public var labels: [String]
    /// Their transformations' states, in the same order.
    public var states: [Transform.State]

    enum CodingKeys: String, CodingKey {
      case labels
      case states
    }

    /// The states of `labels`, in the same order.
    public init(labels: [String], states: [Transform.State]) {
      self.labels = labels
      self.states = states
    }

    /// The state of `label`'s transformation, or nil for a label the partition does not have.
    public subscript(label: String) -> Transform.State? {
      labels.firstIndex(of: label).map { states[$0] }
    }
  }

  /// One label's elements and transformation.
  struct Group: Sendable {
    var label: String
    var transform: Transform
    var selection: BlockSelection
  }

  /// The layout the parameters follow.
  public let layout: ParameterLayout
  /// The label of each block of ``layout``, in block order.
  public let blockLabels: [String]
  let groups: [Group]

  /// Gives each block the label `labeling` returns (the block's own ``ParameterBlock/label`` by
  /// default) and each label the transformation `transforms` holds for it.
  ///
  /// - Precondition: `transforms` has an entry for every label a block maps to; entries for
  ///   labels no block carries are allowed.
  public init(
    layout: ParameterLayout, transforms: [String: Transform],
    labeling: (ParameterBlock) -> String = { $0.label }
  ) {
    let blockLabels = layout.blocks.map(labeling)
    var order: [String] = []
    var seen = Set<String>()
    for (block, label) in zip(layout.blocks, blockLabels) where seen.insert(label).inserted {
      precondition(
        transforms[label] != nil,
        "Partition: no transformation for label \"\(label)\" (block \(block.name)); "
          + "transformations are given for \(transforms.keys.sorted())")
      order.append(label)
    }
    order += transforms.keys.filter { !seen.contains($0) }.sorted()
    self.layout = layout
    self.blockLabels = blockLabels
    self.groups = order.map { label in
      let blocks = zip(layout.blocks, blockLabels).filter { $0.1 == label }.map(\.0)
      return Group(
        label: label, transform: transforms[label]!,
        selection: BlockSelection(blocks: blocks, totalCount: layout.count))
    }
  }

  /// The labels in the partition's order (the order of ``State/states``).
  public var labels: [String] { groups.map(\.label) }

  /// The transformation of each label.
  public var transforms: [String: Transform] {
    Dictionary(uniqueKeysWithValues: groups.map { ($0.label, $0.transform) })
  }

  /// Each label's initial state for its slice θ[S_ℓ] of the parameters.
  ///
  /// - Precondition: `parameters.count == layout.count`.
  public func initialState(for parameters: Vector) -> State {
    checkLayoutCount(parameters.count, "parameter vector")
    return State(
      labels: labels,
      states: groups.map { $0.transform.initialState(for: $0.selection.gather(parameters)) })
  }

  /// u[S_ℓ] ← T_ℓ(u[S_ℓ]) for each label ℓ with elements, each with its restricted context.
  ///
  /// - Precondition: the updates and the context's parameters have ``ParameterLayout/count``
  ///   elements, and `state` has one state per label.
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    checkLayoutCount(updates.count, "update vector")
    checkLayoutCount(context.parameters.count, "parameter vector")
    precondition(
      state.states.count == groups.count,
      "Partition: the state has \(state.states.count) label states, the partition "
        + "\(groups.count) labels")
    for (i, group) in groups.enumerated() {
      let selection = group.selection
      if selection.isEverything {
        group.transform.update(&updates, state: &state.states[i], context: context)
      } else if selection.count > 0 {
        var slice = selection.gather(updates)
        group.transform.update(
          &slice, state: &state.states[i], context: selection.restrict(context))
        precondition(
          slice.count == selection.count,
          "Partition: the transformation for \"\(group.label)\" returned \(slice.count) "
            + "elements for a slice of \(selection.count)")
        selection.scatter(slice, into: &updates)
      }
    }
  }

  /// The first label's stop reason that is not nil, in the partition's order.
  public func stopReason(_ state: State) -> TrainingStatus? {
    for (group, s) in zip(groups, state.states) {
      if let reason = group.transform.stopReason(s) { return reason }
    }
    return nil
  }

  /// Stops when a vector does not follow the layout, naming both sizes.
  private func checkLayoutCount(_ n: Int, _ what: String) {
    precondition(
      n == layout.count,
      "Partition: the \(what) has \(n) elements, the layout \(layout.count)")
  }
}

extension Partition where Transform == AnyGradientTransformation {
  /// Decodes a state encoded from this partition's state: type-erased states decode only
  /// through their transformations (``AnyGradientTransformation/decodeState(from:)``), so the
  /// synthesized `init(from:)` of ``State`` throws for them.
  ///
  /// Throws `DecodingError.dataCorrupted` when the encoded labels are not this partition's.
  public func decodeState(from decoder: any Decoder) throws -> State {
    let c = try decoder.container(keyedBy: State.CodingKeys.self)
    let encodedLabels = try c.decode([String].self, forKey: .labels)
    guard encodedLabels == labels else {
      throw DecodingError.dataCorruptedError(
        forKey: .labels, in: c,
        debugDescription: "the state's labels \(encodedLabels) are not the partition's \(labels)")
    }
    var states = try c.nestedUnkeyedContainer(forKey: .states)
    var decoded: [AnyGradientTransformation.State] = []
    for group in groups {
      decoded.append(try group.transform.decodeState(from: states.superDecoder()))
    }
    return State(labels: encodedLabels, states: decoded)
  }
}
