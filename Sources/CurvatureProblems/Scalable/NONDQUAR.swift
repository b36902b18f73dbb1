import Curvature

/// NONDQUAR, the nondiagonal quartic of the CUTEst collection (Conn, Gould, Lescrenier & Toint,
/// 1994, problem 57), in n ≥ 3 variables (0-based indices):
///
///     f(x) = (x₀ − x₁)² + Σᵢ₌₀^{n−3} tᵢ⁴ + (xₙ₋₂ + xₙ₋₁)²,   tᵢ = xᵢ + xᵢ₊₁ + xₙ₋₁,
///
/// from x₀ = (1, −1, 1, −1, …), with f* = 0 at x* = 0, where the Hessian is singular: its quartic
/// terms contribute 12tᵢ²·(eᵢ + eᵢ₊₁ + eₙ₋₁)(…)ᵀ, which vanish there. Newton's method converges only
/// linearly, and a forcing term that tends to zero asks CG for ever more accurate solves of an ever
/// worse conditioned system. With uᵢ = eᵢ + eᵢ₊₁ + eₙ₋₁,
///
///     ∇f = Σᵢ 4tᵢ³uᵢ + (quadratic ends),   ∇²f·v = Σᵢ 12tᵢ²(uᵢᵀv)uᵢ + (quadratic ends).
public struct NONDQUAR: HessianVectorProductObjective, Hashable {
  /// The number of variables n (at least 3).
  public let dimension: Int

  /// The n-variable function; n must be at least 3.
  public init(dimension: Int) {
    precondition(dimension >= 3, "NONDQUAR needs at least 3 variables, got \(dimension)")
    self.dimension = dimension
  }

  /// The standard starting point (1, −1, 1, −1, …).
  public var startingPoint: Vector { Vector(count: dimension) { $0 % 2 == 0 ? 1 : -1 } }

  /// f(x).
  public func value(at x: Vector) -> Double {
    var g = Vector.zeros(dimension)
    return value(at: x, gradient: &g)
  }

  /// f(x) and ∇f(x).
  public func value(at x: Vector, gradient g: inout Vector) -> Double {
    precondition(x.count == dimension, "NONDQUAR has \(dimension) variables, got \(x.count)")
    let n = dimension
    if g.count != n { g = .zeros(n) }
    g.fill(0)
    let first = x[0] - x[1]
    let end = x[n - 2] + x[n - 1]
    var f = first * first + end * end
    g[0] += 2 * first
    g[1] -= 2 * first
    g[n - 2] += 2 * end
    var lastGradient = 2 * end
    for i in 0..<(n - 2) {
      let t = x[i] + x[i + 1] + x[n - 1]
      let t2 = t * t
      f += t2 * t2
      let d = 4 * t2 * t
      g[i] += d
      g[i + 1] += d
      lastGradient += d
    }
    g[n - 1] += lastGradient
    return f
  }

  /// ∇²f(x)·v (see the type's documentation).
  public func hessianVectorProduct(at x: Vector, direction v: Vector, into r: inout Vector) {
    precondition(x.count == dimension && v.count == dimension, "NONDQUAR: size mismatch")
    let n = dimension
    if r.count != n { r = .zeros(n) }
    r.fill(0)
    let first = 2 * (v[0] - v[1])
    let end = 2 * (v[n - 2] + v[n - 1])
    r[0] += first
    r[1] -= first
    r[n - 2] += end
    var lastProduct = end
    for i in 0..<(n - 2) {
      let t = x[i] + x[i + 1] + x[n - 1]
      let c = 12 * t * t * (v[i] + v[i + 1] + v[n - 1])
      r[i] += c
      r[i + 1] += c
      lastProduct += c
    }
    r[n - 1] += lastProduct
  }
}
