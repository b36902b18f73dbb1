import Curvature

/// MGH problem 3, Powell badly scaled: n = 2, m = 2,
/// r₁ = 10⁴x₁x₂ − 1, r₂ = e^{−x₁} + e^{−x₂} − 1.0001; x₀ = (0, 1);
/// f* = 0 at (1.098...·10⁻⁵, 9.106...) (digits refined by Newton's method on r = 0).
struct MGHPowellBadlyScaled: MGHDefinition {
  let name = "powell_badly_scaled"
  let number = 3
  let title = "Powell badly scaled"
  let dimension = 2
  let residualCount = 2
  let startingPoint: [Double] = [0, 1]
  let optimalValue: Double? = 0
  let minimizer: [Double]? = [1.0981593296998053e-05, 9.106146739866624]
  let localMinima: [Double] = []

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    r[0] = 1e4 * x[0] * x[1] - 1
    r[1] = T.exp(-x[0]) + T.exp(-x[1]) - 1.0001
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    jac[0, 0] = 1e4 * x[1]
    jac[0, 1] = 1e4 * x[0]
    jac[1, 0] = -T.exp(-x[0])
    jac[1, 1] = -T.exp(-x[1])
  }
}
