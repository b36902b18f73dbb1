import Foundation
import Testing

@testable import Curvature

// Per-block transforms (Partition, Masked, AddDecayedWeights with a layout) on the layout of a
// network 3 → 2 → 1: dense1.weight 0..<6, dense1.bias 6..<8, dense2.weight 8..<10,
// dense2.bias 10 (weights and biases interleave, so each label's elements are not contiguous).
//
// Mismatched sizes (a vector whose count is not the layout's, a label without a transformation)
// are preconditions; they are documented on the types and not exercised here.

private let layout = Network(inputWidth: 3, layers: [.dense(2), .tanh, .dense(1)]).layout
private let weightIndices = layout.blocks(labeled: "weight").flatMap { Array($0.range) }
private let biasIndices = layout.blocks(labeled: "bias").flatMap { Array($0.range) }

/// The bit patterns of a vector's elements (equality that tells −0 from 0 and compares NaNs).
private func bits(_ v: Vector) -> [UInt64] { v.map(\.bitPattern) }

/// v[indices] as a new vector.
private func slice(_ v: Vector, _ indices: [Int]) -> Vector { Vector(indices.map { v[$0] }) }

/// f(θ) = ½ Σ cᵢ (θᵢ − 1)² with cᵢ = 1 + i/n.
private struct SeparableQuadratic {
  let n: Int
  func c(_ i: Int) -> Double { 1 + Double(i) / Double(n) }
  func value(_ x: Vector) -> Double {
    (0..<n).reduce(0) { $0 + 0.5 * c($1) * (x[$1] - 1) * (x[$1] - 1) }
  }
  func gradient(_ x: Vector) -> Vector { Vector(count: n) { c($0) * (x[$0] - 1) } }
}

/// f(x) = ½ xᵀAx − bᵀx with a dense symmetric positive definite A, so every block couples to
/// every other and restricted curvature differs from the full one.
private struct DenseQuadratic {
  let a: [[Double]]
  let b: Vector
  init(n: Int) {
    var rng = SplitMix64(seed: 11)
    var m = (0..<n).map { _ in (0..<n).map { _ in rng.normal() } }
    for i in 0..<n {
      for j in 0..<i {
        m[i][j] = 0.1 * m[j][i]
        m[j][i] = m[i][j]
      }
      m[i][i] = Double(n) + abs(m[i][i])
    }
    a = m
    b = Vector(count: n) { _ in rng.normal() }
  }
  func product(_ v: Vector) -> Vector {
    Vector(count: b.count) { i in (0..<b.count).reduce(0) { $0 + a[i][$1] * v[$1] } }
  }
  func value(_ x: Vector) -> Double { 0.5 * dot(x, product(x)) - dot(b, x) }
  func gradient(_ x: Vector) -> Vector { product(x) - b }
  func context(at x: Vector) -> UpdateContext {
    UpdateContext(
      parameters: x, value: value(x), gradient: gradient(x), iteration: 3, seed: 7,
      evaluateValue: { value($0) },
      evaluateGradient: { y, g in
        g = gradient(y)
        return value(y)
      },
      hessianVectorProduct: { v, hv in hv = product(v) },
      gaussNewtonProduct: { v, gv in gv = product(v).scaled(by: 2) },
      layerStatistics: { _ in [] })
  }
}

/// Writes what the restricted context offers into the update: u ← H·u + ∇φ(p + u) + G·u, and
/// checks that the value, gradient and re-evaluations agree at the current parameters.
private struct ContextProbe: GradientTransformation {
  func initialState(for parameters: Vector) -> EmptyState { EmptyState() }
  func update(_ updates: inout Vector, state: inout EmptyState, context: UpdateContext) {
    let n = updates.count
    #expect(context.parameters.count == n && context.gradient?.count == n)
    #expect(context.layerStatistics == nil)
    #expect(context.iteration == 3 && context.seed == 7)
    #expect(context.evaluateValue!(context.parameters) == context.value)
    var g0 = Vector.zeros(n)
    #expect(context.evaluateGradient!(context.parameters, &g0) == context.value)
    #expect(bits(g0) == bits(context.gradient!))
    var hu = Vector.zeros(n)
    context.requireHessianVectorProduct(for: "probe")(updates, &hu)
    var gu = Vector.zeros(n)
    context.requireGaussNewtonProduct(for: "probe")(updates, &gu)
    var g = Vector.zeros(n)
    _ = context.requireGradientEvaluation(for: "probe")(context.parameters + updates, &g)
    updates = hu + g + gu
  }
}

