import Curvature

/// MGH problem 25, variably dimensioned: n variables (here 10), m = n + 2,
/// rᵢ = xᵢ − 1 for i ≤ n, rₙ₊₁ = Σⱼ j(xⱼ − 1), rₙ₊₂ = (Σⱼ j(xⱼ − 1))²; xⱼ⁰ = 1 − j/n;
/// f* = 0 at (1, …, 1).
struct MGHVariablyDimensioned: MGHDefinition {
  let dimension: Int
  let number = 25
  let title = "Variably dimensioned"
  let optimalValue: Double? = 0
  let localMinima: [Double] = []

  /// The problem with n variables.
  init(dimension: Int = 10) {
    precondition(dimension >= 1, "variably dimensioned needs n ≥ 1, got \(dimension)")
    self.dimension = dimension
  }

  var name: String { "variably_dimensioned_n\(dimension)" }
  var residualCount: Int { dimension + 2 }
  var startingPoint: [Double] { (1...dimension).map { 1 - Double($0) / Double(dimension) } }
  var minimizer: [Double]? { Array(repeating: 1, count: dimension) }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    var s = T(0)
    for j in 0..<dimension {
      r[j] = x[j] - 1
      s += Double(j + 1) * (x[j] - 1)
    }
    r[dimension] = s
    r[dimension + 1] = s * s
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    var s = T(0)
    for j in 0..<dimension { s += Double(j + 1) * (x[j] - 1) }
    for j in 0..<dimension {
      jac[j, j] = T(1)
      jac[dimension, j] = T(Double(j + 1))
      jac[dimension + 1, j] = Double(2 * (j + 1)) * s
    }
  }
}
