/// The result of ``findRoot(_:from:using:options:observer:)``.
public struct RootSolution: Sendable {
  /// The returned point: the last iterate on success, otherwise the point with the smallest ‖F‖
  /// evaluated.
  public var x: Vector
  /// F(x).
  public var residuals: Vector
  /// Why the solver stopped.
  public var termination: Termination
  /// Counts (iterations, evaluations of F, Jacobians) and timing.
  public var statistics: SolverStatistics
  /// The method's name.
  public var method: String
  /// Extra detail for the user.
  public var note: String?
  /// Per-iteration summaries when `recordHistory` was set (values are ½‖F‖²).
  public var history: [IterationSummary]

  /// Creates a solution.
  public init(
    x: Vector, residuals: Vector, termination: Termination, statistics: SolverStatistics,
    method: String, note: String? = nil, history: [IterationSummary] = []
  ) {
    self.x = x
    self.residuals = residuals
    self.termination = termination
    self.statistics = statistics
    self.method = method
    self.note = note
    self.history = history
  }

  /// ‖F(x)‖∞.
  public var residualNorm: Double { residuals.normInfinity }
  /// Whether a root was found (``Termination/residualTolerance``).
  public var isSuccess: Bool { termination == .residualTolerance }

  /// The termination's fixed message, followed by the note if any.
  public var message: String {
    if let note { return termination.message + " " + note }
    return termination.message
  }

  /// One line: method, iterations, ‖F‖∞, termination.
  public var briefReport: String {
    "\(method): \(isSuccess ? "root found" : "no root"), \(statistics.iterations) iterations, "
      + "\(statistics.evaluations.residuals) evaluations of F, "
      + "\(statistics.evaluations.jacobians) Jacobians, "
      + "|F|inf = \(formatScientific(residualNorm, digits: 3)), \(termination.rawValue)"
  }

  /// A multi-line report in the style of Ceres' `Summary::FullReport`.
  public var fullReport: String {
    let e = statistics.evaluations
    var lines: [String] = []
    func row(_ k: String, _ v: String) { lines.append(k.padding(toLength: 34) + v) }
    lines.append("Curvature root-finding report")
    lines.append("")
    row("Method", method)
    row("Equations", "\(residuals.count)")
    row("Iterations", "\(statistics.iterations)")
    row("Rejected steps", "\(statistics.rejectedSteps)")
    row("Evaluations of F", "\(e.residuals)")
    row("Jacobian evaluations", "\(e.jacobians)")
    row("Jacobian products", "\(e.jacobianProducts)")
    row("Line search evaluations", "\(statistics.lineSearchEvaluations)")
    row("Time (s)", formatScientific(statistics.seconds, digits: 3))
    lines.append("")
    row("Final |F|_inf", formatScientific(residualNorm, digits: 3))
    row("Final |F|_2", formatScientific(residuals.norm, digits: 3))
    lines.append("")
    row("Termination", termination.rawValue)
    lines.append(message)
    return lines.joined(separator: "\n")
  }
}
