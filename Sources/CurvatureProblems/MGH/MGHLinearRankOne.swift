import Curvature

/// MGH problem 33, linear function — rank 1: n variables, m ≥ n residuals (here n = 10, m = 20):
/// rᵢ = i Σⱼ j xⱼ − 1; x₀ = (1, …, 1); f* = m(m − 1)/(2(2m + 1)) on the hyperplane
/// Σⱼ j xⱼ = 3/(2m + 1) (the stored minimizer is the point of it on the x₁ axis).
struct MGHLinearRankOne: MGHDefinition {
  let dimension: Int
  let residualCount: Int
  let number = 33
  let title = "Linear function - rank 1"
  let localMinima: [Double] = []

  /// The problem with n variables and m ≥ n residuals.
  init(dimension: Int = 10, residualCount: Int = 20) {
    precondition(
      dimension >= 1 && residualCount >= dimension,
      "linear rank 1 needs m ≥ n ≥ 1, got n = \(dimension), m = \(residualCount)")
    self.dimension = dimension
    self.residualCount = residualCount
  }

  var name: String { "linear_rank1" }
  var startingPoint: [Double] { Array(repeating: 1, count: dimension) }
  var optimalValue: Double? {
    let m = Double(residualCount)
    return m * (m - 1) / (2 * (2 * m + 1))
  }
  var minimizer: [Double]? {
    var x = Array(repeating: 0.0, count: dimension)
    x[0] = 3 / (2 * Double(residualCount) + 1)
    return x
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    var s = T(0)
    for j in 0..<dimension { s += Double(j + 1) * x[j] }
    for i in 0..<residualCount { r[i] = Double(i + 1) * s - 1 }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for i in 0..<residualCount {
      for j in 0..<dimension { jac[i, j] = T(Double((i + 1) * (j + 1))) }
    }
  }
}
