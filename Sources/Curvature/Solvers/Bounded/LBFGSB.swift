/// L-BFGS-B, the limited-memory BFGS method for bound constraints (R. H. Byrd, P. Lu,
/// J. Nocedal and C. Zhu, "A limited memory algorithm for bound constrained optimization", SIAM J.
/// Sci. Comput. 16(5), 1995; C. Zhu, R. H. Byrd, P. Lu and J. Nocedal, "Algorithm 778", ACM TOMS
/// 23(4), 1997; J. L. Morales and J. Nocedal, "Remark on Algorithm 778", ACM TOMS 38(1), 2011).
/// This is an independent implementation from the papers.
///
/// Each iteration, at xₖ with gradient gₖ and the compact quasi-Newton matrix
/// Bₖ = θI − WMWᵀ (see the 1995 paper, §3, memory m):
/// 1. the generalized Cauchy point x^c minimizes the model
///    mₖ(x) = gₖᵀ(x − xₖ) + ½(x − xₖ)ᵀBₖ(x − xₖ) along the projected steepest-descent path
///    P(xₖ − t·gₖ), by a search over the sorted breakpoints; the variables at a bound at x^c
///    form the active set;
/// 2. the model is minimized over the free variables (direct primal method, §5.1), and the result
///    is projected onto the box (Morales & Nocedal 2011) or shortened into it, giving x̄;
/// 3. a line search along dₖ = x̄ − xₖ with steps α ∈ (0, α_max], α_max being the largest step
///    keeping xₖ + α·dₖ in the box (at least 1, since x̄ is feasible). Every trial point is
///    P(xₖ + α·dₖ), so rounding never takes one outside the box. The first trial is α = 1, except
///    with an empty memory when some variable is not bounded on both sides, where it is
///    min(1/‖dₖ‖₂, α_max) as in the reference code;
/// 4. the pair sₖ = xₖ₊₁ − xₖ, yₖ = gₖ₊₁ − gₖ updates the memory unless sₖᵀyₖ ≤ ε·‖yₖ‖²
///    (ε the machine epsilon), which keeps B positive definite; θ = yᵀy/sᵀy.
///
/// When the direction is not a descent direction, or the line search fails without decrease, the
/// memory is reset (B = I) and the iteration is repeated once. With all bounds infinite the
/// method reduces to L-BFGS (x^c is the model's minimizer along −g and the subspace step
/// completes the quasi-Newton step −B⁻¹g).
///
/// Convergence: ‖P(xₖ − gₖ) − xₖ‖∞ ≤ `gradientTolerance` (the `pgtol` test).
public struct LBFGSB: BoundConstrainedMethod {
  /// The line search along the feasible direction.
  public enum LineSearchKind: Sendable, Hashable {
    /// Moré-Thuente with c₁ = 10⁻³, c₂ = 0.9 (the constants of the reference code), steps capped
    /// at α_max.
    case moreThuente
    /// Armijo backtracking (c₁ = 10⁻⁴) from min(α₀, α_max).
    case backtracking
  }

  /// The memory m (number of stored pairs, default 10).
  public var memory: Int
  /// The line search (default Moré-Thuente).
  public var lineSearch: LineSearchKind
  /// The largest number of function evaluations per line search (default 20, as the reference
  /// code).
  public var maxLineSearchEvaluations: Int

  /// Creates the method.
  public init(
    memory: Int = 10, lineSearch: LineSearchKind = .moreThuente, maxLineSearchEvaluations: Int = 20
  ) {
    precondition(memory >= 0, "memory must be non-negative, got \(memory)")
    precondition(
      maxLineSearchEvaluations > 0,
      "maxLineSearchEvaluations must be positive, got \(maxLineSearchEvaluations)")
    self.memory = memory
    self.lineSearch = lineSearch
    self.maxLineSearchEvaluations = maxLineSearchEvaluations
  }

  /// `L-BFGS-B`.
  public var name: String { "L-BFGS-B" }

  /// The step cap used when no bound limits the direction.
  static let unboundedStepCap = 1e10

