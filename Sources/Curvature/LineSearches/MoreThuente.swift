import RealModule

/// The Moré-Thuente line search (J. J. Moré and D. J. Thuente, "Line search algorithms with
/// guaranteed sufficient decrease", ACM TOMS 20(3), 1994): finds α with
///
///     φ(α) ≤ φ(0) + c₁·α·φ'(0)   and   |φ'(α)| ≤ c₂·|φ'(0)|
///
/// by keeping an interval of uncertainty [αₗ, αᵤ] and choosing each trial with safeguarded cubic
/// and quadratic (secant) steps. The interval update follows the paper's four cases, comparing
/// the trial α_t with the best step αₗ:
/// 1. φ(α_t) > φ(αₗ): a minimizer is bracketed in [αₗ, α_t]; take the cubic step, or the average
///    of the cubic and quadratic steps when the quadratic one is closer to αₗ;
/// 2. φ(α_t) ≤ φ(αₗ) and φ'(α_t)·φ'(αₗ) < 0: bracketed in [α_t, αₗ]; cubic or secant step,
///    whichever is farther from α_t;
/// 3. same sign of derivatives and |φ'(α_t)| < |φ'(αₗ)|: cubic step if it goes the right way,
///    safeguarded to 66% of the way towards αᵤ when bracketed;
/// 4. same sign and |φ'(α_t)| ≥ |φ'(αₗ)|: cubic step on [α_t, αᵤ] when bracketed, otherwise the
///    extrapolation bound.
///
/// Until a step with ψ(α) ≤ 0 and φ'(α) ≥ 0 is found, the updates work on the auxiliary function
/// ψ(α) = φ(α) − φ(0) − c₁·α·φ'(0) (the paper's "stage 1"). Before bracketing, trials extrapolate
/// within [α + 1.1(α − αₗ), α + 4(α − αₗ)]; once bracketed, a step that does not shrink the
/// interval by a factor 0.66 over two iterations is replaced by bisection. A non-finite trial
/// shrinks the step towards αₗ by a factor 0.2 and is remembered as an upper limit.
///
/// With ``approximateWolfeTolerance`` ε set, a trial that fails the exact conditions is also
/// accepted when it satisfies the approximate Wolfe conditions of Hager and Zhang (SIAM J. Optim.
/// 16(1), 2005, eq. 4.5; CG_DESCENT, ACM TOMS 32(1), 2006) and its change of φ is at the rounding
/// level of φ(0) (see ``approximateWolfeTolerance``).
public struct MoreThuente: LineSearch {
  /// The sufficient-decrease constant c₁ (the paper's μ, default 1e-4).
  public var c1: Double
  /// The curvature constant c₂ (the paper's η, default 0.9; use 0.1 for conjugate gradients).
  public var c2: Double
  /// The relative width of the interval of uncertainty below which the search stops.
  public var intervalTolerance: Double
  /// The largest number of calls of φ (default 30).
  public var maxEvaluations: Int
  /// The smallest step (default 1e-20).
  public var minStep: Double
  /// The largest step (default 1e10).
  public var maxStep: Double
  /// ε of the approximate Wolfe acceptance, or nil (the default) for the exact conditions only.
  ///
  /// When set, a trial α at which the exact conditions fail is accepted when its change of φ is at
  /// the rounding level of φ(0) and it satisfies the approximate Wolfe conditions of Hager and
  /// Zhang (SIAM J. Optim. 16(1), 2005, eq. 4.5, with δ = c₁, σ = c₂), besides this search's strong
  /// curvature condition:
  ///
  ///     |φ(α) − φ(0)| ≤ ε·|φ(0)|,   (2c₁ − 1)·φ'(0) ≥ φ'(α) ≥ c₂·φ'(0),   |φ'(α)| ≤ c₂·|φ'(0)|.
  ///
  /// Near a minimizer with a large |f*| the decrease c₁·α·φ'(0) that Armijo asks for can be far
  /// below the rounding error of f, so that no trial passes it; the derivative test of the
  /// approximate conditions still certifies that φ decreased to first order. Hager and Zhang use
  /// ε = 1e-6 (as Optax's zoom line search does with `approx_dec_rtol`). Must be positive and
  /// finite. Only the acceptance test changes: the interval updates still compare values, so where
  /// the values are pure rounding noise a trial must fall inside the curvature window to be
  /// accepted (near a minimizer, a quasi-Newton step α = 1 usually does).
  public var approximateWolfeTolerance: Double?

