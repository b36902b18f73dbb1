import Curvature
import RealModule

/// MGH problem 16, Brown and Dennis: n = 4, m = 20,
/// rᵢ = (x₁ + tᵢx₂ − e^{tᵢ})² + (x₃ + x₄ sin tᵢ − cos tᵢ)² with tᵢ = i/5;
/// x₀ = (25, 5, −5, −1); f* = 85822.2 (MGH; digits and minimizer from a converged solve).
struct MGHBrownDennis: MGHDefinition {
  let name = "brown_dennis"
  let number = 16
  let title = "Brown and Dennis"
  let dimension = 4
  let residualCount = 20
  let startingPoint: [Double] = [25, 5, -5, -1]
  let optimalValue: Double? = 85822.2016263563
  let minimizer: [Double]? = [
    -11.594439904762165, 13.203630051207202, -0.4034394881768595, 0.23677877445573628,
  ]
  let localMinima: [Double] = []

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for k in 0..<20 {
      let t = Double(k + 1) / 5
      let a = x[0] + t * x[1] - Double.exp(t)
      let b = x[2] + Double.sin(t) * x[3] - Double.cos(t)
      r[k] = a * a + b * b
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for k in 0..<20 {
      let t = Double(k + 1) / 5
      let s = Double.sin(t)
      let a = x[0] + t * x[1] - Double.exp(t)
      let b = x[2] + s * x[3] - Double.cos(t)
      jac[k, 0] = 2 * a
      jac[k, 1] = (2 * t) * a
      jac[k, 2] = 2 * b
      jac[k, 3] = (2 * s) * b
    }
  }
}
