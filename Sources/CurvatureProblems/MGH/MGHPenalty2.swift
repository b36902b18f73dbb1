import Curvature
import RealModule

/// MGH problem 24, penalty function II: n variables (here 10), m = 2n, with a = 10⁻⁵:
/// r₁ = x₁ − 0.2; rᵢ = √a(e^{xᵢ/10} + e^{xᵢ₋₁/10} − yᵢ) for 2 ≤ i ≤ n with
/// yᵢ = e^{i/10} + e^{(i−1)/10}; rᵢ = √a(e^{xᵢ₋ₙ₊₁/10} − e^{−1/10}) for n < i < 2n;
/// r₂ₙ = Σⱼ (n − j + 1)xⱼ² − 1; x₀ = (½, …, ½); f* = 2.93660·10⁻⁴ for n = 10 (MGH; digits and
/// minimizer from a converged solve).
struct MGHPenalty2: MGHDefinition {
  let dimension: Int
  let number = 24
  let title = "Penalty function II"
  let localMinima: [Double] = []

  /// Penalty II with n variables (f* stored for n = 4 and n = 10, x* for n = 10).
  init(dimension: Int = 10) {
    precondition(dimension >= 2, "penalty II needs n ≥ 2, got \(dimension)")
    self.dimension = dimension
  }

  static let sqrtA = (1e-5).squareRoot()

  var name: String { "penalty2_n\(dimension)" }
  var residualCount: Int { 2 * dimension }
  var startingPoint: [Double] { Array(repeating: 0.5, count: dimension) }
  var optimalValue: Double? {
    switch dimension {
    case 4: 9.37629e-6
    case 10: 2.93660537456746e-4
    default: nil
    }
  }
  var minimizer: [Double]? {
    dimension == 10
      ? [
        0.19998360519782363, 0.010350648471292299, 0.019604934480438405, 0.03208906722068565,
        0.0499326773996413, 0.07651399515399361, 0.11862407286950419, 0.1921448723355767,
        0.3473205869418436, 0.36916437415935077,
      ] : nil
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    let n = dimension
    let a = Self.sqrtA
    r[0] = x[0] - 0.2
    for i in 1..<n {
      let y = Double.exp(Double(i + 1) / 10) + Double.exp(Double(i) / 10)
      r[i] = a * (T.exp(x[i] / 10) + T.exp(x[i - 1] / 10) - y)
    }
    let shift = Double.exp(-0.1)
    for i in n..<(2 * n - 1) {
      r[i] = a * (T.exp(x[i - n + 1] / 10) - shift)
    }
    var s = T(0)
    for j in 0..<n { s += Double(n - j) * (x[j] * x[j]) }
    r[2 * n - 1] = s - 1
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    let n = dimension
    let c = Self.sqrtA / 10
    jac[0, 0] = T(1)
    for i in 1..<n {
      jac[i, i] = c * T.exp(x[i] / 10)
      jac[i, i - 1] = c * T.exp(x[i - 1] / 10)
    }
    for i in n..<(2 * n - 1) {
      jac[i, i - n + 1] = c * T.exp(x[i - n + 1] / 10)
    }
    for j in 0..<n { jac[2 * n - 1, j] = Double(2 * (n - j)) * x[j] }
  }
}
