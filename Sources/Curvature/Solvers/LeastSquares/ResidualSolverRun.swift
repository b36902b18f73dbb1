/// The bookkeeping shared by least-squares and root-finding methods: counted residual and
/// Jacobian evaluations, the current iterate with its residuals, the best point seen, limits, the
/// observer, the verbose table and timing.
///
/// A method evaluates through ``evaluateResiduals(at:)``, ``jacobian(at:)``,
/// ``jacobianProduct(at:direction:)`` and ``jacobianTransposeProduct(at:vector:)`` (each counted
/// in ``counts``), and after each trial step calls ``accept(x:residuals:gradient:converged:details:)``
/// or ``reject(converged:details:)``, which record the iteration, run the observer and the limits,
/// and return the termination when the solve must stop. The convergence tests themselves belong to
/// the method (they differ between Levenberg-Marquardt, Gauss-Newton and root finding) and are
/// passed in as `converged`.
///
/// The iteration's `value` reported to the observer is the cost ½‖r(x)‖², its `gradientNorm`
/// is ‖J(x)ᵀr(x)‖∞ (NaN when the method has not formed the gradient at that iterate, as the
/// root finders with Broyden updates; the table prints "-").
public struct ResidualSolverRun {
  /// The residual function r: ℝⁿ → ℝᵐ.
  public let residualFunction: FunctionResiduals
  /// `ftol` (see ``LeastSquaresOptions``).
  public let functionTolerance: Double
  /// `xtol`.
  public let stepTolerance: Double
  /// `gtol`.
  public let gradientTolerance: Double
  /// Root finding: ‖F‖∞ at or below which x counts as a root (0 for least squares).
  public let residualTolerance: Double
  /// The iteration limit.
  public let maxIterations: Int
  /// The residual-evaluation limit.
  public let maxEvaluations: Int
  /// The method's name.
  public let method: String
  let verbosity: Verbosity
  let recordHistory: Bool
  let observer: Observer?
  /// Residual, Jacobian and Jacobian-product evaluations so far.
  public internal(set) var counts = EvaluationCounts()
  /// The current iterate xₖ.
  public var x = Vector()
  /// r(xₖ).
  public var residuals = Vector()
  /// g(xₖ) = J(xₖ)ᵀr(xₖ), when the method has it (empty otherwise).
  public var gradient = Vector()
  /// Statistics; evaluation counts are filled in at the end.
  public var statistics = SolverStatistics()
  /// The estimate κ₂(J) ≈ max|rᵢᵢ|/min|rᵢᵢ| from the last QR factorization of a dense Jacobian.
  public var jacobianConditionEstimate: Double?
  /// The best finite point evaluated (smallest ‖r‖).
  public private(set) var bestX = Vector()
  /// r at ``bestX``.
  public private(set) var bestResiduals = Vector()
  /// ‖r(bestX)‖².
  public private(set) var bestSquaredNorm = Double.infinity
  var history: [IterationSummary] = []
  let startInstant = ContinuousClock.now
  /// Whether the last residual evaluation gave a non-finite ‖r‖² (NaN, ±∞ or overflow).
  var lastEvaluationNonFinite = false

  init(
    residualFunction: FunctionResiduals, functionTolerance: Double, stepTolerance: Double,
    gradientTolerance: Double, residualTolerance: Double, maxIterations: Int, maxEvaluations: Int,
    verbosity: Verbosity, recordHistory: Bool, observer: Observer?, method: String
  ) {
    self.residualFunction = residualFunction
    self.functionTolerance = functionTolerance
    self.stepTolerance = stepTolerance
    self.gradientTolerance = gradientTolerance
    self.residualTolerance = residualTolerance
    self.maxIterations = maxIterations
    self.maxEvaluations = maxEvaluations
    self.verbosity = verbosity
    self.recordHistory = recordHistory
    self.observer = observer
    self.method = method
  }

  /// The number of variables n.
  public var dimension: Int { residualFunction.dimension }
  /// The number of residuals m.
  public var residualCount: Int { residualFunction.residualCount }
  /// The cost ½‖r(xₖ)‖² of the current iterate.
  public var cost: Double { 0.5 * residuals.normSquared }

  /// Seconds since the solve started.
  public var elapsedSeconds: Double {
    let d = ContinuousClock.now - startInstant
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }

  /// Whether the residual-evaluation budget is spent.
  public var evaluationsExhausted: Bool { counts.residuals >= maxEvaluations }

  /// The check of the residual function's output sizes (``OutputSizeCheck``).
  public private(set) var sizes = OutputSizeCheck()
  /// The first output of the wrong size that the residual function produced, as a sentence
  /// naming it and both sizes (nil while every output had its size).
  public var fault: String? { sizes.fault }

