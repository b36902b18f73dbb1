import RealModule

/// The outcome of comparing a derivative a program computes (the "analytic" one) with central
/// differences, in the spirit of SciPy's `check_grad` and Ceres' `GradientChecker`.
///
/// The check functions (``checkGradient(_:at:relativeErrorFloor:)``,
/// ``checkHessianVectorProduct(_:at:direction:relativeErrorFloor:)``,
/// ``checkJacobian(_:at:relativeErrorFloor:)``,
/// ``checkJacobianTransposeProduct(_:at:vector:relativeErrorFloor:)``) use fourth-order central
/// differences, the Richardson extrapolation of the steps h and 2h:
///
///     φ'(0) ≈ [8(φ(h) − φ(−h)) − (φ(2h) − φ(−2h))] / (12h),   h = ε^{1/5}·(1 + |t|),
///
/// with truncation error h⁴φ⁽⁵⁾/30 and rounding error about 1.5·ε·|φ|/h ≈ 5e-13·|φ| (Fornberg,
/// *Math. Comp.* 51(184), 1988; Nocedal & Wright, 2nd ed., section 8.1). The larger step keeps
/// the rounding error small even when |f| is large (a sum of many terms), where the plain
/// ∛ε-step central difference would lose digits. Each component costs four evaluations, at
/// x ± hᵢeᵢ and x ± 2hᵢeᵢ: check at a point at least 2hᵢ inside the function's domain.
///
/// For every component i the report forms the absolute error |aᵢ − dᵢ| and the relative error
///
///     rᵢ = |aᵢ − dᵢ| / max(|aᵢ|, |dᵢ|, floor),
///
/// where a is the analytic and d the difference value. The floor (``relativeErrorFloor``, 1 by
/// default) keeps components near zero from dividing by nothing: components smaller than the floor
/// are judged by their absolute error, larger ones by their relative error (in the spirit of the
/// scaled tests of Dennis & Schnabel, *Numerical Methods for Unconstrained Optimization*,
/// section 7.2). Lower the
/// floor for problems whose derivatives are all tiny. The differences of a smooth function agree
/// with the truth to about 1e-12 times the scale of the function, so a correct derivative usually
/// shows relative errors of 1e-9 or less and a wrong one 1e-3 or more.
///
/// A non-finite analytic or difference value makes that component's errors infinite.
public struct DerivativeCheckReport: Sendable, Hashable, CustomStringConvertible {
  /// What was checked.
  public enum Quantity: String, Sendable, Hashable, Codable, CaseIterable {
    /// ∇f(x) against central differences of f.
    case gradient
    /// ∇²f(x)·v against central differences of ∇f.
    case hessianVectorProduct
    /// The m × n Jacobian J(x) (through the products J·eⱼ) against central differences of r.
    case jacobian
    /// J(x)ᵀ·w against central differences of x ↦ wᵀr(x).
    case jacobianTransposeProduct
  }

  /// What was checked.
  public let quantity: Quantity
  /// The number of rows (m for a Jacobian, the length otherwise).
  public let rows: Int
  /// The number of columns (n for a Jacobian, 1 otherwise).
  public let columns: Int
  /// The program's values (row-major for a Jacobian).
  public let analytic: Vector
  /// The central-difference values (row-major for a Jacobian).
  public let numeric: Vector
  /// The floor of the relative error's denominator.
  public let relativeErrorFloor: Double
  /// The flat (row-major) index of the component with the largest relative error; nil when there
  /// are no components.
  public let worstIndex: Int?
  /// maxᵢ |aᵢ − dᵢ|.
  public let maxAbsoluteError: Double
  /// maxᵢ |aᵢ − dᵢ| / max(|aᵢ|, |dᵢ|, floor).
  public let maxRelativeError: Double

  /// Compares `analytic` with `numeric` component by component.
  public init(
    quantity: Quantity, rows: Int, columns: Int, analytic: Vector, numeric: Vector,
    relativeErrorFloor: Double = 1
  ) {
    precondition(
      analytic.count == numeric.count && analytic.count == rows * columns,
      "dimension mismatch: analytic has \(analytic.count) values, numeric \(numeric.count), shape \(rows)x\(columns)"
    )
    precondition(relativeErrorFloor > 0, "relativeErrorFloor must be positive")
    self.quantity = quantity
    self.rows = rows
    self.columns = columns
    self.analytic = analytic
    self.numeric = numeric
    self.relativeErrorFloor = relativeErrorFloor
    var worst: Int? = nil
    var maxAbs = 0.0
    var maxRel = 0.0
    for i in 0..<analytic.count {
      let a = analytic[i]
      let d = numeric[i]
      var absolute = Swift.abs(a - d)
      var relative = absolute / Swift.max(Swift.abs(a), Swift.abs(d), relativeErrorFloor)
      if !a.isFinite || !d.isFinite || absolute.isNaN {
        absolute = .infinity
        relative = .infinity
      }
      maxAbs = Swift.max(maxAbs, absolute)
      if worst == nil || relative > maxRel {
        worst = i
        maxRel = relative
      }
    }
    self.worstIndex = worst
    self.maxAbsoluteError = maxAbs
    self.maxRelativeError = maxRel
  }

