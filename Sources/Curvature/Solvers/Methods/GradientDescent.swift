/// Steepest descent pₖ = −∇fₖ with a backtracking Armijo line search (Nocedal & Wright, 2nd ed.,
/// §3.1-3.3): a baseline that converges linearly, with rate governed by the condition number.
///
/// The first step tries α₀ = 1/‖∇f‖∞; later ones α₀ = min(αₖ₋₁‖∇fₖ₋₁‖²/‖∇fₖ‖², 10αₖ₋₁)
/// (N&W eq. 3.60 with pₖ = −∇fₖ, capped so one lucky step does not blow up the next trial),
/// except that when the last search accepted its first trial and the decrease was at least 90% of
/// the first-order prediction αφ'(0) (f looks linear along the ray), the next trial is 10αₖ₋₁.
/// This lets an unbounded objective reach ``MinimizeOptions/unboundedValue`` in a few hundred
/// iterations instead of crawling.
public struct GradientDescent: MinimizationMethod {
  /// The line search (default: Armijo backtracking).
  public var lineSearch: any LineSearch

  /// Creates the method.
  public init(lineSearch: any LineSearch = BacktrackingArmijo()) {
    self.lineSearch = lineSearch
  }

  /// `gradient descent`.
  public var name: String { "gradient descent" }

  /// Runs the method from the run's current iterate.
  public func run(_ run: inout SolverRun) -> Termination {
    if run.gradientConverged { return .gradientTolerance }
    let n = run.dimension
    var p = Vector.zeros(n)
    var xNew = Vector.zeros(n)
    var gNew = Vector.zeros(n)
    var previousStep = 0.0
    var previousSlope = 0.0
    var looksLinear = false
    while true {
      p.assign(run.gradient)
      p.scale(by: -1)
      let slope = -run.gradient.normSquared
      var alpha0 = 1 / run.gradient.normInfinity
      if previousStep > 0 {
        alpha0 = Swift.min(previousStep * previousSlope / slope, 10 * previousStep)
        if looksLinear { alpha0 = 10 * previousStep }
      }
      if !alpha0.isFinite || !(alpha0 > 0) { alpha0 = 1 }
      let result = run.searchLine(
        lineSearch, direction: p, slope: slope, initialStep: alpha0, point: &xNew, gradient: &gNew)
      let decision = LineSearchDecision.decide(result, value0: run.value, canReset: false)
      if case .stop(let t) = decision { return t }
      looksLinear =
        result.evaluations == 1
        && result.value - run.value <= 0.9 * result.step * slope
      previousStep = result.step
      previousSlope = slope
      if let t = run.accept(
        x: xNew, value: result.value, gradient: gNew, details: .init(stepLength: result.step))
      {
        return t
      }
      if decision == .acceptThenUnbounded { return .unboundedBelow }
    }
  }
}

extension MinimizationMethod where Self == GradientDescent {
  /// Steepest descent with Armijo backtracking.
  public static var gradientDescent: GradientDescent { GradientDescent() }
}
