/// The training loss of a ``Network`` on a data set,
///
///     f_B(θ) = (1/|B|) Σ_{i∈B} ℓ(h(θ; xᵢ), tᵢ) + (λ/2) Σⱼ mⱼθⱼ²,
///
/// with m the mask of the regularized blocks (by default the blocks labelled "weight", so
/// biases are not penalized), and every derivative a second-order trainer needs, each by a few
/// matrix products per layer: the gradient, exact Hessian-vector products
/// (Pearlmutter 1994), generalized Gauss-Newton products G·v = JᵀH_ℓJv + λm⊙v (Schraudolph
/// 2002), and the per-layer statistics of ``KFAC`` (``LayerStatistics``).
///
/// Adopts ``TrainingObjective`` (mini-batches by sample indices) and
/// ``HessianVectorProductObjective`` (the whole data set), so it goes to ``train(_:objective:from:options:)``
/// and to the solvers alike.
public struct NetworkObjective: TrainingObjective, HessianVectorProductObjective {
  /// The network h(θ; x).
  public let network: Network
  /// The inputs, one sample per row (m × n₀).
  public let inputs: Matrix
  /// The targets, one sample per row (m × n_L).
  public let targets: Matrix
  /// The loss ℓ.
  public let loss: OutputLoss
  /// λ ≥ 0.
  public let regularization: Double
  /// The labels of the blocks λ applies to.
  public let regularizedLabels: Set<String>
  /// m: 1 on the regularized elements, 0 elsewhere.
  let penaltyMask: Vector

  /// The loss of `network` on the data (`inputs` m × n₀, `targets` m × n_L).
  ///
  /// - Precondition: the shapes agree with the network and λ ≥ 0.
  public init(
    network: Network, inputs: Matrix, targets: Matrix, loss: OutputLoss,
    regularization: Double = 0, regularizedLabels: Set<String> = ["weight"]
  ) {
    precondition(
      inputs.columns == network.inputWidth,
      "dimension mismatch: inputs have \(inputs.columns) columns, the network \(network.inputWidth)"
    )
    precondition(
      targets.rows == inputs.rows && targets.columns == network.outputWidth,
      "dimension mismatch: targets are \(targets.rows)x\(targets.columns), expected \(inputs.rows)x\(network.outputWidth)"
    )
    precondition(regularization >= 0, "regularization must be non-negative, got \(regularization)")
    self.network = network
    self.inputs = inputs
    self.targets = targets
    self.loss = loss
    self.regularization = regularization
    self.regularizedLabels = regularizedLabels
    penaltyMask = network.layout.mask { regularizedLabels.contains($0.label) }
  }

  /// n = dim θ.
  public var dimension: Int { network.parameterCount }
  /// m.
  public var sampleCount: Int { inputs.rows }

  /// (λ/2) Σ mⱼθⱼ².
  func penalty(_ x: Vector) -> Double {
    if regularization == 0 { return 0 }
    var s = 0.0
    for j in 0..<x.count where penaltyMask[j] != 0 { s += x[j] * x[j] }
    return 0.5 * regularization * s
  }

  /// out += λ m⊙v.
  func addPenaltyProduct(_ v: Vector, _ out: inout Vector) {
    if regularization == 0 { return }
    for j in 0..<v.count where penaltyMask[j] != 0 { out[j] += regularization * v[j] }
  }

  /// The evaluator of the samples `samples` (all when nil), with its data gathered.
  func batch(samples: [Int]?) -> NetworkBatch {
    guard let samples else {
      return NetworkBatch(
        objective: self,
        pass: NetworkPass(network: network, inputs: inputs.storage, rows: inputs.rows),
        targets: targets.storage)
    }
    let (a, b) = (inputs.columns, targets.columns)
    var x = [Double]()
    x.reserveCapacity(samples.count * a)
    var t = [Double]()
    t.reserveCapacity(samples.count * b)
    for i in samples {
      precondition(i >= 0 && i < sampleCount, "sample \(i) out of range 0..<\(sampleCount)")
      x.append(contentsOf: inputs.storage[(i * a)..<((i + 1) * a)])
      t.append(contentsOf: targets.storage[(i * b)..<((i + 1) * b)])
    }
    return NetworkBatch(
      objective: self, pass: NetworkPass(network: network, inputs: x, rows: samples.count),
      targets: t)
  }

  /// The closures of the loss on the given samples (all when nil), sharing one cache of
  /// activations: a gradient after a value at the same point, and curvature products or
  /// layer statistics after the gradient, reuse the passes already made.
  public func oracle(samples: [Int]?) -> MiniBatchOracle {
    let b = batch(samples: samples)
    return MiniBatchOracle(
      sampleCount: b.pass.rows,
      value: { x in b.value(x) },
      valueAndGradient: { x, g in b.valueAndGradient(x, &g) },
      hessianVectorProduct: { x in { v, out in b.hessianVectorProduct(x, v, &out) } },
      gaussNewtonProduct: { x in
        b.prepareForward(x)
        return { v, out in b.gaussNewtonProduct(x, v, &out) }
      },
      layerStatistics: { x, fisher, seed in b.statistics(x, fisher: fisher, seed: seed) },
      gaussNewtonForms: { x in
        b.prepareForward(x)
        return { directions in b.gaussNewtonForms(x, directions) }
      })
  }

