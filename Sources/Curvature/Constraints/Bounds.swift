/// Simple bounds l ≤ x ≤ u, with −∞ and +∞ for absent bounds.
public struct Bounds: Sendable, Hashable, Codable {
  /// The lower bounds l (−∞ where absent).
  public let lower: Vector
  /// The upper bounds u (+∞ where absent).
  public let upper: Vector

  /// Why a set of bounds is rejected.
  public enum ConfigurationError: Error, Sendable, Hashable {
    /// The two vectors have different lengths.
    case dimensionMismatch(lower: Int, upper: Int)
    /// lᵢ > uᵢ: the box is empty.
    case inverted(index: Int, lower: Double, upper: Double)
    /// lᵢ or uᵢ is NaN, or lᵢ = +∞, or uᵢ = −∞.
    case invalidValue(index: Int)
  }

  /// Bounds from two vectors; throws when they do not describe a non-empty box.
  public init(lower: Vector, upper: Vector) throws(ConfigurationError) {
    guard lower.count == upper.count else {
      throw .dimensionMismatch(lower: lower.count, upper: upper.count)
    }
    for i in 0..<lower.count {
      let (l, u) = (lower[i], upper[i])
      if l.isNaN || u.isNaN || l == .infinity || u == -.infinity { throw .invalidValue(index: i) }
      if l > u { throw .inverted(index: i, lower: l, upper: u) }
    }
    self.lower = lower
    self.upper = upper
  }

  /// No bounds in n variables.
  public static func unbounded(_ n: Int) -> Bounds {
    try! Bounds(
      lower: Vector(repeating: -.infinity, count: n), upper: Vector(repeating: .infinity, count: n))
  }

  /// The number of variables.
  public var dimension: Int { lower.count }

  /// Whether x lies in the box.
  public func contains(_ x: Vector) -> Bool {
    checkSameCount(x.count, dimension, "point and bounds")
    for i in 0..<x.count where !(x[i] >= lower[i] && x[i] <= upper[i]) { return false }
    return true
  }

  /// The projection P(x) = min(max(x, l), u), elementwise.
  public func project(_ x: Vector) -> Vector {
    checkSameCount(x.count, dimension, "point and bounds")
    var p = x
    for i in 0..<x.count { p[i] = Swift.min(Swift.max(x[i], lower[i]), upper[i]) }
    return p
  }

  /// The projected gradient's infinity norm ‖P(x − g) − x‖∞, the first-order optimality measure
  /// for bound constraints (it is zero exactly at KKT points); NaN when g has a NaN element.
  ///
  /// Each component is evaluated as the clamp of −gᵢ to [lᵢ − xᵢ, uᵢ − xᵢ], which equals
  /// P(x − g)ᵢ − xᵢ for x in the box but does not round gᵢ away against a large |xᵢ|: a free
  /// variable's component is exactly |gᵢ| (forming xᵢ − gᵢ first gave 0 for xᵢ = 10¹⁷, gᵢ = −2,
  /// and a solve running off along an unbounded direction was declared converged).
  public func projectedGradientNorm(at x: Vector, gradient g: Vector) -> Double {
    projectedGradientNorm(at: x, gradient: g, scaledBy: 1)
  }

  /// c·‖P(x − g/c) − x‖∞: the optimality measure of the objective f when g = c·∇f is the
  /// gradient of c·f (a solve's scaled objective, ``Oracle/scale``), in the units of g.
  func projectedGradientNorm(at x: Vector, gradient g: Vector, scaledBy c: Double) -> Double {
    checkSameCount(g.count, dimension, "gradient and bounds")
    var m = 0.0
    for i in 0..<x.count {
      if g[i].isNaN { return .nan }
      let p = Swift.min(Swift.max(-g[i] / c, lower[i] - x[i]), upper[i] - x[i])
      m = Swift.max(m, Swift.abs(p))
    }
    return c * m
  }
}
