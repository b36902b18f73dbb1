/// The bookkeeping shared by every minimization method: the current iterate, the best point seen,
/// evaluation counts and limits, convergence tests, the observer, verbose output and timing.
///
/// A method evaluates the objective through ``evaluate(_:gradient:)`` (or ``evaluateValue(_:)``),
/// and after each iteration calls ``accept(x:value:gradient:details:)``, which updates the
/// iterate, runs the convergence tests of ``MinimizeOptions`` and the observer, and returns a
/// termination when the solve should stop.
public struct SolverRun {
  /// The counting oracle (value, gradient, Hessian-vector products, Hessian).
  public var oracle: Oracle
  /// The options of this solve.
  public let options: MinimizeOptions
  /// The method's name.
  public let method: String
  @usableFromInline let observer: Observer?
  /// The current iterate xₖ.
  public var x = Vector()
  /// f(xₖ).
  public var value = Double.nan
  /// ∇f(xₖ).
  public var gradient = Vector()
  /// Statistics (iterations, CG iterations, events); evaluation counts are filled in at the end.
  public var statistics = SolverStatistics()
  /// The best finite point with a known gradient.
  ///
  /// Tracked lazily: when the best point is the current iterate (the usual case for descent
  /// methods, which accept only decreases) nothing is copied; the iterate is saved only when a
  /// worse point is about to replace it.
  public var bestX: Vector { bestIsCurrent ? x : storedBestX }
  /// f at ``bestX``.
  public private(set) var bestValue = Double.infinity
  /// ∇f at ``bestX``.
  public var bestGradient: Vector { bestIsCurrent ? gradient : storedBestGradient }
  /// The best point when it is not the current iterate, and its gradient.
  var storedBestX = Vector()
  var storedBestGradient = Vector()
  /// Whether the best point is the current iterate (x, gradient) rather than the stored copy.
  var bestIsCurrent = false
  var history: [IterationSummary] = []
  /// Iterations in a row in which f and x changed by rounding only.
  var stagnantIterations = 0
  /// The box of a bound-constrained solve (nil when unconstrained). When set, the gradient test,
  /// ``gradientConverged`` and the reported gradient norms use the projected gradient
  /// ‖P(x − ∇f(x)) − x‖∞ (see ``Bounds/projectedGradientNorm(at:gradient:)``) instead of ‖∇f(x)‖∞.
  public internal(set) var bounds: Bounds? = nil
  let startInstant = ContinuousClock.now

  init(oracle: Oracle, options: MinimizeOptions, observer: Observer?, method: String) {
    self.oracle = oracle
    self.options = options
    self.observer = observer
    self.method = method
  }

  /// The number of variables n.
  public var dimension: Int { oracle.dimension }

  /// Seconds since the solve started.
  public var elapsedSeconds: Double {
    let d = ContinuousClock.now - startInstant
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }

  /// Value plus gradient evaluations so far (what ``MinimizeOptions/maxEvaluations`` bounds).
  public var evaluationCount: Int { oracle.counts.values + oracle.counts.gradients }

  /// Whether the evaluation budget is spent.
  public var evaluationsExhausted: Bool { evaluationCount >= options.maxEvaluations }

  /// f(x) and ∇f(x), counted; remembers the point if it is the best finite one so far.
  public mutating func evaluate(_ point: Vector, gradient g: inout Vector) -> Double {
    let f = oracle.value(at: point, gradient: &g)
    recordTrial(point, value: f, gradient: g)
    return f
  }

  /// f(x) and ∇f(x), counted, without the best-point bookkeeping of ``evaluate(_:gradient:)``:
  /// for a trial the method either accepts at once (``acceptSwapping(x:value:gradient:gradientNormInfinity:details:)``
  /// and ``accept(x:value:gradient:details:)`` record an accepted point that improves on the best)
  /// or hands to ``recordTrial(_:value:gradient:)`` before overwriting it. This saves the copy of
  /// x and ∇f that ``evaluate(_:gradient:)`` makes of every improving point.
  public mutating func evaluateTrial(_ point: Vector, gradient g: inout Vector) -> Double {
    oracle.value(at: point, gradient: &g)
  }

