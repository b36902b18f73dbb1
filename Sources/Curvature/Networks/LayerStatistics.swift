/// Which output gradients K-FAC's second factor averages.
public enum FisherEstimate: String, Sendable, Hashable, Codable {
  /// Gradients at targets drawn from the model's predictive distribution: an unbiased estimate
  /// of the true Fisher, which equals the generalized Gauss-Newton matrix for the losses of
  /// ``OutputLoss`` (Martens & Grosse 2015, section 5).
  case sampled
  /// Gradients at the data's own targets: the empirical Fisher (cheaper, biased; Kunstner,
  /// Balles & Hennig 2019 on its limits).
  case empirical
}

/// What one dense layer saw on the current batch: its inputs aᵢ and the per-sample gradients
/// gᵢ = ∂ℓᵢ/∂zᵢ of its outputs, from which K-FAC forms its Kronecker factors A = E[āāᵀ] (ā = (a, 1)
/// with a bias) and G = E[ggᵀ]. A typed part of ``UpdateContext``.
public struct LayerStatistics: Sendable {
  /// The layer's index among the network's dense layers (0-based).
  public var layer: Int
  /// B × nₗ₋₁: the inputs aₗ₋₁ of each sample (rows).
  public var inputs: Matrix
  /// B × nₗ: the gradients of each sample's loss with respect to the layer's outputs zₗ.
  public var outputGradients: Matrix
  /// The layer's weight block in the parameter layout.
  public var weight: ParameterBlock
  /// Its bias block, when it has one.
  public var bias: ParameterBlock?

  /// Creates statistics.
  public init(
    layer: Int, inputs: Matrix, outputGradients: Matrix, weight: ParameterBlock,
    bias: ParameterBlock?
  ) {
    precondition(
      inputs.rows == outputGradients.rows,
      "dimension mismatch: \(inputs.rows) input rows, \(outputGradients.rows) gradient rows")
    self.layer = layer
    self.inputs = inputs
    self.outputGradients = outputGradients
    self.weight = weight
    self.bias = bias
  }
}
