/// A feed-forward network of dense layers, each followed by an elementwise activation:
///
///     a₀ = x,   zₗ = Wₗ aₗ₋₁ + bₗ,   aₗ = σₗ(zₗ),   l = 1…L,   output a_L,
///
/// evaluated for a whole batch at once with the package's packed matrix products (samples are
/// rows: Zₗ = Aₗ₋₁Wₗᵀ + 1bₗᵀ). Its parameters θ follow ``layout``: for each layer the block
/// "denseₗ.weight" (an nₗ × nₗ₋₁ matrix, label "weight") and, with a bias, "denseₗ.bias" (a
/// vector, label "bias").
///
/// Pair it with an ``OutputLoss`` and data in a ``NetworkObjective`` for the loss, its gradient,
/// exact Hessian-vector and Gauss-Newton products, and the per-layer statistics of ``KFAC``.
public struct Network: Sendable, Hashable, Codable {
  /// One dense layer with its activation and parameter blocks.
  public struct DenseLayer: Sendable, Hashable, Codable {
    /// nₗ₋₁.
    public var inputs: Int
    /// nₗ.
    public var outputs: Int
    /// σₗ (the identity when no activation follows the layer).
    public var activation: Activation
    /// The weight block Wₗ (outputs × inputs).
    public var weight: ParameterBlock
    /// The bias block bₗ, when the layer has one.
    public var bias: ParameterBlock?
  }

  /// n₀.
  public let inputWidth: Int
  /// The dense layers in order.
  public let denseLayers: [DenseLayer]
  /// The parameter blocks.
  public let layout: ParameterLayout

  /// A network from its layers: each dense layer may be followed by one activation.
  ///
  /// - Precondition: `inputWidth > 0`, the list starts with a dense layer of positive width, and
  ///   no activation follows another.
  public init(inputWidth: Int, layers: [NetworkLayer]) {
    precondition(inputWidth > 0, "a network needs a positive input width, got \(inputWidth)")
    var dense: [DenseLayer] = []
    var layout = ParameterLayout()
    var width = inputWidth
    var activated = false
    for layer in layers {
      switch layer.kind {
      case .dense(let outputs, let bias):
        precondition(outputs > 0, "a dense layer needs a positive width, got \(outputs)")
        let l = dense.count + 1
        let w = layout.append(
          name: "dense\(l).weight", shape: .matrix(rows: outputs, columns: width), label: "weight")
        let b =
          bias ? layout.append(name: "dense\(l).bias", shape: .vector(outputs), label: "bias") : nil
        dense.append(
          DenseLayer(inputs: width, outputs: outputs, activation: .identity, weight: w, bias: b))
        width = outputs
        activated = false
      case .activation(let a):
        precondition(!dense.isEmpty, "a network starts with a dense layer, not an activation")
        precondition(!activated, "two activations in a row after dense layer \(dense.count)")
        dense[dense.count - 1].activation = a
        activated = true
      }
    }
    precondition(!dense.isEmpty, "a network needs at least one dense layer")
    self.inputWidth = inputWidth
    self.denseLayers = dense
    self.layout = layout
  }

  /// n_L.
  public var outputWidth: Int { denseLayers[denseLayers.count - 1].outputs }
  /// dim θ.
  public var parameterCount: Int { layout.count }

  /// Initial parameters: Wₗ with entries N(0, s/nₗ₋₁), s = 2 for ReLU and GELU layers (He et al.
  /// 2015) and 1 otherwise (LeCun), biases zero; SplitMix64 normal draws in parameter order.
  public func initialParameters(seed: UInt64) -> Vector {
    var rng = SplitMix64(seed: seed)
    var theta = Vector.zeros(parameterCount)
    for layer in denseLayers {
      let gain = layer.activation == .relu || layer.activation == .gelu ? 2.0 : 1.0
      let scale = (gain / Double(layer.inputs)).squareRoot()
      for k in layer.weight.range { theta[k] = scale * rng.normal() }
    }
    return theta
  }

  /// The outputs a_L for the batch `inputs` (one sample per row, `inputWidth` columns).
  ///
  /// - Precondition: `parameters.count == parameterCount` and `inputs.columns == inputWidth`.
  public func outputs(_ parameters: Vector, inputs: Matrix) -> Matrix {
    precondition(
      parameters.count == parameterCount,
      "dimension mismatch: \(parameters.count) parameters for a network of \(parameterCount)")
    precondition(
      inputs.columns == inputWidth,
      "dimension mismatch: inputs have \(inputs.columns) columns, the network \(inputWidth)")
    let pass = NetworkPass(network: self, inputs: inputs.storage, rows: inputs.rows)
    pass.forward(parameters)
    return Matrix(rows: inputs.rows, columns: outputWidth, storage: pass.a[denseLayers.count - 1])
  }
}
