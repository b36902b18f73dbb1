import RealModule

/// Minimizes f subject to cₑ(x) = 0, cᵢ(x) ≥ 0 and optional bounds l ≤ x ≤ u with the line-search
/// SQP method (see ``SQP`` for the algorithm and its references):
///
///     let solution = minimize(f, from: x0, subjectTo: constraints, using: .sqp())
///
/// Inconsistent dimensions (objective, constraints, bounds, starting point) end with
/// ``Termination/invalidProblem`` before any evaluation; a non-finite start with
/// ``Termination/nonFiniteStartingPoint``. `options.gradientTolerance` is the tolerance of all
/// three KKT residuals, `maxIterations` bounds the SQP iterations and `maxEvaluations` the
/// objective evaluations (values plus gradients). The observer sees every iterate xₖ before its
/// step, with `gradientNorm` the stationarity residual ‖∇ₓL(xₖ, λₖ₊₁)‖∞ and `value` = f(xₖ).
@inlinable
public func minimize<P: DifferentiableObjective, C: ConstraintFunctions>(
  _ problem: P, from x0: Vector, subjectTo constraints: C, bounds: Bounds? = nil,
  using method: SQP = .sqp(), options: MinimizeOptions = MinimizeOptions(),
  observer: Observer? = nil
) -> ConstrainedSolution {
  minimizeConstrained(
    FunctionObjective(problem), from: x0, subjectTo: FunctionConstraints(wrapping: constraints),
    bounds: bounds, using: method, options: options, observer: observer)
}

extension FunctionConstraints {
  /// Wraps any constraint functions in closures (the identity for `FunctionConstraints`).
  public init<C: ConstraintFunctions>(wrapping c: C) {
    if let same = c as? FunctionConstraints {
      self = same
      return
    }
    self.init(
      dimension: c.dimension, equalityCount: c.equalityCount,
      equalities: { c.equalities(at: $0) }, equalityJacobian: { c.equalityJacobian(at: $0) },
      inequalityCount: c.inequalityCount,
      inequalities: { c.inequalities(at: $0) }, inequalityJacobian: { c.inequalityJacobian(at: $0) }
    )
  }
}

/// The non-generic body of ``minimize(_:from:subjectTo:bounds:using:options:observer:)``.
public func minimizeConstrained(
  _ objective: FunctionObjective, from x0: Vector, subjectTo constraints: FunctionConstraints,
  bounds: Bounds?, using method: SQP, options: MinimizeOptions, observer: Observer? = nil
) -> ConstrainedSolution {
  var run = SQPRun(
    objective: objective, constraints: constraints,
    bounds: bounds ?? .unbounded(objective.dimension), method: method, options: options,
    observer: observer)
  let n = objective.dimension
  var problems: [String] = []
  if n == 0 { problems.append("The problem has no variables.") }
  if x0.count != n {
    problems.append(
      "The starting point has \(x0.count) elements but the problem has \(n) variables.")
  }
  if constraints.dimension != n {
    problems.append("The constraints take \(constraints.dimension) variables, the objective \(n).")
  }
  if let bounds, bounds.dimension != n {
    problems.append("The bounds have \(bounds.dimension) elements, the objective \(n) variables.")
  }
  if !problems.isEmpty {
    return run.failure(.invalidProblem, at: x0, note: problems.joined(separator: " "))
  }
  if !x0.isFinite { return run.failure(.nonFiniteStartingPoint, at: x0) }
  return run.solve(from: x0)
}

/// The state of one SQP solve.
struct SQPRun {
  let objective: FunctionObjective
  let constraints: FunctionConstraints
  let bounds: Bounds
  let method: SQP
  let options: MinimizeOptions
  let observer: Observer?
  var statistics = ConstrainedStatistics()
  let start = ContinuousClock.now
  /// The check of the objective's and the constraints' output sizes (``OutputSizeCheck``).
  var sizes = OutputSizeCheck()

  init(
    objective: FunctionObjective, constraints: FunctionConstraints, bounds: Bounds, method: SQP,
    options: MinimizeOptions, observer: Observer?
  ) {
    self.observer = observer
    self.objective = objective
    self.constraints = constraints
    self.bounds = bounds
    self.method = method
    self.options = options
  }

  var me: Int { constraints.equalityCount }
  var mi: Int { constraints.inequalityCount }