  /// Remembers an evaluated point as the best one when f is finite, lower than ``bestValue`` and
  /// ∇f is finite (copying it into the run's own storage).
  public mutating func recordTrial(_ point: Vector, value f: Double, gradient g: Vector) {
    guard f.isFinite && f < bestValue && g.isFinite else { return }
    bestValue = f
    storedBestX.assign(point)
    storedBestGradient.assign(g)
    bestIsCurrent = false
  }

  /// Before the iterate is overwritten by a point with value `newValue` (whose gradient is finite
  /// when `newGradientFinite`): saves the iterate when it is the best point and the new one does
  /// not improve on it; returns whether the new point becomes the best.
  private mutating func prepareBestForMove(newValue: Double, newGradientFinite: Bool) -> Bool {
    let improves = newValue.isFinite && newValue < bestValue && newGradientFinite
    if bestIsCurrent && !improves {
      storedBestX.assign(x)
      storedBestGradient.assign(gradient)
      bestIsCurrent = false
    }
    return improves
  }

  /// f(x) alone, counted.
  public mutating func evaluateValue(_ point: Vector) -> Double {
    oracle.value(at: point)
  }

  /// ∇²f(x)·v, counted (exact or by differences, per ``MinimizeOptions/curvature``).
  public mutating func hessianVectorProduct(
    at point: Vector, gradientAtPoint: Vector? = nil, direction v: Vector, into result: inout Vector
  ) {
    oracle.hessianVectorProduct(
      at: point, gradientAtX: gradientAtPoint, direction: v, into: &result)
  }

  /// f and ∇f at the starting point, in the oracle's units: evaluates them (counted), scales the
  /// objective for the rest of the solve when ‖∇f(x₀)‖∞ is outside
  /// ``Oracle/unscaledGradientRange`` (``Oracle/scaleOutputs(forGradientNorm:)``; a non-finite f
  /// or ∇f leaves the scale at 1), and records the point as the best so far. Called once, by a
  /// driver, before the starting point becomes the iterate.
  public mutating func evaluateStart(_ point: Vector, gradient g: inout Vector) -> Double {
    var f = evaluateTrial(point, gradient: &g)
    if oracle.scale == 1, f.isFinite, g.isFinite {
      let c = oracle.scaleOutputs(forGradientNorm: maximumMagnitude(g))
      if c != 1 {
        f *= c
        g.scale(by: c)
        statistics.objectiveScale = c
      }
    }
    recordTrial(point, value: f, gradient: g)
    return f
  }

  /// Records the smallest curvature a second-order probe found at the current iterate.
  mutating func recordProbe(smallestCurvature theta: Double?) {
    statistics.probedCurvature = theta
    statistics.probedIteration = theta == nil ? nil : statistics.iterations
  }

  /// The dense Hessian, counted.
  public mutating func hessian(at point: Vector) -> Matrix { oracle.hessian(at: point) }

  /// Whether ‖∇f(xₖ)‖∞ ≤ gradientTolerance at the current iterate (the projected gradient
  /// ‖P(xₖ − ∇f(xₖ)) − xₖ‖∞ when ``bounds`` is set).
  public var gradientConverged: Bool {
    optimalityNorm(x: x, gradient: gradient) <= gradientThreshold(value: value)
  }

  /// The gradient test's threshold at a point with value f: gradientTolerance, or
  /// relativeGradientTolerance·max(1, |f|) when that is larger (in the oracle's units: c times
  /// the threshold on the user's f, with c the ``Oracle/scale``).
  func gradientThreshold(value f: Double) -> Double {
    let c = oracle.scale
    let relative = options.relativeGradientTolerance
    guard relative > 0, f.isFinite else { return c * options.gradientTolerance }
    return c * Swift.max(options.gradientTolerance, relative * Swift.max(1, Swift.abs(f / c)))
  }

  /// ``MinimizeOptions/unboundedValue`` in the oracle's units (c·unboundedValue, with c the
  /// ``Oracle/scale``): a value below it ends the solve with ``Termination/unboundedBelow``.
  public var unboundedThreshold: Double { oracle.scale * options.unboundedValue }

  /// ``MinimizeOptions/gradientTolerance`` in the oracle's units (c·gradientTolerance).
  public var gradientToleranceThreshold: Double { oracle.scale * options.gradientTolerance }

