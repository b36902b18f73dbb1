/// A convex quadratic program in n variables,
///
///     minimize    q(p) = ½pᵀHp + gᵀp
///     subject to  Aₑp = bₑ,   Aᵢp ≥ bᵢ,   l ≤ p ≤ u,
///
/// with H symmetric positive definite (Nocedal & Wright, Numerical Optimization, 2nd ed., ch. 16).
/// Absent bounds are −∞ / +∞; an empty `lower` or `upper` means no bounds of that side.
///
/// Solve it with ``ActiveSetQPSolver`` (or ``solve(_:)``). The subproblems of ``SQP`` are of this
/// form with H the (damped BFGS or modified exact) Hessian of the Lagrangian.
public struct QuadraticProgram: Sendable, Hashable {
  /// H (n × n, symmetric positive definite; only the lower triangle is read).
  public var hessian: Matrix
  /// g (length n).
  public var gradient: Vector
  /// Aₑ (mₑ × n).
  public var equalityMatrix: Matrix
  /// bₑ (length mₑ).
  public var equalityVector: Vector
  /// Aᵢ (mᵢ × n).
  public var inequalityMatrix: Matrix
  /// bᵢ (length mᵢ).
  public var inequalityVector: Vector
  /// l (length n, −∞ where absent).
  public var lower: Vector
  /// u (length n, +∞ where absent).
  public var upper: Vector

  /// Creates a quadratic program; omitted constraints are absent.
  ///
  /// - Precondition: the sizes agree (H is n × n, g has n elements, each matrix has n columns and
  ///   as many rows as its right-hand side has elements, `lower` and `upper` are empty or have n
  ///   elements); the message names both sizes.
  public init(
    hessian: Matrix, gradient: Vector,
    equalityMatrix: Matrix? = nil, equalityVector: Vector = [],
    inequalityMatrix: Matrix? = nil, inequalityVector: Vector = [],
    lower: Vector = [], upper: Vector = []
  ) {
    let n = gradient.count
    precondition(
      hessian.rows == n && hessian.columns == n,
      "dimension mismatch: Hessian is \(hessian.rows)x\(hessian.columns), gradient has \(n)")
    let ae = equalityMatrix ?? Matrix(rows: 0, columns: n)
    let ai = inequalityMatrix ?? Matrix(rows: 0, columns: n)
    precondition(
      ae.columns == n && ae.rows == equalityVector.count,
      "dimension mismatch: equality matrix is \(ae.rows)x\(ae.columns), right-hand side has "
        + "\(equalityVector.count), n = \(n)"
    )
    precondition(
      ai.columns == n && ai.rows == inequalityVector.count,
      "dimension mismatch: inequality matrix is \(ai.rows)x\(ai.columns), right-hand side has "
        + "\(inequalityVector.count), n = \(n)"
    )
    precondition(
      lower.isEmpty || lower.count == n, "dimension mismatch: lower bounds \(lower.count), n = \(n)"
    )
    precondition(
      upper.isEmpty || upper.count == n, "dimension mismatch: upper bounds \(upper.count), n = \(n)"
    )
    self.hessian = hessian
    self.gradient = gradient
    self.equalityMatrix = ae
    self.equalityVector = equalityVector
    self.inequalityMatrix = ai
    self.inequalityVector = inequalityVector
    self.lower = lower.isEmpty ? Vector(repeating: -.infinity, count: n) : lower
    self.upper = upper.isEmpty ? Vector(repeating: .infinity, count: n) : upper
  }

  /// The number of variables n.
  public var dimension: Int { gradient.count }
  /// The number of equality constraints mₑ.
  public var equalityCount: Int { equalityMatrix.rows }
  /// The number of general inequality constraints mᵢ.
  public var inequalityCount: Int { inequalityMatrix.rows }

  /// q(p) = ½pᵀHp + gᵀp.
  public func objective(at p: Vector) -> Double {
    checkSameCount(p.count, dimension, "point and quadratic program")
    return 0.5 * dot(p, hessian * p) + dot(gradient, p)
  }

  /// The largest violation max(maxⱼ|(Aₑp − bₑ)ⱼ|, maxⱼ(bᵢ − Aᵢp)ⱼ⁺, max(l − p)⁺, max(p − u)⁺).
  public func violation(at p: Vector) -> Double {
    checkSameCount(p.count, dimension, "point and quadratic program")
    var v = 0.0
    let re = equalityMatrix * p
    for j in 0..<equalityCount { v = Swift.max(v, Swift.abs(re[j] - equalityVector[j])) }
    let ri = inequalityMatrix * p
    for j in 0..<inequalityCount { v = Swift.max(v, inequalityVector[j] - ri[j]) }
    for j in 0..<dimension { v = Swift.max(v, lower[j] - p[j], p[j] - upper[j]) }
    return v
  }

  /// Solves the program with the primal active-set method (``ActiveSetQPSolver``).
  public func solve(_ solver: ActiveSetQPSolver = ActiveSetQPSolver()) -> QuadraticProgramSolution {
    solver.solve(self)
  }
}

/// How a quadratic program solve ended.
public enum QuadraticProgramStatus: String, Sendable, Hashable, Codable, CaseIterable {
  /// The KKT conditions hold: the returned point is the unique minimizer.
  case optimal
  /// The constraints have no common point: phase 1 ended with a positive minimal ℓ₁ violation
  /// (the returned point minimizes it, up to a tiny proximal term).
  case infeasible
  /// The iteration limit was reached (degenerate cycling is stopped this way).
  case iterationLimit
  /// H is not (numerically) positive definite. The solver handles strictly convex programs only,
  /// which can never be unbounded below; this is the status a nonconvex or unbounded input gets.
  case notConvex
  /// A working-set system became singular or the data is not finite.
  case numericalFailure
}

/// The result of ``ActiveSetQPSolver/solve(_:from:)``.
///
/// The multipliers satisfy, at an optimal point, Hp + g = Aₑᵀλₑ + Aᵢᵀλᵢ + λₗ − λᵤ with
/// λᵢ, λₗ, λᵤ ≥ 0 and complementarity λᵢⱼ(Aᵢp − bᵢ)ⱼ = 0, λₗⱼ(pⱼ − lⱼ) = 0, λᵤⱼ(uⱼ − pⱼ) = 0
/// (Nocedal & Wright (16.37)).
public struct QuadraticProgramSolution: Sendable, Hashable {
  /// The solution p (on failure, the last iterate; when infeasible, the least-infeasible point).
  public var x: Vector
  /// λₑ (free sign).
  public var equalityMultipliers: Vector
  /// λᵢ ≥ 0.
  public var inequalityMultipliers: Vector
  /// λₗ ≥ 0 for the lower bounds (0 where absent).
  public var lowerBoundMultipliers: Vector
  /// λᵤ ≥ 0 for the upper bounds (0 where absent).
  public var upperBoundMultipliers: Vector
  /// How the solve ended.
  public var status: QuadraticProgramStatus
  /// Active-set iterations of phase 2 (optimality).
  public var iterations: Int
  /// Active-set iterations of phase 1 (feasibility; 0 when the start was feasible).
  public var phaseOneIterations: Int
  /// The largest constraint violation at ``x``.
  public var violation: Double

  /// Phase 1 plus phase 2 iterations.
  public var totalIterations: Int { iterations + phaseOneIterations }
}