  /// The row of the worst component (the component itself for vectors).
  public var worstRow: Int? { worstIndex.map { $0 / Swift.max(columns, 1) } }
  /// The column of the worst component (0 for vectors).
  public var worstColumn: Int? { worstIndex.map { $0 % Swift.max(columns, 1) } }
  /// The program's value at the worst component.
  public var worstAnalytic: Double? { worstIndex.map { analytic[$0] } }
  /// The difference value at the worst component.
  public var worstNumeric: Double? { worstIndex.map { numeric[$0] } }

  /// Whether the largest relative error is at most `tolerance` (and every value is finite).
  public func isConsistent(tolerance: Double = 1e-6) -> Bool {
    maxRelativeError <= tolerance
  }

  /// A one-line summary naming the worst component and both of its values.
  public var description: String {
    var s = "\(quantity.rawValue) check (\(rows)x\(columns)): "
    s += "max relative error \(formatScientific(maxRelativeError, digits: 2)), "
    s += "max absolute error \(formatScientific(maxAbsoluteError, digits: 2))"
    if let i = worstIndex {
      let position = columns == 1 ? "[\(i)]" : "[\(i / columns), \(i % columns)]"
      s += "; worst \(position): analytic \(formatNumber(analytic[i], significantDigits: 10))"
      s += ", numeric \(formatNumber(numeric[i], significantDigits: 10))"
    }
    return s
  }
}

/// Compares the gradient of `objective` at `x` with fourth-order central differences of its
/// values (see ``DerivativeCheckReport``); costs one gradient and 4n values.
///
/// - Parameters:
///   - objective: the objective whose gradient is checked.
///   - x: the point (pick a generic point, not one with special symmetry).
///   - relativeErrorFloor: the floor of the relative error's denominator (see
///     ``DerivativeCheckReport``).
@inlinable
public func checkGradient<O: DifferentiableObjective>(
  _ objective: O, at x: Vector, relativeErrorFloor: Double = 1
) -> DerivativeCheckReport {
  precondition(
    x.count == objective.dimension,
    "dimension mismatch: point has \(x.count) elements, objective \(objective.dimension)")
  var analytic = Vector.zeros(x.count)
  _ = objective.value(at: x, gradient: &analytic)
  let numeric = checkDifferenceJacobian(rows: 1, at: x) { p, out in
    out[0] = objective.value(at: p)
  }
  return DerivativeCheckReport(
    quantity: .gradient, rows: x.count, columns: 1, analytic: analytic, numeric: numeric,
    relativeErrorFloor: relativeErrorFloor)
}

/// Compares the Hessian-vector product ∇²f(x)·v of `objective` with fourth-order central
/// differences of its gradient along v, with h = ε^{1/5}·(1 + ‖x‖)/‖v‖ (see
/// ``DerivativeCheckReport``); costs one product and four gradients.
///
/// - Parameters:
///   - objective: the objective whose products are checked.
///   - x: the point.
///   - v: the direction (nonzero).
///   - relativeErrorFloor: the floor of the relative error's denominator.
@inlinable
public func checkHessianVectorProduct<O: HessianVectorProductObjective>(
  _ objective: O, at x: Vector, direction v: Vector, relativeErrorFloor: Double = 1
) -> DerivativeCheckReport {
  precondition(
    x.count == objective.dimension && v.count == objective.dimension,
    "dimension mismatch: point has \(x.count) elements, direction \(v.count), objective \(objective.dimension)"
  )
  var analytic = Vector.zeros(x.count)
  objective.hessianVectorProduct(at: x, direction: v, into: &analytic)
  let numeric = checkDifferenceAlongDirection(at: x, direction: v) { p, g in
    _ = objective.value(at: p, gradient: &g)
  }
  return DerivativeCheckReport(
    quantity: .hessianVectorProduct, rows: x.count, columns: 1, analytic: analytic,
    numeric: numeric, relativeErrorFloor: relativeErrorFloor)
}

