import Curvature

/// MGH problem 34, linear function — rank 1 with zero columns and rows: n variables, m ≥ n
/// residuals (here n = 10, m = 20): r₁ = −1, rᵢ = (i − 1)Σⱼ₌₂ⁿ⁻¹ j xⱼ − 1 for 2 ≤ i ≤ m − 1,
/// rₘ = −1; x₀ = (1, …, 1); f* = (m² + 3m − 6)/(2(2m − 3)) on the hyperplane
/// Σⱼ₌₂ⁿ⁻¹ j xⱼ = 3/(2m − 3) (the stored minimizer is the point of it on the x₂ axis).
struct MGHLinearRankOneZero: MGHDefinition {
  let dimension: Int
  let residualCount: Int
  let number = 34
  let title = "Linear function - rank 1 with zero columns and rows"
  let localMinima: [Double] = []

  /// The problem with n ≥ 3 variables and m ≥ n residuals.
  init(dimension: Int = 10, residualCount: Int = 20) {
    precondition(
      dimension >= 3 && residualCount >= dimension,
      "linear rank 1 with zero columns needs m ≥ n ≥ 3, got n = \(dimension), m = \(residualCount)")
    self.dimension = dimension
    self.residualCount = residualCount
  }

  var name: String { "linear_rank1_zero" }
  var startingPoint: [Double] { Array(repeating: 1, count: dimension) }
  var optimalValue: Double? {
    let m = Double(residualCount)
    return (m * m + 3 * m - 6) / (2 * (2 * m - 3))
  }
  var minimizer: [Double]? {
    var x = Array(repeating: 0.0, count: dimension)
    x[1] = 1.5 / (2 * Double(residualCount) - 3)
    return x
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    var s = T(0)
    for j in 1..<(dimension - 1) { s += Double(j + 1) * x[j] }
    r[0] = T(-1)
    for i in 1..<(residualCount - 1) { r[i] = Double(i) * s - 1 }
    r[residualCount - 1] = T(-1)
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for i in 1..<(residualCount - 1) {
      for j in 1..<(dimension - 1) { jac[i, j] = T(Double(i * (j + 1))) }
    }
  }
}
