import RealModule

/// Scratch vectors for finite-difference derivatives, allocated once and reused.
public struct FiniteDifferenceWorkspace: Sendable {
  @usableFromInline var point: Vector
  @usableFromInline var gradientPlus: Vector
  @usableFromInline var gradientMinus: Vector

  /// Workspace for n variables.
  public init(dimension n: Int) {
    point = .zeros(n)
    gradientPlus = .zeros(n)
    gradientMinus = .zeros(n)
  }
}

/// Hessian-vector products from differences of gradients.
///
/// - Central: ∇²f(x)·v ≈ (∇f(x + h·v) − ∇f(x − h·v)) / (2h) with h = ∛ε·(1 + ‖x‖)/‖v‖,
///   truncation error O(h²); two gradients per product.
/// - Forward: ∇²f(x)·v ≈ (∇f(x + h·v) − ∇f(x)) / h with h = √ε·(1 + ‖x‖)/‖v‖, error O(h); one
///   gradient per product when ∇f(x) is known.
///
/// ε is the machine epsilon. The steps balance truncation against rounding in the gradient
/// (Nocedal & Wright, 2nd ed., section 8.1); they are relative to ‖x‖ rather than to the gradient
/// so that they stay sensible when the gradient is tiny.
public enum FiniteDifferenceHessianVectorProduct: String, Sendable, Hashable, Codable, CaseIterable
{
  /// Central differences (two gradients, O(h²)).
  case central
  /// Forward differences (one gradient when ∇f(x) is known, O(h)).
  case forward

  /// The step h for a point of norm `xNorm` and a direction of norm `vNorm`.
  public func step(xNorm: Double, vNorm: Double) -> Double {
    let eps = Double.ulpOfOne
    let base = self == .central ? Double.root(eps, 3) : eps.squareRoot()
    return base * (1 + xNorm) / vNorm
  }

  /// The number of gradient evaluations one product costs (given ∇f(x) for forward differences).
  public var gradientsPerProduct: Int { self == .central ? 2 : 1 }

  /// Writes the difference approximation of ∇²f(x)·v into `result`.
  ///
  /// - Parameters:
  ///   - gradient: the gradient closure (returns f, writes ∇f).
  ///   - x: the point.
  ///   - gradientAtX: ∇f(x) if known (forward differences evaluate it otherwise).
  ///   - v: the direction.
  ///   - result: receives the approximation of ∇²f(x)·v.
  ///   - w: scratch vectors of length n.
  public func apply(
    gradient: (Vector, inout Vector) -> Double,
    at x: Vector, gradientAtX: Vector?, direction v: Vector, into result: inout Vector,
    workspace w: inout FiniteDifferenceWorkspace
  ) {
    let n = x.count
    checkSameCount(n, v.count)
    if result.count != n { result = .zeros(n) }
    if w.point.count != n { w = FiniteDifferenceWorkspace(dimension: n) }
    let vNorm = v.norm
    guard vNorm > 0, vNorm.isFinite else {
      result.fill(vNorm == 0 ? 0 : .nan)
      return
    }
    let h = step(xNorm: x.norm, vNorm: vNorm)
    addScaled(x, h, v, into: &w.point)
    _ = gradient(w.point, &w.gradientPlus)
    switch self {
    case .central:
      addScaled(x, -h, v, into: &w.point)
      _ = gradient(w.point, &w.gradientMinus)
      addScaled(w.gradientPlus, -1, w.gradientMinus, into: &result)
      result.scale(by: 1 / (2 * h))
    case .forward:
      if let g = gradientAtX {
        addScaled(w.gradientPlus, -1, g, into: &result)
      } else {
        _ = gradient(x, &w.gradientMinus)
        addScaled(w.gradientPlus, -1, w.gradientMinus, into: &result)
      }
      result.scale(by: 1 / h)
    }
  }
}
