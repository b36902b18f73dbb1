import Curvature

/// MGH problem 31, Broyden banded: n variables (here 10), m = n,
/// rᵢ = xᵢ(2 + 5xᵢ²) + 1 − Σ_{j∈Jᵢ} xⱼ(1 + xⱼ) with Jᵢ = {j ≠ i : max(1, i − 5) ≤ j ≤ min(n, i + 1)};
/// x₀ = (−1, …, −1); f* = 0 (minimizer for n = 10 from Newton's method on r = 0).
struct MGHBroydenBanded: MGHDefinition {
  let dimension: Int
  let number = 31
  let title = "Broyden banded"
  let optimalValue: Double? = 0
  let localMinima: [Double] = []

  /// The problem with n variables.
  init(dimension: Int = 10) {
    precondition(dimension >= 1, "Broyden banded needs n ≥ 1, got \(dimension)")
    self.dimension = dimension
  }

  var name: String { "broyden_banded_n\(dimension)" }
  var residualCount: Int { dimension }
  var startingPoint: [Double] { Array(repeating: -1, count: dimension) }
  var minimizer: [Double]? {
    dimension == 10
      ? [
        -0.4283028635872503, -0.47659642435629024, -0.5196524636468617, -0.5580993248321809,
        -0.5925061568294574, -0.624503682199468, -0.6232394714405911, -0.6213938417965735,
        -0.6204535966590874, -0.5864692707204351,
      ] : nil
  }

  /// The band Jᵢ (zero-based), lower bandwidth 5, upper bandwidth 1.
  func band(_ i: Int) -> [Int] {
    (Swift.max(0, i - 5)...Swift.min(dimension - 1, i + 1)).filter { $0 != i }
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for i in 0..<dimension {
      var ri = x[i] * (2 + 5 * (x[i] * x[i])) + 1
      for j in band(i) { ri -= x[j] * (1 + x[j]) }
      r[i] = ri
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for i in 0..<dimension {
      jac[i, i] = 2 + 15 * (x[i] * x[i])
      for j in band(i) { jac[i, j] = -1 - 2 * x[j] }
    }
  }
}
