/// A closure-based residual function r: ℝⁿ → ℝᵐ, the concrete form least-squares solvers consume.
///
/// Jacobian products come from the given closures, or from the dense Jacobian when only that is
/// given.
public struct FunctionResiduals: DenseJacobianResidualFunction {
  /// The number of variables n.
  public let dimension: Int
  /// The number of residuals m.
  public let residualCount: Int
  /// (x, r) ↦ writes r(x) into r.
  public let residualFunction: @Sendable (Vector, inout Vector) -> Void
  /// x ↦ J(x), the m × n Jacobian.
  public let jacobianFunction: (@Sendable (Vector) -> Matrix)?
  /// (x, v, Jv) ↦ writes J(x)·v.
  public let jacobianProductFunction: (@Sendable (Vector, Vector, inout Vector) -> Void)?
  /// (x, w, Jᵀw) ↦ writes J(x)ᵀ·w.
  public let jacobianTransposeProductFunction: (@Sendable (Vector, Vector, inout Vector) -> Void)?

  /// Creates residuals from closures; give the dense Jacobian, the two products, or all three.
  public init(
    dimension: Int, residualCount: Int,
    residuals: @escaping @Sendable (Vector, inout Vector) -> Void,
    jacobian: (@Sendable (Vector) -> Matrix)? = nil,
    jacobianProduct: (@Sendable (Vector, Vector, inout Vector) -> Void)? = nil,
    jacobianTransposeProduct: (@Sendable (Vector, Vector, inout Vector) -> Void)? = nil
  ) {
    precondition(
      jacobian != nil || (jacobianProduct != nil && jacobianTransposeProduct != nil),
      "FunctionResiduals needs a dense Jacobian or both Jacobian products")
    self.dimension = dimension
    self.residualCount = residualCount
    self.residualFunction = residuals
    self.jacobianFunction = jacobian
    self.jacobianProductFunction = jacobianProduct
    self.jacobianTransposeProductFunction = jacobianTransposeProduct
  }

  /// r(x).
  public func residuals(at x: Vector, into r: inout Vector) {
    if r.count != residualCount { r = .zeros(residualCount) }
    residualFunction(x, &r)
  }

  /// The dense Jacobian (assembled from n products J·eⱼ when only products were given).
  public func jacobian(at x: Vector) -> Matrix {
    if let j = jacobianFunction { return j(x) }
    var m = Matrix(rows: residualCount, columns: dimension)
    var col = Vector.zeros(residualCount)
    for j in 0..<dimension {
      jacobianProductFunction!(x, .basis(j, count: dimension), &col)
      if col.count != residualCount { col = Vector(repeating: .nan, count: residualCount) }
      for i in 0..<residualCount { m[i, j] = col[i] }
    }
    return m
  }

  /// `j` when it is m × n, otherwise nil (a user's Jacobian of the wrong shape).
  @usableFromInline
  func shaped(_ j: Matrix) -> Matrix? {
    j.rows == residualCount && j.columns == dimension ? j : nil
  }

  /// J(x)·v.
  public func jacobianProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    if let p = jacobianProductFunction {
      if result.count != residualCount { result = .zeros(residualCount) }
      p(x, v, &result)
    } else {
      guard let j = shaped(jacobianFunction!(x)) else {
        result = Vector(repeating: .nan, count: residualCount)
        return
      }
      result = j * v
    }
  }

  /// J(x)ᵀ·w.
  public func jacobianTransposeProduct(at x: Vector, vector w: Vector, into result: inout Vector) {
    if let p = jacobianTransposeProductFunction {
      if result.count != dimension { result = .zeros(dimension) }
      p(x, w, &result)
    } else {
      guard let j = shaped(jacobianFunction!(x)) else {
        result = Vector(repeating: .nan, count: dimension)
        return
      }
      result = j.transposeMultiply(w)
    }
  }
}

extension FunctionResiduals {
  /// The Gauss-Newton product Jᵀ(J·v) into `out` (length n), with `jv` (length m) as scratch:
  /// the operator of the matrix-free least-squares steps. A product of the wrong size makes
  /// `out` NaN (so the Krylov solve ends as non-finite instead of trapping) and returns the
  /// sentence that names it, for ``ResidualSolverRun/recordFault(_:)``; nil otherwise.
  @inlinable
  @discardableResult
  public func gaussNewtonProduct(
    at point: Vector, direction v: Vector, scratch jv: inout Vector, into out: inout Vector
  ) -> String? {
    let (m, n) = (residualCount, dimension)
    jacobianProduct(at: point, direction: v, into: &jv)
    if jv.count != m {
      let fault =
        "The Jacobian product J·v has \(jv.count) elements but the problem has \(m) residuals."
      jv = .zeros(m)
      out = Vector(repeating: .nan, count: n)
      return fault
    }
    jacobianTransposeProduct(at: point, vector: jv, into: &out)
    if out.count != n {
      let fault =
        "The Jacobian product Jᵀ·w has \(out.count) elements but the problem has \(n) variables."
      out = Vector(repeating: .nan, count: n)
      return fault
    }
    return nil
  }
}
