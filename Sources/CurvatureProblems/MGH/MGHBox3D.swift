import Curvature

/// MGH problem 12, Box three-dimensional: n = 3, m = 10,
/// rᵢ = e^{−tᵢx₁} − e^{−tᵢx₂} − x₃(e^{−tᵢ} − e^{−10tᵢ}) with tᵢ = 0.1i; x₀ = (0, 10, 20);
/// f* = 0 at (1, 10, 1), also at (10, 1, −1) and wherever x₁ = x₂, x₃ = 0.
struct MGHBox3D: MGHDefinition {
  let name = "box3d"
  let number = 12
  let title = "Box three-dimensional"
  let dimension = 3
  let residualCount = 10
  let startingPoint: [Double] = [0, 10, 20]
  let optimalValue: Double? = 0
  let minimizer: [Double]? = [1, 10, 1]
  let localMinima: [Double] = []

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for k in 0..<10 {
      let t = 0.1 * Double(k + 1)
      let c = Double.exp(-t) - Double.exp(-10 * t)
      r[k] = T.exp(-t * x[0]) - T.exp(-t * x[1]) - c * x[2]
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for k in 0..<10 {
      let t = 0.1 * Double(k + 1)
      jac[k, 0] = -t * T.exp(-t * x[0])
      jac[k, 1] = t * T.exp(-t * x[1])
      jac[k, 2] = T(Double.exp(-10 * t) - Double.exp(-t))
    }
  }
}