  /// Everything known at a point.
  struct Point {
    var x: Vector
    var f: Double
    var g: Vector
    var ce: Vector
    var ci: Vector
    var je: Matrix
    var ji: Matrix
  }

  var elapsed: Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }

  mutating func failure(_ t: Termination, at x: Vector, note: String? = nil) -> ConstrainedSolution
  {
    let (t, note) = sizes.outcome(t, note: note)
    statistics.seconds = elapsed
    let n = x.count
    return ConstrainedSolution(
      x: x, value: .nan, gradient: Vector(repeating: .nan, count: n),
      multipliers: .zeros(
        dimension: n, equalities: Swift.max(me, 0), inequalities: Swift.max(mi, 0)),
      residuals: KKTResiduals(stationarity: .nan, feasibility: .nan, complementarity: .nan),
      termination: t, statistics: statistics, method: method.name, note: note)
  }

  mutating func constraintValues(_ x: Vector) -> (Vector, Vector) {
    statistics.constraintEvaluations += 1
    return (
      checked(constraints.equalities(at: x), "equality constraints", expected: me),
      checked(constraints.inequalities(at: x), "inequality constraints", expected: mi)
    )
  }

  mutating func jacobians(_ x: Vector) -> (Matrix, Matrix) {
    statistics.jacobianEvaluations += 1
    return (
      checked(constraints.equalityJacobian(at: x), "equality Jacobian", rows: me),
      checked(constraints.inequalityJacobian(at: x), "inequality Jacobian", rows: mi)
    )
  }

  mutating func gradient(_ x: Vector) -> (Double, Vector) {
    statistics.evaluations.gradients += 1
    var g = Vector.zeros(x.count)
    let f = objective.value(at: x, gradient: &g)
    guard g.count == x.count else {
      _ = checked(g, "objective's gradient", expected: x.count)
      return (.nan, Vector(repeating: .nan, count: x.count))
    }
    return (f, g)
  }

  /// `v`, or NaN of `expected` elements (and the fault) when it has another length.
  mutating func checked(_ v: Vector, _ what: String, expected: Int) -> Vector {
    sizes.vector(
      v, count: expected, "The \(what): \(v.count) elements, but the problem has \(expected).")
  }

  /// `m`, or a NaN matrix (and the fault) when it is not `rows` × n.
  mutating func checked(_ m: Matrix, _ what: String, rows: Int) -> Matrix {
    let n = objective.dimension
    return sizes.matrix(
      m, rows: rows, columns: n,
      "The \(what): \(m.rows) × \(m.columns), but the problem needs \(rows) × \(n).")
  }

  mutating func value(_ x: Vector) -> Double {
    statistics.evaluations.values += 1
    return objective.value(at: x)
  }

  /// ‖cₑ‖₁ + ‖cᵢ⁻‖₁.
  static func l1Violation(_ ce: Vector, _ ci: Vector) -> Double {
    var v = 0.0
    for c in ce { v += Swift.abs(c) }
    for c in ci where c < 0 { v -= c }
    return v
  }

  /// ∇ₓL(x, λ) = ∇f − Jₑᵀλₑ − Jᵢᵀλᵢ (the bound terms are constant in x).
  static func lagrangianGradient(_ p: Point, _ lambda: LagrangeMultipliers) -> Vector {
    var r = p.g
    if p.je.rows > 0 { axpy(-1, p.je.transposeMultiply(lambda.equality), &r) }
    if p.ji.rows > 0 { axpy(-1, p.ji.transposeMultiply(lambda.inequality), &r) }
    return r
  }

  func residuals(_ p: Point, _ lambda: LagrangeMultipliers) -> KKTResiduals {
    var r = Self.lagrangianGradient(p, lambda)
    axpy(-1, lambda.lowerBound, &r)
    axpy(1, lambda.upperBound, &r)
    var feas = 0.0
    for c in p.ce { feas = Swift.max(feas, Swift.abs(c)) }
    for c in p.ci { feas = Swift.max(feas, -c) }
    var comp = 0.0
    for j in 0..<mi { comp = Swift.max(comp, Swift.abs(lambda.inequality[j] * p.ci[j])) }
    for j in 0..<p.x.count {
      let l = bounds.lower[j]
      let u = bounds.upper[j]
      feas = Swift.max(feas, l - p.x[j], p.x[j] - u)
      if l.isFinite { comp = Swift.max(comp, Swift.abs(lambda.lowerBound[j] * (p.x[j] - l))) }
      if u.isFinite { comp = Swift.max(comp, Swift.abs(lambda.upperBound[j] * (u - p.x[j]))) }
    }
    return KKTResiduals(
      stationarity: r.normInfinity, feasibility: feas, complementarity: comp)
  }

  /// Evaluates f, ∇f, c and the Jacobians at x; nil with a note when sizes disagree.
  mutating func evaluate(_ x: Vector) -> (Point?, String?) {
    let (f, g) = gradient(x)
    let (ce, ci) = constraintValues(x)
    let (je, ji) = jacobians(x)
    let n = x.count
    if ce.count != me || ci.count != mi || je.rows != me || ji.rows != mi
      || (me > 0 && je.columns != n) || (mi > 0 && ji.columns != n) || g.count != n
    {
      return (
        nil,
        "The constraint functions returned \(ce.count) equalities, \(ci.count) inequalities and "
          + "Jacobians of \(je.rows)x\(je.columns) and \(ji.rows)x\(ji.columns); "
          + "expected \(me), \(mi), \(me)x\(n), \(mi)x\(n)."
      )
    }
    let pe = me > 0 ? je : Matrix(rows: 0, columns: n)
    let pi = mi > 0 ? ji : Matrix(rows: 0, columns: n)
    return (Point(x: x, f: f, g: g, ce: ce, ci: ci, je: pe, ji: pi), nil)
  }

  /// ∇²ₓL(x, λ) by the objective's Hessian (or central differences of ∇f) and central
  /// differences of Jᵀλ, symmetrized.
  mutating func exactHessian(_ p: Point, _ lambda: LagrangeMultipliers) -> Matrix {
    let n = p.x.count
    var h: Matrix
    if objective.hessianFunction != nil {
      statistics.evaluations.hessians += 1
      h = checked(objective.hessian(at: p.x), "objective's Hessian", rows: n)
    } else {
      h = Matrix(rows: n, columns: n)
      for j in 0..<n {
        let step = Double.root(Double.ulpOfOne, 3) * Swift.max(1, Swift.abs(p.x[j]))
        var xp = p.x
        var xm = p.x
        xp[j] += step
        xm[j] -= step
        statistics.evaluations.differenceGradients += 2
        var gp = Vector.zeros(n)
        var gm = Vector.zeros(n)
        _ = objective.value(at: xp, gradient: &gp)
        _ = objective.value(at: xm, gradient: &gm)
        gp = checked(gp, "objective's gradient", expected: n)
        gm = checked(gm, "objective's gradient", expected: n)
        for i in 0..<n { h[i, j] = (gp[i] - gm[i]) / (2 * step) }
      }
    }
    let hasMultipliers =
      lambda.equality.normInfinity > 0 || lambda.inequality.normInfinity > 0
    if hasMultipliers {
      func jtl(_ x: Vector, _ run: inout SQPRun) -> Vector {
        let (je, ji) = run.jacobians(x)
        var v = Vector.zeros(n)
        if run.me > 0 { axpy(1, je.transposeMultiply(lambda.equality), &v) }
        if run.mi > 0 { axpy(1, ji.transposeMultiply(lambda.inequality), &v) }
        return v
      }
      for j in 0..<n {
        let step = Double.root(Double.ulpOfOne, 3) * Swift.max(1, Swift.abs(p.x[j]))
        var xp = p.x
        var xm = p.x
        xp[j] += step
        xm[j] -= step
        let vp = jtl(xp, &self)
        let vm = jtl(xm, &self)
        for i in 0..<n { h[i, j] -= (vp[i] - vm[i]) / (2 * step) }
      }
    }
    for i in 0..<n {
      for j in 0..<i {
        let s = 0.5 * (h[i, j] + h[j, i])
        h[i, j] = s
        h[j, i] = s
      }
    }
    if CholeskyFactorization(of: h) != nil { return h }
    if let augmented = Self.augmentedLagrangianHessian(h, p, lambda) { return augmented }
    guard let m = ModifiedCholeskyFactorization(of: h) else { return .identity(n) }
    for i in 0..<n { h[i, i] += m.perturbation[i] }
    return h
  }

  /// H + ρAᵀA with A the Jacobian rows of the equalities and of the inequalities and bounds with
  /// positive multipliers, for the smallest ρ on a geometric sequence that makes it positive
  /// definite. On the linearized constraints Ap = −c the QP objective changes only by the
  /// constant ρ‖c‖², so the QP step is unchanged when the active set is, while a Hessian that is
  /// positive definite on the null space of A becomes positive definite (Debreu's lemma;
  /// Nocedal & Wright §17.3); nil when no ρ up to 10⁸·scale works.
  static func augmentedLagrangianHessian(_ h: Matrix, _ p: Point, _ lambda: LagrangeMultipliers)
    -> Matrix?
  {
    let n = h.rows
    var rows: [Vector] = []
    for i in 0..<p.je.rows { rows.append(p.je.row(i)) }
    for i in 0..<p.ji.rows where lambda.inequality[i] > 0 { rows.append(p.ji.row(i)) }
    for j in 0..<n where lambda.lowerBound[j] > 0 || lambda.upperBound[j] > 0 {
      rows.append(.basis(j, count: n))
    }
    if rows.isEmpty { return nil }
    var ata = Matrix(rows: n, columns: n)
    for r in rows {
      for i in 0..<n { for j in 0..<n { ata[i, j] += r[i] * r[j] } }
    }
    let scale = h.maxAbs / Swift.max(ata.maxAbs, 1e-300)
    guard scale.isFinite && scale > 0 else { return nil }
    var rho = 1e-2 * scale
    while rho <= 1e8 * scale {
      let candidate = h + rho * ata
      if CholeskyFactorization(of: candidate) != nil { return candidate }
      rho *= 10
    }
    return nil
  }

  /// Powell's damped BFGS update (N&W Procedure 18.2).
  static func dampedBFGS(_ b: inout Matrix, s: Vector, y: Vector) {
    let n = s.count
    let bs = b * s
    let sbs = dot(s, bs)
    guard sbs > 0 && sbs.isFinite else { return }
    let sy = dot(s, y)
    let theta = sy >= 0.2 * sbs ? 1 : 0.8 * sbs / (sbs - sy)
    var r = y.scaled(by: theta)
    axpy(1 - theta, bs, &r)
    let sr = dot(s, r)
    guard sr > 0 && sr.isFinite && r.isFinite else { return }
    for i in 0..<n {
      for j in 0..<n { b[i, j] += r[i] * r[j] / sr - bs[i] * bs[j] / sbs }
    }
  }

  func qp(_ p: Point, hessian: Matrix) -> QuadraticProgram {
    QuadraticProgram(
      hessian: hessian, gradient: p.g, equalityMatrix: p.je, equalityVector: -p.ce,
      inequalityMatrix: p.ji, inequalityVector: -p.ci, lower: bounds.lower - p.x,
      upper: bounds.upper - p.x)
  }

  static func multipliers(_ s: QuadraticProgramSolution) -> LagrangeMultipliers {
    LagrangeMultipliers(
      equality: s.equalityMultipliers, inequality: s.inequalityMultipliers,
      lowerBound: s.lowerBoundMultipliers, upperBound: s.upperBoundMultipliers)
  }

  mutating func finish(
    _ t: Termination, _ p: Point, _ lambda: LagrangeMultipliers, penalty: Double, note: String?
  ) -> ConstrainedSolution {
    let (t, note) = sizes.outcome(t, note: note)
    statistics.seconds = elapsed
    statistics.penalty = penalty
    let solution = ConstrainedSolution(
      x: p.x, value: p.f, gradient: p.g, multipliers: lambda, residuals: residuals(p, lambda),
      termination: t, statistics: statistics, method: method.name, note: note)
    if options.verbosity >= .iterations {
      print(solution.fullReport)
    } else if options.verbosity >= .summary {
      print(solution.briefReport)
    }
    return solution
  }

  func printRow(_ k: Int, _ p: Point, _ r: KKTResiduals, mu: Double, alpha: Double?, flags: String)
  {
    print(
      "\(k)".leftPadded(5) + formatScientific(p.f, digits: 8).leftPadded(17)
        + formatScientific(r.stationarity, digits: 3).leftPadded(11)
        + formatScientific(r.feasibility, digits: 3).leftPadded(11)
        + formatScientific(r.complementarity, digits: 3).leftPadded(11)
        + formatScientific(mu, digits: 2).leftPadded(10)
        + (alpha.map { formatScientific($0, digits: 2) } ?? "-").leftPadded(10) + "  " + flags)
  }
}
