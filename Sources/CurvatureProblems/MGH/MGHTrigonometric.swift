import Curvature

/// MGH problem 26, trigonometric (Spedicato 1975): n variables (here 10), m = n,
/// rᵢ = n − Σⱼ cos xⱼ + i(1 − cos xᵢ) − sin xᵢ; xⱼ⁰ = 1/n; f* = 0, and for n = 10 a local minimum
/// f = 2.79506·10⁻⁵ that solvers started at x₀ commonly reach.
///
/// The stored zero-residual minimizer for n = 10 was found by Levenberg-Marquardt from random
/// starts and refined by Newton's method on r = 0.
struct MGHTrigonometric: MGHDefinition {
  let dimension: Int
  let number = 26
  let title = "Trigonometric"
  let optimalValue: Double? = 0

  /// The problem with n variables.
  init(dimension: Int = 10) {
    precondition(dimension >= 1, "trigonometric needs n ≥ 1, got \(dimension)")
    self.dimension = dimension
  }

  var name: String { "trigonometric_n\(dimension)" }
  var residualCount: Int { dimension }
  var startingPoint: [Double] { Array(repeating: 1 / Double(dimension), count: dimension) }
  var localMinima: [Double] { dimension == 10 ? [2.79506e-5] : [] }
  var minimizer: [Double]? {
    dimension == 10
      ? [
        0.017821656110974752, 0.017986382226277655, 0.018157433958787626, 0.018335285059346767,
        0.018520464481273567, 0.018713565371352957, 0.018915255985870367, 0.019126293052753096,
        0.019347538274518787, 0.1797573260720426,
      ] : nil
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    let n = dimension
    var cosines = T(0)
    for j in 0..<n { cosines += T.cos(x[j]) }
    for i in 0..<n {
      let weight = Double(i + 1)
      r[i] = Double(n) - cosines + weight * (1 - T.cos(x[i])) - T.sin(x[i])
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    let n = dimension
    for i in 0..<n {
      for j in 0..<n { jac[i, j] = T.sin(x[j]) }
      let weight = Double(i + 1)
      jac[i, i] += weight * T.sin(x[i]) - T.cos(x[i])
    }
  }
}