/// Stops training after its first update.
private struct StopsAfterOneUpdate: GradientTransformation {
  struct State: Sendable, Codable, Equatable { var count = 0 }
  func initialState(for parameters: Vector) -> State { State() }
  func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    state.count += 1
  }
  func stopReason(_ state: State) -> TrainingStatus? { state.count > 0 ? .unboundedBelow : nil }
}

/// Decodes a type-erased partition's state through the partition in the decoder's user info.
private struct ErasedPartitionState: Decodable {
  static let key = CodingUserInfoKey(rawValue: "partition")!
  var state: Partition<AnyGradientTransformation>.State
  init(from decoder: any Decoder) throws {
    let partition = decoder.userInfo[Self.key] as! Partition<AnyGradientTransformation>
    state = try partition.decodeState(from: decoder)
  }
}

/// Adam (η = 0.01) on the weights, SGD (η = 0.1) on the biases.
private let adamAndSGD = Partition(
  layout: layout,
  transforms: [
    "weight": AnyGradientTransformation(Optimizers.adam(learningRate: .constant(0.01))),
    "bias": Optimizers.sgd(learningRate: .constant(0.1)),
  ])

@Suite struct StructuredTransformTests {
  @Test func labelsFollowTheLayoutAndUnusedLabelsAreAllowed() {
    let p = Partition(
      layout: layout,
      transforms: [
        "weight": AnyGradientTransformation(ScaleByAdam()),
        "bias": AnyGradientTransformation(Scale(1)),
        "unused": AnyGradientTransformation(ScaleByLearningRate(0.1)),
      ])
    #expect(p.labels == ["weight", "bias", "unused"])
    #expect(p.blockLabels == ["weight", "bias", "weight", "bias"])
    var x = Vector(count: layout.count) { Double($0) }
    var state = p.initialState(for: x)
    let unused = state["unused"]
    let q = SeparableQuadratic(n: layout.count)
    for k in 0..<3 {
      var u = q.gradient(x)
      p.update(&u, state: &state, context: .parameters(x, iteration: k))
      apply(u, to: &x)
    }
    #expect(state["unused"] == unused)
    #expect(state["weight"] != p.initialState(for: x)["weight"])
  }

  @Test func customLabelingGroupsBlocksByLayer() {
    // One transformation per layer instead of per kind of block.
    let p = Partition(
      layout: layout,
      transforms: [
        "dense1": AnyGradientTransformation(Scale(2)),
        "dense2": AnyGradientTransformation(Scale(-1)),
      ]
    ) { block in String(block.name.prefix { $0 != "." }) }
    #expect(p.labels == ["dense1", "dense2"])
    var u = Vector(count: layout.count) { Double($0 + 1) }
    var state = p.initialState(for: .zeros(layout.count))
    p.update(&u, state: &state, context: .parameters(.zeros(layout.count)))
    #expect(u == Vector(count: layout.count) { Double($0 + 1) * ($0 < 8 ? 2 : -1) })
  }

