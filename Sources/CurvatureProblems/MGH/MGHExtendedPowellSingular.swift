import Curvature

/// MGH problem 22, extended Powell singular: n a multiple of 4 (here 12), m = n; in each block of
/// four, r₄ᵢ₋₃ = x₄ᵢ₋₃ + 10x₄ᵢ₋₂, r₄ᵢ₋₂ = √5(x₄ᵢ₋₁ − x₄ᵢ), r₄ᵢ₋₁ = (x₄ᵢ₋₂ − 2x₄ᵢ₋₁)²,
/// r₄ᵢ = √10(x₄ᵢ₋₃ − x₄ᵢ)²; x₀ = (3, −1, 0, 1, …); f* = 0 at the origin (singular Hessian).
struct MGHExtendedPowellSingular: MGHDefinition {
  let dimension: Int
  let number = 22
  let title = "Extended Powell singular"
  let optimalValue: Double? = 0
  let localMinima: [Double] = []

  /// Extended Powell singular with n a multiple of 4.
  init(dimension: Int = 12) {
    precondition(
      dimension >= 4 && dimension % 4 == 0,
      "extended Powell singular needs n a multiple of 4, got \(dimension)")
    self.dimension = dimension
  }

  var name: String { "ext_powell_n\(dimension)" }
  var residualCount: Int { dimension }
  var startingPoint: [Double] { (0..<dimension).map { [3.0, -1, 0, 1][$0 % 4] } }
  var minimizer: [Double]? { Array(repeating: 0, count: dimension) }

  static let sqrt5 = 5.0.squareRoot()
  static let sqrt10 = 10.0.squareRoot()

  /// The four residuals of the block starting at index `s` (shared with problem 13).
  static func block<T: ScalarMath>(_ x: [T], _ s: Int, into r: inout [T]) {
    let a = x[s]
    let b = x[s + 1]
    let c = x[s + 2]
    let d = x[s + 3]
    r[s] = a + 10 * b
    r[s + 1] = sqrt5 * (c - d)
    let u = b - 2 * c
    r[s + 2] = u * u
    let w = a - d
    r[s + 3] = sqrt10 * (w * w)
  }

  /// The 4 × 4 Jacobian block starting at (s, s).
  static func blockJacobian<T: ScalarMath>(_ x: [T], _ s: Int, into jac: inout ResidualJacobian<T>)
  {
    let u = x[s + 1] - 2 * x[s + 2]
    let w = x[s] - x[s + 3]
    jac[s, s] = T(1)
    jac[s, s + 1] = T(10)
    jac[s + 1, s + 2] = T(sqrt5)
    jac[s + 1, s + 3] = T(-sqrt5)
    jac[s + 2, s + 1] = 2 * u
    jac[s + 2, s + 2] = -4 * u
    jac[s + 3, s] = (2 * sqrt10) * w
    jac[s + 3, s + 3] = (-2 * sqrt10) * w
  }

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for s in stride(from: 0, to: dimension, by: 4) { Self.block(x, s, into: &r) }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for s in stride(from: 0, to: dimension, by: 4) { Self.blockJacobian(x, s, into: &jac) }
  }
}