  /// Runs the method.
  public func run(_ run: inout SolverRun, bounds: Bounds) -> Termination {
    let n = run.dimension
    var model = CompactLBFGSMatrix(memory: memory)
    var trial = Vector.zeros(n)
    var trialGradient = Vector.zeros(n)
    var boxed = true
    for i in 0..<n where !(bounds.lower[i].isFinite && bounds.upper[i].isFinite) { boxed = false }

    while true {
      if run.gradientConverged { return .gradientTolerance }
      let x = run.x
      let g = run.gradient
      var attempt = 0
      while true {
        attempt += 1
        let cauchy = Self.cauchyPoint(x: x, gradient: g, bounds: bounds, model: model)
        let target = Self.subspacePoint(
          x: x, gradient: g, cauchy: cauchy, bounds: bounds, model: model)
        var d = target
        axpy(-1, x, &d)
        let slope = dot(g, d)
        let descent = slope < 0 && d.isFinite
        var result = LineSearchResult(
          step: 0, value: run.value, derivative: slope, evaluations: 0, status: .notDescentDirection
        )
        var alphaMax = 0.0
        if descent {
          alphaMax = BoxGeometry.maximumStep(from: x, along: d, bounds: bounds)
          alphaMax = Swift.min(Swift.max(alphaMax, 1), Self.unboundedStepCap)
          let initial =
            model.count == 0 && !boxed ? Swift.min(1 / d.norm, alphaMax) : 1
          result = searchFeasible(
            &run, from: x, direction: d, slope: slope, initialStep: initial, maximumStep: alphaMax,
            bounds: bounds, point: &trial, gradient: &trialGradient)
        }
        if result.decreases(from: run.value) && trialGradient.isFinite {
          var s = trial
          axpy(-1, x, &s)
          var y = trialGradient
          axpy(-1, g, &y)
          _ = model.update(s: s, y: y)
          if let t = run.accept(
            x: trial, value: result.value, gradient: trialGradient,
            details: .init(stepLength: result.step))
          {
            return t
          }
          if result.status == .maximumStepReached && alphaMax >= Self.unboundedStepCap {
            return .unboundedBelow
          }
          break
        }
        // No decrease: distrust the memory and try once more from steepest descent.
        if model.count > 0 && attempt == 1 {
          model.reset()
          continue
        }
        if result.status == .nonFiniteValues { return .nonFiniteValue }
        if run.evaluationsExhausted { return .evaluationLimit }
        return .lineSearchFailed
      }
    }
  }

  /// A line search along d from x that never leaves the box: steps lie in (0, α_max] and each
  /// trial point is P(x + α·d). On return `point` and `gradient` hold the returned step's point
  /// and gradient (x and ∇f(x) for step 0).
  func searchFeasible(
    _ run: inout SolverRun, from x: Vector, direction d: Vector, slope: Double,
    initialStep: Double, maximumStep: Double, bounds: Bounds, point: inout Vector,
    gradient: inout Vector
  ) -> LineSearchResult {
    let start = run.evaluationCount
    var lastStep = -1.0
    let phi: (Double) -> LineSearchSample = { alpha in
      BoxGeometry.projectedStep(x, alpha, d, bounds: bounds, into: &point)
      let f = run.evaluate(point, gradient: &gradient)
      lastStep = alpha
      return (f, dot(gradient, d))
    }
    var result: LineSearchResult
    switch lineSearch {
    case .moreThuente:
      let search = MoreThuente(
        c1: 1e-3, c2: 0.9, maxEvaluations: maxLineSearchEvaluations, maxStep: maximumStep)
      result = search.search(phi, value0: run.value, slope0: slope, initialStep: initialStep)
    case .backtracking:
      let search = BacktrackingArmijo(c1: 1e-4, maxEvaluations: maxLineSearchEvaluations)
      result = search.search(
        phi, value0: run.value, slope0: slope,
        initialStep: Swift.min(initialStep, maximumStep))
    }
    if result.step > 0 {
      if lastStep != result.step {
        BoxGeometry.projectedStep(x, result.step, d, bounds: bounds, into: &point)
        result.value = run.evaluate(point, gradient: &gradient)
        result.derivative = dot(gradient, d)
      }
    } else {
      point.assign(x)
      gradient.assign(run.gradient)
    }
    run.statistics.lineSearchEvaluations += run.evaluationCount - start
    return result
  }
}