  /// Creates a Moré-Thuente search.
  public init(
    c1: Double = 1e-4, c2: Double = 0.9, intervalTolerance: Double = 1e-12,
    maxEvaluations: Int = 30, minStep: Double = 1e-20, maxStep: Double = 1e10,
    approximateWolfeTolerance: Double? = nil
  ) {
    precondition(0 < c1 && c1 < c2 && c2 < 1, "need 0 < c1 < c2 < 1, got c1 = \(c1), c2 = \(c2)")
    precondition(maxEvaluations > 0, "maxEvaluations must be positive, got \(maxEvaluations)")
    precondition(
      0 <= minStep && minStep < maxStep, "need 0 ≤ minStep < maxStep, got \(minStep), \(maxStep)")
    if let eps = approximateWolfeTolerance {
      precondition(
        eps > 0 && eps.isFinite, "approximateWolfeTolerance must be positive and finite, got \(eps)"
      )
    }
    self.c1 = c1
    self.c2 = c2
    self.intervalTolerance = intervalTolerance
    self.maxEvaluations = maxEvaluations
    self.minStep = minStep
    self.maxStep = maxStep
    self.approximateWolfeTolerance = approximateWolfeTolerance
  }

  /// Whether a finite trial (α, φ(α), φ'(α)) satisfies the approximate Wolfe acceptance of
  /// ``approximateWolfeTolerance`` (false when it is nil).
  func acceptsApproximately(value: Double, derivative: Double, value0: Double, slope0: Double)
    -> Bool
  {
    guard let eps = approximateWolfeTolerance else { return false }
    return Swift.abs(value - value0) <= eps * Swift.abs(value0)
      && derivative <= (2 * c1 - 1) * slope0 && derivative >= c2 * slope0
      && Swift.abs(derivative) <= -c2 * slope0
  }

  /// `More-Thuente`.
  public var name: String { "More-Thuente" }
  /// True.
  public var usesDerivatives: Bool { true }

  /// An end of the interval of uncertainty: step, value, derivative.
  struct End {
    var step: Double
    var value: Double
    var derivative: Double
  }