  /// Records `fault` (a sentence naming a mis-sized output that a method met outside the run's
  /// own evaluations) unless an earlier one is recorded.
  public mutating func recordFault(_ fault: String?) { sizes.record(fault) }

  /// `out`, or NaN of `expected` elements (and a fault naming `oracle`) when it has another size.
  private mutating func checked(_ out: Vector, _ oracle: String, expected: Int, of what: String)
    -> Vector
  {
    sizes.vector(
      out, count: expected,
      "The \(oracle) has \(out.count) elements but the problem has \(expected) \(what).")
  }

  /// r(x), counted; remembers the point if it has the smallest finite ‖r‖ so far.
  public mutating func evaluateResiduals(at point: Vector) -> Vector {
    var r = Vector.zeros(residualCount)
    residualFunction.residuals(at: point, into: &r)
    r = checked(r, "residual vector", expected: residualCount, of: "residuals")
    counts.residuals += 1
    let s = r.normSquared
    lastEvaluationNonFinite = !s.isFinite
    if s.isFinite && s < bestSquaredNorm {
      bestSquaredNorm = s
      bestX = point
      bestResiduals = r
    }
    return r
  }

  /// The dense m × n Jacobian J(x), counted (as one Jacobian, or as n products when the residuals
  /// only offer products and the matrix is assembled column by column).
  public mutating func jacobian(at point: Vector) -> Matrix {
    if residualFunction.jacobianFunction != nil {
      counts.jacobians += 1
    } else {
      counts.jacobianProducts += dimension
    }
    return checkedJacobian(residualFunction.jacobian(at: point))
  }

  /// `j`, or an m × n matrix of NaN (and a fault) when `j` has another shape.
  private mutating func checkedJacobian(_ j: Matrix) -> Matrix {
    let (m, n) = (residualCount, dimension)
    return sizes.matrix(
      j, rows: m, columns: n,
      "The Jacobian is \(j.rows) × \(j.columns) but the problem has \(m) residuals and \(n) "
        + "variables.")
  }

  /// J(x)·v, counted.
  public mutating func jacobianProduct(at point: Vector, direction v: Vector) -> Vector {
    var out = Vector.zeros(residualCount)
    if residualFunction.jacobianProductFunction == nil {
      // From the dense Jacobian, as the residual function would form it, with its shape checked.
      out = checkedJacobian(residualFunction.jacobianFunction!(point)) * v
    } else {
      residualFunction.jacobianProduct(at: point, direction: v, into: &out)
    }
    counts.jacobianProducts += 1
    return checked(out, "Jacobian product J·v", expected: residualCount, of: "residuals")
  }

  /// J(x)ᵀ·w, counted.
  public mutating func jacobianTransposeProduct(at point: Vector, vector w: Vector) -> Vector {
    var out = Vector.zeros(dimension)
    if residualFunction.jacobianTransposeProductFunction == nil {
      // From the dense Jacobian, as the residual function would form it, with its shape checked.
      out = checkedJacobian(residualFunction.jacobianFunction!(point)).transposeMultiply(w)
    } else {
      residualFunction.jacobianTransposeProduct(at: point, vector: w, into: &out)
    }
    counts.jacobianProducts += 1
    return checked(out, "Jacobian product Jᵀ·w", expected: dimension, of: "variables")
  }

  /// Counts Jacobian products a method made directly through ``residualFunction`` (e.g. inside
  /// a Krylov operator closure).
  public mutating func addJacobianProducts(_ count: Int) { counts.jacobianProducts += count }

  /// What a method knows about an iteration beyond the new point.
  public struct IterationDetails: Sendable {
    /// The line-search step length α.
    public var stepLength: Double?
    /// The trust-region radius after the update.
    public var radius: Double?
    /// Krylov iterations spent.
    public var cgIterations: Int
    /// ‖xₖ − xₖ₋₁‖₂ (or of the rejected trial step).
    public var stepNorm: Double
    /// Creates details.
    public init(
      stepLength: Double? = nil, radius: Double? = nil, cgIterations: Int = 0, stepNorm: Double = 0
    ) {
      self.stepLength = stepLength
      self.radius = radius
      self.cgIterations = cgIterations
      self.stepNorm = stepNorm
    }
  }

  /// Reports the evaluated starting point (iteration 0); returns a termination when the solve must
  /// stop at once (iteration limit 0, observer).
  mutating func start() -> Termination? {
    if verbosity >= .iterations { printHeader() }
    let summary = IterationSummary(
      iteration: 0, value: cost, gradientNorm: gradient.isEmpty ? .nan : gradient.normInfinity,
      evaluations: counts, seconds: elapsedSeconds)
    if let t = record(summary) { return t }
    if maxIterations <= 0 { return .iterationLimit }
    return nil
  }

