import Curvature

/// MGH problem 15, Kowalik and Osborne: n = 4, m = 11,
/// rᵢ = yᵢ − x₁(uᵢ² + uᵢx₂)/(uᵢ² + uᵢx₃ + x₄) with the data (y, u) below;
/// x₀ = (0.25, 0.39, 0.415, 0.39); f* = 3.07505·10⁻⁴ (MGH; digits and minimizer from a converged
/// solve), and f = 1.02734·10⁻³ as x₁ → ∞, x₃, x₄ → −∞.
struct MGHKowalikOsborne: MGHDefinition {
  let name = "kowalik_osborne"
  let number = 15
  let title = "Kowalik and Osborne"
  let dimension = 4
  let residualCount = 11
  let startingPoint: [Double] = [0.25, 0.39, 0.415, 0.39]
  let optimalValue: Double? = 3.07505603849238e-4
  let minimizer: [Double]? = [
    0.1928069345790379, 0.1912823287343668, 0.12305650692632074, 0.13606233068379475,
  ]
  let localMinima: [Double] = [1.02734e-3]

  static let y: [Double] = [
    0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246,
  ]
  static let u: [Double] = [
    4, 2, 1, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625,
  ]

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for k in 0..<11 {
      let u = Self.u[k]
      let numerator = u * u + u * x[1]
      let denominator = u * u + u * x[2] + x[3]
      r[k] = Self.y[k] - x[0] * numerator / denominator
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for k in 0..<11 {
      let u = Self.u[k]
      let numerator = u * u + u * x[1]
      let denominator = u * u + u * x[2] + x[3]
      let ratio = x[0] * numerator / (denominator * denominator)
      jac[k, 0] = -numerator / denominator
      jac[k, 1] = -u * x[0] / denominator
      jac[k, 2] = u * ratio
      jac[k, 3] = ratio
    }
  }
}
