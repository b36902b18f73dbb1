import RealModule

/// The outcome of comparing a derivative a program computes (the "analytic" one) with central
/// differences, in the spirit of SciPy's `check_grad` and Ceres' `GradientChecker`.
///
/// For every component i the report forms the absolute error |aᵢ − dᵢ| and the relative error
///
///     rᵢ = |aᵢ − dᵢ| / max(|aᵢ|, |dᵢ|, floor),
///
/// where a is the analytic and d the difference value. The floor (``relativeErrorFloor``, 1 by
/// default) keeps components near zero from dividing by nothing: components smaller than the floor
/// are judged by their absolute error, larger ones by their relative error (the mixed test of
/// Dennis & Schnabel, *Numerical Methods for Unconstrained Optimization*, section 7.2). Lower the
/// floor for problems whose derivatives are all tiny. Central differences of a smooth function
/// agree with the truth to about ε^{2/3} ≈ 4e-11 times the scale of the function, so a correct
/// derivative usually shows relative errors of 1e-7 or less and a wrong one 1e-3 or more.
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

/// Compares the gradient of `objective` at `x` with central differences of its values
/// (steps hᵢ = ∛ε·(1 + |xᵢ|), see ``FiniteDifferenceGradient``); costs one gradient and 2n + 1
/// values.
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
  var numeric = Vector.zeros(x.count)
  FiniteDifferenceGradient.central.gradient(
    of: { objective.value(at: $0) }, at: x, into: &numeric)
  return DerivativeCheckReport(
    quantity: .gradient, rows: x.count, columns: 1, analytic: analytic, numeric: numeric,
    relativeErrorFloor: relativeErrorFloor)
}

/// Compares the Hessian-vector product ∇²f(x)·v of `objective` with central differences of its
/// gradient, (∇f(x + hv) − ∇f(x − hv)) / (2h) with h = ∛ε·(1 + ‖x‖)/‖v‖ (see
/// ``FiniteDifferenceHessianVectorProduct``); costs one product and two gradients.
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
  var numeric = Vector.zeros(x.count)
  var workspace = FiniteDifferenceWorkspace(dimension: x.count)
  FiniteDifferenceHessianVectorProduct.central.apply(
    gradient: { p, g in objective.value(at: p, gradient: &g) }, at: x, gradientAtX: nil,
    direction: v, into: &numeric, workspace: &workspace)
  return DerivativeCheckReport(
    quantity: .hessianVectorProduct, rows: x.count, columns: 1, analytic: analytic,
    numeric: numeric, relativeErrorFloor: relativeErrorFloor)
}

/// Compares the Jacobian of `residuals` at `x`, assembled column by column from the products
/// J(x)·eⱼ that solvers use, with central differences of r: column j is
/// (r(x + hⱼeⱼ) − r(x − hⱼeⱼ)) / (2hⱼ) with hⱼ = ∛ε·(1 + |xⱼ|). Costs n products and 2n residual
/// evaluations. The report is m × n, row-major.
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
  let numeric = centralDifferenceJacobian(
    rows: m, at: x, function: { p, r in residuals.residuals(at: p, into: &r) })
  return DerivativeCheckReport(
    quantity: .jacobian, rows: m, columns: n, analytic: analytic, numeric: numeric,
    relativeErrorFloor: relativeErrorFloor)
}

/// Compares J(x)ᵀ·w of `residuals` with central differences of the scalar x ↦ wᵀr(x), whose
/// gradient is Jᵀw (steps hⱼ = ∛ε·(1 + |xⱼ|)). Costs one product and 2n + 1 residual evaluations.
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
  var numeric = Vector.zeros(n)
  var r = Vector.zeros(m)
  FiniteDifferenceGradient.central.gradient(
    of: { p in
      residuals.residuals(at: p, into: &r)
      return dot(w, r)
    }, at: x, into: &numeric)
  return DerivativeCheckReport(
    quantity: .jacobianTransposeProduct, rows: n, columns: 1, analytic: analytic,
    numeric: numeric, relativeErrorFloor: relativeErrorFloor)
}

/// The m × n central-difference Jacobian of `function` at `x`, row-major, with steps
/// hⱼ = ∛ε·(1 + |xⱼ|) (the representable difference of x ± hⱼ is used).
@usableFromInline
func centralDifferenceJacobian(
  rows m: Int, at x: Vector, function: (Vector, inout Vector) -> Void
) -> Vector {
  let n = x.count
  var result = Vector.zeros(m * n)
  var probe = x
  var plus = Vector.zeros(m)
  var minus = Vector.zeros(m)
  for j in 0..<n {
    let xj = x[j]
    let h = FiniteDifferenceGradient.central.step(at: xj)
    probe[j] = xj + h
    let hPlus = probe[j] - xj
    function(probe, &plus)
    probe[j] = xj - h
    let hMinus = xj - probe[j]
    function(probe, &minus)
    probe[j] = xj
    let scale = 1 / (hPlus + hMinus)
    for i in 0..<m { result[i * n + j] = (plus[i] - minus[i]) * scale }
  }
  return result
}