  /// An iteration's summary in the user's units: f and the gradient norm divided by the oracle's
  /// ``Oracle/scale`` (exact, a power of two).
  private func unscaled(_ summary: IterationSummary) -> IterationSummary {
    let c = oracle.scale
    guard c != 1 else { return summary }
    var s = summary
    s.value /= c
    s.gradientNorm /= c
    return s
  }

  /// Whether f changed from `old` to `new` by rounding only (the stagnation test's first half).
  private func changesAtRounding(_ old: Double, _ new: Double) -> Bool {
    options.stagnationIterations > 0
      && Swift.abs(old - new) <= 10 * Double.ulpOfOne * Swift.max(Swift.abs(old), Swift.abs(new))
  }

  /// ‖g‖∞, or the projected-gradient norm ‖P(x − g) − x‖∞ when ``bounds`` is set (for a scaled
  /// objective, g = c·∇f, c·‖P(x − g/c) − x‖∞: the user's measure in the oracle's units).
  public func optimalityNorm(x point: Vector, gradient g: Vector) -> Double {
    if let bounds, point.count == bounds.dimension, g.count == bounds.dimension {
      return bounds.projectedGradientNorm(at: point, gradient: g, scaledBy: oracle.scale)
    }
    return maximumMagnitude(g)  // = g.normInfinity, vectorized
  }

  /// Reports the starting point (iteration 0) and checks the limits that apply before any step.
  /// Returns a termination when the solve must stop at once (iteration limit 0, observer).
  mutating func start() -> Termination? {
    if options.verbosity >= .iterations { printHeader() }
    let summary = IterationSummary(
      iteration: 0, value: value, gradientNorm: optimalityNorm(x: x, gradient: gradient),
      evaluations: oracle.counts, seconds: elapsedSeconds)
    if let t = record(summary) { return t }
    if options.maxIterations <= 0 { return .iterationLimit }
    return nil
  }

  /// Details of an iteration that only the method knows.
  public struct IterationDetails: Sendable {
    /// The line-search step length.
    public var stepLength: Double?
    /// The trust-region radius after the update.
    public var radius: Double?
    /// Krylov iterations in this iteration.
    public var cgIterations: Int
    /// Whether negative curvature was met.
    public var negativeCurvature: Bool
    /// Creates details.
    public init(
      stepLength: Double? = nil, radius: Double? = nil, cgIterations: Int = 0,
      negativeCurvature: Bool = false
    ) {
      self.stepLength = stepLength
      self.radius = radius
      self.cgIterations = cgIterations
      self.negativeCurvature = negativeCurvature
    }
  }

  /// Moves to a new iterate and runs the tests. Returns a termination when the solve should stop:
  /// the convergence tests (gradient, function change, step), the unbounded test, the observer,
  /// and the iteration and evaluation limits, in that order.
  ///
  /// A method that wants to check curvature before declaring convergence may treat
  /// ``Termination/gradientTolerance`` as a candidate and keep going.
  public mutating func accept(
    x newX: Vector, value newValue: Double, gradient newGradient: Vector,
    details: IterationDetails = IterationDetails()
  ) -> Termination? {
    let oldValue = value
    let rounding = changesAtRounding(oldValue, newValue)
    // Copy into the run's own buffers (no allocation once sized), so the method's workspace
    // vectors stay uniquely referenced and are not copied on their next write.
    let stepNorm =
      (stepNormIsObserved || rounding) && newX.count == x.count ? distance(newX, x) : 0
    let gNorm = optimalityNorm(x: newX, gradient: newGradient)
    let gradientFinite = bounds == nil ? gNorm.isFinite : newGradient.isFinite
    let improves = prepareBestForMove(newValue: newValue, newGradientFinite: gradientFinite)
    x.assign(newX)
    value = newValue
    gradient.assign(newGradient)
    if improves {
      bestValue = newValue
      bestIsCurrent = true
    }
    return finishAccept(
      oldValue: oldValue, stepNorm: stepNorm, gradientNorm: gNorm, valueAtRounding: rounding,
      details: details)
  }

