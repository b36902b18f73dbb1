import RealModule

/// An elementwise activation a = σ(z) of a network layer, with the first and second derivatives
/// that back-propagation, Gauss-Newton products and exact Hessian-vector products need.
public enum Activation: String, Sendable, Hashable, Codable, CaseIterable {
  /// σ(z) = z.
  case identity
  /// σ(z) = tanh z; σ' = 1 − a², σ'' = −2a(1 − a²).
  case tanh
  /// σ(z) = max(z, 0); σ' = 1 for z > 0 and 0 otherwise, σ'' = 0 (almost everywhere).
  case relu
  /// σ(z) = 1/(1 + e⁻ᶻ); σ' = a(1 − a), σ'' = a(1 − a)(1 − 2a).
  case sigmoid
  /// The exact GELU σ(z) = z Φ(z) with Φ the standard normal distribution function (Hendrycks &
  /// Gimpel 2016); σ' = Φ(z) + z φ(z), σ'' = φ(z)(2 − z²).
  case gelu

  /// a = σ(z), elementwise, into `a` (which may alias nothing else).
  func apply(_ z: UnsafePointer<Double>, _ a: UnsafeMutablePointer<Double>, count n: Int) {
    switch self {
    case .identity: for i in 0..<n { a[i] = z[i] }
    case .tanh:
      var i = 0
      while i + 4 <= n {
        let t = fastTanh(SIMD4(z[i], z[i + 1], z[i + 2], z[i + 3]))
        (a[i], a[i + 1], a[i + 2], a[i + 3]) = (t[0], t[1], t[2], t[3])
        i += 4
      }
      while i < n {
        a[i] = fastTanh(z[i])
        i += 1
      }
    case .relu: for i in 0..<n { a[i] = Swift.max(z[i], 0) }
    case .sigmoid: for i in 0..<n { a[i] = logisticFunction(z[i]) }
    case .gelu: for i in 0..<n { a[i] = z[i] * normalDistribution(z[i]) }
    }
  }

  /// σ'(z) from z and a = σ(z).
  @inline(__always)
  func derivative(z: Double, a: Double) -> Double {
    switch self {
    case .identity: 1
    case .tanh: 1 - a * a
    case .relu: z > 0 ? 1 : 0
    case .sigmoid: a * (1 - a)
    case .gelu: normalDistribution(z) + z * normalDensity(z)
    }
  }

  /// σ''(z) from z and a = σ(z).
  @inline(__always)
  func secondDerivative(z: Double, a: Double) -> Double {
    switch self {
    case .identity, .relu: 0
    case .tanh: -2 * a * (1 - a * a)
    case .sigmoid: a * (1 - a) * (1 - 2 * a)
    case .gelu: normalDensity(z) * (2 - z * z)
    }
  }

  /// True when σ'' vanishes, so exact Hessian-vector products skip its term.
  var isPiecewiseLinear: Bool { self == .identity || self == .relu }

  /// u ← u ⊙ σ'(z), elementwise.
  func multiplyByDerivative(
    _ u: UnsafeMutablePointer<Double>, z: UnsafePointer<Double>, a: UnsafePointer<Double>,
    count n: Int
  ) {
    switch self {
    case .identity: return
    case .tanh: for i in 0..<n { u[i] *= 1 - a[i] * a[i] }
    case .relu: for i in 0..<n where !(z[i] > 0) { u[i] = 0 }
    case .sigmoid: for i in 0..<n { u[i] *= a[i] * (1 - a[i]) }
    case .gelu: for i in 0..<n { u[i] *= derivative(z: z[i], a: a[i]) }
    }
  }
}

/// 1/(1 + e⁻ᶻ), without overflow for large |z|.
@inline(__always)
func logisticFunction(_ z: Double) -> Double {
  if z >= 0 { return 1 / (1 + Double.exp(-z)) }
  let e = Double.exp(z)
  return e / (1 + e)
}

/// Φ(z) = ½(1 + erf(z/√2)).
@inline(__always)
func normalDistribution(_ z: Double) -> Double {
  0.5 * (1 + Double.erf(z * 0.707_106_781_186_547_524_4))
}

/// φ(z) = e^{−z²/2}/√(2π).
@inline(__always)
func normalDensity(_ z: Double) -> Double {
  0.398_942_280_401_432_677_94 * Double.exp(-0.5 * z * z)
}
