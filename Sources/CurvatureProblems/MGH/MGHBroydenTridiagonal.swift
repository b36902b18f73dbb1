import Curvature

/// MGH problem 30, Broyden tridiagonal: n variables (here 10), m = n, x₀ = xₙ₊₁ = 0:
/// rᵢ = (3 − 2xᵢ)xᵢ − xᵢ₋₁ − 2xᵢ₊₁ + 1; x₀ = (−1, …, −1); f* = 0 (minimizer for n = 10 from
/// Newton's method on r = 0).
struct MGHBroydenTridiagonal: MGHDefinition {
  let dimension: Int
  let number = 30
  let title = "Broyden tridiagonal"
  let optimalValue: Double? = 0
  let localMinima: [Double] = []

  /// The problem with n variables.
  init(dimension: Int = 10) {
    precondition(dimension >= 1, "Broyden tridiagonal needs n ≥ 1, got \(dimension)")
    self.dimension = dimension
  }

  var name: String { "broyden_tridiagonal_n\(dimension)" }
  var residualCount: Int { dimension }
  var startingPoint: [Double] { Array(repeating: -1, count: dimension) }
  var minimizer: [Double]? {
    dimension == 10
      ? [
        -0.5707221320112248, -0.681806949984275, -0.7022100760176601, -0.7055106298950804,
        -0.7049061557287437, -0.7014966070298512, -0.6918893223547983, -0.6657965144058537,
        -0.5960351090263657, -0.4164122575286934,
      ] : nil
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    let n = dimension
    for i in 0..<n {
      var ri = (3 - 2 * x[i]) * x[i] + 1
      if i > 0 { ri -= x[i - 1] }
      if i < n - 1 { ri -= 2 * x[i + 1] }
      r[i] = ri
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    let n = dimension
    for i in 0..<n {
      jac[i, i] = 3 - 4 * x[i]
      if i > 0 { jac[i, i - 1] = T(-1) }
      if i < n - 1 { jac[i, i + 1] = T(-2) }
    }
  }
}
