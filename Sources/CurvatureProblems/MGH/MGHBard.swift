import Curvature

/// MGH problem 8, Bard (1970): n = 3, m = 15, rᵢ = yᵢ − (x₁ + uᵢ/(vᵢx₂ + wᵢx₃)) with uᵢ = i,
/// vᵢ = 16 − i, wᵢ = min(uᵢ, vᵢ) and the data y below; x₀ = (1, 1, 1);
/// f* = 8.21487·10⁻³ (MGH; digits and minimizer from a converged solve), and f = 17.4286 as
/// x₂, x₃ → −∞.
struct MGHBard: MGHDefinition {
  let name = "bard"
  let number = 8
  let title = "Bard"
  let dimension = 3
  let residualCount = 15
  let startingPoint: [Double] = [1, 1, 1]
  let optimalValue: Double? = 8.21487730657897e-3
  let minimizer: [Double]? = [0.08241055974978899, 1.1330360920297224, 2.3436951786425366]
  let localMinima: [Double] = [17.4286]

  static let y: [Double] = [
    0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39,
  ]

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for k in 0..<15 {
      let u = Double(k + 1)
      let v = 16 - u
      let w = Swift.min(u, v)
      r[k] = Self.y[k] - (x[0] + u / (v * x[1] + w * x[2]))
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for k in 0..<15 {
      let u = Double(k + 1)
      let v = 16 - u
      let w = Swift.min(u, v)
      let d = v * x[1] + w * x[2]
      let q = u / (d * d)
      jac[k, 0] = T(-1)
      jac[k, 1] = v * q
      jac[k, 2] = w * q
    }
  }
}