  /// Runs the search.
  public func search(
    _ phi: (Double) -> LineSearchSample, value0: Double, slope0: Double, initialStep: Double
  ) -> LineSearchResult {
    if let bad = LineSearchTracker.checkInput(
      value0: value0, slope0: slope0, initialStep: initialStep)
    {
      return bad
    }
    var t = LineSearchTracker(value0: value0, slope0: slope0)
    let decreaseSlope = c1 * slope0
    var stage1 = true
    var bracketed = false
    // The best step (αₗ) and the other end (αᵤ).
    var best = End(step: 0, value: value0, derivative: slope0)
    var other = End(step: 0, value: value0, derivative: slope0)
    var width = maxStep - minStep
    var previousWidth = 2 * width
    var stepLimit = maxStep
    var alpha = Swift.min(Swift.max(initialStep, minStep), maxStep)
    var low = 0.0
    var high = alpha + 4 * alpha

    while t.evaluations < maxEvaluations {
      let s = t.evaluate(phi, alpha)
      guard isUsable(s, derivatives: true) else {
        stepLimit = alpha
        alpha = best.step + 0.2 * (alpha - best.step)
        if alpha - best.step <= intervalTolerance * alpha || alpha < minStep {
          return t.fail(t.bestStep > 0 ? .intervalTooSmall : .nonFiniteValues)
        }
        if bracketed {
          if other.step > best.step {
            other = End(step: stepLimit, value: .nan, derivative: .nan)
          }
          high = Swift.min(high, stepLimit)
        }
        continue
      }
      let f = s.value
      let g = s.derivative
      let sufficient = value0 + alpha * decreaseSlope
      if stage1 && f <= sufficient && g >= 0 { stage1 = false }

      // Convergence and warning tests.
      if f <= sufficient && Swift.abs(g) <= -c2 * slope0 { return t.accept(alpha, s) }
      if acceptsApproximately(value: f, derivative: g, value0: value0, slope0: slope0) {
        return t.accept(alpha, s)
      }
      if bracketed && (alpha <= low || alpha >= high) { return t.fail(.intervalTooSmall) }
      if bracketed && high - low <= intervalTolerance * high { return t.fail(.intervalTooSmall) }
      if alpha >= stepLimit && f <= sufficient && g <= decreaseSlope {
        return t.fail(.maximumStepReached)
      }
      if alpha <= minStep && (f > sufficient || g >= decreaseSlope) {
        return t.fail(.stepTooSmall)
      }

      // Update the interval, on ψ during stage 1 when the trial is no better than the best
      // step but fails sufficient decrease.
      var trial = End(step: alpha, value: f, derivative: g)
      if stage1 && f <= best.value && f > sufficient {
        var b = End(
          step: best.step, value: best.value - best.step * decreaseSlope,
          derivative: best.derivative - decreaseSlope)
        var o = End(
          step: other.step, value: other.value - other.step * decreaseSlope,
          derivative: other.derivative - decreaseSlope)
        trial = End(step: alpha, value: f - alpha * decreaseSlope, derivative: g - decreaseSlope)
        alpha = Self.step(&b, &o, trial, &bracketed, low, high)
        best = End(
          step: b.step, value: b.value + b.step * decreaseSlope,
          derivative: b.derivative + decreaseSlope)
        other = End(
          step: o.step, value: o.value + o.step * decreaseSlope,
          derivative: o.derivative + decreaseSlope)
      } else {
        alpha = Self.step(&best, &other, trial, &bracketed, low, high)
      }

      // Force sufficient shrinking of the bracket.
      if bracketed {
        if Swift.abs(other.step - best.step) >= 0.66 * previousWidth {
          alpha = best.step + 0.5 * (other.step - best.step)
        }
        previousWidth = width
        width = Swift.abs(other.step - best.step)
        low = Swift.min(best.step, other.step)
        high = Swift.max(best.step, other.step)
      } else {
        low = alpha + 1.1 * (alpha - best.step)
        high = alpha + 4 * (alpha - best.step)
      }
      // Stay below a step known to give non-finite values.
      if stepLimit < maxStep && alpha >= stepLimit {
        alpha = best.step + 0.5 * (stepLimit - best.step)
      }
      alpha = Swift.min(Swift.max(alpha, minStep), Swift.min(maxStep, stepLimit))
      if bracketed && (alpha <= low || alpha >= high || high - low <= intervalTolerance * high) {
        alpha = best.step
      }
      if !alpha.isFinite { return t.fail(.intervalTooSmall) }
    }
    return t.fail(.maxEvaluations)
  }

