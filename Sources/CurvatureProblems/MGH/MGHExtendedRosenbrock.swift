import Curvature

/// MGH problem 21, extended Rosenbrock: n even (here 10), m = n,
/// r₂ᵢ₋₁ = 10(x₂ᵢ − x₂ᵢ₋₁²), r₂ᵢ = 1 − x₂ᵢ₋₁; x₀ = (−1.2, 1, …, −1.2, 1); f* = 0 at (1, …, 1).
///
/// The residuals are interleaved as in MGH; the peer harness lists the two halves one after the
/// other, which gives the same f.
struct MGHExtendedRosenbrock: MGHDefinition {
  let dimension: Int
  let number = 21
  let title = "Extended Rosenbrock"
  let optimalValue: Double? = 0
  let localMinima: [Double] = []

  /// Extended Rosenbrock with an even number n of variables.
  init(dimension: Int = 10) {
    precondition(
      dimension >= 2 && dimension % 2 == 0, "extended Rosenbrock needs an even n, got \(dimension)")
    self.dimension = dimension
  }

  var name: String { "ext_rosenbrock_n\(dimension)" }
  var residualCount: Int { dimension }
  var startingPoint: [Double] { (0..<dimension).map { $0 % 2 == 0 ? -1.2 : 1 } }
  var minimizer: [Double]? { Array(repeating: 1, count: dimension) }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for i in stride(from: 0, to: dimension, by: 2) {
      r[i] = 10 * (x[i + 1] - x[i] * x[i])
      r[i + 1] = 1 - x[i]
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for i in stride(from: 0, to: dimension, by: 2) {
      jac[i, i] = -20 * x[i]
      jac[i, i + 1] = T(10)
      jac[i + 1, i] = T(-1)
    }
  }
}
