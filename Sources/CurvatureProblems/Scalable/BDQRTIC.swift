import Curvature

/// BDQRTIC, the banded quartic of the CUTEst collection (Conn, Gould, Lescrenier & Toint,
/// "Performance of a multifrontal scheme for partially separable optimization", 1994, problem
/// 61), in n ≥ 5 variables (0-based indices):
///
///     f(x) = Σᵢ₌₀^{n−5} aᵢ² + bᵢ²,   aᵢ = 3 − 4xᵢ,
///     bᵢ = xᵢ² + 2xᵢ₊₁² + 3xᵢ₊₂² + 4xᵢ₊₃² + 5xₙ₋₁²,
///
/// from x₀ = (1, …, 1). Its minimum is positive and grows with n (f* ≈ 3983.8 at n = 1000,
/// 4.0054·10⁵ at n = 10⁵), and xₙ₋₁ enters every term, so the Hessian has a dense last row of size
/// about 20·Σbᵢ: near the minimizer the decrease along that direction falls below the rounding of f
/// while the gradient is still well above a tolerance of 10⁻⁶, the setting of Hager and Zhang's
/// approximate Wolfe conditions. With ∇bᵢ = (2xᵢ, 4xᵢ₊₁, 6xᵢ₊₂, 8xᵢ₊₃; 10xₙ₋₁) and
/// Dᵢ = ∇²bᵢ = diag(2, 4, 6, 8; 10),
///
///     ∇f = Σᵢ −8aᵢeᵢ + 2bᵢ∇bᵢ,   ∇²f·v = Σᵢ 32vᵢeᵢ + 2(∇bᵢᵀv)∇bᵢ + 2bᵢDᵢv.
public struct BDQRTIC: HessianVectorProductObjective, Hashable {
  /// The number of variables n (at least 5).
  public let dimension: Int

  /// The n-variable function; n must be at least 5.
  public init(dimension: Int) {
    precondition(dimension >= 5, "BDQRTIC needs at least 5 variables, got \(dimension)")
    self.dimension = dimension
  }

  /// The standard starting point (1, …, 1).
  public var startingPoint: Vector { Vector(repeating: 1, count: dimension) }

  /// f(x).
  public func value(at x: Vector) -> Double {
    var g = Vector.zeros(dimension)
    return value(at: x, gradient: &g)
  }

  /// f(x) and ∇f(x), in one pass over the terms: Σaᵢ² and Σbᵢ² are summed separately.
  public func value(at x: Vector, gradient g: inout Vector) -> Double {
    precondition(x.count == dimension, "BDQRTIC has \(dimension) variables, got \(x.count)")
    let n = dimension
    if g.count != n { g = .zeros(n) }
    g.fill(0)
    let last = x[n - 1]
    var sumA = 0.0
    var sumB = 0.0
    var lastGradient = 0.0
    for i in 0..<(n - 4) {
      let a = 3 - 4 * x[i]
      let b =
        x[i] * x[i] + 2 * x[i + 1] * x[i + 1] + 3 * x[i + 2] * x[i + 2] + 4 * x[i + 3] * x[i + 3]
        + 5 * last * last
      sumA += a * a
      sumB += b * b
      g[i] += -8 * a + 4 * b * x[i]
      g[i + 1] += 8 * b * x[i + 1]
      g[i + 2] += 12 * b * x[i + 2]
      g[i + 3] += 16 * b * x[i + 3]
      lastGradient += 20 * b * last
    }
    g[n - 1] += lastGradient
    return sumA + sumB
  }

  /// ∇²f(x)·v (see the type's documentation).
  public func hessianVectorProduct(at x: Vector, direction v: Vector, into r: inout Vector) {
    precondition(x.count == dimension && v.count == dimension, "BDQRTIC: size mismatch")
    let n = dimension
    if r.count != n { r = .zeros(n) }
    r.fill(0)
    let last = x[n - 1]
    var lastProduct = 0.0
    for i in 0..<(n - 4) {
      let b =
        x[i] * x[i] + 2 * x[i + 1] * x[i + 1] + 3 * x[i + 2] * x[i + 2] + 4 * x[i + 3] * x[i + 3]
        + 5 * last * last
      let s =
        2 * x[i] * v[i] + 4 * x[i + 1] * v[i + 1] + 6 * x[i + 2] * v[i + 2] + 8 * x[i + 3]
        * v[i + 3] + 10 * last * v[n - 1]
      r[i] += 32 * v[i] + 2 * s * 2 * x[i] + 2 * b * 2 * v[i]
      r[i + 1] += 2 * s * 4 * x[i + 1] + 2 * b * 4 * v[i + 1]
      r[i + 2] += 2 * s * 6 * x[i + 2] + 2 * b * 6 * v[i + 2]
      r[i + 3] += 2 * s * 8 * x[i + 3] + 2 * b * 8 * v[i + 3]
      lastProduct += 2 * s * 10 * last + 2 * b * 10 * v[n - 1]
    }
    r[n - 1] += lastProduct
  }
}
