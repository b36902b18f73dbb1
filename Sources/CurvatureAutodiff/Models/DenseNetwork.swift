#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  /// A fully connected network h(θ; x) with layer widths n₀ → n₁ → … → n_L:
  ///
  ///     a₀ = x,   zₗ = Wₗ aₗ₋₁ + bₗ,   aₗ = tanh(zₗ) (or aₗ = zₗ for a linear layer),
  ///
  /// evaluated for a whole batch at once (``DifferentiableBatchVectorProtocol/batchedLinear(_:outputs:inputs:)``).
  /// The parameters θ pack, layer after layer, Wₗ (nₗ × nₗ₋₁, row-major) then bₗ (nₗ).
  /// ``linearLayers`` lists the layers (1-based, l = 1…L) without the tanh; the output layer is
  /// usually linear (its outputs are logits or reconstructions fed to an `OutputLoss`).
  public struct DenseNetwork: TrainingModel {
    /// n₀, n₁, …, n_L.
    public let layerWidths: [Int]
    /// The layers (1…L) whose activation is the identity.
    public let linearLayers: Set<Int>
    /// The offset of Wₗ in θ, for l = 1…L (index l − 1).
    let weightOffsets: [Int]

    /// Creates a network; by default only the output layer is linear.
    public init(layerWidths: [Int], linearLayers: Set<Int>? = nil) {
      precondition(
        layerWidths.count >= 2 && layerWidths.allSatisfy { $0 > 0 },
        "a network needs at least two positive layer widths, got \(layerWidths)")
      self.layerWidths = layerWidths
      self.linearLayers = linearLayers ?? [layerWidths.count - 1]
      var offsets = [Int]()
      var offset = 0
      for l in 1..<layerWidths.count {
        offsets.append(offset)
        offset += layerWidths[l] * layerWidths[l - 1] + layerWidths[l]
      }
      weightOffsets = offsets
    }

    /// Σₗ nₗ(nₗ₋₁ + 1).
    public var parameterCount: Int {
      var n = 0
      for l in 1..<layerWidths.count { n += layerWidths[l] * (layerWidths[l - 1] + 1) }
      return n
    }

    /// The ranges of the biases b₁, …, b_L in θ.
    public var biasParameters: [Range<Int>] {
      (1..<layerWidths.count).map { l in
        let start = weightOffsets[l - 1] + layerWidths[l] * layerWidths[l - 1]
        return start..<(start + layerWidths[l])
      }
    }

    /// n₀.
    public var inputWidth: Int { layerWidths[0] }
    /// n_L.
    public var outputWidth: Int { layerWidths[layerWidths.count - 1] }

    /// The forward pass over a batch. The first layer multiplies the constant inputs through
    /// ``DifferentiableBatchVectorProtocol/batchedLinear(constantBatch:outputs:inputs:)``, so
    /// that no cotangent (and, on dual vectors, no tangent) of the data is computed.
    @differentiable(reverse,wrt: parameters)
    public func outputs<V: DifferentiableBatchVectorProtocol>(_ parameters: V, inputs: [Double])
      -> V
    {
      let (n0, n1) = (layerWidths[0], layerWidths[1])
      let w1 = parameters.elements(in: 0..<(n1 * n0))
      let b1 = parameters.elements(in: (n1 * n0)..<(n1 * n0 + n1))
      let z1 = w1.batchedLinear(constantBatch: inputs, outputs: n1, inputs: n0).addingToEachRow(b1)
      var a = z1
      if !linearLayers.contains(1) { a = z1.tanh() }
      for l in 2..<layerWidths.count {
        let (nIn, nOut) = (layerWidths[l - 1], layerWidths[l])
        let start = weightOffsets[l - 1]
        let w = parameters.elements(in: start..<(start + nOut * nIn))
        let b = parameters.elements(in: (start + nOut * nIn)..<(start + nOut * nIn + nOut))
        let z = w.batchedLinear(a, outputs: nOut, inputs: nIn).addingToEachRow(b)
        if linearLayers.contains(l) {
          a = z
        } else {
          a = z.tanh()
        }
      }
      return a
    }

    /// Initial parameters: Wₗ with entries N(0, 1/nₗ₋₁) (LeCun scaling, which keeps tanh units
    /// out of saturation), biases zero; SplitMix64 normal draws in parameter order.
    public func initialParameters(seed: UInt64) -> Vector {
      var rng = SplitMix64(seed: seed)
      var theta = Vector.zeros(parameterCount)
      for l in 1..<layerWidths.count {
        let (nIn, nOut) = (layerWidths[l - 1], layerWidths[l])
        let scale = 1 / Double(nIn).squareRoot()
        for k in 0..<(nIn * nOut) { theta[weightOffsets[l - 1] + k] = scale * rng.normal() }
      }
      return theta
    }
  }
#endif
