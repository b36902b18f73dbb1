import Curvature

extension ExtendedRosenbrock: ResidualFunction {
  /// The number of residuals m = n, in the Moré-Garbow-Hillstrom order
  /// r₂ᵢ₋₁ = 10(x₂ᵢ − x₂ᵢ₋₁²), r₂ᵢ = 1 − x₂ᵢ₋₁ (1-based), so that f = Σ rᵢ².
  public var residualCount: Int { dimension }

  /// Writes r(x) into `residuals`.
  public func residuals(at x: Vector, into residuals: inout Vector) {
    precondition(
      x.count == dimension,
      "dimension mismatch: point has \(x.count) elements, ExtendedRosenbrock has \(dimension)")
    if residuals.count != dimension { residuals = .zeros(dimension) }
    let n = dimension
    x.withUnsafeBufferPointer { px in
      residuals.withUnsafeMutableBufferPointer { pr in
        guard let p = px.baseAddress, let r = pr.baseAddress else { return }
        var i = 0
        while i < n {
          r[i] = 10 * (p[i + 1] - p[i] * p[i])
          r[i + 1] = 1 - p[i]
          i += 2
        }
      }
    }
  }

  /// Writes J(x)·v: per pair, (−20x₂ᵢ₋₁v₂ᵢ₋₁ + 10v₂ᵢ, −v₂ᵢ₋₁).
  public func jacobianProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    precondition(
      x.count == dimension && v.count == dimension,
      "dimension mismatch: point has \(x.count) elements, direction \(v.count), ExtendedRosenbrock has \(dimension)"
    )
    if result.count != dimension { result = .zeros(dimension) }
    let n = dimension
    x.withUnsafeBufferPointer { px in
      v.withUnsafeBufferPointer { pv in
        result.withUnsafeMutableBufferPointer { pr in
          guard let p = px.baseAddress, let d = pv.baseAddress, let r = pr.baseAddress else {
            return
          }
          var i = 0
          while i < n {
            r[i] = -20 * p[i] * d[i] + 10 * d[i + 1]
            r[i + 1] = -d[i]
            i += 2
          }
        }
      }
    }
  }

  /// Writes J(x)ᵀ·w: per pair, (−20x₂ᵢ₋₁w₂ᵢ₋₁ − w₂ᵢ, 10w₂ᵢ₋₁).
  public func jacobianTransposeProduct(at x: Vector, vector w: Vector, into result: inout Vector) {
    precondition(
      x.count == dimension && w.count == dimension,
      "dimension mismatch: point has \(x.count) elements, vector \(w.count), ExtendedRosenbrock has \(dimension)"
    )
    if result.count != dimension { result = .zeros(dimension) }
    let n = dimension
    x.withUnsafeBufferPointer { px in
      w.withUnsafeBufferPointer { pw in
        result.withUnsafeMutableBufferPointer { pr in
          guard let p = px.baseAddress, let d = pw.baseAddress, let r = pr.baseAddress else {
            return
          }
          var i = 0
          while i < n {
            r[i] = -20 * p[i] * d[i] - d[i + 1]
            r[i + 1] = 10 * d[i]
            i += 2
          }
        }
      }
    }
  }

  /// The residual form as closures, for ``TestProblem/residuals`` (products only: the dense
  /// Jacobian is assembled from n products if anyone asks for it).
  public var functionResiduals: FunctionResiduals {
    let me = self
    return FunctionResiduals(
      dimension: dimension, residualCount: dimension,
      residuals: { x, r in me.residuals(at: x, into: &r) },
      jacobianProduct: { x, v, r in me.jacobianProduct(at: x, direction: v, into: &r) },
      jacobianTransposeProduct: { x, w, r in
        me.jacobianTransposeProduct(at: x, vector: w, into: &r)
      })
  }
}