  /// ``accept(x:value:gradient:details:)`` without copying: the new point and its gradient are
  /// swapped into the run, and `newX` and `newGradient` come back holding the previous iterate's
  /// storage, to be overwritten by the method's next trial. An accepted point that improves on
  /// ``bestValue`` becomes the best point without a copy (so trials evaluated with
  /// ``evaluateTrial(_:gradient:)`` need no other bookkeeping when accepted).
  ///
  /// `gradientNormInfinity`, when the caller has computed ‖∇f‖∞ of the new point already (for
  /// example with ``maximumMagnitude(_:)`` to check that it is finite), saves the pass that
  /// recomputes it; it is ignored for bound-constrained runs, whose test uses the projected
  /// gradient.
  public mutating func acceptSwapping(
    x newX: inout Vector, value newValue: Double, gradient newGradient: inout Vector,
    gradientNormInfinity: Double? = nil, details: IterationDetails = IterationDetails()
  ) -> Termination? {
    let oldValue = value
    let rounding = changesAtRounding(oldValue, newValue)
    let stepNorm =
      (stepNormIsObserved || rounding) && newX.count == x.count ? distance(newX, x) : 0
    let known = bounds == nil ? gradientNormInfinity : nil
    let gNorm = known ?? optimalityNorm(x: newX, gradient: newGradient)
    // ‖g‖∞ is NaN or ∞ exactly when g has a non-finite element; with bounds the projected
    // norm does not tell, so look at g itself.
    let gradientFinite = bounds == nil ? gNorm.isFinite : newGradient.isFinite
    let improves = prepareBestForMove(newValue: newValue, newGradientFinite: gradientFinite)
    swap(&x, &newX)
    swap(&gradient, &newGradient)
    value = newValue
    if improves {
      bestValue = newValue
      bestIsCurrent = true
    }
    return finishAccept(
      oldValue: oldValue, stepNorm: stepNorm, gradientNorm: gNorm, valueAtRounding: rounding,
      details: details)
  }

  /// Whether anything reads ‖xₖ₊₁ − xₖ‖ (the step test, the history, the iteration table or an
  /// observer); when nothing does, the accepting calls skip that pass over two vectors.
  private var stepNormIsObserved: Bool {
    options.stepTolerance > 0 || options.recordHistory || observer != nil
      || options.verbosity >= .iterations
  }

  /// The bookkeeping and tests shared by the two accepting calls, once x, f and ∇f are the new
  /// iterate's.
  private mutating func finishAccept(
    oldValue: Double, stepNorm: Double, gradientNorm gNorm: Double, valueAtRounding: Bool,
    details: IterationDetails
  ) -> Termination? {
    let newValue = value
    statistics.iterations += 1
    statistics.cgIterations += details.cgIterations
    if details.negativeCurvature { statistics.negativeCurvatureEvents += 1 }
    let summary = IterationSummary(
      iteration: statistics.iterations, value: newValue, gradientNorm: gNorm, stepNorm: stepNorm,
      stepLength: details.stepLength, radius: details.radius, cgIterations: details.cgIterations,
      negativeCurvature: details.negativeCurvature, evaluations: oracle.counts,
      seconds: elapsedSeconds)
    if let t = record(summary) { return t }
    if !newValue.isFinite { return .nonFiniteValue }
    if newValue < unboundedThreshold { return .unboundedBelow }
    if gNorm <= gradientThreshold(value: newValue) { return .gradientTolerance }
    if options.functionTolerance > 0,
      Swift.abs(oldValue - newValue)
        <= options.functionTolerance
        * Swift.max(Swift.abs(oldValue), Swift.abs(newValue), oracle.scale)
    {
      return .functionTolerance
    }
    if options.stepTolerance > 0,
      stepNorm <= options.stepTolerance * (x.norm + options.stepTolerance)
    {
      return .stepTolerance
    }
    if valueAtRounding && stepNorm <= 10 * Double.ulpOfOne * x.norm {
      stagnantIterations += 1
      if stagnantIterations >= options.stagnationIterations { return .stagnated }
    } else {
      stagnantIterations = 0
    }
    if statistics.iterations >= options.maxIterations { return .iterationLimit }
    if evaluationsExhausted { return .evaluationLimit }
    return nil
  }

