import Curvature

/// MGH problem 2, Freudenstein and Roth: n = 2, m = 2,
/// r₁ = −13 + x₁ + ((5 − x₂)x₂ − 2)x₂, r₂ = −29 + x₁ + ((x₂ + 1)x₂ − 14)x₂; x₀ = (0.5, −2);
/// f* = 0 at (5, 4), and a local minimum f = 48.9842... at (11.41..., −0.8968...).
struct MGHFreudensteinRoth: MGHDefinition {
  let name = "freudenstein_roth"
  let number = 2
  let title = "Freudenstein and Roth"
  let dimension = 2
  let residualCount = 2
  let startingPoint: [Double] = [0.5, -2]
  let optimalValue: Double? = 0
  let minimizer: [Double]? = [5, 4]
  let localMinima: [Double] = [48.9842536792400]

  /// The local minimizer with f = 48.98425367924 (refined by a converged extended-precision solve).
  static let localMinimizer: [Double] = [11.412778986902094, -0.8968052532744765]

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    let x2 = x[1]
    r[0] = -13 + x[0] + ((5 - x2) * x2 - 2) * x2
    r[1] = -29 + x[0] + ((x2 + 1) * x2 - 14) * x2
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    let x2 = x[1]
    jac[0, 0] = T(1)
    jac[0, 1] = (10 - 3 * x2) * x2 - 2
    jac[1, 0] = T(1)
    jac[1, 1] = (3 * x2 + 2) * x2 - 14
  }
}
