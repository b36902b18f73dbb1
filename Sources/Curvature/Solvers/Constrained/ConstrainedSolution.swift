/// Lagrange multipliers of a constrained problem, with the sign convention of the Lagrangian
///
///     L(x, λ) = f(x) − λₑᵀcₑ(x) − λᵢᵀcᵢ(x) − λₗᵀ(x − l) − λᵤᵀ(u − x),
///
/// so that at a KKT point ∇f = Jₑᵀλₑ + Jᵢᵀλᵢ + λₗ − λᵤ with λᵢ, λₗ, λᵤ ≥ 0
/// (Nocedal & Wright (12.34)).
public struct LagrangeMultipliers: Sendable, Hashable, Codable {
  /// λₑ, one per equality (free sign).
  public var equality: Vector
  /// λᵢ ≥ 0, one per inequality cᵢ(x) ≥ 0.
  public var inequality: Vector
  /// λₗ ≥ 0, one per variable (0 where the lower bound is absent or inactive).
  public var lowerBound: Vector
  /// λᵤ ≥ 0, one per variable.
  public var upperBound: Vector

  /// Creates multipliers.
  public init(equality: Vector, inequality: Vector, lowerBound: Vector, upperBound: Vector) {
    self.equality = equality
    self.inequality = inequality
    self.lowerBound = lowerBound
    self.upperBound = upperBound
  }

  /// All zero.
  public static func zeros(dimension n: Int, equalities me: Int, inequalities mi: Int)
    -> LagrangeMultipliers
  {
    LagrangeMultipliers(
      equality: .zeros(me), inequality: .zeros(mi), lowerBound: .zeros(n), upperBound: .zeros(n))
  }
}

/// The first-order (KKT) residuals at a point x with multipliers λ (Nocedal & Wright Thm. 12.1).
public struct KKTResiduals: Sendable, Hashable, Codable {
  /// ‖∇f(x) − Jₑᵀλₑ − Jᵢᵀλᵢ − λₗ + λᵤ‖∞, the gradient of the Lagrangian.
  public var stationarity: Double
  /// max(maxⱼ|cₑⱼ(x)|, maxⱼ cᵢⱼ(x)⁻, maxⱼ(lⱼ − xⱼ)⁺, maxⱼ(xⱼ − uⱼ)⁺), the largest violation.
  public var feasibility: Double
  /// max(maxⱼ|λᵢⱼcᵢⱼ(x)|, maxⱼ|λₗⱼ(xⱼ − lⱼ)|, maxⱼ|λᵤⱼ(uⱼ − xⱼ)|) over finite bounds.
  public var complementarity: Double

  /// Creates residuals.
  public init(stationarity: Double, feasibility: Double, complementarity: Double) {
    self.stationarity = stationarity
    self.feasibility = feasibility
    self.complementarity = complementarity
  }

  /// The largest of the three.
  public var maximum: Double { Swift.max(stationarity, feasibility, complementarity) }
}

/// Counts and timings of a constrained solve.
public struct ConstrainedStatistics: Sendable, Hashable, Codable {
  /// Outer (SQP) iterations.
  public var iterations = 0
  /// Objective value, gradient and Hessian evaluations (finite-difference gradients of the exact
  /// Hessian option count in `differenceGradients`).
  public var evaluations = EvaluationCounts()
  /// Evaluations of the constraint values c(x).
  public var constraintEvaluations = 0
  /// Evaluations of the constraint Jacobians (finite-difference ones included).
  public var jacobianEvaluations = 0
  /// Active-set iterations over all QPs (phases 1 and 2).
  public var qpIterations = 0
  /// Iterations whose QP was solved in elastic mode.
  public var elasticIterations = 0
  /// Second-order corrections tried.
  public var secondOrderCorrections = 0
  /// Second-order corrections accepted.
  public var acceptedSecondOrderCorrections = 0
  /// Trial points evaluated by the line search beyond the first of each iteration.
  public var backtracks = 0
  /// The final ℓ₁ merit penalty μ.
  public var penalty = 0.0
  /// Wall-clock seconds.
  public var seconds = 0.0

  /// Zero statistics.
  public init() {}
}

