import Curvature

/// MGH problem 29, discrete integral equation: n variables (here 10), m = n, h = 1/(n + 1),
/// tᵢ = ih: rᵢ = xᵢ + h[(1 − tᵢ)Σⱼ₌₁ⁱ tⱼ(xⱼ + tⱼ + 1)³ + tᵢ Σⱼ₌ᵢ₊₁ⁿ (1 − tⱼ)(xⱼ + tⱼ + 1)³]/2;
/// xⱼ⁰ = tⱼ(tⱼ − 1); f* = 0 (the zero is that of problem 28, found by Newton's method on r = 0).
struct MGHDiscreteIntegralEquation: MGHDefinition {
  let dimension: Int
  let number = 29
  let title = "Discrete integral equation"
  let optimalValue: Double? = 0
  let localMinima: [Double] = []

  /// The problem with n variables.
  init(dimension: Int = 10) {
    precondition(dimension >= 1, "discrete integral equation needs n ≥ 1, got \(dimension)")
    self.dimension = dimension
  }

  var h: Double { 1 / Double(dimension + 1) }
  var name: String { "discrete_integral_n\(dimension)" }
  var residualCount: Int { dimension }
  var startingPoint: [Double] {
    MGHDiscreteBoundaryValue.gridStartingPoint(dimension: dimension)
  }
  var minimizer: [Double]? {
    dimension == 10
      ? [
        -0.04316498251876487, -0.08157715653538689, -0.11448571438052928, -0.14097357686259668,
        -0.15990869618198314, -0.16987720231277492, -0.16908998378120835, -0.1552495352218318,
        -0.12535589167893496, -0.07541653368589203,
      ] : nil
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    let n = dimension
    var cubes = [T]()
    cubes.reserveCapacity(n)
    for j in 0..<n {
      let u = x[j] + (Double(j + 1) * h + 1)
      cubes.append(u * u * u)
    }
    for i in 0..<n {
      let ti = Double(i + 1) * h
      var lower = T(0)
      for j in 0...i { lower += (Double(j + 1) * h) * cubes[j] }
      var upper = T(0)
      for j in (i + 1)..<max(i + 1, n) { upper += (1 - Double(j + 1) * h) * cubes[j] }
      r[i] = x[i] + (0.5 * h) * ((1 - ti) * lower + ti * upper)
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    let n = dimension
    for i in 0..<n {
      let ti = Double(i + 1) * h
      for j in 0..<n {
        let tj = Double(j + 1) * h
        let u = x[j] + (tj + 1)
        let weight = j <= i ? (1 - ti) * tj : ti * (1 - tj)
        jac[i, j] = (1.5 * h * weight) * (u * u)
      }
      jac[i, i] = jac[i, i] + 1
    }
  }
}