/// Compares the Jacobian of `residuals` at `x`, assembled column by column from the products
/// J(x)·eⱼ that solvers use, with fourth-order central differences of r (see
/// ``DerivativeCheckReport``). Costs n products and 4n residual evaluations. The report is
/// m × n, row-major.
///
/// - Parameters:
///   - residuals: the residual function whose Jacobian products are checked.
///   - x: the point.
///   - relativeErrorFloor: the floor of the relative error's denominator.
@inlinable
public func checkJacobian<R: ResidualFunction>(
  _ residuals: R, at x: Vector, relativeErrorFloor: Double = 1
) -> DerivativeCheckReport {
  let n = residuals.dimension
  let m = residuals.residualCount
  precondition(
    x.count == n, "dimension mismatch: point has \(x.count) elements, residuals take \(n)")
  var analytic = Vector.zeros(m * n)
  var column = Vector.zeros(m)
  for j in 0..<n {
    residuals.jacobianProduct(at: x, direction: .basis(j, count: n), into: &column)
    for i in 0..<m { analytic[i * n + j] = column[i] }
  }
  let numeric = checkDifferenceJacobian(rows: m, at: x) { p, r in
    residuals.residuals(at: p, into: &r)
  }
  return DerivativeCheckReport(
    quantity: .jacobian, rows: m, columns: n, analytic: analytic, numeric: numeric,
    relativeErrorFloor: relativeErrorFloor)
}

/// Compares J(x)ᵀ·w of `residuals` with fourth-order central differences of the scalar
/// x ↦ wᵀr(x), whose gradient is Jᵀw (see ``DerivativeCheckReport``). Costs one product and 4n
/// residual evaluations.
///
/// - Parameters:
///   - residuals: the residual function whose transposed products are checked.
///   - x: the point.
///   - w: a vector of length m.
///   - relativeErrorFloor: the floor of the relative error's denominator.
@inlinable
public func checkJacobianTransposeProduct<R: ResidualFunction>(
  _ residuals: R, at x: Vector, vector w: Vector, relativeErrorFloor: Double = 1
) -> DerivativeCheckReport {
  let n = residuals.dimension
  let m = residuals.residualCount
  precondition(
    x.count == n && w.count == m,
    "dimension mismatch: point has \(x.count) elements (needs \(n)), vector \(w.count) (needs \(m))"
  )
  var analytic = Vector.zeros(n)
  residuals.jacobianTransposeProduct(at: x, vector: w, into: &analytic)
  var r = Vector.zeros(m)
  let numeric = checkDifferenceJacobian(rows: 1, at: x) { p, out in
    residuals.residuals(at: p, into: &r)
    out[0] = dot(w, r)
  }
  return DerivativeCheckReport(
    quantity: .jacobianTransposeProduct, rows: n, columns: 1, analytic: analytic,
    numeric: numeric, relativeErrorFloor: relativeErrorFloor)
}

/// The step base ε^{1/5} of the checks' fourth-order differences.
private let checkStepBase = Double.pow(Double.ulpOfOne, 0.2)

/// The m × n Jacobian of `function` at `x` by fourth-order central differences, row-major (for
/// m = 1, the gradient). Steps hⱼ = ε^{1/5}·(1 + |xⱼ|).
@usableFromInline
func checkDifferenceJacobian(
  rows m: Int, at x: Vector, function: (Vector, inout Vector) -> Void
) -> Vector {
  let n = x.count
  var result = Vector.zeros(m * n)
  var probe = x
  var f1 = Vector.zeros(m)
  var f2 = Vector.zeros(m)
  var f3 = Vector.zeros(m)
  var f4 = Vector.zeros(m)
  for j in 0..<n {
    let xj = x[j]
    let h = checkStepBase * (1 + Swift.abs(xj))
    probe[j] = xj + h
    function(probe, &f1)
    probe[j] = xj - h
    function(probe, &f2)
    probe[j] = xj + 2 * h
    function(probe, &f3)
    probe[j] = xj - 2 * h
    function(probe, &f4)
    probe[j] = xj
    for i in 0..<m {
      result[i * n + j] = (8 * (f1[i] - f2[i]) - (f3[i] - f4[i])) / (12 * h)
    }
  }
  return result
}

/// The derivative of t ↦ ∇f(x + t·v) at t = 0, i.e. ∇²f(x)·v, by fourth-order central differences
/// with h = ε^{1/5}·(1 + ‖x‖)/‖v‖; zero for v = 0.
@usableFromInline
func checkDifferenceAlongDirection(
  at x: Vector, direction v: Vector, gradient: (Vector, inout Vector) -> Void
) -> Vector {
  let n = x.count
  let vNorm = v.norm
  guard vNorm > 0 else { return .zeros(n) }
  guard vNorm.isFinite else { return Vector(repeating: .nan, count: n) }
  let h = checkStepBase * (1 + x.norm) / vNorm
  var point = Vector.zeros(n)
  var g1 = Vector.zeros(n)
  var g2 = Vector.zeros(n)
  var g3 = Vector.zeros(n)
  var g4 = Vector.zeros(n)
  addScaled(x, h, v, into: &point)
  gradient(point, &g1)
  addScaled(x, -h, v, into: &point)
  gradient(point, &g2)
  addScaled(x, 2 * h, v, into: &point)
  gradient(point, &g3)
  addScaled(x, -2 * h, v, into: &point)
  gradient(point, &g4)
  return Vector(count: n) { i in (8 * (g1[i] - g2[i]) - (g3[i] - g4[i])) / (12 * h) }
}
