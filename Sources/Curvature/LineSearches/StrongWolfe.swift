/// The strong Wolfe line search by bracketing and zoom (Nocedal & Wright, 2nd ed., Algorithms
/// 3.5 and 3.6): finds α with
///
///     φ(α) ≤ φ(0) + c₁·α·φ'(0)   and   |φ'(α)| ≤ c₂·|φ'(0)|.
///
/// The bracketing phase tries increasing steps until one violates sufficient decrease, fails to
/// decrease φ below the previous trial, or has φ'(α) ≥ 0; each extrapolated step is the cubic
/// minimizer (eq. 3.59) of the last two trials kept in [αᵢ + 1.1(αᵢ − αᵢ₋₁), αᵢ + 4(αᵢ − αᵢ₋₁)]
/// and capped at ``maxStep``. The zoom phase keeps an interval [α_lo, α_hi] that contains such
/// steps, with α_lo the best trial that satisfies sufficient decrease, and picks trials by cubic
/// interpolation, then quadratic, then bisection; interpolated trials are kept at least 0.1% of the
/// width from the ends, and when two trials have not halved the interval the next one bisects it
/// (so the width shrinks at least geometrically while interpolation keeps its fast local
/// convergence).
///
/// Use c₂ = 0.9 for quasi-Newton methods and c₂ = 0.1 for nonlinear conjugate gradients (N&W
/// §3.1). A trial with a non-finite value or derivative is treated as too long: the step shrinks
/// to 20% of its distance from the last good trial, and the search goes on within its budget.
/// Reaching ``maxStep`` with φ still decreasing ends with
/// ``LineSearchStatus/maximumStepReached`` (f looks unbounded below along the direction).
public struct StrongWolfe: LineSearch {
  /// The sufficient-decrease constant c₁ (default 1e-4).
  public var c1: Double
  /// The curvature constant c₂ (default 0.9; use 0.1 for conjugate gradients).
  public var c2: Double
  /// The largest number of calls of φ (default 30).
  public var maxEvaluations: Int
  /// The largest step (default 1e10).
  public var maxStep: Double
  /// The relative interval width |α_hi − α_lo| ≤ `intervalTolerance`·α_hi at which zoom gives up.
  public var intervalTolerance: Double

  /// Creates a strong Wolfe search.
  public init(
    c1: Double = 1e-4, c2: Double = 0.9, maxEvaluations: Int = 30, maxStep: Double = 1e10,
    intervalTolerance: Double = 1e-14
  ) {
    precondition(0 < c1 && c1 < c2 && c2 < 1, "need 0 < c1 < c2 < 1, got c1 = \(c1), c2 = \(c2)")
    precondition(maxEvaluations > 0, "maxEvaluations must be positive, got \(maxEvaluations)")
    self.c1 = c1
    self.c2 = c2
    self.maxEvaluations = maxEvaluations
    self.maxStep = maxStep
    self.intervalTolerance = intervalTolerance
  }

  /// `strong Wolfe (zoom)`.
  public var name: String { "strong Wolfe (zoom)" }
  /// True.
  public var usesDerivatives: Bool { true }

  /// A trial step with its samples.
  struct Point {
    var step: Double
    var value: Double
    var derivative: Double
  }

