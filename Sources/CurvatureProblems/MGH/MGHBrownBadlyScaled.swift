import Curvature

/// MGH problem 4, Brown badly scaled: n = 2, m = 3,
/// r₁ = x₁ − 10⁶, r₂ = x₂ − 2·10⁻⁶, r₃ = x₁x₂ − 2; x₀ = (1, 1); f* = 0 at (10⁶, 2·10⁻⁶).
struct MGHBrownBadlyScaled: MGHDefinition {
  let name = "brown_badly_scaled"
  let number = 4
  let title = "Brown badly scaled"
  let dimension = 2
  let residualCount = 3
  let startingPoint: [Double] = [1, 1]
  let optimalValue: Double? = 0
  let minimizer: [Double]? = [1e6, 2e-6]
  let localMinima: [Double] = []

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    r[0] = x[0] - 1e6
    r[1] = x[1] - 2e-6
    r[2] = x[0] * x[1] - 2
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    jac[0, 0] = T(1)
    jac[1, 1] = T(1)
    jac[2, 0] = x[1]
    jac[2, 1] = x[0]
  }
}
