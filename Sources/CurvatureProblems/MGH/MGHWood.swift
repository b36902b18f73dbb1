import Curvature

/// MGH problem 14, Wood (Colville 1968): n = 4, m = 6, r₁ = 10(x₂ − x₁²), r₂ = 1 − x₁,
/// r₃ = √90(x₄ − x₃²), r₄ = 1 − x₃, r₅ = √10(x₂ + x₄ − 2), r₆ = (x₂ − x₄)/√10;
/// x₀ = (−3, −1, −3, −1); f* = 0 at (1, 1, 1, 1).
struct MGHWood: MGHDefinition {
  let name = "wood"
  let number = 14
  let title = "Wood"
  let dimension = 4
  let residualCount = 6
  let startingPoint: [Double] = [-3, -1, -3, -1]
  let optimalValue: Double? = 0
  let minimizer: [Double]? = [1, 1, 1, 1]
  let localMinima: [Double] = []

  static let sqrt10 = 10.0.squareRoot()
  static let sqrt90 = 90.0.squareRoot()

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    r[0] = 10 * (x[1] - x[0] * x[0])
    r[1] = 1 - x[0]
    r[2] = Self.sqrt90 * (x[3] - x[2] * x[2])
    r[3] = 1 - x[2]
    r[4] = Self.sqrt10 * (x[1] + x[3] - 2)
    r[5] = (x[1] - x[3]) / Self.sqrt10
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    jac[0, 0] = -20 * x[0]
    jac[0, 1] = T(10)
    jac[1, 0] = T(-1)
    jac[2, 2] = -2 * Self.sqrt90 * x[2]
    jac[2, 3] = T(Self.sqrt90)
    jac[3, 2] = T(-1)
    jac[4, 1] = T(Self.sqrt10)
    jac[4, 3] = T(Self.sqrt10)
    jac[5, 1] = T(1 / Self.sqrt10)
    jac[5, 3] = T(-1 / Self.sqrt10)
  }
}
