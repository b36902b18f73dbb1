import Curvature

/// MGH problem 13, Powell singular: n = 4, m = 4, r₁ = x₁ + 10x₂, r₂ = √5(x₃ − x₄),
/// r₃ = (x₂ − 2x₃)², r₄ = √10(x₁ − x₄)²; x₀ = (3, −1, 0, 1); f* = 0 at the origin, where the
/// Hessian is singular.
struct MGHPowellSingular: MGHDefinition {
  let name = "powell_singular"
  let number = 13
  let title = "Powell singular"
  let dimension = 4
  let residualCount = 4
  let startingPoint: [Double] = [3, -1, 0, 1]
  let optimalValue: Double? = 0
  let minimizer: [Double]? = [0, 0, 0, 0]
  let localMinima: [Double] = []

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    MGHExtendedPowellSingular.block(x, 0, into: &r)
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    MGHExtendedPowellSingular.blockJacobian(x, 0, into: &jac)
  }
}
