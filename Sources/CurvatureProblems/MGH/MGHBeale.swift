import Curvature

/// MGH problem 5, Beale: n = 2, m = 3, rᵢ = yᵢ − x₁(1 − x₂ⁱ) with y = (1.5, 2.25, 2.625);
/// x₀ = (1, 1); f* = 0 at (3, 0.5).
struct MGHBeale: MGHDefinition {
  let name = "beale"
  let number = 5
  let title = "Beale"
  let dimension = 2
  let residualCount = 3
  let startingPoint: [Double] = [1, 1]
  let optimalValue: Double? = 0
  let minimizer: [Double]? = [3, 0.5]
  let localMinima: [Double] = []

  static let y: [Double] = [1.5, 2.25, 2.625]

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for i in 0..<3 {
      r[i] = Self.y[i] - x[0] * (1 - T.pow(x[1], i + 1))
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for i in 0..<3 {
      let power = i + 1
      jac[i, 0] = T.pow(x[1], power) - 1
      jac[i, 1] = Double(power) * x[0] * T.pow(x[1], power - 1)
    }
  }
}
