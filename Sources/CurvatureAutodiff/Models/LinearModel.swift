#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  /// The linear model z = W·x + b with k outputs per sample, for a batch Z = X·Wᵀ + 1·bᵀ.
  ///
  /// The parameters θ pack W (k × d, row-major) and then, when the model has an intercept,
  /// b ∈ ℝᵏ. By default k = 1 and there is no intercept, so θ = w ∈ ℝᵈ and z = Xθ (the model
  /// of `CurvatureProblems`' `LogisticRegression`, which existing solves and tests rely on).
  ///
  /// With one output, the `OutputLoss.logistic` loss, targets tᵢ = (1 + yᵢ)/2 for labels
  /// yᵢ = ±1 and no intercept, the loss of ``ModelObjective``
  ///
  ///     (1/m) Σᵢ [log(1 + exp(zᵢ)) − tᵢzᵢ] + (λ/2)‖θ‖² = (1/m) Σᵢ log(1 + exp(−yᵢaᵢᵀθ)) + (λ/2)‖θ‖²
  ///
  /// is L2-regularized logistic regression (Hastie, Tibshirani & Friedman, *The Elements of
  /// Statistical Learning*, 2nd ed., section 4.4); with k outputs and
  /// `OutputLoss.softmaxCrossEntropy` it is multinomial logistic regression (section 4.4.1).
  /// An intercept is usually left out of the penalty: pass
  /// ``RegularizationMask/excludingBiases`` (the intercept b is what
  /// ``biasParameters`` lists). The Gauss-Newton matrix of this model equals the Hessian,
  /// because z is linear in θ.
  public struct LinearModel: TrainingModel {
    /// d, the number of features.
    public let inputWidth: Int
    /// k, the number of outputs per sample.
    public let outputWidth: Int
    /// Whether θ ends with an intercept b ∈ ℝᵏ.
    public let hasIntercept: Bool

    /// A linear model over d features with k outputs (1 by default), with an intercept b when
    /// `intercept` is true (not by default, which keeps z = Xθ).
    public init(features d: Int, outputs k: Int = 1, intercept: Bool = false) {
      precondition(d > 0, "a linear model needs at least one feature, got \(d)")
      precondition(k > 0, "a linear model needs at least one output, got \(k)")
      inputWidth = d
      outputWidth = k
      hasIntercept = intercept
    }

    /// k·d, plus k with an intercept.
    public var parameterCount: Int { outputWidth * inputWidth + (hasIntercept ? outputWidth : 0) }

    /// The intercept b (the last k parameters), or nothing without one.
    public var biasParameters: [Range<Int>] {
      let w = outputWidth * inputWidth
      return hasIntercept ? [w..<(w + outputWidth)] : []
    }

    /// Z = X·Wᵀ (+ 1·bᵀ) over a batch.
    @differentiable(reverse,wrt: parameters)
    public func outputs<V: DifferentiableBatchVectorProtocol>(_ parameters: V, inputs: [Double])
      -> V
    {
      let (d, k) = (inputWidth, outputWidth)
      if !hasIntercept {
        return parameters.batchedLinear(constantBatch: inputs, outputs: k, inputs: d)
      }
      let w = parameters.elements(in: 0..<(k * d))
      let b = parameters.elements(in: (k * d)..<(k * d + k))
      return w.batchedLinear(constantBatch: inputs, outputs: k, inputs: d).addingToEachRow(b)
    }
  }

  extension ModelObjective where Model == LinearModel {
    /// L2-regularized binary logistic regression on features A (m × d, row-major) and labels
    /// ±1, written with autodiff: the one-output ``LinearModel`` with the logistic loss and
    /// targets tᵢ = (1 + yᵢ)/2,
    ///
    ///     f(θ) = (1/m) Σᵢ log(1 + exp(−yᵢ(aᵢᵀw + c))) + (λ/2)‖w‖²  (+ (λ/2)c² if penalized),
    ///
    /// where θ = w without an intercept (the default) and θ = (w, c) with one. The intercept c
    /// is not penalized unless `penalizingIntercept` is true.
    ///
    /// scikit-learn's `LogisticRegression(C=C)` (L2, `fit_intercept=True`) minimizes
    /// C·Σᵢ log(1 + exp(−yᵢ(aᵢᵀw + c))) + ½‖w‖², which is m·C times f with λ = 1/(C·m) and
    /// `intercept: true`: the same minimizer.
    public static func logisticRegression(
      features: Matrix, labels: Vector, regularization: Double, intercept: Bool = false,
      penalizingIntercept: Bool = false
    ) -> ModelObjective<LinearModel> {
      precondition(
        features.rows == labels.count,
        "dimension mismatch: \(features.rows) feature rows, \(labels.count) labels")
      return ModelObjective(
        model: LinearModel(features: features.columns, intercept: intercept),
        inputs: features.storage, targets: labels.storage.map { ($0 + 1) / 2 }, loss: .logistic,
        regularization: regularization,
        regularizationMask: penalizingIntercept ? .all : .excludingBiases)
    }

    /// L2-regularized multinomial logistic regression on features A (m × d, row-major) and
    /// class labels yᵢ ∈ 0..<k: the k-output ``LinearModel`` with softmax cross-entropy and
    /// one-hot targets,
    ///
    ///     f(W, b) = (1/m) Σᵢ [log Σⱼ exp(wⱼᵀaᵢ + bⱼ) − (w_{yᵢ}ᵀaᵢ + b_{yᵢ})] + (λ/2)‖W‖²_F,
    ///
    /// with the intercept b ∈ ℝᵏ when `intercept` is true (unpenalized unless
    /// `penalizingIntercept`). scikit-learn's multinomial `LogisticRegression(C=C)` is the
    /// same problem with λ = 1/(C·m).
    public static func multinomialLogisticRegression(
      features: Matrix, labels: [Int], classes k: Int, regularization: Double, intercept: Bool,
      penalizingIntercept: Bool = false
    ) -> ModelObjective<LinearModel> {
      precondition(
        features.rows == labels.count,
        "dimension mismatch: \(features.rows) feature rows, \(labels.count) labels")
      var targets = [Double](repeating: 0, count: labels.count * k)
      for (i, y) in labels.enumerated() {
        precondition(y >= 0 && y < k, "label \(y) of sample \(i) out of range 0..<\(k)")
        targets[i * k + y] = 1
      }
      return ModelObjective(
        model: LinearModel(features: features.columns, outputs: k, intercept: intercept),
        inputs: features.storage, targets: targets, loss: .softmaxCrossEntropy,
        regularization: regularization,
        regularizationMask: penalizingIntercept ? .all : .excludingBiases)
    }
  }
#endif
