import Curvature

/// MGH problem 20, Watson: 2 ≤ n ≤ 31 (here n = 9), m = 31; for i = 1…29 with tᵢ = i/29,
/// rᵢ = Σⱼ₌₂ⁿ (j − 1)xⱼtᵢ^{j−2} − (Σⱼ₌₁ⁿ xⱼtᵢ^{j−1})² − 1, and r₃₀ = x₁, r₃₁ = x₂ − x₁² − 1;
/// x₀ = 0; f* = 1.39976·10⁻⁶ for n = 9 (MGH).
///
/// f* here is 1.39976013809764·10⁻⁶ from a converged extended-precision solve (gradient norm
/// below 10⁻³⁰); it agrees with every digit MGH print. The peer harness lists 1.39976130755·10⁻⁶,
/// which is above this minimum from the seventh digit on.
struct MGHWatson: MGHDefinition {
  let dimension: Int
  let number = 20
  let title = "Watson"
  let residualCount = 31
  let localMinima: [Double] = []

  /// Watson with n variables (MGH print f* for n = 6, 9, 12; the minimizer stored is for n = 9).
  init(dimension: Int = 9) {
    precondition(dimension >= 2 && dimension <= 31, "Watson needs 2 ≤ n ≤ 31, got \(dimension)")
    self.dimension = dimension
  }

  var name: String { "watson_n\(dimension)" }
  var startingPoint: [Double] { Array(repeating: 0, count: dimension) }

  var optimalValue: Double? {
    switch dimension {
    case 6: 2.28767005355e-3
    case 9: 1.39976013809764e-6
    case 12: 4.72238e-10
    default: nil
    }
  }

  var minimizer: [Double]? {
    dimension == 9
      ? [
        -1.5307036521378408e-05, 0.9997897039319483, 0.014763963693556034, 0.14634232829938446,
        1.0008211030045662, -2.617731140518604, 4.104403164478263, -3.143612278556022,
        1.052626408010051,
      ] : nil
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    let n = dimension
    for k in 0..<29 {
      let t = Double(k + 1) / 29
      var first = T(0)
      var power = 1.0  // t^(j−2) for j = 2
      for j in 2...n {
        first += (Double(j - 1) * power) * x[j - 1]
        power *= t
      }
      var second = T(0)
      power = 1.0  // t^(j−1) for j = 1
      for j in 1...n {
        second += power * x[j - 1]
        power *= t
      }
      r[k] = first - second * second - 1
    }
    r[29] = x[0]
    r[30] = x[1] - x[0] * x[0] - 1
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    let n = dimension
    for k in 0..<29 {
      let t = Double(k + 1) / 29
      var second = T(0)
      var power = 1.0
      for j in 1...n {
        second += power * x[j - 1]
        power *= t
      }
      // ∂rᵢ/∂xⱼ = (j − 1)t^{j−2} − 2 s t^{j−1}.
      var previous = 0.0  // t^(j−2), zero for j = 1
      power = 1.0  // t^(j−1)
      for j in 1...n {
        jac[k, j - 1] = Double(j - 1) * previous - (2 * power) * second
        previous = power
        power *= t
      }
    }
    jac[29, 0] = T(1)
    jac[30, 0] = -2 * x[0]
    jac[30, 1] = T(1)
  }
}
