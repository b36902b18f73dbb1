/// The Hager-Zhang line search of CG_DESCENT (W. W. Hager and H. Zhang, "A new conjugate gradient
/// method with guaranteed descent and an efficient line search", SIAM J. Optim. 16(1), 2005;
/// "Algorithm 851: CG_DESCENT", ACM TOMS 32(1), 2006).
///
/// A step is accepted when it satisfies either the Wolfe conditions
///
///     φ(α) − φ(0) ≤ δ·α·φ'(0)   and   φ'(α) ≥ σ·φ'(0),
///
/// or the approximate Wolfe conditions, which stay meaningful when φ(α) − φ(0) is at rounding level:
///
///     (2δ − 1)·φ'(0) ≥ φ'(α) ≥ σ·φ'(0)   and   φ(α) ≤ φ(0) + εₖ,   εₖ = ε·|φ(0)|.
///
/// The search keeps an interval [a, b] with φ'(a) < 0, φ(a) ≤ φ(0) + εₖ and φ'(b) ≥ 0:
/// - bracket: expand c ← ρc from the initial step until φ'(c) ≥ 0 (then [last good, c]) or
///   φ(c) > φ(0) + εₖ (then bisect the interval [last good, c] by the update U3);
/// - secant²: c = (a·φ'(b) − b·φ'(a))/(φ'(b) − φ'(a)), update the interval with c, and take a second
///   secant step from the end that moved;
/// - when secant² shrinks the interval by less than γ, bisect it.
/// Every evaluation is checked against the acceptance conditions. A trial with a non-finite value
/// or derivative counts as too far: the interval's upper end moves to it and the next trial lies
/// at 20% of the way from the lower end.
public struct HagerZhang: LineSearch {
  /// δ in the (approximate) Wolfe conditions (default 0.1).
  public var delta: Double
  /// σ in the curvature conditions (default 0.9).
  public var sigma: Double
  /// ε in εₖ = ε·|φ(0)| (default 1e-6).
  public var epsilon: Double
  /// θ, the bisection weight of the update U3 (default 0.5).
  public var theta: Double
  /// γ, the required shrink of the interval per secant² step before bisecting (default 0.66).
  public var gamma: Double
  /// ρ, the expansion factor of the bracketing phase (default 5).
  public var rho: Double
  /// Whether the approximate Wolfe conditions are accepted (default true).
  public var approximateWolfe: Bool
  /// The largest number of calls of φ (default 50).
  public var maxEvaluations: Int
  /// The largest step (default 1e10).
  public var maxStep: Double

  /// Creates a Hager-Zhang search with the defaults of CG_DESCENT.
  public init(
    delta: Double = 0.1, sigma: Double = 0.9, epsilon: Double = 1e-6, theta: Double = 0.5,
    gamma: Double = 0.66, rho: Double = 5, approximateWolfe: Bool = true,
    maxEvaluations: Int = 50, maxStep: Double = 1e10
  ) {
    precondition(
      0 < delta && delta < 0.5 && delta <= sigma && sigma < 1,
      "need 0 < delta < 0.5 and delta ≤ sigma < 1, got delta = \(delta), sigma = \(sigma)")
    precondition(maxEvaluations > 0, "maxEvaluations must be positive, got \(maxEvaluations)")
    precondition(rho > 1, "rho must exceed 1, got \(rho)")
    self.delta = delta
    self.sigma = sigma
    self.epsilon = epsilon
    self.theta = theta
    self.gamma = gamma
    self.rho = rho
    self.approximateWolfe = approximateWolfe
    self.maxEvaluations = maxEvaluations
    self.maxStep = maxStep
  }

  /// `Hager-Zhang`.
  public var name: String { "Hager-Zhang" }
  /// True.
  public var usesDerivatives: Bool { true }

  /// The suggested first trial step for iteration k (CG_DESCENT's I0-I2, simplified): at the first
  /// iteration ψ₀·‖x‖∞/‖g‖∞ when x ≠ 0, else ψ₀·|f|/‖g‖₂² when f ≠ 0, else 1 (ψ₀ = 0.01); later
  /// ψ₂·αₖ₋₁ (ψ₂ = 2).
  public static func initialStep(
    previousStep: Double?, x: Vector, value: Double, gradient: Vector
  ) -> Double {
    if let previousStep, previousStep > 0, previousStep.isFinite { return 2 * previousStep }
    let gInf = gradient.normInfinity
    let xInf = x.normInfinity
    if xInf > 0 && gInf > 0 { return 0.01 * xInf / gInf }
    let g2 = gradient.normSquared
    if value != 0 && g2 > 0 { return 0.01 * Swift.abs(value) / g2 }
    return 1
  }

  struct Point {
    var step: Double
    var value: Double
    var derivative: Double
    var isUsable: Bool { value.isFinite && derivative.isFinite }
  }

  /// Ends the search from anywhere inside it.
  struct Stop: Error {
    var result: LineSearchResult
  }

  /// The state of one search.
  struct Run {
    let search: HagerZhang
    var tracker: LineSearchTracker
    let valueBound: Double