  /// Runs the bracketing phase and, once a bracket is found, zoom.
  public func search(
    _ phi: (Double) -> LineSearchSample, value0: Double, slope0: Double, initialStep: Double
  ) -> LineSearchResult {
    if let bad = LineSearchTracker.checkInput(
      value0: value0, slope0: slope0, initialStep: initialStep)
    {
      return bad
    }
    var t = LineSearchTracker(value0: value0, slope0: slope0)
    var previous = Point(step: 0, value: value0, derivative: slope0)
    var alpha = Swift.min(initialStep, maxStep)
    // The smallest step known to give a non-finite value; extrapolation stays below it.
    var limit = maxStep
    var first = true
    while t.evaluations < maxEvaluations {
      let s = t.evaluate(phi, alpha)
      guard isUsable(s, derivatives: true) else {
        limit = alpha
        alpha = previous.step + 0.2 * (alpha - previous.step)
        if alpha - previous.step <= intervalTolerance * alpha || alpha <= 0 {
          return t.fail(t.bestStep > 0 ? .intervalTooSmall : .nonFiniteValues)
        }
        continue
      }
      let current = Point(step: alpha, value: s.value, derivative: s.derivative)
      if s.value > value0 + c1 * alpha * slope0 || (!first && s.value >= previous.value) {
        return zoom(phi, &t, lo: previous, hi: current)
      }
      if Swift.abs(s.derivative) <= -c2 * slope0 { return t.accept(alpha, s) }
      if s.derivative >= 0 { return zoom(phi, &t, lo: current, hi: previous) }
      if alpha >= maxStep { return t.fail(.maximumStepReached) }
      // Extrapolate.
      let width = alpha - previous.step
      let low = alpha + 1.1 * width
      let high = alpha + 4 * width
      var next =
        StepInterpolation.cubicMinimizer(
          previous.step, previous.value, previous.derivative, alpha, s.value, s.derivative)
        ?? high
      if !(next >= low) { next = high }
      next = Swift.min(next, high)
      if limit < maxStep {
        // Stay strictly inside the region known to be finite.
        next = Swift.min(next, alpha + 0.5 * (limit - alpha))
      }
      previous = current
      alpha = Swift.min(next, maxStep)
      first = false
    }
    return t.fail(.maxEvaluations)
  }

  /// Zoom (N&W Algorithm 3.6) on an interval whose end `lo` satisfies sufficient decrease and has
  /// the lowest value so far, and with φ'(lo)·(hi − lo) < 0.
  func zoom(
    _ phi: (Double) -> LineSearchSample, _ t: inout LineSearchTracker, lo startLo: Point,
    hi startHi: Point
  ) -> LineSearchResult {
    var lo = startLo
    var hi = startHi
    let value0 = t.value0
    let slope0 = t.slope0
    var widths = (Double.infinity, Double.infinity)
    while t.evaluations < maxEvaluations {
      let a = Swift.min(lo.step, hi.step)
      let b = Swift.max(lo.step, hi.step)
      let width = b - a
      if width <= intervalTolerance * b { return t.fail(.intervalTooSmall) }
      let stalled = width > 0.5 * widths.0
      widths = (widths.1, width)
      var trial: Double
      if stalled {
        trial = hi.value.isFinite ? 0.5 * (a + b) : lo.step + 0.2 * (hi.step - lo.step)
      } else if hi.value.isFinite && hi.derivative.isFinite {
        let margin = 1e-3 * width
        let inside: (Double?) -> Double? = { c in
          guard let c, c >= a + margin, c <= b - margin else { return nil }
          return c
        }
        trial =
          inside(
            StepInterpolation.cubicMinimizer(
              lo.step, lo.value, lo.derivative, hi.step, hi.value, hi.derivative))
          ?? inside(
            StepInterpolation.quadraticMinimizer(
              lo.step, lo.value, lo.derivative, hi.step, hi.value))
          ?? 0.5 * (a + b)
      } else {
        trial = lo.step + 0.2 * (hi.step - lo.step)
      }
      if trial <= a || trial >= b { trial = 0.5 * (a + b) }
      let s = t.evaluate(phi, trial)
      let p = Point(step: trial, value: s.value, derivative: s.derivative)
      guard isUsable(s, derivatives: true) else {
        hi = p
        continue
      }
      if s.value > value0 + c1 * trial * slope0 || s.value >= lo.value {
        hi = p
      } else {
        if Swift.abs(s.derivative) <= -c2 * slope0 { return t.accept(trial, s) }
        if s.derivative * (hi.step - lo.step) >= 0 { hi = lo }
        lo = p
      }
    }
    return t.fail(.maxEvaluations)
  }
}

extension LineSearch where Self == StrongWolfe {
  /// The strong Wolfe zoom search (c₁ = 1e-4; c₂ = 0.9 for quasi-Newton, 0.1 for CG).
  public static func strongWolfe(c1: Double = 1e-4, c2: Double = 0.9) -> StrongWolfe {
    StrongWolfe(c1: c1, c2: c2)
  }
}
