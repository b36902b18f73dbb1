import RealModule

/// The backtracking line search private to the Newton methods (``NewtonCG``, ``ModifiedNewton``):
/// an Armijo search that also handles steps along directions of negative curvature, which the
/// general-purpose line searches do not.
///
/// Accepts the first α of α₀, α₁, … with f(x + αp) finite and
///
///     f(x + αp) ≤ f(x) + c₁·(α·∇f(x)ᵀp + ½α²·min(pᵀHp, 0)),   c₁ = 1e-4,
///
/// the Armijo sufficient-decrease condition (Nocedal & Wright, 2nd ed., eq. 3.4 and Alg. 3.1),
/// extended by the curvature term for steps along directions of negative curvature (the
/// second-order Armijo rule of Moré & Sorensen, "On the use of directions of negative curvature in
/// a modified Newton method", Math. Prog. 16, 1979). On failure the step is cut by the minimizer of
/// the quadratic interpolating f(x), ∇f(x)ᵀp and f(x + αp), safeguarded to [0.1α, 0.5α]
/// (N&W section 3.5); a non-finite trial value cuts it by 0.1. When the unit step is accepted along
/// a direction of non-positive curvature (where the quadratic model is unbounded) the step is
/// doubled while the value keeps decreasing (at most 60 times, then multiplied by 10⁶ at most 50
/// times), so that an unbounded objective is recognized within about a hundred trials. Trials
/// evaluate values only; the gradient is evaluated once, at the accepted point.
///
/// Near a solution the decrease can fall below the rounding error of f. Once per search, a trial
/// that fails the test above but changes f by at most εₖ = 10⁻⁶|f(x)| (Hager and Zhang's ε) has
/// its gradient evaluated, and is accepted when either
/// - the approximate Wolfe conditions hold there, σ·φ'(0) ≤ φ'(α) ≤ (2δ − 1)·φ'(0) with δ = 0.1,
///   σ = 0.9 (Hager & Zhang, SIAM J. Optim. 16, 2005, eq. 4.5), which certify a decrease to first
///   order where f itself is rounding noise (a sum of 10⁵ terms carries far more than ε|f|), or
/// - the change of f is at most 10ε|f(x)| and the gradient norm is smaller than the current one.
/// A trial that leaves every element of x unchanged is never accepted: the search then fails.
enum NewtonLineSearch {
  /// What the search returns; the accepted point and its gradient are in the caller's
  /// ``Buffers``.
  struct Outcome {
    var value: Double
    var step: Double
    /// ‖∇f‖∞ at the accepted point when the search computed it (to check that the gradient is
    /// finite), for ``SolverRun/acceptSwapping(x:value:gradient:gradientNormInfinity:details:)``.
    var gradientNormInfinity: Double?
  }

  /// The trial point and gradient, kept by the method for the whole solve: the search writes its
  /// trials into them, and on success they hold the accepted point and ∇f there, ready for
  /// ``SolverRun/acceptSwapping(x:value:gradient:gradientNormInfinity:details:)`` (which hands back the previous
  /// iterate's storage for the next search).
  struct Buffers {
    var point = Vector()
    var gradient = Vector()

    /// Makes both buffers n long (no work when they already are).
    mutating func prepare(dimension n: Int) {
      if point.count != n { point = .zeros(n) }
      if gradient.count != n { gradient = .zeros(n) }
    }
  }

  static let sufficientDecrease = 1e-4

  /// Searches along p with `search` when given (one of the library's ``LineSearch`` values, run by
  /// ``SolverRun/searchLine(_:direction:slope:initialStep:point:gradient:)`` with the package's
  /// shared acceptance policy), otherwise with this Newton search.
  static func step(
    _ run: inout SolverRun, direction p: Vector, expand: Bool, using search: (any LineSearch)?,
    buffers: inout Buffers
  ) -> Result<Outcome, TerminationError> {
    guard let search else {
      return self.search(&run, direction: p, expand: expand, buffers: &buffers)
    }
    let slope = dot(run.gradient, p)
    let value0 = run.value
    let r = run.searchLine(
      search, direction: p, slope: slope, initialStep: 1, point: &buffers.point,
      gradient: &buffers.gradient)
    switch LineSearchDecision.decide(r, value0: value0, canReset: false) {
    case .accept, .acceptAndReset, .acceptThenUnbounded:
      return .success(Outcome(value: r.value, step: r.step, gradientNormInfinity: nil))
    case .resetAndRetry:
      return .failure(TerminationError(termination: .lineSearchFailed))
    case .stop(let t):
      return .failure(TerminationError(termination: t))
    }
  }