  // MARK: Objective conformances (the whole data set)

  /// f(θ) on all samples.
  public func value(at x: Vector) -> Double { batch(samples: nil).value(x) }

  /// f(θ) and ∇f(θ) on all samples.
  public func value(at x: Vector, gradient: inout Vector) -> Double {
    batch(samples: nil).valueAndGradient(x, &gradient)
  }

  /// ∇²f(θ)·v on all samples.
  public func hessianVectorProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    batch(samples: nil).hessianVectorProduct(x, v, &result)
  }

  /// The outputs h(θ; x) of the network for the rows of `inputs`.
  public func predictions(_ x: Vector, inputs: Matrix) -> Matrix {
    network.outputs(x, inputs: inputs)
  }
}

/// One batch of a ``NetworkObjective`` with its cached passes.
final class NetworkBatch {
  let objective: NetworkObjective
  let pass: NetworkPass
  let targets: [Double]
  /// The value at the cached forward point.
  var cachedValue = Double.nan

  init(objective: NetworkObjective, pass: NetworkPass, targets: [Double]) {
    self.objective = objective
    self.pass = pass
    self.targets = targets
  }

  func check(_ x: Vector, _ what: String = "point") {
    precondition(
      x.count == objective.dimension,
      "dimension mismatch: \(what) has \(x.count) elements, the network \(objective.dimension) parameters"
    )
  }

  func prepareForward(_ x: Vector) {
    check(x)
    if let p = pass.forwardPoint, p == x { return }
    pass.forward(x)
    var none: [Double]? = nil
    cachedValue =
      pass.dataLoss(targets: targets, loss: objective.loss, seed: &none) + objective.penalty(x)
  }

  func value(_ x: Vector) -> Double {
    prepareForward(x)
    return cachedValue
  }

  func prepareBackward(_ x: Vector) -> Vector {
    prepareForward(x)
    var seed: [Double]? = []
    _ = pass.dataLoss(targets: targets, loss: objective.loss, seed: &seed)
    var g = Vector()
    pass.backward(x, seed: seed!, into: &g, keep: true)
    return g
  }

  func valueAndGradient(_ x: Vector, _ g: inout Vector) -> Double {
    g = prepareBackward(x)
    if objective.regularization != 0 { objective.addPenaltyProduct(x, &g) }
    return cachedValue
  }

  func hessianVectorProduct(_ x: Vector, _ v: Vector, _ out: inout Vector) {
    check(v, "direction")
    if pass.backwardPoint != x { _ = prepareBackward(x) }
    out = pass.hessianVectorProduct(x, direction: v, loss: objective.loss)
    objective.addPenaltyProduct(v, &out)
  }

  func gaussNewtonProduct(_ x: Vector, _ v: Vector, _ out: inout Vector) {
    check(v, "direction")
    prepareForward(x)
    out = pass.gaussNewtonProduct(x, direction: v, loss: objective.loss)
    objective.addPenaltyProduct(v, &out)
  }

  /// VᵀGV from the forward tangents J·vᵢ: (Jvᵢ)ᵀH_ℓ(Jvⱼ) + λ Σ m vᵢvⱼ.
  func gaussNewtonForms(_ x: Vector, _ directions: [Vector]) -> Matrix {
    prepareForward(x)
    let last = pass.layers.count - 1
    let tangents = directions.map { v in
      check(v, "direction")
      return pass.tangent(x, direction: v).ra[last]
    }
    let weighted = tangents.map { pass.lossHessian($0, loss: objective.loss) }
    let k = directions.count
    var gram = Matrix(rows: k, columns: k)
    for i in 0..<k {
      for j in i..<k {
        var s = 0.0
        for e in 0..<tangents[i].count { s += tangents[i][e] * weighted[j][e] }
        if objective.regularization != 0 {
          var p = 0.0
          let (u, w) = (directions[i], directions[j])
          for e in 0..<u.count where objective.penaltyMask[e] != 0 { p += u[e] * w[e] }
          s += objective.regularization * p
        }
        gram[i, j] = s
        gram[j, i] = s
      }
    }
    return gram
  }

  func statistics(_ x: Vector, fisher: FisherEstimate, seed: UInt64) -> [LayerStatistics] {
    if fisher == .empirical {
      if pass.backwardPoint != x { _ = prepareBackward(x) }
    } else {
      prepareForward(x)
    }
    return pass.statistics(x, fisher: fisher, loss: objective.loss, seed: seed)
  }
}
