import Curvature

/// MGH problem 10, Meyer (1970): n = 3, m = 16, rᵢ = x₁ exp(x₂/(tᵢ + x₃)) − yᵢ with
/// tᵢ = 45 + 5i and the data y below; x₀ = (0.02, 4000, 250); f* = 87.9458 (MGH; digits and
/// minimizer from a converged extended-precision solve).
struct MGHMeyer: MGHDefinition {
  let name = "meyer"
  let number = 10
  let title = "Meyer"
  let dimension = 3
  let residualCount = 16
  let startingPoint: [Double] = [0.02, 4000, 250]
  let optimalValue: Double? = 87.9458551708511
  let minimizer: [Double]? = [0.005609636471028053, 6181.346346286372, 345.2236346241365]
  let localMinima: [Double] = []

  static let y: [Double] = [
    34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744, 8261, 7030, 6005, 5147, 4427, 3820, 3307,
    2872,
  ]

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for k in 0..<16 {
      let t = 45 + 5 * Double(k + 1)
      r[k] = x[0] * T.exp(x[1] / (t + x[2])) - Self.y[k]
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for k in 0..<16 {
      let t = 45 + 5 * Double(k + 1)
      let d = t + x[2]
      let e = T.exp(x[1] / d)
      jac[k, 0] = e
      jac[k, 1] = x[0] * e / d
      jac[k, 2] = -x[0] * e * x[1] / (d * d)
    }
  }
}
