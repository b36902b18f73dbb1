extension SolverRun {
  /// Runs a line search along `direction` p from the current iterate x, on
  /// φ(α) = f(x + α·p), φ'(α) = ∇f(x + α·p)ᵀp, with every evaluation counted by this run.
  ///
  /// On return, `point` holds x + α·p and `gradient` ∇f(x + α·p) for the returned step α (or x and
  /// ∇f(x) when α = 0). A step α > 0 for which x + α·p equals x in every element is reported with
  /// ``LineSearchStatus/stepTooSmall``, whatever the search concluded. The gradient of the last trial is kept, so no extra evaluation is spent
  /// when the search accepts its last trial, which is the usual case; otherwise (or with a
  /// value-only search) the accepted point is evaluated once more. Evaluations are added to
  /// ``SolverStatistics/lineSearchEvaluations``.
  ///
  /// Best-point bookkeeping: every trial with a gradient is offered to
  /// ``recordTrial(_:value:gradient:)`` except a returned point that decreased f, which is left
  /// to the caller to accept (``accept(x:value:gradient:details:)`` or
  /// ``acceptSwapping(x:value:gradient:gradientNormInfinity:details:)`` make an improving
  /// accepted point the best one without a copy), as the package's methods do.
  ///
  /// - Parameters:
  ///   - search: the line search.
  ///   - p: the direction, a descent direction.
  ///   - slope: φ'(0) = ∇f(x)ᵀp.
  ///   - initialStep: the first trial α₀.
  ///   - point: workspace for the trial points (resized to n if needed).
  ///   - gradient: workspace for the trial gradients (resized to n if needed).
  public mutating func searchLine(
    _ search: any LineSearch, direction p: Vector, slope: Double, initialStep: Double,
    point: inout Vector, gradient: inout Vector
  ) -> LineSearchResult {
    let n = dimension
    checkSameCount(p.count, n, "direction and problem")
    if point.count != n { point = .zeros(n) }
    if gradient.count != n { gradient = .zeros(n) }
    let start = evaluationCount
    let origin = x
    let usesDerivatives = search.usesDerivatives
    var lastStep = -1.0
    // The trial in `point`/`gradient` not yet offered to the best-point record: it is offered
    // when the next trial is about to overwrite it, so the copy is skipped for the trial the
    // search ends on, which the caller accepts when it decreased f.
    var pendingValue: Double? = nil
    var result = search.search(
      { alpha in
        if let f = pendingValue {
          recordTrial(point, value: f, gradient: gradient)
          pendingValue = nil
        }
        addScaled(origin, alpha, p, into: &point)
        if usesDerivatives {
          let f = evaluateTrial(point, gradient: &gradient)
          pendingValue = f
          lastStep = alpha
          return (f, dot(gradient, p))
        }
        return (evaluateValue(point), .nan)
      }, value0: value, slope0: slope, initialStep: initialStep)
    if let f = pendingValue, !(result.step > 0 && lastStep == result.step && f < value) {
      recordTrial(point, value: f, gradient: gradient)
    }
    if result.step > 0 {
      if lastStep != result.step {
        addScaled(origin, result.step, p, into: &point)
        result.value = evaluateTrial(point, gradient: &gradient)
        result.derivative = dot(gradient, p)
        if !(result.value < value) { recordTrial(point, value: result.value, gradient: gradient) }
      }
      // A step too short to change any element of x (a direction scaled far below the
      // rounding of x) is no step: accepting it would repeat the same iteration forever.
      if result.value == value && point == origin { result.status = .stepTooSmall }
    } else {
      point.assign(origin)
      gradient.assign(self.gradient)
    }
    statistics.lineSearchEvaluations += evaluationCount - start
    return result
  }
}

/// What a line-search method does with the outcome of a search (shared policy of the methods in
/// this package).
enum LineSearchDecision: Equatable {
  /// Move to the returned point and go on.
  case accept
  /// Move to the returned point (it decreased f) but distrust the model: quasi-Newton methods reset
  /// their memory.
  case acceptAndReset
  /// Move to the returned point, then stop: f decreased all the way to the largest step.
  case acceptThenUnbounded
  /// Do not move; reset the model to steepest descent and search again.
  case resetAndRetry
  /// Stop with this termination.
  case stop(Termination)

  /// The policy: success moves; a failure that still decreased f moves and resets; the largest step
  /// with f still decreasing means unbounded; a failure without decrease resets once (when
  /// `canReset`, evaluated only then) and then stops with ``Termination/lineSearchFailed`` (or
  /// ``Termination/nonFiniteValue`` when every trial was non-finite).
  static func decide(
    _ r: LineSearchResult, value0: Double, canReset: @autoclosure () -> Bool
  ) -> LineSearchDecision {
    let decreased = r.decreases(from: value0)
    if r.status == .satisfied && r.step > 0 && r.value.isFinite { return .accept }
    if r.status == .maximumStepReached && decreased { return .acceptThenUnbounded }
    if decreased { return .acceptAndReset }
    if canReset() { return .resetAndRetry }
    return .stop(r.status == .nonFiniteValues ? .nonFiniteValue : .lineSearchFailed)
  }
}
