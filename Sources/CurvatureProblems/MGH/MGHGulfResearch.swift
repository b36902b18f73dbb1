import Curvature
import RealModule

/// MGH problem 11, Gulf research and development: n = 3, m = 99 (MGH allow n ≤ m ≤ 100),
/// rᵢ = exp(−|yᵢ − x₂|^{x₃}/x₁) − tᵢ with tᵢ = i/100, yᵢ = 25 + (−50 ln tᵢ)^{2/3};
/// x₀ = (5, 2.5, 0.15); f* = 0 at (50, 25, 1.5).
struct MGHGulfResearch: MGHDefinition {
  let name = "gulf_research"
  let number = 11
  let title = "Gulf research and development"
  let dimension = 3
  let residualCount = 99
  let startingPoint: [Double] = [5, 2.5, 0.15]
  let optimalValue: Double? = 0
  let minimizer: [Double]? = [50, 25, 1.5]
  let localMinima: [Double] = []

  /// (tᵢ, yᵢ) for i = 1…99.
  static let data: [(t: Double, y: Double)] = (1...99).map { i in
    let t = Double(i) / 100
    return (t, 25 + Double.pow(-50 * Double.log(t), 2.0 / 3.0))
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for k in 0..<residualCount {
      let (t, y) = Self.data[k]
      let d = y - x[1]
      let a = d.primal < 0 ? -d : d
      let p = T.exp(x[2] * T.log(a))
      r[k] = T.exp(-p / x[0]) - t
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for k in 0..<residualCount {
      let y = Self.data[k].y
      let d = y - x[1]
      let a = d.primal < 0 ? -d : d
      let logA = T.log(a)
      let p = T.exp(x[2] * logA)
      let e = T.exp(-p / x[0])
      jac[k, 0] = e * p / (x[0] * x[0])
      jac[k, 1] = e * x[2] * p / (x[0] * d)
      jac[k, 2] = -e * p * logA / x[0]
    }
  }
}
