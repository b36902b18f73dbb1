import Curvature

/// MGH problem 7, helical valley (Fletcher and Powell 1963): n = 3, m = 3,
/// r₁ = 10(x₃ − 10θ(x₁, x₂)), r₂ = 10(√(x₁² + x₂²) − 1), r₃ = x₃, with
/// 2πθ = arctan(x₂/x₁) for x₁ > 0 and arctan(x₂/x₁) + π for x₁ < 0; x₀ = (−1, 0, 0);
/// f* = 0 at (1, 0, 0).
///
/// At x₁ = 0 the peer harness takes x₁ as a tiny positive number (θ = ±1/4); this definition agrees
/// and, when |x₂| > |x₁|, evaluates arctan(x₂/x₁) as ±π/2 − arctan(x₁/x₂) so that θ and its
/// derivatives stay finite across x₁ = 0.
struct MGHHelicalValley: MGHDefinition {
  let name = "helical_valley"
  let number = 7
  let title = "Helical valley"
  let dimension = 3
  let residualCount = 3
  let startingPoint: [Double] = [-1, 0, 0]
  let optimalValue: Double? = 0
  let minimizer: [Double]? = [1, 0, 0]
  let localMinima: [Double] = []

  /// θ(x₁, x₂) as defined above.
  func theta<T: ScalarMath>(_ x1: T, _ x2: T) -> T {
    let a = x1.primal
    let b = x2.primal
    if a == 0 && b == 0 { return T(0) }
    let shift = a < 0 ? 0.5 : 0
    let angle: T
    if Swift.abs(a) >= Swift.abs(b) {
      angle = T.atan(x2 / x1)
    } else {
      let sign: Double = (a >= 0) == (b > 0) ? 1 : -1
      angle = sign * (Double.pi / 2) - T.atan(x1 / x2)
    }
    return angle / (2 * Double.pi) + shift
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    r[0] = 10 * (x[2] - 10 * theta(x[0], x[1]))
    r[1] = 10 * (T.sqrt(x[0] * x[0] + x[1] * x[1]) - 1)
    r[2] = x[2]
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    let rr = x[0] * x[0] + x[1] * x[1]
    let c = 100 / (2 * Double.pi)
    jac[0, 0] = c * x[1] / rr
    jac[0, 1] = -c * x[0] / rr
    jac[0, 2] = T(10)
    let norm = T.sqrt(rr)
    jac[1, 0] = 10 * x[0] / norm
    jac[1, 1] = 10 * x[1] / norm
    jac[2, 2] = T(1)
  }
}
