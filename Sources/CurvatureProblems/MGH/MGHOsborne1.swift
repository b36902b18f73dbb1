import Curvature

/// MGH problem 17, Osborne 1: n = 5, m = 33,
/// rᵢ = yᵢ − (x₁ + x₂e^{−tᵢx₄} + x₃e^{−tᵢx₅}) with tᵢ = 10(i − 1) and the data y below;
/// x₀ = (0.5, 1.5, −1, 0.01, 0.02); f* = 5.46489·10⁻⁵ (MGH; digits and minimizer from a
/// converged solve).
struct MGHOsborne1: MGHDefinition {
  let name = "osborne1"
  let number = 17
  let title = "Osborne 1"
  let dimension = 5
  let residualCount = 33
  let startingPoint: [Double] = [0.5, 1.5, -1, 0.01, 0.02]
  let optimalValue: Double? = 5.46489469748291e-5
  let minimizer: [Double]? = [
    0.37541005210695194, 1.9358469127123559, -1.4646871366134115, 0.012867534640057266,
    0.02212269966167266,
  ]
  let localMinima: [Double] = []

  static let y: [Double] = [
    0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751, 0.718, 0.685,
    0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490, 0.478, 0.467, 0.457, 0.448,
    0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406,
  ]

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for k in 0..<33 {
      let t = 10 * Double(k)
      let model = x[0] + x[1] * T.exp(-t * x[3]) + x[2] * T.exp(-t * x[4])
      r[k] = Self.y[k] - model
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for k in 0..<33 {
      let t = 10 * Double(k)
      let e4 = T.exp(-t * x[3])
      let e5 = T.exp(-t * x[4])
      jac[k, 0] = T(-1)
      jac[k, 1] = -e4
      jac[k, 2] = -e5
      jac[k, 3] = t * x[1] * e4
      jac[k, 4] = t * x[2] * e5
    }
  }
}