  /// Runs the search from run.x along p. Returns the accepted point or the termination that ends
  /// the solve (``Termination/lineSearchFailed``, ``Termination/nonFiniteValue`` or
  /// ``Termination/evaluationLimit``).
  ///
  /// The trials are written into `buffers.point` (the gradient evaluation into
  /// `buffers.gradient`); on success they hold the accepted point and its gradient, which the
  /// caller must pass to ``SolverRun/acceptSwapping(x:value:gradient:gradientNormInfinity:details:)`` (the gradient
  /// evaluation skips the run's best-point copy for that reason).
  static func search(
    _ run: inout SolverRun, direction p: Vector, initialStep: Double = 1,
    curvature: Double = 0, expand: Bool = false, buffers: inout Buffers
  ) -> Result<Outcome, TerminationError> {
    let n = run.dimension
    buffers.prepare(dimension: n)
    let f0 = run.value
    let (slope, pNorm) = dotAndNorm(run.gradient, p)  // one pass for dot(g, p) and ‖p‖
    let curvatureTerm = Swift.min(curvature, 0)
    guard pNorm > 0, pNorm.isFinite, slope.isFinite else {
      return .failure(TerminationError(termination: .lineSearchFailed))
    }
    // ε(1 + ‖x‖)/‖p‖ and ‖∇f(x)‖ are needed only after a rejected trial (the unit step is
    // accepted on most iterations), so they are computed on first use.
    var minimumStepCache: Double? = nil
    var alpha = initialStep
    var lastNonFinite = false
    var triedNoiseLevel = false
    let noise = 10 * Double.ulpOfOne * Swift.abs(f0)
    let approximateBand = Swift.max(noise, ApproximateWolfe.epsilon * Swift.abs(f0))
    for attempt in 0..<80 {
      if run.evaluationsExhausted && attempt > 0 {
        return .failure(TerminationError(termination: .evaluationLimit))
      }
      addScaled(run.x, alpha, p, into: &buffers.point)
      let f = run.evaluateValue(buffers.point)
      run.statistics.lineSearchEvaluations += 1
      let bound = f0 + sufficientDecrease * (alpha * slope + 0.5 * alpha * alpha * curvatureTerm)
      if f.isFinite && f <= bound {
        // A step too short to change any element of x passes the test on rounding alone and
        // would be accepted again at every iteration: no step can make progress along p.
        if f == f0 && buffers.point == run.x { break }
        var acceptedAlpha = alpha
        var acceptedValue = f
        if expand && attempt == 0 {
          var grow = 0
          // The gradient buffer serves as scratch for the expansion trials; the gradient is
          // evaluated into it afterwards. After 60 doublings (2⁶⁰ times the unit step, with f
          // still falling) the step grows 10⁶-fold per trial, so that f reaches the unbounded
          // value in a few dozen more trials instead of stalling where x + p rounds to x.
          while grow < 110 && acceptedValue >= run.unboundedThreshold
            && !run.evaluationsExhausted
          {
            grow += 1
            let a = (grow <= 60 ? 2 : 1e6) * acceptedAlpha
            addScaled(run.x, a, p, into: &buffers.gradient)
            let fc = run.evaluateValue(buffers.gradient)
            run.statistics.lineSearchEvaluations += 1
            // Without curvature the term is 0 even where a² overflows (∞·0 would be NaN).
            let quadratic = curvatureTerm == 0 ? 0 : 0.5 * a * a * curvatureTerm
            let b = f0 + sufficientDecrease * (a * slope + quadratic)
            guard fc.isFinite, fc <= b, fc < acceptedValue else { break }
            acceptedAlpha = a
            acceptedValue = fc
          }
          addScaled(run.x, acceptedAlpha, p, into: &buffers.point)
        }
        let fg = run.evaluateTrial(buffers.point, gradient: &buffers.gradient)
        // ‖g‖∞ is finite exactly when every element is; the caller's acceptance reuses it.
        let gInf = maximumMagnitude(buffers.gradient)
        if fg.isFinite && gInf.isFinite {
          return .success(Outcome(value: fg, step: acceptedAlpha, gradientNormInfinity: gInf))
        }
        lastNonFinite = true
        alpha = 0.1 * acceptedAlpha
      } else if f.isFinite && !triedNoiseLevel && Swift.abs(f - f0) <= approximateBand {
        // The values differ by rounding only, or by less than Hager and Zhang's εₖ = 10⁻⁶|f|:
        // decide by the gradient instead.
        triedNoiseLevel = true
        let fg = run.evaluateTrial(buffers.point, gradient: &buffers.gradient)
        let gInf = maximumMagnitude(buffers.gradient)
        if fg.isFinite && gInf.isFinite {
          let derivative = dot(buffers.gradient, p)
          let approximateWolfe = ApproximateWolfe.holds(derivative: derivative, slope0: slope)
          let roundingAndSmallerGradient =
            Swift.abs(f - f0) <= noise && buffers.gradient.norm < run.gradient.norm
          if approximateWolfe || roundingAndSmallerGradient {
            return .success(Outcome(value: fg, step: alpha, gradientNormInfinity: gInf))
          }
        }
        run.recordTrial(buffers.point, value: fg, gradient: buffers.gradient)
        lastNonFinite = false
        alpha *= 0.5
      } else if !f.isFinite {
        lastNonFinite = true
        alpha *= 0.1
      } else {
        lastNonFinite = false
        let denominator = 2 * (f - f0 - alpha * slope)
        var next = denominator > 0 ? -slope * alpha * alpha / denominator : 0.5 * alpha
        if !next.isFinite { next = 0.5 * alpha }
        alpha = Swift.min(Swift.max(next, 0.1 * alpha), 0.5 * alpha)
      }
      let minimumStep: Double
      if let cached = minimumStepCache {
        minimumStep = cached
      } else {
        minimumStep = Double.ulpOfOne * (1 + run.x.norm) / pNorm
        minimumStepCache = minimumStep
      }
      if alpha < minimumStep { break }
    }
    return .failure(
      TerminationError(termination: lastNonFinite ? .nonFiniteValue : .lineSearchFailed))
  }
}

/// A termination carried as an error through `Result` inside the methods (never thrown to users).
struct TerminationError: Error {
  var termination: Termination
}
