import Curvature

/// MGH problem 35, Chebyquad (Fletcher 1965): n variables (here 8), m ≥ n (here m = n),
/// rᵢ = (1/n)Σⱼ Tᵢ(xⱼ) − ∫₀¹ Tᵢ(ξ)dξ with Tᵢ the i-th Chebyshev polynomial shifted to [0, 1]
/// (Tᵢ(ξ) = cos(i arccos(2ξ − 1))), whose integral is 0 for odd i and −1/(i² − 1) for even i;
/// xⱼ⁰ = j/(n + 1); f* = 3.51687·10⁻³ for n = 8 (MGH; digits and minimizer from a converged
/// solve).
struct MGHChebyquad: MGHDefinition {
  let dimension: Int
  let residualCount: Int
  let number = 35
  let title = "Chebyquad"
  let localMinima: [Double] = []

  /// The problem with n variables and m ≥ n residuals.
  init(dimension: Int = 8, residualCount: Int? = nil) {
    let m = residualCount ?? dimension
    precondition(
      dimension >= 1 && m >= dimension,
      "Chebyquad needs m ≥ n ≥ 1, got n = \(dimension), m = \(m)")
    self.dimension = dimension
    self.residualCount = m
  }

  var name: String { "chebyquad_n\(dimension)" }
  var startingPoint: [Double] { (1...dimension).map { Double($0) / Double(dimension + 1) } }
  var optimalValue: Double? {
    guard residualCount == dimension else { return nil }
    switch dimension {
    case 1...7, 9: return 0
    case 8: return 3.51687372567793e-3
    case 10: return 6.50395e-3
    default: return nil
    }
  }
  var minimizer: [Double]? {
    dimension == 8 && residualCount == 8
      ? [
        0.04315276015101663, 0.1930908403841861, 0.26632870689027294, 0.5, 0.5, 0.7336712931097271,
        0.8069091596158139, 0.9568472398489833,
      ] : nil
  }

  /// ∫₀¹ Tᵢ = 0 for odd i, −1/(i² − 1) for even i.
  func integral(_ i: Int) -> Double {
    i % 2 == 1 ? 0 : -1 / Double(i * i - 1)
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    let m = residualCount
    let scale = 1 / Double(dimension)
    for k in 0..<m { r[k] = T(-integral(k + 1)) }
    for j in 0..<dimension {
      let y = 2 * x[j] - 1
      var previous = T(1)  // T₀
      var current = y  // T₁
      for k in 0..<m {
        r[k] += scale * current
        let next = 2 * y * current - previous
        previous = current
        current = next
      }
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    let m = residualCount
    let scale = 2 / Double(dimension)  // d(2x − 1)/dx = 2
    for j in 0..<dimension {
      let y = 2 * x[j] - 1
      var previous = T(1)
      var current = y
      var previousSlope = T(0)  // T₀′
      var currentSlope = T(1)  // T₁′
      for k in 0..<m {
        jac[k, j] = scale * currentSlope
        let next = 2 * y * current - previous
        let nextSlope = 2 * current + 2 * y * currentSlope - previousSlope
        previous = current
        current = next
        previousSlope = currentSlope
        currentSlope = nextSlope
      }
    }
  }
}
