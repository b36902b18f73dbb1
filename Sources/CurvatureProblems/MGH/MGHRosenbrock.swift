import Curvature

/// MGH problem 1, Rosenbrock (Rosenbrock 1960): n = 2, m = 2,
/// r₁ = 10(x₂ − x₁²), r₂ = 1 − x₁; x₀ = (−1.2, 1); f* = 0 at (1, 1).
struct MGHRosenbrock: MGHDefinition {
  let name = "rosenbrock"
  let number = 1
  let title = "Rosenbrock"
  let dimension = 2
  let residualCount = 2
  let startingPoint: [Double] = [-1.2, 1]
  let optimalValue: Double? = 0
  let minimizer: [Double]? = [1, 1]
  let localMinima: [Double] = []

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    r[0] = 10 * (x[1] - x[0] * x[0])
    r[1] = 1 - x[0]
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    jac[0, 0] = -20 * x[0]
    jac[0, 1] = T(10)
    jac[1, 0] = T(-1)
  }
}
