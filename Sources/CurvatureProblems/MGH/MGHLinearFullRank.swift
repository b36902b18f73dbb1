import Curvature

/// MGH problem 32, linear function — full rank: n variables, m ≥ n residuals (here n = 10,
/// m = 20): rᵢ = xᵢ − (2/m)Σⱼ xⱼ − 1 for i ≤ n, rᵢ = −(2/m)Σⱼ xⱼ − 1 for i > n;
/// x₀ = (1, …, 1); f* = m − n at (−1, …, −1).
struct MGHLinearFullRank: MGHDefinition {
  let dimension: Int
  let residualCount: Int
  let number = 32
  let title = "Linear function - full rank"
  let localMinima: [Double] = []

  /// The problem with n variables and m ≥ n residuals.
  init(dimension: Int = 10, residualCount: Int = 20) {
    precondition(
      dimension >= 1 && residualCount >= dimension,
      "linear full rank needs m ≥ n ≥ 1, got n = \(dimension), m = \(residualCount)")
    self.dimension = dimension
    self.residualCount = residualCount
  }

  var name: String { "linear_full_rank" }
  var startingPoint: [Double] { Array(repeating: 1, count: dimension) }
  var optimalValue: Double? { Double(residualCount - dimension) }
  var minimizer: [Double]? { Array(repeating: -1, count: dimension) }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    var s = T(0)
    for j in 0..<dimension { s += x[j] }
    let common = (-2 / Double(residualCount)) * s - 1
    for i in 0..<residualCount { r[i] = i < dimension ? x[i] + common : common }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    let c = -2 / Double(residualCount)
    for i in 0..<residualCount {
      for j in 0..<dimension { jac[i, j] = T(i == j ? 1 + c : c) }
    }
  }
}
