#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  /// The linear model z = Xθ with one output per sample and no intercept (the parameters are
  /// the weights w ∈ ℝᵈ). With the ``OutputLoss/logistic`` loss, targets tᵢ = (1 + yᵢ)/2 for
  /// labels yᵢ = ±1 and regularization λ, the loss
  ///
  ///     (1/m) Σᵢ [log(1 + exp(zᵢ)) − tᵢzᵢ] + (λ/2)‖θ‖² = (1/m) Σᵢ log(1 + exp(−yᵢaᵢᵀθ)) + (λ/2)‖θ‖²
  ///
  /// is L2-regularized logistic regression (Hastie, Tibshirani & Friedman, *The Elements of
  /// Statistical Learning*, 2nd ed., section 4.4). Its Gauss-Newton matrix equals the Hessian,
  /// because the model is linear in θ.
  public struct LinearModel: TrainingModel {
    /// d.
    public let inputWidth: Int

    /// A linear model over d features.
    public init(features d: Int) {
      precondition(d > 0, "a linear model needs at least one feature, got \(d)")
      inputWidth = d
    }

    /// d.
    public var parameterCount: Int { inputWidth }
    /// 1.
    public var outputWidth: Int { 1 }

    /// z = Xθ over a batch.
    @differentiable(reverse,wrt: parameters)
    public func outputs<V: DifferentiableBatchVectorProtocol>(_ parameters: V, inputs: [Double])
      -> V
    {
      parameters.batchedLinear(constantBatch: inputs, outputs: 1, inputs: inputWidth)
    }
  }

  extension ModelObjective where Model == LinearModel {
    /// L2-regularized logistic regression on features A (m × d, row-major) and labels ±1,
    /// written with autodiff: the ``LinearModel`` with the logistic loss and targets
    /// tᵢ = (1 + yᵢ)/2.
    public static func logisticRegression(
      features: Matrix, labels: Vector, regularization: Double
    ) -> ModelObjective<LinearModel> {
      precondition(
        features.rows == labels.count,
        "dimension mismatch: \(features.rows) feature rows, \(labels.count) labels")
      return ModelObjective(
        model: LinearModel(features: features.columns), inputs: features.storage,
        targets: labels.storage.map { ($0 + 1) / 2 }, loss: .logistic,
        regularization: regularization)
    }
  }
#endif
