import Curvature

/// MGH problem 9, Gaussian: n = 3, m = 15, rᵢ = x₁ exp(−x₂(tᵢ − x₃)²/2) − yᵢ with
/// tᵢ = (8 − i)/2 and the symmetric data y below; x₀ = (0.4, 1, 0); f* = 1.12793·10⁻⁸ (MGH;
/// digits and minimizer from a converged solve).
struct MGHGaussian: MGHDefinition {
  let name = "gaussian"
  let number = 9
  let title = "Gaussian"
  let dimension = 3
  let residualCount = 15
  let startingPoint: [Double] = [0.4, 1, 0]
  let optimalValue: Double? = 1.12793276961912e-8
  let minimizer: [Double]? = [0.39895613783875666, 1.0000190844878056, 0]
  let localMinima: [Double] = []

  static let y: [Double] = [
    0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989, 0.3521, 0.2420, 0.1295, 0.0540,
    0.0175, 0.0044, 0.0009,
  ]

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for k in 0..<15 {
      let t = (8 - Double(k + 1)) / 2
      let d = t - x[2]
      r[k] = x[0] * T.exp(-0.5 * x[1] * d * d) - Self.y[k]
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for k in 0..<15 {
      let t = (8 - Double(k + 1)) / 2
      let d = t - x[2]
      let e = T.exp(-0.5 * x[1] * d * d)
      jac[k, 0] = e
      jac[k, 1] = -0.5 * x[0] * e * d * d
      jac[k, 2] = x[0] * e * x[1] * d
    }
  }
}