  /// One safeguarded step and interval update (the paper's §4; the four cases above). `best` is
  /// the end with the least value so far, `other` the other end, `trial` the new point; [lo, hi]
  /// bounds the new step. Returns the next trial step.
  static func step(
    _ best: inout End, _ other: inout End, _ trial: End, _ bracketed: inout Bool, _ lo: Double,
    _ hi: Double
  ) -> Double {
    let x = best.step
    let fx = best.value
    let dx = best.derivative
    let p = trial.step
    let fp = trial.value
    let dp = trial.derivative
    // The sign of φ'(α_t) relative to φ'(αₗ) (NaN, hence neither, when φ'(αₗ) = 0).
    let signed = dp * (dx / Swift.abs(dx))
    let opposite = signed < 0
    var next: Double

    /// γ = √(θ² − d₁d₂) of the cubic's minimizer, scaled against overflow and clamped at 0.
    func gammaTerm(_ theta: Double, _ d1: Double, _ d2: Double) -> Double {
      let s = Swift.max(Swift.abs(theta), Swift.abs(d1), Swift.abs(d2))
      guard s > 0 else { return 0 }
      let r = (theta / s) * (theta / s) - (d1 / s) * (d2 / s)
      return s * Swift.max(0, r).squareRoot()
    }

    if fp > fx {
      // Case 1: higher value; the minimizer is bracketed.
      let theta = 3 * (fx - fp) / (p - x) + dx + dp
      var gamma = gammaTerm(theta, dx, dp)
      if p < x { gamma = -gamma }
      let pp = (gamma - dx) + theta
      let q = ((gamma - dx) + gamma) + dp
      let cubic = x + (pp / q) * (p - x)
      let quadratic = x + ((dx / ((fx - fp) / (p - x) + dx)) / 2) * (p - x)
      if Swift.abs(cubic - x) < Swift.abs(quadratic - x) {
        next = cubic
      } else {
        next = cubic + (quadratic - cubic) / 2
      }
      if !next.isFinite { next = 0.5 * (x + p) }
      bracketed = true
    } else if opposite {
      // Case 2: lower value, derivatives of opposite sign; bracketed.
      let theta = 3 * (fx - fp) / (p - x) + dx + dp
      var gamma = gammaTerm(theta, dx, dp)
      if p > x { gamma = -gamma }
      let pp = (gamma - dp) + theta
      let q = ((gamma - dp) + gamma) + dx
      let cubic = p + (pp / q) * (x - p)
      let secant = p + (dp / (dp - dx)) * (x - p)
      next = Swift.abs(cubic - p) > Swift.abs(secant - p) ? cubic : secant
      if !next.isFinite { next = 0.5 * (x + p) }
      bracketed = true
    } else if Swift.abs(dp) < Swift.abs(dx) {
      // Case 3: lower value, same sign, derivative decreasing in magnitude.
      let theta = 3 * (fx - fp) / (p - x) + dx + dp
      var gamma = gammaTerm(theta, dx, dp)
      if p > x { gamma = -gamma }
      let pp = (gamma - dp) + theta
      let q = (gamma + (dx - dp)) + gamma
      let r = pp / q
      let cubic: Double
      if r < 0 && gamma != 0 {
        cubic = p + r * (x - p)
      } else {
        cubic = p > x ? hi : lo
      }
      let secant = p + (dp / (dp - dx)) * (x - p)
      if bracketed {
        next = Swift.abs(cubic - p) < Swift.abs(secant - p) ? cubic : secant
        if !next.isFinite { next = 0.5 * (p + other.step) }
        if p > x {
          next = Swift.min(p + 0.66 * (other.step - p), next)
        } else {
          next = Swift.max(p + 0.66 * (other.step - p), next)
        }
      } else {
        next = Swift.abs(cubic - p) > Swift.abs(secant - p) ? cubic : secant
        if !next.isFinite { next = hi }
        next = Swift.min(Swift.max(next, lo), hi)
      }
    } else {
      // Case 4: lower value, same sign, derivative not decreasing in magnitude.
      if bracketed && other.value.isFinite && other.derivative.isFinite {
        let y = other.step
        let fy = other.value
        let dy = other.derivative
        let theta = 3 * (fp - fy) / (y - p) + dy + dp
        var gamma = gammaTerm(theta, dy, dp)
        if p > y { gamma = -gamma }
        let pp = (gamma - dp) + theta
        let q = ((gamma - dp) + gamma) + dy
        next = p + (pp / q) * (y - p)
        if !next.isFinite { next = 0.5 * (p + y) }
      } else if bracketed {
        next = 0.5 * (p + other.step)
      } else {
        next = p > x ? hi : lo
      }
    }

    // Update the interval of uncertainty.
    if fp > fx {
      other = trial
    } else {
      if opposite { other = best }
      best = trial
    }
    return next
  }
}

extension LineSearch where Self == MoreThuente {
  /// The Moré-Thuente search (c₁ = 1e-4; c₂ = 0.9 for quasi-Newton, 0.1 for CG), optionally
  /// also accepting Hager and Zhang's approximate Wolfe conditions at rounding-level changes of φ
  /// (|φ(α) − φ(0)| ≤ ε·|φ(0)|; see ``MoreThuente/approximateWolfeTolerance``).
  public static func moreThuente(
    c1: Double = 1e-4, c2: Double = 0.9, approximateWolfeTolerance: Double? = nil
  ) -> MoreThuente {
    MoreThuente(c1: c1, c2: c2, approximateWolfeTolerance: approximateWolfeTolerance)
  }
}