  /// Moves to an accepted iterate and records the iteration. Returns the termination when the
  /// solve should stop: the observer first, then `converged` (the method's own tests), then the
  /// iteration and evaluation limits.
  public mutating func accept(
    x newX: Vector, residuals newR: Vector, gradient newG: Vector, converged: Termination? = nil,
    details: IterationDetails = IterationDetails()
  ) -> Termination? {
    x = newX
    residuals = newR
    gradient = newG
    return finishIteration(accepted: true, converged: converged, details: details)
  }

  /// Records a rejected trial step (the iterate stays), with the same stopping logic as
  /// ``accept(x:residuals:gradient:converged:details:)``.
  ///
  /// A convergence test that passes on a rejected step whose trial residuals were not finite
  /// (NaN, ±∞, or a sum of squares that overflows) is reported as ``Termination/nonFiniteValue``:
  /// the step shrank below the tolerance because the residuals could not be evaluated, not at a
  /// solution.
  public mutating func reject(
    converged: Termination? = nil, details: IterationDetails = IterationDetails()
  ) -> Termination? {
    statistics.rejectedSteps += 1
    var converged = converged
    if let c = converged, c.isSuccess, lastEvaluationNonFinite {
      converged = .nonFiniteValue
    }
    return finishIteration(accepted: false, converged: converged, details: details)
  }

  /// Whether the iteration or evaluation limit is reached (for methods that loop internally).
  public var limitReached: Termination? {
    if statistics.iterations >= maxIterations { return .iterationLimit }
    if evaluationsExhausted { return .evaluationLimit }
    return nil
  }

  private mutating func finishIteration(
    accepted: Bool, converged: Termination?, details: IterationDetails
  ) -> Termination? {
    statistics.iterations += 1
    statistics.cgIterations += details.cgIterations
    let summary = IterationSummary(
      iteration: statistics.iterations, value: cost,
      gradientNorm: gradient.isEmpty ? .nan : gradient.normInfinity, stepNorm: details.stepNorm,
      stepLength: details.stepLength, radius: details.radius, cgIterations: details.cgIterations,
      accepted: accepted, evaluations: counts, seconds: elapsedSeconds)
    if let t = record(summary) { return t }
    if let converged { return converged }
    return limitReached
  }

  private mutating func record(_ summary: IterationSummary) -> Termination? {
    if recordHistory { history.append(summary) }
    if verbosity >= .iterations { printRow(summary) }
    if let observer {
      switch observer(summary) {
      case .continue: break
      case .stop: return .stoppedByObserver
      case .abort: return .abortedByObserver
      }
    }
    return nil
  }

  private func printHeader() {
    print("Curvature \(method), n = \(dimension), m = \(residualCount)")
    print(
      "iter".leftPadded(5) + "cost".leftPadded(17) + "|g|inf".leftPadded(11)
        + "|step|".leftPadded(11) + "alpha/radius".leftPadded(13) + "cg".leftPadded(6) + " acc"
        + "nfev".leftPadded(7) + "njev".leftPadded(7) + "time(s)".leftPadded(11))
  }

  private func printRow(_ s: IterationSummary) {
    let alphaOrRadius = s.stepLength ?? s.radius
    print(
      "\(s.iteration)".leftPadded(5) + formatScientific(s.value, digits: 8).leftPadded(17)
        + (s.gradientNorm.isNaN ? "-" : formatScientific(s.gradientNorm, digits: 3)).leftPadded(11)
        + formatScientific(s.stepNorm, digits: 3).leftPadded(11)
        + (alphaOrRadius.map { formatScientific($0, digits: 3) } ?? "-").leftPadded(13)
        + "\(s.cgIterations)".leftPadded(6) + (s.accepted ? "   y" : "   n")
        + "\(s.evaluations.residuals)".leftPadded(7)
        + "\(s.evaluations.jacobians)".leftPadded(7)
        + formatScientific(s.seconds, digits: 2).leftPadded(11))
  }

  /// The point to return: the current iterate on success, otherwise the best finite point seen
  /// (the current iterate when it is as good), with its residuals.
  mutating func finalPoint(success: Bool, startingPoint: Vector) -> (x: Vector, r: Vector) {
    statistics.evaluations = counts
    statistics.seconds = elapsedSeconds
    let currentUsable =
      x.count == dimension && residuals.count == residualCount && residuals.isFinite
    if currentUsable && (success || residuals.normSquared <= bestSquaredNorm) {
      return (x, residuals)
    }
    if bestSquaredNorm.isFinite { return (bestX, bestResiduals) }
    return (startingPoint, Vector(repeating: .nan, count: Swift.max(residualCount, 0)))
  }
}
