import RealModule

/// A dense primal active-set solver for strictly convex quadratic programs
/// (``QuadraticProgram``), after Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 16.3.
///
/// **Phase 1** finds a feasible point by solving the elastic (ℓ₁-relaxed) program
///
///     minimize    Σⱼ (vⱼ + wⱼ) + Σⱼ tⱼ + (δ/2)(‖p − p₀‖² + ‖(v, w, t)‖²)
///     subject to  âₑⱼᵀp − vⱼ + wⱼ = b̂ₑⱼ,   âᵢⱼᵀp + tⱼ ≥ b̂ᵢⱼ,   l ≤ p ≤ u,   v, w, t ≥ 0,
///
/// over rows scaled to unit norm (so the violation is measured as a distance), with
/// δ = 10⁻⁶/max(1, initial violation) and p₀ the start projected onto the bounds. It is feasible
/// at p₀ with slacks equal to the violations, so the same active-set iteration solves it; since
/// the ℓ₁ penalty is exact, the slacks vanish whenever the constraints are consistent and the
/// proximal multipliers δ‖p − p₀‖ stay below 1 (if the slacks do not vanish, phase 1 is repeated
/// once with δ·10⁻⁴). A positive optimal violation means the program is
/// ``QuadraticProgramStatus/infeasible``, and the point returned is then the least-infeasible one
/// in this ℓ₁ sense.
///
/// **Phase 2** runs Alg. 16.3 from that point: the equality-constrained subproblem on the working
/// set W, minimize ½dᵀHd + (Hp + g)ᵀd subject to aⱼᵀd = 0 (j ∈ W), is solved by the range-space
/// method (Schur complement A_W H⁻¹A_Wᵀ, N&W §16.2, with the Cholesky factor of H computed once);
/// a nonzero step is cut by the ratio test (N&W (16.41)) and the blocking constraint joins W; a
/// zero step (reduced gradient below 10⁻¹¹ relative) ends the solve when every inequality
/// multiplier is non-negative, otherwise the most negative one leaves W. Bounds are handled as
/// the rows ±eⱼ. Degeneracy can make the iteration cycle; the iteration limit stops it.
public struct ActiveSetQPSolver: Sendable, Hashable {
  /// The iteration limit of each phase; nil means 20(n + m) + 100 with m the number of
  /// constraint rows (bounds included).
  public var maxIterations: Int?
  /// A point counts as feasible when each constraint, scaled to a unit-norm row, is violated by
  /// at most `feasibilityTolerance`·max(1, ‖p‖∞) (default 10⁻⁹).
  public var feasibilityTolerance: Double
  /// δ of phase 1 (default 10⁻⁶).
  public var phaseOneRegularization: Double

  /// Creates a solver.
  public init(
    maxIterations: Int? = nil, feasibilityTolerance: Double = 1e-9,
    phaseOneRegularization: Double = 1e-6
  ) {
    self.maxIterations = maxIterations
    self.feasibilityTolerance = feasibilityTolerance
    self.phaseOneRegularization = phaseOneRegularization
  }

