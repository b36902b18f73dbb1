/// Backtracking line search with the sufficient-decrease (Armijo) condition
///
///     φ(α) ≤ φ(0) + c₁·α·φ'(0),
///
/// shrinking the step by interpolation: the first backtrack minimizes the quadratic through φ(0),
/// φ'(0) and φ(α₀); later ones the cubic through φ(0), φ'(0) and the last two trial values
/// (Nocedal & Wright, 2nd ed., §3.5, eq. 3.57-3.58; Dennis & Schnabel, 1983, §6.3.2). Each new
/// step is kept in [`shrinkLower`·α, `shrinkUpper`·α] of the previous one, so the search
/// neither stalls nor collapses.
///
/// A non-finite trial value shrinks the step by `nonFiniteShrink` and the search goes on.
/// With ``valueOnly`` the search reads values only, so a caller can skip gradients at trial
/// steps (it then needs one gradient at the accepted step).
public struct BacktrackingArmijo: LineSearch {
  /// The sufficient-decrease constant c₁ (default 1e-4).
  public var c1: Double
  /// The smallest shrink factor per backtrack (default 0.1).
  public var shrinkLower: Double
  /// The largest shrink factor per backtrack (default 0.5).
  public var shrinkUpper: Double
  /// The factor applied to a step whose value is NaN or ±∞ (default 0.2).
  public var nonFiniteShrink: Double
  /// The largest number of calls of φ (default 40).
  public var maxEvaluations: Int
  /// The smallest step tried before giving up with ``LineSearchStatus/stepTooSmall``.
  public var minStep: Double
  /// Whether to evaluate values only (φ' is not needed by this search).
  public var valueOnly: Bool

  /// Creates a backtracking search.
  public init(
    c1: Double = 1e-4, shrinkLower: Double = 0.1, shrinkUpper: Double = 0.5,
    nonFiniteShrink: Double = 0.2, maxEvaluations: Int = 40, minStep: Double = 1e-20,
    valueOnly: Bool = false
  ) {
    precondition(c1 > 0 && c1 < 1, "c1 must be in (0, 1), got \(c1)")
    precondition(
      shrinkLower > 0 && shrinkLower <= shrinkUpper && shrinkUpper < 1,
      "need 0 < shrinkLower ≤ shrinkUpper < 1, got \(shrinkLower) and \(shrinkUpper)")
    precondition(maxEvaluations > 0, "maxEvaluations must be positive, got \(maxEvaluations)")
    self.c1 = c1
    self.shrinkLower = shrinkLower
    self.shrinkUpper = shrinkUpper
    self.nonFiniteShrink = nonFiniteShrink
    self.maxEvaluations = maxEvaluations
    self.minStep = minStep
    self.valueOnly = valueOnly
  }

  /// `Armijo backtracking`.
  public var name: String { "Armijo backtracking" }
  /// False when ``valueOnly`` is set.
  public var usesDerivatives: Bool { !valueOnly }

  /// Backtracks from `initialStep` until the Armijo condition holds.
  public func search(
    _ phi: (Double) -> LineSearchSample, value0: Double, slope0: Double, initialStep: Double
  ) -> LineSearchResult {
    if let bad = LineSearchTracker.checkInput(
      value0: value0, slope0: slope0, initialStep: initialStep)
    {
      return bad
    }
    var t = LineSearchTracker(value0: value0, slope0: slope0)
    var alpha = initialStep
    // The previous finite trial (step, value), for the cubic.
    var previous: (step: Double, value: Double)? = nil
    var sawFinite = false
    while t.evaluations < maxEvaluations {
      if alpha < minStep { return t.fail(sawFinite ? .stepTooSmall : .nonFiniteValues) }
      let s = t.evaluate(phi, alpha)
      guard s.value.isFinite else {
        previous = nil
        alpha *= nonFiniteShrink
        continue
      }
      sawFinite = true
      if s.value <= value0 + c1 * alpha * slope0 { return t.accept(alpha, s) }
      let trial: Double?
      if let p = previous {
        trial = StepInterpolation.backtrackingCubic(
          value0: value0, slope0: slope0, p.step, p.value, alpha, s.value)
      } else {
        trial = StepInterpolation.quadraticMinimizer(0, value0, slope0, alpha, s.value)
      }
      previous = (alpha, s.value)
      let lo = shrinkLower * alpha
      let hi = shrinkUpper * alpha
      alpha = Swift.min(Swift.max(trial ?? hi, lo), hi)
    }
    return t.fail(.maxEvaluations)
  }
}

extension LineSearch where Self == BacktrackingArmijo {
  /// Backtracking with the Armijo condition (c₁ = 1e-4, interpolation safeguards [0.1, 0.5]).
  public static func armijo(c1: Double = 1e-4, valueOnly: Bool = false) -> BacktrackingArmijo {
    BacktrackingArmijo(c1: c1, valueOnly: valueOnly)
  }
}
