import Curvature

/// MGH problem 23, penalty function I: n variables (here 10), m = n + 1,
/// rᵢ = √a(xᵢ − 1) for i ≤ n with a = 10⁻⁵, rₙ₊₁ = Σⱼ xⱼ² − 1/4; x₀ = (1, 2, …, n);
/// f* = 7.08765·10⁻⁵ for n = 10 (MGH).
///
/// The minimizer has all xⱼ equal (for a fixed Σxⱼ² the first sum is smallest there), so f* is the
/// minimum of a one-variable quartic: 7.08765146709038·10⁻⁵ at xⱼ = 0.158122301113116. The peer
/// harness lists 7.08765090139·10⁻⁵, which is below this minimum.
struct MGHPenalty1: MGHDefinition {
  let dimension: Int
  let number = 23
  let title = "Penalty function I"
  let localMinima: [Double] = []

  /// Penalty I with n variables (f* and x* stored for n = 4 and n = 10).
  init(dimension: Int = 10) {
    precondition(dimension >= 1, "penalty I needs n ≥ 1, got \(dimension)")
    self.dimension = dimension
  }

  static let a = 1e-5
  static let sqrtA = a.squareRoot()

  var name: String { "penalty1_n\(dimension)" }
  var residualCount: Int { dimension + 1 }
  var startingPoint: [Double] { (1...dimension).map { Double($0) } }
  var optimalValue: Double? {
    switch dimension {
    case 4: 2.24997e-5
    case 10: 7.08765146709038e-5
    default: nil
    }
  }
  var minimizer: [Double]? {
    dimension == 10 ? Array(repeating: 0.15812230111311634, count: 10) : nil
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    var s = T(0)
    for j in 0..<dimension {
      r[j] = Self.sqrtA * (x[j] - 1)
      s += x[j] * x[j]
    }
    r[dimension] = s - 0.25
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for j in 0..<dimension {
      jac[j, j] = T(Self.sqrtA)
      jac[dimension, j] = 2 * x[j]
    }
  }
}