  @Test func perBlockTransformsLeaveOtherBlocksUntouched() {
    let q = SeparableQuadratic(n: layout.count)
    var rng = SplitMix64(seed: 5)
    var x = Vector(count: layout.count) { _ in rng.normal() }
    // Masked Adam: the biases pass through bit for bit (here −0, NaN and a huge value too).
    let masked = Masked(ScaleByAdam(), layout: layout, labels: ["weight"])
    #expect(masked.selectedCount == weightIndices.count)
    var maskedState = masked.initialState(for: x)
    #expect(maskedState.mean.count == weightIndices.count)
    // Partitions that differ only in the biases' transformation: the weights agree bit for bit.
    let other = Partition(
      layout: layout,
      transforms: [
        "weight": AnyGradientTransformation(Optimizers.adam(learningRate: .constant(0.01))),
        "bias": AnyGradientTransformation(Optimizers.rmsprop(learningRate: .constant(0.3))),
      ])
    var stateA = adamAndSGD.initialState(for: x)
    var stateB = other.initialState(for: x)
    for k in 0..<5 {
      var g = q.gradient(x)
      g[biasIndices[0]] = -0.0
      g[biasIndices[1]] = k == 2 ? .nan : 1e300
      var u = g
      masked.update(&u, state: &maskedState, context: .parameters(x, iteration: k))
      #expect(bits(slice(u, biasIndices)) == bits(slice(g, biasIndices)))
      #expect(bits(slice(u, weightIndices)) != bits(slice(g, weightIndices)))
      var a = q.gradient(x)
      var b = a
      adamAndSGD.update(&a, state: &stateA, context: .parameters(x, iteration: k))
      other.update(&b, state: &stateB, context: .parameters(x, iteration: k))
      #expect(bits(slice(a, weightIndices)) == bits(slice(b, weightIndices)))
      #expect(bits(slice(a, biasIndices)) != bits(slice(b, biasIndices)))
      apply(a, to: &x)
    }
    // Weight decay on the weights: the biases' updates are not touched either.
    var u = q.gradient(x)
    u[biasIndices[0]] = -0.0
    let before = u
    var empty = EmptyState()
    AddDecayedWeights(0.1, layout: layout).update(&u, state: &empty, context: .parameters(x))
    #expect(bits(slice(u, biasIndices)) == bits(slice(before, biasIndices)))
  }

  @Test func partitionEqualsTheTransformsRunSeparatelyOnTheSlices() {
    let q = SeparableQuadratic(n: layout.count)
    let adam = Optimizers.adam(learningRate: .constant(0.01))
    let sgd = Optimizers.sgd(learningRate: .constant(0.1))
    var rng = SplitMix64(seed: 9)
    var x = Vector(count: layout.count) { _ in rng.normal() }
    var state = adamAndSGD.initialState(for: x)
    var adamState = adam.initialState(for: slice(x, weightIndices))
    var sgdState = sgd.initialState(for: slice(x, biasIndices))
    for k in 0..<8 {
      let g = q.gradient(x)
      var u = g
      adamAndSGD.update(&u, state: &state, context: .parameters(x, iteration: k))
      var w = slice(g, weightIndices)
      adam.update(
        &w, state: &adamState, context: .parameters(slice(x, weightIndices), iteration: k))
      var b = slice(g, biasIndices)
      sgd.update(&b, state: &sgdState, context: .parameters(slice(x, biasIndices), iteration: k))
      #expect(bits(slice(u, weightIndices)) == bits(w))
      #expect(bits(slice(u, biasIndices)) == bits(b))
      apply(u, to: &x)
    }
    #expect(state.labels == ["weight", "bias"])
    #expect(state.states[1] == sgdState)
  }

  @Test func restrictedContextIsTheObjectiveOnTheSlice() {
    let f = DenseQuadratic(n: layout.count)
    var rng = SplitMix64(seed: 2)
    let x = Vector(count: layout.count) { _ in rng.normal() }
    let u0 = Vector(count: layout.count) { _ in rng.normal() }
    let context = f.context(at: x)
    // Expected per label S: (A ū)[S] + ∇f(x + ū)[S] + 2(A ū)[S] with ū = u on S, 0 elsewhere.
    func expected(_ indices: [Int]) -> Vector {
      var embedded = Vector.zeros(layout.count)
      for i in indices { embedded[i] = u0[i] }
      let au = f.product(embedded)
      return slice(au + f.gradient(x + embedded) + au.scaled(by: 2), indices)
    }
    let p = Partition(
      layout: layout, transforms: ["weight": ContextProbe(), "bias": ContextProbe()])
    var u = u0
    var state = p.initialState(for: x)
    p.update(&u, state: &state, context: context)
    let m = Masked(ContextProbe(), layout: layout, labels: ["bias"])
    var v = u0
    var empty = EmptyState()
    m.update(&v, state: &empty, context: context)
    for (got, indices) in [(u, weightIndices), (u, biasIndices), (v, biasIndices)] {
      let want = expected(indices)
      for (a, b) in zip(slice(got, indices), want) {
        #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "got \(a), expected \(b)")
      }
    }
    #expect(bits(slice(v, weightIndices)) == bits(slice(u0, weightIndices)))
  }

