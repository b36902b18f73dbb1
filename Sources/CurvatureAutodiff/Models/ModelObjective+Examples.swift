#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  extension ModelObjective where Model == DenseNetwork {
    /// A tanh MLP classifier on ``TwoSpirals``: widths 2 → hidden… → 2 with a linear output
    /// layer and softmax cross-entropy, regularization λ on all parameters.
    public static func spiralsClassifier(
      data: TwoSpirals = TwoSpirals(), hiddenWidths: [Int] = [32, 32],
      regularization: Double = 1e-4
    ) -> ModelObjective<DenseNetwork> {
      ModelObjective(
        model: DenseNetwork(layerWidths: [2] + hiddenWidths + [2]), inputs: data.inputs,
        targets: data.oneHotTargets, loss: .softmaxCrossEntropy, regularization: regularization)
    }

    /// A deep autoencoder on ``BezierCurves`` (after Martens' CURVES network): widths
    /// 2k → encoder… → code → decoder (the encoder reversed) → 2k, tanh everywhere except the
    /// code layer and the output layer (linear), half squared error, regularization λ.
    public static func curvesAutoencoder(
      data: BezierCurves = BezierCurves(), encoderWidths: [Int] = [48, 24], codeWidth: Int = 6,
      regularization: Double = 1e-5
    ) -> ModelObjective<DenseNetwork> {
      let widths =
        [data.width] + encoderWidths + [codeWidth] + encoderWidths.reversed()
        + [data.width]
      let code = encoderWidths.count + 1
      return ModelObjective(
        model: DenseNetwork(layerWidths: widths, linearLayers: [code, widths.count - 1]),
        inputs: data.samples, targets: data.samples, loss: .squaredError,
        regularization: regularization)
    }
  }
#endif
