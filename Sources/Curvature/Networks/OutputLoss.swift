import RealModule

/// The loss ℓ(z, t) of one sample's model outputs z and target t; training losses average it
/// over the batch.
public enum OutputLoss: String, Sendable, Hashable, Codable, CaseIterable {
  /// Softmax cross-entropy ℓ = log Σₖ exp(zₖ) − tᵀz (one-hot or probability targets), with
  /// gradient p − t and Hessian diag(p) − ppᵀ, p = softmax(z).
  case softmaxCrossEntropy
  /// Sigmoid (binary) cross-entropy with logits per output, targets in [0, 1]:
  /// ℓ = Σₖ log(1 + exp(zₖ)) − tₖzₖ, with gradient σ(z) − t and Hessian diag(σ(zₖ)(1 − σ(zₖ))).
  case logistic
  /// Half the squared error ℓ = ½‖z − t‖², with gradient z − t and Hessian I.
  case squaredError
}

extension OutputLoss {
  /// Σᵢ ℓ(zᵢ, tᵢ) over the `rows` samples of width `width` (row-major), and, when `gradient` is
  /// given, the per-sample gradients ∇ℓ(zᵢ, tᵢ) scaled by `scale` into it.
  func evaluate(
    outputs z: UnsafePointer<Double>, targets t: UnsafePointer<Double>, rows: Int, width: Int,
    gradient: UnsafeMutablePointer<Double>?, scale: Double
  ) -> Double {
    var total = 0.0
    switch self {
    case .softmaxCrossEntropy:
      for i in 0..<rows {
        let zi = z + i * width
        let ti = t + i * width
        var top = -Double.infinity
        for k in 0..<width { top = Swift.max(top, zi[k]) }
        var s = 0.0
        for k in 0..<width { s += Double.exp(zi[k] - top) }
        let lse = top + Double.log(s)
        var tz = 0.0
        for k in 0..<width { tz += ti[k] * zi[k] }
        total += lse - tz
        if let g = gradient {
          let gi = g + i * width
          for k in 0..<width { gi[k] = scale * (Double.exp(zi[k] - lse) - ti[k]) }
        }
      }
    case .logistic:
      for k in 0..<(rows * width) {
        let x = z[k]
        total += Swift.max(x, 0) + Double.log(onePlus: Double.exp(-Swift.abs(x))) - t[k] * x
        if let g = gradient { g[k] = scale * (logisticFunction(x) - t[k]) }
      }
    case .squaredError:
      for k in 0..<(rows * width) {
        let r = z[k] - t[k]
        total += 0.5 * r * r
        if let g = gradient { g[k] = scale * r }
      }
    }
    return total
  }

  /// r ← scale · blockdiag(∇²ℓ(zᵢ))·u for `rows` samples of width `width` (row-major).
  func applyHessian(
    outputs z: UnsafePointer<Double>, direction u: UnsafePointer<Double>,
    into r: UnsafeMutablePointer<Double>, rows: Int, width: Int, scale: Double
  ) {
    switch self {
    case .softmaxCrossEntropy:
      for i in 0..<rows {
        let (zi, ui, ri) = (z + i * width, u + i * width, r + i * width)
        var top = -Double.infinity
        for k in 0..<width { top = Swift.max(top, zi[k]) }
        var s = 0.0
        for k in 0..<width {
          ri[k] = Double.exp(zi[k] - top)
          s += ri[k]
        }
        var pu = 0.0
        for k in 0..<width {
          ri[k] /= s
          pu += ri[k] * ui[k]
        }
        for k in 0..<width { ri[k] = scale * ri[k] * (ui[k] - pu) }
      }
    case .logistic:
      for k in 0..<(rows * width) {
        let p = logisticFunction(z[k])
        r[k] = scale * p * (1 - p) * u[k]
      }
    case .squaredError:
      for k in 0..<(rows * width) { r[k] = scale * u[k] }
    }
  }

  /// The per-sample gradients ∇ℓ(zᵢ, ŷᵢ) at targets ŷᵢ drawn from the model's predictive
  /// distribution (a category from softmax(zᵢ), a Bernoulli draw per output with probability
  /// σ(zₖ), or zᵢ plus standard normal noise), into `g`: the output gradients whose outer
  /// products average to the true Fisher (Martens & Grosse 2015, section 5).
  func sampledGradient(
    outputs z: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>, rows: Int,
    width: Int, generator: inout SplitMix64
  ) {
    switch self {
    case .softmaxCrossEntropy:
      for i in 0..<rows {
        let (zi, gi) = (z + i * width, g + i * width)
        var top = -Double.infinity
        for k in 0..<width { top = Swift.max(top, zi[k]) }
        var s = 0.0
        for k in 0..<width {
          gi[k] = Double.exp(zi[k] - top)
          s += gi[k]
        }
        let u = generator.uniform() * s
        var chosen = width - 1
        var acc = 0.0
        for k in 0..<width {
          acc += gi[k]
          if u < acc {
            chosen = k
            break
          }
        }
        for k in 0..<width { gi[k] /= s }
        gi[chosen] -= 1
      }
    case .logistic:
      for k in 0..<(rows * width) {
        let p = logisticFunction(z[k])
        g[k] = p - (generator.uniform() < p ? 1 : 0)
      }
    case .squaredError:
      for k in 0..<(rows * width) { g[k] = -generator.normal() }
    }
  }
}
