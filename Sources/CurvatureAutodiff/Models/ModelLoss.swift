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

    /// Writes H_ℓ·u averaged over the batch (that is, (1/B) blockdiag(∇²ℓ(zᵢ))·u) for outputs z
    /// and a direction u, both `B × width` row-major.
    func applyHessian(outputs z: [Double], width: Int, count: Int, to u: [Double]) -> [Double] {
      precondition(
        z.count == u.count, "dimension mismatch: outputs \(z.count), direction \(u.count)")
      let scale = 1 / Double(Swift.max(count, 1))
      var r = [Double](repeating: 0, count: u.count)
      switch self {
      case .softmaxCrossEntropy:
        let p = rowSoftmax(z, width: width).probabilities
        for i in 0..<(z.count / width) {
          var pu = 0.0
          for j in 0..<width { pu += p[i * width + j] * u[i * width + j] }
          for j in 0..<width {
            let k = i * width + j
            r[k] = scale * p[k] * (u[k] - pu)
          }
        }
      case .logistic:
        for k in 0..<z.count {
          let e = Double.exp(-Swift.abs(z[k]))
          r[k] = scale * e / ((1 + e) * (1 + e)) * u[k]
        }
      case .squaredError:
        for k in 0..<z.count { r[k] = scale * u[k] }
      }
      return r
    }
  }
#endif
