/// The sum of squares f(x) = Σᵢ rᵢ(x)² of a residual function, with Gauss-Newton curvature.
///
/// Convention: no ½, as in Moré, Garbow & Hillstrom (ACM TOMS 7(1), 1981), so that optimal values
/// match the paper and the peer harness. Then
///
/// - ∇f(x) = 2J(x)ᵀr(x),
/// - ∇²f(x) = 2J(x)ᵀJ(x) + 2Σᵢ rᵢ(x)∇²rᵢ(x),
/// - the Gauss-Newton matrix G(x) = 2J(x)ᵀJ(x) drops the second term: it is positive
///   semidefinite, costs two Jacobian products per product G(x)·v = 2Jᵀ(J·v), and equals the
///   Hessian wherever the residuals vanish (Nocedal & Wright, *Numerical Optimization*, 2nd ed.,
///   section 10.3).
///
/// Two conversions feed the solvers: ``objective`` (exact curvature: Hessian-vector products by
/// central differences of the exact gradient, through the ``Oracle``'s fallback) and
/// ``gaussNewtonObjective`` (products G(x)·v). The struct itself conforms to
/// ``HessianVectorProductObjective`` with exact products by differences, like ``objective``.
public struct SumOfSquaresObjective<Residuals: ResidualFunction>: HessianVectorProductObjective {
  /// The residual function r: ℝⁿ → ℝᵐ.
  public let residuals: Residuals

  /// The sum of squares of `residuals`.
  @inlinable
  public init(_ residuals: Residuals) { self.residuals = residuals }

  /// The number of variables n.
  @inlinable
  public var dimension: Int { residuals.dimension }

  /// The number of residuals m.
  @inlinable
  public var residualCount: Int { residuals.residualCount }

  /// f(x) = Σᵢ rᵢ(x)².
  @inlinable
  public func value(at x: Vector) -> Double {
    var r = Vector.zeros(residuals.residualCount)
    residuals.residuals(at: x, into: &r)
    return r.normSquared
  }

  /// f(x) and ∇f(x) = 2J(x)ᵀr(x) (one residual evaluation and one transposed product).
  @inlinable
  public func value(at x: Vector, gradient: inout Vector) -> Double {
    var r = Vector.zeros(residuals.residualCount)
    residuals.residuals(at: x, into: &r)
    if gradient.count != dimension { gradient = .zeros(dimension) }
    residuals.jacobianTransposeProduct(at: x, vector: r, into: &gradient)
    gradient.scale(by: 2)
    return r.normSquared
  }

  /// Writes the Gauss-Newton product G(x)·v = 2J(x)ᵀ(J(x)·v) into `result` (two Jacobian
  /// products).
  @inlinable
  public func gaussNewtonProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    precondition(
      x.count == dimension && v.count == dimension,
      "dimension mismatch: point has \(x.count) elements, direction \(v.count), residuals take \(dimension)"
    )
    var jv = Vector.zeros(residuals.residualCount)
    residuals.jacobianProduct(at: x, direction: v, into: &jv)
    if result.count != dimension { result = .zeros(dimension) }
    residuals.jacobianTransposeProduct(at: x, vector: jv, into: &result)
    result.scale(by: 2)
  }

  /// Writes ∇²f(x)·v into `result`, by central differences of the exact gradient 2Jᵀr (see
  /// ``FiniteDifferenceHessianVectorProduct``); includes the second-order residual term that
  /// ``gaussNewtonProduct(at:direction:into:)`` drops.
  @inlinable
  public func hessianVectorProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    var workspace = FiniteDifferenceWorkspace(dimension: dimension)
    FiniteDifferenceHessianVectorProduct.central.apply(
      gradient: { p, g in value(at: p, gradient: &g) }, at: x, gradientAtX: nil, direction: v,
      into: &result, workspace: &workspace)
  }

  /// The objective with exact curvature: value and gradient 2Jᵀr, and no product closure, so that
  /// the ``Oracle`` forms ∇²f(x)·v by differences of gradients and counts them. The default
  /// choice for minimizing a sum of squares with a general method.
  @inlinable
  public var objective: FunctionObjective {
    let me = self
    return FunctionObjective(
      dimension: dimension, value: { me.value(at: $0) },
      gradient: { x, g in me.value(at: x, gradient: &g) })
  }

  /// The objective whose Hessian-vector products are the Gauss-Newton products 2Jᵀ(J·v): always
  /// positive semidefinite and exact at zero-residual solutions, so Newton-CG on it is a
  /// Hessian-free Gauss-Newton method. The ``Oracle`` counts each product as one Hessian-vector
  /// product (it costs two Jacobian products).
  @inlinable
  public var gaussNewtonObjective: FunctionObjective {
    let me = self
    return FunctionObjective(
      dimension: dimension, value: { me.value(at: $0) },
      gradient: { x, g in me.value(at: x, gradient: &g) },
      hessianVectorProduct: { x, v, r in me.gaussNewtonProduct(at: x, direction: v, into: &r) })
  }
}

extension SumOfSquaresObjective where Residuals: DenseJacobianResidualFunction {
  /// The dense Gauss-Newton matrix G(x) = 2J(x)ᵀJ(x) (n × n), for small problems.
  @inlinable
  public func gaussNewtonMatrix(at x: Vector) -> Matrix {
    let j = residuals.jacobian(at: x)
    let n = dimension
    var g = Matrix(rows: n, columns: n)
    for a in 0..<n {
      for b in a..<n {
        var s = 0.0
        for i in 0..<j.rows { s += j[i, a] * j[i, b] }
        g[a, b] = 2 * s
        g[b, a] = 2 * s
      }
    }
    return g
  }
}
