#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  /// Which parameters the penalty (λ/2) Σⱼ mⱼθⱼ² of a ``ModelObjective`` covers.
  public enum RegularizationMask: Sendable, Hashable {
    /// Every parameter: mⱼ = 1, the penalty (λ/2)‖θ‖².
    case all
    /// Every parameter except the model's ``TrainingModel/biasParameters`` (biases and
    /// intercepts): mⱼ = 0 there and 1 elsewhere. The same as ``all`` for a model without
    /// biases.
    case excludingBiases
    /// The given weights mⱼ ≥ 0 (finite, one per parameter); 0 leaves θⱼ unpenalized.
    case weights(Vector)
  }

  /// The regularized training loss of a ``TrainingModel`` on a data set,
  ///
  ///     f_B(θ) = (1/|B|) Σ_{i∈B} ℓ(h(θ; xᵢ), tᵢ) + (λ/2) Σⱼ mⱼθⱼ²,
  ///
  /// with every derivative a second-order trainer needs, each from the one generic model:
  /// - value and gradient by reverse mode on ``DVector``;
  /// - the exact Hessian-vector product ∇²f_B(θ)·v by one forward-over-reverse pass on
  ///   ``DualVector`` at θ + εv (Pearlmutter, Neural Computation 6(1), 1994);
  /// - the generalized Gauss-Newton product G·v = Jᵀ H_ℓ J v + λ m ⊙ v (Schraudolph, Neural
  ///   Computation 14(7), 2002; Martens, ICML 2010, section 4.2), with J = ∂z/∂θ the Jacobian of
  ///   the batch outputs: J·v is the tangent of one forward evaluation of the model at θ + εv
  ///   (``DualVector``), H_ℓ is the exact Hessian of the loss with respect to the outputs
  ///   (`OutputLoss`, block diagonal per sample), and Jᵀ(·) is the model's reverse-mode
  ///   pullback, built once per point and reused for every product. For convex ℓ, G is positive
  ///   semidefinite (λ diag(m) makes it definite when every mⱼ > 0), which is why
  ///   Hessian-free Newton prefers it.
  ///
  /// The penalty weights mⱼ ≥ 0 come from the ``RegularizationMask``: all 1 by default (the
  /// penalty (λ/2)‖θ‖² on every parameter, biases included), 0 on the model's
  /// ``TrainingModel/biasParameters`` with ``RegularizationMask/excludingBiases`` (weight decay
  /// on the weights only, as scikit-learn leaves the intercept of `LogisticRegression`
  /// unpenalized), or any weights with ``RegularizationMask/weights(_:)``. The gradient, the
  /// Hessian-vector product and the Gauss-Newton product all carry the same penalty, through
  /// λ m ⊙ θ, λ m ⊙ v and λ m ⊙ v.
  ///
  /// Adopts `TrainingObjective` (mini-batches by sample indices) and
  /// `HessianVectorProductObjective` (the full data set), so it can go to the training loop
  /// and to the solvers alike.
  public struct ModelObjective<Model: TrainingModel>: TrainingObjective,
    HessianVectorProductObjective
  {
    /// The model h(θ; x).
    public let model: Model
    /// The inputs, `sampleCount × model.inputWidth`, row-major.
    public let inputs: [Double]
    /// The targets, `sampleCount × model.outputWidth`, row-major.
    public let targets: [Double]
    /// The loss ℓ.
    public let loss: OutputLoss
    /// λ ≥ 0.
    public let regularization: Double
    /// The per-parameter weights m of the penalty (λ/2) Σⱼ mⱼθⱼ², or nil when every mⱼ = 1
    /// (the penalty (λ/2)‖θ‖²).
    public let regularizationWeights: Vector?

    /// Creates the loss of `model` on the data (`inputs` and `targets` row-major, one sample
    /// per row), with the penalty (λ/2) Σⱼ mⱼθⱼ² of λ = `regularization` on the parameters
    /// that `regularizationMask` selects (all of them by default).
    public init(
      model: Model, inputs: [Double], targets: [Double], loss: OutputLoss, regularization: Double,
      regularizationMask: RegularizationMask = .all
    ) {
      precondition(
        model.inputWidth > 0 && inputs.count % model.inputWidth == 0,
        "dimension mismatch: \(inputs.count) inputs for rows of \(model.inputWidth)")
      let m = inputs.count / model.inputWidth
      precondition(
        targets.count == m * model.outputWidth,
        "dimension mismatch: \(targets.count) targets for \(m) samples × \(model.outputWidth) outputs"
      )
      precondition(
        regularization >= 0, "regularization must be non-negative, got \(regularization)")
      self.model = model
      self.inputs = inputs
      self.targets = targets
      self.loss = loss
      self.regularization = regularization
      let n = model.parameterCount
      switch regularizationMask {
      case .all:
        regularizationWeights = nil
      case .excludingBiases:
        let biases = model.biasParameters
        if biases.isEmpty {
          regularizationWeights = nil
        } else {
          var m = Vector(repeating: 1, count: n)
          for range in biases {
            precondition(
              range.lowerBound >= 0 && range.upperBound <= n,
              "bias parameters \(range) out of range 0..<\(n)")
            for j in range { m[j] = 0 }
          }
          regularizationWeights = m
        }
      case .weights(let m):
        precondition(
          m.count == n,
          "dimension mismatch: \(m.count) regularization weights for \(n) parameters")
        precondition(
          m.allSatisfy { $0 >= 0 && $0.isFinite },
          "regularization weights must be finite and non-negative")
        regularizationWeights = m
      }
    }

    /// The objective of `base` (model, loss, λ and m) on other data.
    private init(copying base: ModelObjective, inputs: [Double], targets: [Double]) {
      self.init(
        model: base.model, inputs: inputs, targets: targets, loss: base.loss,
        regularization: base.regularization,
        regularizationMask: base.regularizationWeights.map { .weights($0) } ?? .all)
    }

    /// n = dim θ.
    public var dimension: Int { model.parameterCount }
    /// m.
    public var sampleCount: Int { inputs.count / model.inputWidth }

    /// The same loss on the contiguous samples `rows` only (a copy of their data): one rank's
    /// shard for `DataParallelTrainingObjective`, typically with
    /// `rows = collective.shard(of: sampleCount)`.
    public func shard(samples rows: Range<Int>) -> ModelObjective {
      precondition(
        rows.lowerBound >= 0 && rows.upperBound <= sampleCount,
        "samples \(rows) out of range 0..<\(sampleCount)")
      let (a, b) = (model.inputWidth, model.outputWidth)
      return ModelObjective(
        copying: self, inputs: Array(inputs[(rows.lowerBound * a)..<(rows.upperBound * a)]),
        targets: Array(targets[(rows.lowerBound * b)..<(rows.upperBound * b)]))
    }

    /// The data of one batch: inputs, targets and size.
    public struct Batch: Sendable {
      /// `count × inputWidth` inputs.
      public var inputs: [Double]
      /// `count × outputWidth` targets.
      public var targets: [Double]
      /// The number of samples.
      public var count: Int
    }

    /// The rows `samples` of the data (all rows when nil), gathered into a contiguous batch.
    public func batch(samples: [Int]?) -> Batch {
      guard let samples else { return Batch(inputs: inputs, targets: targets, count: sampleCount) }
      let (a, b) = (model.inputWidth, model.outputWidth)
      var x = [Double]()
      x.reserveCapacity(samples.count * a)
      var t = [Double]()
      t.reserveCapacity(samples.count * b)
      for i in samples {
        precondition(i >= 0 && i < sampleCount, "sample \(i) out of range 0..<\(sampleCount)")
        x.append(contentsOf: inputs[(i * a)..<((i + 1) * a)])
        t.append(contentsOf: targets[(i * b)..<((i + 1) * b)])
      }
      return Batch(inputs: x, targets: t, count: samples.count)
    }

    @differentiable(reverse,wrt: parameters)
    func realLoss(_ parameters: DVector, _ batch: Batch) -> Double {
      let z = model.outputs(parameters, inputs: batch.inputs)
      let data = batchLoss(
        z, targets: batch.targets, lossCode: loss.code,
        width: model.outputWidth, count: batch.count)
      if penaltyWeights.isEmpty {
        return data + parameters.squaredNorm().scaled(by: 0.5 * regularization)
      }
      return data
        + parameters.squared().dot(constant: penaltyWeights).scaled(by: 0.5 * regularization)
    }

    @differentiable(reverse,wrt: parameters)
    func dualLoss(_ parameters: DualVector, _ batch: Batch) -> DualScalar {
      let z = model.outputs(parameters, inputs: batch.inputs)
      let data = batchLoss(
        z, targets: batch.targets, lossCode: loss.code,
        width: model.outputWidth, count: batch.count)
      if penaltyWeights.isEmpty {
        return data + parameters.squaredNorm().scaled(by: 0.5 * regularization)
      }
      return data
        + parameters.squared().dot(constant: penaltyWeights).scaled(by: 0.5 * regularization)
    }

    /// m as an array, empty when every mⱼ = 1.
    private var penaltyWeights: [Double] { regularizationWeights?.storage ?? [] }

    @differentiable(reverse,wrt: parameters)
    func realOutputs(_ parameters: DVector, _ batch: Batch) -> DVector {
      model.outputs(parameters, inputs: batch.inputs)
    }

    private func check(_ x: Vector) {
      precondition(
        x.count == dimension,
        "dimension mismatch: point has \(x.count) elements, model has \(dimension) parameters")
    }

    /// f_B(θ).
    public func value(at x: Vector, batch: Batch) -> Double {
      check(x)
      return realLoss(DVector(x), batch)
    }

    /// f_B(θ), writing ∇f_B(θ) into `gradient` (one reverse pass).
    public func value(at x: Vector, batch: Batch, gradient: inout Vector) -> Double {
      check(x)
      let (v, pullback) = valueWithPullback(at: DVector(x)) { p in self.realLoss(p, batch) }
      gradient = Vector(pullback(1).materialized(count: dimension))
      return v
    }

    /// ∇²f_B(θ)·v exactly, by one forward-over-reverse pass.
    public func hessianVectorProduct(
      at x: Vector, batch: Batch, direction v: Vector, into result: inout Vector
    ) {
      check(x)
      check(v)
      let (_, pullback) = valueWithPullback(at: DualVector(value: x, tangent: v)) { p in
        self.dualLoss(p, batch)
      }
      let g = pullback(DualScalar(value: 1, tangent: 0))
      result = g.isEmpty ? .zeros(dimension) : Vector(g.tangent)
    }

    /// The generalized Gauss-Newton product at θ, prepared once: returns
    /// v ↦ Jᵀ H_ℓ J v + λ m ⊙ v. The model's pullback at θ and the loss curvature at its
    /// outputs (the softmax probabilities or the logistic slopes) are computed here and reused
    /// by every product.
    public func gaussNewtonProduct(at x: Vector, batch: Batch) -> (Vector, inout Vector) -> Void {
      check(x)
      let (z, pullback) = valueWithPullback(at: DVector(x)) { p in self.realOutputs(p, batch) }
      let (model, loss, lambda, n) = (model, loss, regularization, dimension)
      let weights = regularizationWeights
      let width = model.outputWidth
      let curvature = loss.hessianFactors(outputs: z.storage, width: width, count: batch.count)
      return { v, out in
        precondition(
          v.count == n, "dimension mismatch: direction has \(v.count) elements, model \(n)")
        let jv = model.outputs(DualVector(value: x, tangent: v), inputs: batch.inputs).tangent
        let u = loss.applyHessian(
          factors: curvature, width: width, count: batch.count, to: jv)
        out = Vector(pullback(DVector(u)).materialized(count: n))
        guard lambda != 0 else { return }
        if let m = weights {
          addWeightedProduct(lambda, m, v, &out)
        } else {
          axpy(lambda, v, &out)
        }
      }
    }

    // MARK: Objective conformances (full data set)

    /// f(θ) on all samples.
    public func value(at x: Vector) -> Double { value(at: x, batch: batch(samples: nil)) }

    /// f(θ) and ∇f(θ) on all samples.
    public func value(at x: Vector, gradient: inout Vector) -> Double {
      value(at: x, batch: batch(samples: nil), gradient: &gradient)
    }

    /// ∇²f(θ)·v on all samples.
    public func hessianVectorProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
      hessianVectorProduct(at: x, batch: batch(samples: nil), direction: v, into: &result)
    }

    /// The closures of the loss on the given samples (all when nil).
    public func oracle(samples: [Int]?) -> MiniBatchOracle {
      let b = batch(samples: samples)
      return MiniBatchOracle(
        sampleCount: b.count,
        value: { x in self.value(at: x, batch: b) },
        valueAndGradient: { x, g in self.value(at: x, batch: b, gradient: &g) },
        hessianVectorProduct: { x in
          { v, out in self.hessianVectorProduct(at: x, batch: b, direction: v, into: &out) }
        },
        gaussNewtonProduct: { x in self.gaussNewtonProduct(at: x, batch: b) })
    }
  }

  /// out ← out + λ m ⊙ v.
  private func addWeightedProduct(_ lambda: Double, _ m: Vector, _ v: Vector, _ out: inout Vector) {
    precondition(
      m.count == v.count && v.count == out.count,
      "dimension mismatch: weights \(m.count), direction \(v.count), product \(out.count)")
    m.storage.withUnsafeBufferPointer { pm in
      v.storage.withUnsafeBufferPointer { pv in
        out.storage.withUnsafeMutableBufferPointer { po in
          for j in 0..<po.count { po[j] += lambda * pm[j] * pv[j] }
        }
      }
    }
  }
#endif