  @Test func maskedWeightDecayExcludesBiases() {
    // θᵢ = i + 1, u = 1/4, λ = 1/2: weights get 1/4 + (i + 1)/2, biases keep 1/4 (exact).
    let x = Vector(count: layout.count) { Double($0 + 1) }
    var empty = EmptyState()
    var u = Vector(repeating: 0.25, count: layout.count)
    AddDecayedWeights(0.5, layout: layout).update(&u, state: &empty, context: .parameters(x))
    #expect(u == [0.75, 1.25, 1.75, 2.25, 2.75, 3.25, 0.25, 0.25, 4.75, 5.25, 0.25])
    #expect(AddDecayedWeights(0.5, layout: layout).decayedCount == 8)
    // Without a layout every element decays.
    var all = Vector(repeating: 0.25, count: layout.count)
    AddDecayedWeights(0.5).update(&all, state: &empty, context: .parameters(x))
    #expect(all == Vector(count: layout.count) { 0.25 + Double($0 + 1) / 2 })
    #expect(AddDecayedWeights(0.5).decayedCount == nil)
    // A predicate: decay the first layer's weights only.
    var first = Vector(repeating: 0.25, count: layout.count)
    AddDecayedWeights(0.5, layout: layout) { $0.name == "dense1.weight" }
      .update(&first, state: &empty, context: .parameters(x))
    #expect(first == [0.75, 1.25, 1.75, 2.25, 2.75, 3.25, 0.25, 0.25, 0.25, 0.25, 0.25])
    // AdamW with a layout at a zero gradient: Adam gives 0, the step is −η·λ·θ on the weights.
    let adamw = Optimizers.adamw(learningRate: .constant(0.5), weightDecay: 0.25, layout: layout)
    var state = adamw.initialState(for: x)
    var step = Vector.zeros(layout.count)
    adamw.update(&step, state: &state, context: .parameters(x))
    #expect(
      step == [-0.125, -0.25, -0.375, -0.5, -0.625, -0.75, 0, 0, -1.125, -1.25, 0])
  }

  @Test func flatLayoutBehavesLikeTheUnwrappedTransform() {
    let n = 6
    let flat = ParameterLayout.flat(n)
    let f = DenseQuadratic(n: n)
    func compare<T: GradientTransformation, W: GradientTransformation>(
      _ plain: T, _ wrapped: W, _ inner: (W.State) -> T.State?
    ) {
      var x = Vector(count: n) { Double($0) - 2 }
      var plainState = plain.initialState(for: x)
      var wrappedState = wrapped.initialState(for: x)
      #expect(inner(wrappedState) == plainState)
      for _ in 0..<4 {
        var a = f.gradient(x)
        var b = a
        plain.update(&a, state: &plainState, context: f.context(at: x))
        wrapped.update(&b, state: &wrappedState, context: f.context(at: x))
        #expect(bits(a) == bits(b))
        #expect(inner(wrappedState) == plainState)
        apply(a, to: &x)
      }
    }
    let adam = Optimizers.adam(learningRate: .constant(0.1))
    compare(adam, Partition(layout: flat, transforms: ["parameters": adam])) { $0["parameters"] }
    compare(adam, Masked(adam, layout: flat, labels: ["parameters"])) { $0 }
    // L-BFGS reads the re-evaluation closures: the flat context passes them on unchanged.
    let lbfgs = Optimizers.lbfgs(memory: 3)
    compare(lbfgs, Partition(layout: flat, transforms: ["parameters": lbfgs])) {
      $0["parameters"]
    }
    compare(lbfgs, Masked(lbfgs, layout: flat, labels: ["parameters"])) { $0 }
    compare(AddDecayedWeights(0.3), AddDecayedWeights(0.3, layout: flat, labels: ["parameters"])) {
      $0
    }
  }

  @Test func checkpointAndResumeIsBitIdentical() throws {
    let q = SeparableQuadratic(n: layout.count)
    func resume<T: GradientTransformation>(
      _ opt: T, decode: (Data) throws -> T.State
    ) throws {
      var xA = Vector(count: layout.count) { Double($0) / 4 }
      var sA = opt.initialState(for: xA)
      for k in 0..<10 {
        var u = q.gradient(xA)
        opt.update(&u, state: &sA, context: .parameters(xA, iteration: k))
        apply(u, to: &xA)
      }
      let saved = try JSONEncoder().encode(sA)
      let savedX = try JSONEncoder().encode(xA)
      for k in 10..<20 {
        var u = q.gradient(xA)
        opt.update(&u, state: &sA, context: .parameters(xA, iteration: k))
        apply(u, to: &xA)
      }
      var sB = try decode(saved)
      var xB = try JSONDecoder().decode(Vector.self, from: savedX)
      for k in 10..<20 {
        var u = q.gradient(xB)
        opt.update(&u, state: &sB, context: .parameters(xB, iteration: k))
        apply(u, to: &xB)
      }
      #expect(bits(xA) == bits(xB))
      #expect(sA == sB)
    }
    // Type-erased states decode through the partition.
    let decoder = JSONDecoder()
    decoder.userInfo[ErasedPartitionState.key] = adamAndSGD
    try resume(adamAndSGD) { try decoder.decode(ErasedPartitionState.self, from: $0).state }
    // Concrete states decode as they are, also inside a chain.
    let weightSteps = chain {
      ScaleByAdam()
      ScaleByLearningRate(0.01)
    }
    let biasSteps = chain {
      ScaleByAdam(beta1: 0.5)
      ScaleByLearningRate(0.1)
    }
    let partition = Partition(
      layout: layout, transforms: ["weight": weightSteps, "bias": biasSteps])
    let typed = chain {
      Masked(Trace(decay: 0.5), layout: layout, labels: ["bias"])
      AddDecayedWeights(0.01, layout: layout)
      partition
    }
    try resume(typed) { try JSONDecoder().decode(type(of: typed).State.self, from: $0) }
  }

  @Test func partitionInAChainWithANegativeLearningRateDescends() {
    let q = SeparableQuadratic(n: layout.count)
    let opt = chain {
      Partition(
        layout: layout,
        transforms: [
          "weight": AnyGradientTransformation(ScaleByAdam()),
          "bias": AnyGradientTransformation(Scale(1)),
        ])
      ScaleByLearningRate(0.05)
    }
    var x = Vector.zeros(layout.count)
    var state = opt.initialState(for: x)
    let f0 = q.value(x)
    var previous = f0
    for k in 0..<200 {
      var u = q.gradient(x)
      opt.update(&u, state: &state, context: .parameters(x, iteration: k))
      apply(u, to: &x)
      if k < 10 {
        #expect(q.value(x) < previous, "step \(k) climbed")
      }
      previous = q.value(x)
    }
    #expect(previous < 1e-3 * f0)
  }

  @Test func stopReasonsArePassedOn() {
    let p = Partition(
      layout: layout,
      transforms: [
        "weight": AnyGradientTransformation(Scale(1)),
        "bias": AnyGradientTransformation(StopsAfterOneUpdate()),
      ])
    var state = p.initialState(for: .zeros(layout.count))
    #expect(p.stopReason(state) == nil)
    var u = Vector.zeros(layout.count)
    p.update(&u, state: &state, context: .parameters(.zeros(layout.count)))
    #expect(p.stopReason(state) == .unboundedBelow)
    let m = Masked(StopsAfterOneUpdate(), layout: layout, labels: ["weight"])
    var ms = m.initialState(for: .zeros(layout.count))
    m.update(&u, state: &ms, context: .parameters(.zeros(layout.count)))
    #expect(m.stopReason(ms) == .unboundedBelow)
  }
}