  /// Solves `qp` from `start` (default 0; projected onto the bounds).
  public func solve(_ qp: QuadraticProgram, from start: Vector? = nil) -> QuadraticProgramSolution {
    let n = qp.dimension
    if let start { checkSameCount(start.count, n, "starting point and quadratic program") }
    let stacked = StackedConstraints(qp)
    let p0 = qp.projectOntoBounds(start ?? .zeros(n))
    func failure(_ status: QuadraticProgramStatus, _ x: Vector, phase1: Int = 0, phase2: Int = 0)
      -> QuadraticProgramSolution
    {
      QuadraticProgramSolution(
        x: x, equalityMultipliers: .zeros(qp.equalityCount),
        inequalityMultipliers: .zeros(qp.inequalityCount), lowerBoundMultipliers: .zeros(n),
        upperBoundMultipliers: .zeros(n), status: status, iterations: phase2,
        phaseOneIterations: phase1, violation: x.isFinite ? qp.violation(at: x) : .infinity)
    }
    guard
      qp.hessian.isFinite && qp.gradient.isFinite && stacked.rows.isFinite && stacked.rhs.isFinite
        && p0.isFinite
    else { return failure(.numericalFailure, p0) }
    for j in 0..<n where qp.lower[j] > qp.upper[j] { return failure(.infeasible, p0) }
    guard let factor = CholeskyFactorization(of: qp.hessian) else {
      return failure(.notConvex, p0)
    }
    let limit = maxIterations ?? (20 * (n + stacked.rowCount) + 100)

    // Phase 1 (skipped when the projected start is feasible).
    var p = p0
    var phase1 = 0
    let initialViolation = stacked.scaledViolation(at: p)
    if initialViolation > feasibilityTolerance * Swift.max(1, p.normInfinity) {
      // δ is scaled down by the initial distance so that the proximal multipliers δ‖p − p₀‖
      // stay below the unit ℓ₁ weight; a second, smaller δ is tried before declaring
      // infeasibility.
      var delta = phaseOneRegularization / Swift.max(1, initialViolation)
      for attempt in 0..<2 {
        let elastic = ElasticQP(
          stacked, hessian: Matrix.identity(n).scaledBy(delta), linear: p0.scaled(by: -delta),
          penalty: 1, slackRegularization: delta, normalize: true)
        let out = elastic.solve(from: attempt == 0 ? p0 : p, maxIterations: limit)
        phase1 += out.iterations
        guard out.status == .optimal else { return failure(out.status, out.p, phase1: phase1) }
        p = out.p
        if stacked.scaledViolation(at: p) <= feasibilityTolerance * Swift.max(1, p.normInfinity) {
          break
        }
        if attempt == 1 { return failure(.infeasible, p, phase1: phase1) }
        delta *= 1e-4
      }
    }

    // Phase 2.
    let problem = StackedQP(
      hessian: qp.hessian, linear: qp.gradient, rows: stacked.rows, rhs: stacked.rhs,
      equalityCount: stacked.equalityCount)
    let core = ActiveSetCore(problem: problem, factor: factor, maxIterations: limit)
    let w = core.initialWorkingSet(
      at: p, activeTolerance: feasibilityTolerance * Swift.max(1, p.normInfinity))
    let out = core.run(from: p, workingSet: w)
    guard out.status == .optimal else {
      return failure(out.status, out.x, phase1: phase1, phase2: out.iterations)
    }
    var solution = stacked.solution(qp, x: out.x, multipliers: out.multipliers)
    solution.iterations = out.iterations
    solution.phaseOneIterations = phase1
    return solution
  }

  /// Solves the elastic program of Gill, Murray & Saunders (SNOPT's elastic mode),
  ///
  ///     minimize ½pᵀHp + gᵀp + γ(Σ|Aₑp − bₑ| + Σ(bᵢ − Aᵢp)⁺)   subject to l ≤ p ≤ u,
  ///
  /// written with non-negative slacks (and a tiny quadratic term on them, 10⁻²·minᵢHᵢᵢ, to keep
  /// the Hessian positive definite). Always feasible when l ≤ u. The multipliers returned satisfy
  /// |λₑ| ≤ γ and 0 ≤ λᵢ ≤ γ (up to the small slack term).
  public func solveElastic(_ qp: QuadraticProgram, penalty gamma: Double)
    -> QuadraticProgramSolution
  {
    let n = qp.dimension
    let stacked = StackedConstraints(qp)
    let p0 = qp.projectOntoBounds(.zeros(n))
    let minDiagonal = (0..<n).map { qp.hessian[$0, $0] }.min() ?? 1
    let elastic = ElasticQP(
      stacked, hessian: qp.hessian, linear: qp.gradient, penalty: gamma,
      slackRegularization: 1e-2 * Swift.max(minDiagonal, 1e-8), normalize: false)
    let limit = maxIterations ?? (20 * (elastic.problem.dimension + elastic.problem.rowCount) + 100)
    let out = elastic.solve(from: p0, maxIterations: limit)
    guard out.status == .optimal else {
      return QuadraticProgramSolution(
        x: out.p, equalityMultipliers: .zeros(qp.equalityCount),
        inequalityMultipliers: .zeros(qp.inequalityCount), lowerBoundMultipliers: .zeros(n),
        upperBoundMultipliers: .zeros(n), status: out.status, iterations: out.iterations,
        phaseOneIterations: 0, violation: qp.violation(at: out.p))
    }
    var solution = stacked.solution(qp, x: out.p, multipliers: out.softAndHardMultipliers)
    solution.iterations = out.iterations
    return solution
  }
}

extension QuadraticProgram {
  /// min(max(p, l), u) elementwise.
  func projectOntoBounds(_ p: Vector) -> Vector {
    var q = p
    for j in 0..<dimension { q[j] = Swift.min(Swift.max(p[j], lower[j]), upper[j]) }
    return q
  }
}

extension Matrix {
  func scaledBy(_ s: Double) -> Matrix { s * self }
}
