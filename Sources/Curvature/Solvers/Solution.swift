/// The result of a solve: the best point found, why the solver stopped, and what it cost.
public struct Solution: Sendable {
  /// The returned point: the last iterate on success, otherwise the best finite point evaluated.
  public var x: Vector
  /// f(x).
  public var value: Double
  /// ∇f(x).
  public var gradient: Vector
  /// Why the solver stopped.
  public var termination: Termination
  /// Counts and timings.
  public var statistics: SolverStatistics
  /// The method's name, e.g. `L-BFGS`.
  public var method: String
  /// Extra detail for the user (e.g. "the starting point was projected onto the bounds").
  public var note: String?
  /// Per-iteration summaries when `recordHistory` was set.
  public var history: [IterationSummary]

  /// Creates a solution.
  public init(
    x: Vector, value: Double, gradient: Vector, termination: Termination,
    statistics: SolverStatistics, method: String, note: String? = nil,
    history: [IterationSummary] = []
  ) {
    self.x = x
    self.value = value
    self.gradient = gradient
    self.termination = termination
    self.statistics = statistics
    self.method = method
    self.note = note
    self.history = history
  }

  /// Whether the termination counts as convergence.
  public var isSuccess: Bool { termination.isSuccess }

  /// The termination's fixed message, followed by the note if any.
  public var message: String {
    if let note { return termination.message + " " + note }
    return termination.message
  }

  /// ‖∇f(x)‖∞.
  public var gradientNorm: Double { gradient.normInfinity }

  /// Returns the solution when it converged, or throws ``SolveFailure`` carrying it.
  public func requireSuccess() throws(SolveFailure) -> Solution {
    guard isSuccess else { throw SolveFailure(solution: self) }
    return self
  }

  /// One line: method, iterations, value, gradient norm, termination.
  public var briefReport: String {
    "\(method): \(isSuccess ? "success" : "failure"), \(statistics.iterations) iterations, "
      + "f = \(formatScientific(value, digits: 6)), |g|inf = \(formatScientific(gradientNorm, digits: 2)), "
      + "\(termination.rawValue) (\(formatFixed(statistics.seconds * 1e3, digits: 3)) ms)"
  }

  /// The smallest curvature of ∇²f found at the returned point by the method's second-order
  /// probe (the smallest Ritz value of a short Lanczos run, or the dense Hessian's smallest
  /// eigenvalue), or nil when the point was not probed. A success with nil here satisfies the
  /// first-order conditions only: the first-order methods (BFGS, L-BFGS, nonlinear CG,
  /// gradient descent) never probe, so they can stop at a saddle point, as SciPy's do. A value
  /// at least −10⁻⁸·max|θ| (the probe's threshold) means no negative curvature was found.
  public var curvatureAtSolution: Double? {
    guard let iteration = statistics.probedIteration, iteration == statistics.iterations,
      termination.isSuccess || termination == .negativeCurvatureAtStationaryPoint
    else { return nil }
    return statistics.probedCurvature
  }

  /// A multi-line report in the style of Ceres' `Summary::FullReport`.
  public var fullReport: String {
    let e = statistics.evaluations
    var lines: [String] = []
    func row(_ k: String, _ v: String) {
      lines.append(k.padding(toLength: 34) + v)
    }
    lines.append("Curvature solve report")
    lines.append("")
    row("Method", method)
    row("Parameters", "\(x.count)")
    row("Iterations", "\(statistics.iterations)")
    row("Function evaluations", "\(e.values)")
    row("Gradient evaluations", "\(e.gradients)")
    row("Hessian-vector products", "\(e.hessianVectorProducts)")
    if e.differenceGradients > 0 {
      row("  gradients for differences", "\(e.differenceGradients)")
    }
    row("Hessian evaluations", "\(e.hessians)")
    if e.residuals > 0 || e.jacobians > 0 || e.jacobianProducts > 0 {
      row("Residual evaluations", "\(e.residuals)")
      row("Jacobian evaluations", "\(e.jacobians)")
      row("Jacobian products", "\(e.jacobianProducts)")
    }
    row("CG iterations", "\(statistics.cgIterations)")
    row("Negative curvature events", "\(statistics.negativeCurvatureEvents)")
    row("Rejected steps", "\(statistics.rejectedSteps)")
    row("Line search evaluations", "\(statistics.lineSearchEvaluations)")
    row("Time (s)", formatScientific(statistics.seconds, digits: 3))
    if let c = statistics.objectiveScale {
      row("Objective scaled by", "2^\(c.exponent)")
    }
    lines.append("")
    if let first = history.first {
      row("Initial value", formatScientific(first.value, digits: 9))
    }
    row("Final value", formatScientific(value, digits: 9))
    row("Final gradient (inf-norm)", formatScientific(gradientNorm, digits: 3))
    if let c = curvatureAtSolution {
      row("Smallest curvature (probe)", formatScientific(c, digits: 3))
    } else if termination.isSuccess {
      row("Second-order conditions", "not checked")
    }
    lines.append("")
    row("Termination", termination.rawValue)
    lines.append(message)
    return lines.joined(separator: "\n")
  }
}

/// The error thrown by ``Solution/requireSuccess()``: the solve did not converge.
public struct SolveFailure: Error, Sendable {
  /// The failed solution, with the best point and the termination.
  public let solution: Solution
}

extension String {
  /// Pads with spaces on the right to `length` characters (no truncation).
  func padding(toLength length: Int) -> String {
    count >= length ? self : self + String(repeating: " ", count: length - count)
  }
}
