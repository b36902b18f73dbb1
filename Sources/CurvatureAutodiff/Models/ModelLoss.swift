#if canImport(_Differentiation)
  import _Differentiation
  import Curvature
  import RealModule

  /// The batch-averaged data term (1/B) Σᵢ ℓ(zᵢ, tᵢ) for outputs z and targets t stored as
  /// `B × width` row-major matrices.
  @differentiable(reverse,wrt: outputs)
  func batchLoss<V: DifferentiableBatchVectorProtocol>(
    _ outputs: V, targets: [Double], lossCode: Int, width: Int, count: Int
  ) -> V.Scalar {
    let scale = 1 / Double(Swift.max(count, 1))
    if lossCode == 0 {
      let lse = outputs.rowLogSumExp(width: width).sum()
      return (lse - outputs.dot(constant: targets)).scaled(by: scale)
    }
    if lossCode == 1 {
      return (outputs.softplus().sum() - outputs.dot(constant: targets)).scaled(by: scale)
    }
    return outputs.subtracting(constant: targets).squaredNorm().scaled(by: 0.5 * scale)
  }

  extension OutputLoss {
    /// 0, 1, 2: a plain integer for branching inside differentiable code.
    var code: Int {
      switch self {
      case .softmaxCrossEntropy: 0
      case .logistic: 1
      case .squaredError: 2
      }
    }

    /// The per-point factors of the loss Hessian at the outputs z (`B × width`) of a batch
    /// of `count` samples: the row softmax p for softmax cross-entropy, σ(zₖ)(1 − σ(zₖ))/B
    /// for the logistic loss, nothing for the squared error (whose Hessian is I). Computed
    /// once per point and reused by every ``applyHessian(factors:width:count:to:)``.
    func hessianFactors(outputs z: [Double], width: Int, count: Int) -> [Double] {
      let scale = 1 / Double(Swift.max(count, 1))
      switch self {
      case .softmaxCrossEntropy:
        return rowSoftmax(z, width: width).probabilities
      case .logistic:
        return mapElements(z) { a in
          let e = Double.exp(-Swift.abs(a))
          return scale * e / ((1 + e) * (1 + e))
        }
      case .squaredError:
        return []
      }
    }

    /// Writes H_ℓ·u averaged over the batch (that is, (1/B) blockdiag(∇²ℓ(zᵢ))·u) for a
    /// direction u (`B × width`, row-major), from the factors of
    /// ``hessianFactors(outputs:width:count:)``: (1/B) pᵢ ⊙ (uᵢ − pᵢᵀuᵢ) per row for softmax
    /// cross-entropy, (σ(1 − σ)/B) ⊙ u for the logistic loss, u/B for the squared error.
    func applyHessian(factors p: [Double], width: Int, count: Int, to u: [Double]) -> [Double] {
      let scale = 1 / Double(Swift.max(count, 1))
      switch self {
      case .softmaxCrossEntropy:
        precondition(
          p.count == u.count, "dimension mismatch: outputs \(p.count), direction \(u.count)")
        return [Double](unsafeUninitializedCapacity: u.count) { out, written in
          p.withUnsafeBufferPointer { pp in
            u.withUnsafeBufferPointer { pu in
              guard let d = out.baseAddress, let a = pp.baseAddress, let b = pu.baseAddress
              else { return }
              for i in 0..<(u.count / width) {
                let r = i * width
                var dot = 0.0
                for j in 0..<width { dot += a[r + j] * b[r + j] }
                for j in 0..<width {
                  (d + r + j).initialize(to: scale * a[r + j] * (b[r + j] - dot))
                }
              }
            }
          }
          written = u.count
        }
      case .logistic:
        precondition(
          p.count == u.count, "dimension mismatch: outputs \(p.count), direction \(u.count)")
        return mapElements(p, u) { $0 * $1 }
      case .squaredError:
        return mapElements(u) { scale * $0 }
      }
    }
  }
#endif
