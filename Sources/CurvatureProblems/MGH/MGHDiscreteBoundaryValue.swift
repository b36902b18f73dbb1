import Curvature

/// MGH problem 28, discrete boundary value: n variables (here 10), m = n, h = 1/(n + 1),
/// tᵢ = ih, x₀ = xₙ₊₁ = 0: rᵢ = 2xᵢ − xᵢ₋₁ − xᵢ₊₁ + h²(xᵢ + tᵢ + 1)³/2; xⱼ⁰ = tⱼ(tⱼ − 1);
/// f* = 0 (minimizer for n = 10 from Newton's method on r = 0).
struct MGHDiscreteBoundaryValue: MGHDefinition {
  let dimension: Int
  let number = 28
  let title = "Discrete boundary value"
  let optimalValue: Double? = 0
  let localMinima: [Double] = []

  /// The problem with n variables.
  init(dimension: Int = 10) {
    precondition(dimension >= 1, "discrete boundary value needs n ≥ 1, got \(dimension)")
    self.dimension = dimension
  }

  var h: Double { 1 / Double(dimension + 1) }
  var name: String { "discrete_bv_n\(dimension)" }
  var residualCount: Int { dimension }
  var startingPoint: [Double] { Self.gridStartingPoint(dimension: dimension) }

  /// xⱼ⁰ = tⱼ(tⱼ − 1) with tⱼ = j/(n + 1), the standard start of problems 28 and 29.
  static func gridStartingPoint(dimension n: Int) -> [Double] {
    let h = 1 / Double(n + 1)
    return (1...n).map { j in
      let t = Double(j) * h
      return t * (t - 1)
    }
  }
  var minimizer: [Double]? {
    dimension == 10 ? MGHDiscreteBoundaryValue.solution10 : nil
  }

  /// The zero-residual point for n = 10 (shared with the discrete integral equation, whose
  /// solution coincides to rounding).
  static let solution10: [Double] = [
    -0.04316498251876487, -0.08157715653538689, -0.11448571438052929, -0.14097357686259668,
    -0.15990869618198314, -0.16987720231277492, -0.16908998378120835, -0.15524953522183182,
    -0.125355891678935, -0.07541653368589209,
  ]

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    let n = dimension
    let h2 = 0.5 * h * h
    for i in 0..<n {
      let t = Double(i + 1) * h
      var ri = 2 * x[i]
      if i > 0 { ri -= x[i - 1] }
      if i < n - 1 { ri -= x[i + 1] }
      let u = x[i] + (t + 1)
      r[i] = ri + h2 * (u * u * u)
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    let n = dimension
    let c = 1.5 * h * h
    for i in 0..<n {
      let t = Double(i + 1) * h
      let u = x[i] + (t + 1)
      jac[i, i] = 2 + c * (u * u)
      if i > 0 { jac[i, i - 1] = T(-1) }
      if i < n - 1 { jac[i, i + 1] = T(-1) }
    }
  }
}