/// The result of a constrained solve (``minimize(_:from:subjectTo:bounds:using:options:)``).
///
/// Termination mapping: ``Termination/residualTolerance`` means converged, i.e. all three
/// ``KKTResiduals`` are at most `gradientTolerance`; ``Termination/infeasible`` returns the
/// point where the ℓ₁ violation could not be reduced further (a stationary point of the
/// violation, the least-infeasible point found) and ``residuals``.feasibility is its violation;
/// ``Termination/invalidProblem`` reports inconsistent dimensions (found before any evaluation);
/// the other cases keep their meaning from unconstrained solves.
public struct ConstrainedSolution: Sendable {
  /// The returned point (always within the bounds).
  public var x: Vector
  /// f(x).
  public var value: Double
  /// ∇f(x).
  public var gradient: Vector
  /// The multipliers (from the last QP).
  public var multipliers: LagrangeMultipliers
  /// The KKT residuals at (x, multipliers).
  public var residuals: KKTResiduals
  /// Why the solver stopped.
  public var termination: Termination
  /// Counts and timings.
  public var statistics: ConstrainedStatistics
  /// The method's name.
  public var method: String
  /// Extra detail (e.g. that the starting point was projected onto the bounds).
  public var note: String?

  /// Creates a solution.
  public init(
    x: Vector, value: Double, gradient: Vector, multipliers: LagrangeMultipliers,
    residuals: KKTResiduals, termination: Termination, statistics: ConstrainedStatistics,
    method: String, note: String? = nil
  ) {
    self.x = x
    self.value = value
    self.gradient = gradient
    self.multipliers = multipliers
    self.residuals = residuals
    self.termination = termination
    self.statistics = statistics
    self.method = method
    self.note = note
  }

  /// Whether the solve converged.
  public var isSuccess: Bool { termination.isSuccess }

  /// Returns the solution when it converged, or throws ``ConstrainedSolveFailure`` carrying it.
  public func requireSuccess() throws(ConstrainedSolveFailure) -> ConstrainedSolution {
    guard isSuccess else { throw ConstrainedSolveFailure(solution: self) }
    return self
  }

  /// The largest constraint violation at ``x``.
  public var violation: Double { residuals.feasibility }

  /// The termination's message, followed by the note if any.
  public var message: String {
    if termination == .residualTolerance {
      let m =
        "Converged: the KKT residuals (stationarity, feasibility, complementarity) are below "
        + "the tolerance."
      return note.map { m + " " + $0 } ?? m
    }
    return note.map { termination.message + " " + $0 } ?? termination.message
  }

  /// One line: method, outcome, iterations, value and residuals.
  public var briefReport: String {
    "\(method): \(isSuccess ? "success" : "failure"), \(statistics.iterations) iterations, "
      + "f = \(formatScientific(value, digits: 6)), "
      + "KKT (\(formatScientific(residuals.stationarity, digits: 2)), "
      + "\(formatScientific(residuals.feasibility, digits: 2)), "
      + "\(formatScientific(residuals.complementarity, digits: 2))), "
      + "\(termination.rawValue) (\(formatFixed(statistics.seconds * 1e3, digits: 3)) ms)"
  }

  /// A multi-line report in the style of Ceres' `Summary::FullReport`.
  public var fullReport: String {
    let s = statistics
    var lines: [String] = ["Curvature constrained solve report", ""]
    func row(_ k: String, _ v: String) { lines.append(k.padding(toLength: 34) + v) }
    row("Method", method)
    row("Parameters", "\(x.count)")
    row(
      "Equality / inequality constraints",
      "\(multipliers.equality.count) / \(multipliers.inequality.count)")
    row("Iterations", "\(s.iterations)")
    row("Function evaluations", "\(s.evaluations.values)")
    row("Gradient evaluations", "\(s.evaluations.gradients)")
    if s.evaluations.differenceGradients > 0 {
      row("  gradients for differences", "\(s.evaluations.differenceGradients)")
    }
    row("Hessian evaluations", "\(s.evaluations.hessians)")
    row("Constraint evaluations", "\(s.constraintEvaluations)")
    row("Jacobian evaluations", "\(s.jacobianEvaluations)")
    row("QP iterations", "\(s.qpIterations)")
    row("Elastic iterations", "\(s.elasticIterations)")
    row(
      "Second-order corrections",
      "\(s.acceptedSecondOrderCorrections) of \(s.secondOrderCorrections) accepted")
    row("Backtracks", "\(s.backtracks)")
    row("Merit penalty", formatScientific(s.penalty, digits: 3))
    row("Time (s)", formatScientific(s.seconds, digits: 3))
    lines.append("")
    row("Final value", formatScientific(value, digits: 9))
    row("Stationarity", formatScientific(residuals.stationarity, digits: 3))
    row("Feasibility", formatScientific(residuals.feasibility, digits: 3))
    row("Complementarity", formatScientific(residuals.complementarity, digits: 3))
    lines.append("")
    row("Termination", termination.rawValue)
    lines.append(message)
    return lines.joined(separator: "\n")
  }
}

/// The error thrown by ``ConstrainedSolution/requireSuccess()``: the solve did not converge.
public struct ConstrainedSolveFailure: Error, Sendable {
  /// The failed solution, with its point, residuals and termination.
  public let solution: ConstrainedSolution
}