    mutating func evaluate(_ phi: (Double) -> LineSearchSample, _ alpha: Double) throws(Stop)
      -> Point
    {
      if tracker.evaluations >= search.maxEvaluations {
        throw Stop(result: tracker.fail(.maxEvaluations))
      }
      let s = tracker.evaluate(phi, alpha)
      let p = Point(step: alpha, value: s.value, derivative: s.derivative)
      if p.isUsable && accepts(p) { throw Stop(result: tracker.accept(alpha, s)) }
      return p
    }

    func accepts(_ p: Point) -> Bool {
      let d = search.delta
      let slope0 = tracker.slope0
      guard p.derivative >= search.sigma * slope0 else { return false }
      if p.value - tracker.value0 <= d * p.step * slope0 { return true }
      return search.approximateWolfe && p.derivative <= (2 * d - 1) * slope0
        && p.value <= valueBound
    }

    func checkWidth(_ a: Point, _ b: Point) throws(Stop) {
      if !(b.step - a.step > 1e-14 * b.step) {
        throw Stop(result: tracker.fail(.intervalTooSmall))
      }
    }

    /// U3: [a, b] with b too high (or non-finite); shrink towards a until a point with φ' ≥ 0
    /// appears.
    mutating func shrink(_ phi: (Double) -> LineSearchSample, _ a0: Point, _ b0: Point)
      throws(Stop) -> (Point, Point)
    {
      var a = a0
      var b = b0
      while true {
        try checkWidth(a, b)
        let w = b.isUsable ? search.theta : 0.2
        let d = try evaluate(phi, (1 - w) * a.step + w * b.step)
        if !d.isUsable {
          b = d
        } else if d.derivative >= 0 {
          return (a, d)
        } else if d.value <= valueBound {
          a = d
        } else {
          b = d
        }
      }
    }

    /// The interval update U0-U3 with a new point c.
    mutating func update(_ phi: (Double) -> LineSearchSample, _ a: Point, _ b: Point, _ c: Point)
      throws(Stop) -> (Point, Point)
    {
      if !(c.step > a.step && c.step < b.step) { return (a, b) }
      if !c.isUsable { return try shrink(phi, a, c) }
      if c.derivative >= 0 { return (a, c) }
      if c.value <= valueBound { return (c, b) }
      return try shrink(phi, a, c)
    }

    /// The secant step through (a, φ'(a)) and (b, φ'(b)), or nil.
    func secant(_ a: Point, _ b: Point) -> Double? {
      let den = b.derivative - a.derivative
      guard den != 0 else { return nil }
      let c = (a.step * b.derivative - b.step * a.derivative) / den
      return c.isFinite ? c : nil
    }

    /// secant²: a secant step, the interval update, and a second secant step from the end that
    /// moved.
    mutating func secant2(_ phi: (Double) -> LineSearchSample, _ a: Point, _ b: Point)
      throws(Stop) -> (Point, Point)
    {
      guard let c = secant(a, b), c > a.step, c < b.step else { return (a, b) }
      let pc = try evaluate(phi, c)
      let (na, nb) = try update(phi, a, b, pc)
      var cBar: Double? = nil
      if c == nb.step { cBar = secant(b, nb) }
      if c == na.step { cBar = secant(a, na) }
      if let cBar, cBar > na.step, cBar < nb.step {
        let p = try evaluate(phi, cBar)
        return try update(phi, na, nb, p)
      }
      return (na, nb)
    }

    /// The bracketing phase from a usable first trial.
    mutating func bracket(_ phi: (Double) -> LineSearchSample, _ first: Point) throws(Stop)
      -> (Point, Point)
    {
      var good = Point(step: 0, value: tracker.value0, derivative: tracker.slope0)
      var c = first
      while true {
        if !c.isUsable { return try shrink(phi, good, c) }
        if c.derivative >= 0 { return (good, c) }
        if c.value > valueBound { return try shrink(phi, good, c) }
        good = c
        if c.step >= search.maxStep { throw Stop(result: tracker.fail(.maximumStepReached)) }
        c = try evaluate(phi, Swift.min(search.rho * c.step, search.maxStep))
      }
    }
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
    var run = Run(
      search: self, tracker: LineSearchTracker(value0: value0, slope0: slope0),
      valueBound: value0 + epsilon * Swift.abs(value0))
    do throws(Stop) {
      let first = try run.evaluate(phi, Swift.min(initialStep, maxStep))
      var (a, b) = try run.bracket(phi, first)
      while true {
        try run.checkWidth(a, b)
        var (na, nb) = try run.secant2(phi, a, b)
        if nb.step - na.step > gamma * (b.step - a.step) {
          let c = try run.evaluate(phi, 0.5 * (na.step + nb.step))
          (na, nb) = try run.update(phi, na, nb, c)
        }
        a = na
        b = nb
      }
    } catch {
      return error.result
    }
  }
}

extension LineSearch where Self == HagerZhang {
  /// The Hager-Zhang approximate Wolfe search (δ = 0.1, σ = 0.9, ε = 1e-6).
  public static func hagerZhang(sigma: Double = 0.9) -> HagerZhang { HagerZhang(sigma: sigma) }
}
