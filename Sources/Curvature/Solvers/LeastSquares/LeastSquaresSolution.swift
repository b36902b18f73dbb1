/// The result of ``leastSquares(_:from:using:options:observer:)``.
///
/// With r(x) the residuals, the cost is F(x) = ½‖r(x)‖² (SciPy's `cost`) and its gradient is
/// ∇F(x) = J(x)ᵀr(x). The sum of squares Σrᵢ² of the Moré-Garbow-Hillstrom convention is
/// `2·cost` (``sumOfSquares``).
public struct LeastSquaresSolution: Sendable {
  /// The returned point: the last iterate on success, otherwise the best finite point evaluated.
  public var x: Vector
  /// r(x).
  public var residuals: Vector
  /// J(x)ᵀr(x), the gradient of the cost.
  public var gradient: Vector
  /// Why the solver stopped.
  public var termination: Termination
  /// Counts (iterations, residual and Jacobian evaluations, Jacobian products) and timing.
  public var statistics: SolverStatistics
  /// The method's name.
  public var method: String
  /// κ₂(J) ≈ max|rᵢᵢ|/min|rᵢᵢ| from the last QR factorization of the dense Jacobian (a lower
  /// bound on the condition number, see ``QRFactorization/conditionEstimate``); nil when the
  /// method never factored a dense Jacobian.
  public var jacobianConditionEstimate: Double?
  /// Extra detail for the user.
  public var note: String?
  /// Per-iteration summaries when `recordHistory` was set (values are costs ½‖r‖²).
  public var history: [IterationSummary]

  /// Creates a solution.
  public init(
    x: Vector, residuals: Vector, gradient: Vector, termination: Termination,
    statistics: SolverStatistics, method: String, jacobianConditionEstimate: Double? = nil,
    note: String? = nil, history: [IterationSummary] = []
  ) {
    self.x = x
    self.residuals = residuals
    self.gradient = gradient
    self.termination = termination
    self.statistics = statistics
    self.method = method
    self.jacobianConditionEstimate = jacobianConditionEstimate
    self.note = note
    self.history = history
  }

  /// F(x) = ½‖r(x)‖² (SciPy's `cost`).
  public var cost: Double { 0.5 * residuals.normSquared }
  /// Σᵢ rᵢ(x)² = 2F(x), the objective of the Moré-Garbow-Hillstrom convention.
  public var sumOfSquares: Double { residuals.normSquared }
  /// ‖r(x)‖₂.
  public var residualNorm: Double { residuals.norm }
  /// ‖J(x)ᵀr(x)‖∞.
  public var gradientNorm: Double { gradient.normInfinity }
  /// Whether the termination counts as convergence.
  public var isSuccess: Bool { termination.isSuccess }

  /// The termination's fixed message, followed by the note if any.
  public var message: String {
    if let note { return termination.message + " " + note }
    return termination.message
  }

  /// One line: method, iterations, cost, gradient norm, termination.
  public var briefReport: String {
    "\(method): \(isSuccess ? "success" : "failure"), \(statistics.iterations) iterations, "
      + "\(statistics.evaluations.residuals) residual evaluations, "
      + "cost = \(formatScientific(cost, digits: 6)), "
      + "|J'r|inf = \(formatScientific(gradientNorm, digits: 2)), "
      + "\(termination.rawValue) (\(formatFixed(statistics.seconds * 1e3, digits: 3)) ms)"
  }

  /// A multi-line report in the style of Ceres' `Summary::FullReport`.
  public var fullReport: String {
    let e = statistics.evaluations
    var lines: [String] = []
    func row(_ k: String, _ v: String) { lines.append(k.padding(toLength: 34) + v) }
    lines.append("Curvature least-squares report")
    lines.append("")
    row("Method", method)
    row("Parameters", "\(x.count)")
    row("Residuals", "\(residuals.count)")
    row("Iterations", "\(statistics.iterations)")
    row("Rejected steps", "\(statistics.rejectedSteps)")
    row("Residual evaluations", "\(e.residuals)")
    row("Jacobian evaluations", "\(e.jacobians)")
    row("Jacobian products", "\(e.jacobianProducts)")
    row("CG iterations", "\(statistics.cgIterations)")
    row("Line search evaluations", "\(statistics.lineSearchEvaluations)")
    row("Time (s)", formatScientific(statistics.seconds, digits: 3))
    lines.append("")
    if let first = history.first {
      row("Initial cost", formatScientific(first.value, digits: 9))
    }
    row("Final cost (1/2 |r|^2)", formatScientific(cost, digits: 9))
    row("Final |r|_2", formatScientific(residualNorm, digits: 6))
    row("Final |J'r|_inf", formatScientific(gradientNorm, digits: 3))
    if let c = jacobianConditionEstimate {
      row("Jacobian condition (estimate)", formatScientific(c, digits: 3))
    }
    lines.append("")
    row("Termination", termination.rawValue)
    lines.append(message)
    return lines.joined(separator: "\n")
  }
}
