import Curvature

/// MGH problem 27, Brown almost-linear: n variables (here 10), m = n,
/// rᵢ = xᵢ + Σⱼ xⱼ − (n + 1) for i < n, rₙ = Πⱼ xⱼ − 1; x₀ = (½, …, ½); f* = 0 at (1, …, 1)
/// (more generally at (α, …, α, α¹⁻ⁿ) with nαⁿ − (n + 1)αⁿ⁻¹ + 1 = 0), and f = 1 at
/// (0, …, 0, n + 1).
struct MGHBrownAlmostLinear: MGHDefinition {
  let dimension: Int
  let number = 27
  let title = "Brown almost-linear"
  let optimalValue: Double? = 0
  let localMinima: [Double] = [1]

  /// The problem with n variables.
  init(dimension: Int = 10) {
    precondition(dimension >= 2, "Brown almost-linear needs n ≥ 2, got \(dimension)")
    self.dimension = dimension
  }

  var name: String { "brown_almost_linear_n\(dimension)" }
  var residualCount: Int { dimension }
  var startingPoint: [Double] { Array(repeating: 0.5, count: dimension) }
  var minimizer: [Double]? { Array(repeating: 1, count: dimension) }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    let n = dimension
    var sum = T(0)
    var product = T(1)
    for j in 0..<n {
      sum += x[j]
      product *= x[j]
    }
    for i in 0..<(n - 1) { r[i] = x[i] + sum - Double(n + 1) }
    r[n - 1] = product - 1
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    let n = dimension
    for i in 0..<(n - 1) {
      for j in 0..<n { jac[i, j] = T(1) }
      jac[i, i] = T(2)
    }
    for j in 0..<n {
      var product = T(1)
      for k in 0..<n where k != j { product *= x[k] }
      jac[n - 1, j] = product
    }
  }
}