  /// Records a rejected trust-region step (counts it; the iteration number advances).
  public mutating func reject(details: IterationDetails = IterationDetails()) -> Termination? {
    statistics.rejectedSteps += 1
    statistics.iterations += 1
    statistics.cgIterations += details.cgIterations
    if details.negativeCurvature { statistics.negativeCurvatureEvents += 1 }
    let summary = IterationSummary(
      iteration: statistics.iterations, value: value,
      gradientNorm: optimalityNorm(x: x, gradient: gradient), radius: details.radius,
      cgIterations: details.cgIterations,
      negativeCurvature: details.negativeCurvature, accepted: false, evaluations: oracle.counts,
      seconds: elapsedSeconds)
    if let t = record(summary) { return t }
    if statistics.iterations >= options.maxIterations { return .iterationLimit }
    if evaluationsExhausted { return .evaluationLimit }
    return nil
  }

  private mutating func record(_ scaledSummary: IterationSummary) -> Termination? {
    let summary = unscaled(scaledSummary)
    if options.recordHistory { history.append(summary) }
    if options.verbosity >= .iterations { printRow(summary) }
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
    print("Curvature \(method), n = \(dimension)")
    print(
      "iter".leftPadded(5) + "f(x)".leftPadded(17) + "|g|inf".leftPadded(11)
        + "|step|".leftPadded(11)
        + "alpha/radius".leftPadded(13) + "cg".leftPadded(6) + "  neg acc" + "evals".leftPadded(8)
        + "time(s)".leftPadded(11))
  }

  private func printRow(_ s: IterationSummary) {
    let alphaOrRadius = s.stepLength ?? s.radius
    let evals = s.evaluations.values + s.evaluations.gradients
    print(
      "\(s.iteration)".leftPadded(5) + formatScientific(s.value, digits: 8).leftPadded(17)
        + formatScientific(s.gradientNorm, digits: 3).leftPadded(11)
        + formatScientific(s.stepNorm, digits: 3).leftPadded(11)
        + (alphaOrRadius.map { formatScientific($0, digits: 3) } ?? "-").leftPadded(13)
        + "\(s.cgIterations)".leftPadded(6) + (s.negativeCurvature ? "    y" : "    n")
        + (s.accepted ? "   y" : "   n") + "\(evals)".leftPadded(8)
        + formatScientific(s.seconds, digits: 2).leftPadded(11))
  }

  /// Builds the solution: the current iterate on success, otherwise the best finite point seen.
  mutating func finish(_ termination: Termination, startingPoint: Vector, note: String? = nil)
    -> Solution
  {
    let (termination, note) = oracle.sizes.outcome(termination, note: note)
    statistics.evaluations = oracle.counts
    statistics.seconds = elapsedSeconds
    var px = x
    var pf = value
    var pg = gradient
    let currentUsable = px.count == dimension && pf.isFinite && pg.isFinite
    if !termination.isSuccess || !currentUsable {
      if bestValue.isFinite && (!currentUsable || bestValue < pf) {
        px = bestX
        pf = bestValue
        pg = bestGradient
      }
    }
    if px.count != dimension {
      px = startingPoint
      pf = .nan
      pg = Vector(repeating: .nan, count: startingPoint.count)
    }
    let c = oracle.scale
    if c != 1 {
      pf /= c
      pg.scale(by: 1 / c)
      statistics.probedCurvature = statistics.probedCurvature.map { $0 / c }
    }
    let solution = Solution(
      x: px, value: pf, gradient: pg, termination: termination, statistics: statistics,
      method: method, note: note, history: history)
    if options.verbosity >= .iterations {
      print(solution.fullReport)
    } else if options.verbosity >= .summary {
      print(solution.briefReport)
    }
    return solution
  }
}

/// ‖a − b‖₂ without a temporary vector.
private func distance(_ a: Vector, _ b: Vector) -> Double {
  a.withUnsafeBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in
      var s = 0.0
      for i in 0..<pa.count {
        let d = pa[i] - pb[i]
        s += d * d
      }
      return s.squareRoot()
    }
  }
}

extension String {
  /// Pads with spaces on the left to `length` characters.
  func leftPadded(_ length: Int) -> String {
    count >= length ? " " + self : String(repeating: " ", count: length - count) + self
  }
}
