import Curvature
import RealModule

/// MGH problem 18, Biggs EXP6: n = 6, m = 13,
/// rᵢ = x₃e^{−tᵢx₁} − x₄e^{−tᵢx₂} + x₆e^{−tᵢx₅} − yᵢ with tᵢ = 0.1i,
/// yᵢ = e^{−tᵢ} − 5e^{−10tᵢ} + 3e^{−4tᵢ}; x₀ = (1, 2, 1, 1, 1, 1); f* = 0 at (1, 10, 1, 5, 4, 3),
/// and a local minimum f = 5.65565·10⁻³.
struct MGHBiggsEXP6: MGHDefinition {
  let name = "biggs_exp6"
  let number = 18
  let title = "Biggs EXP6"
  let dimension = 6
  let residualCount = 13
  let startingPoint: [Double] = [1, 2, 1, 1, 1, 1]
  let optimalValue: Double? = 0
  let minimizer: [Double]? = [1, 10, 1, 5, 4, 3]
  let localMinima: [Double] = [5.65565e-3]

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for k in 0..<13 {
      let t = 0.1 * Double(k + 1)
      let y = Double.exp(-t) - 5 * Double.exp(-10 * t) + 3 * Double.exp(-4 * t)
      let a = x[2] * T.exp(-t * x[0])
      let b = x[3] * T.exp(-t * x[1])
      let c = x[5] * T.exp(-t * x[4])
      r[k] = a - b + c - y
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for k in 0..<13 {
      let t = 0.1 * Double(k + 1)
      let e1 = T.exp(-t * x[0])
      let e2 = T.exp(-t * x[1])
      let e5 = T.exp(-t * x[4])
      jac[k, 0] = -t * x[2] * e1
      jac[k, 1] = t * x[3] * e2
      jac[k, 2] = e1
      jac[k, 3] = -e2
      jac[k, 4] = -t * x[5] * e5
      jac[k, 5] = e5
    }
  }
}
