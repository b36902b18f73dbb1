import RealModule

/// The trust-region Newton method (Nocedal & Wright, 2nd ed., Alg. 4.1; Conn, Gould & Toint 2000,
/// Alg. 6.1.1) with a pluggable subproblem solver (``TrustRegionSubproblem``).
///
/// Each iteration computes a step p approximately minimizing the quadratic model
/// m(p) = f + gᵀp + ½·pᵀ∇²f·p in ‖p‖₂ ≤ Δ and the ratio
///
///     ρ = (f(x) − f(x + p)) / (−(gᵀp + ½·pᵀ∇²f·p)),
///
/// then
/// - accepts the step when ρ > η (``acceptanceRatio``, default 0.1; SciPy uses 0.15, N&W suggest
///   η ∈ [0, ¼));
/// - shrinks Δ ← ¼·‖p‖ when ρ < ¼ (relative to the step, so that an interior step that fails
///   shrinks the region below it at once);
/// - expands Δ ← min(2Δ, ``maxRadius``) when ρ > ¾ and ‖p‖ ≥ 0.99Δ (the step reached the boundary);
/// - treats a non-finite trial value as ρ = −∞ (reject and shrink);
/// - when both reductions are below rounding (|f − f(x+p)| and −m(p) ≤ 4ε|f|), takes ρ = 1 rather
///   than deciding on noise, unless ‖p‖ ≤ ε·max(1, ‖x‖): such a step does not change x (the
///   model's curvature dwarfs the gradient), so it is rejected and the region collapses;
/// - when a trial would be rejected but changes f by at most 10⁻⁶|f| (Hager and Zhang's εₖ) along
///   a descent step (gᵀp < 0), evaluates ∇f there and accepts it, as ρ = ½, when the approximate
///   Wolfe conditions hold on the segment: 0.9·gᵀp ≤ ∇f(x + p)ᵀp ≤ −0.8·gᵀp (δ = 0.1, σ = 0.9;
///   SIAM J. Optim. 16, 2005). Near the floor of f the ratio of two rounding-level reductions is
///   noise, and rejecting on it would collapse the region short of the tolerance;
/// - after 5 steps in a row to the boundary of a region already at ``maxRadius`` with ρ > ¾,
///   probes along the last step: f(x + p + t·p) for t = 10, 10², 10⁴, … (t ← t·min(t, 10⁶), with
///   the growth cut to its square root when f overflows) while f keeps falling. A probe point
///   below ``MinimizeOptions/unboundedValue`` is accepted and the solve ends with
///   ``Termination/unboundedBelow`` (the capped radius would otherwise let f fall by at most
///   ``maxRadius``·‖∇f‖ per iteration until the iteration limit).
///
/// The initial radius is ``initialRadius`` (default 1, as SciPy). When Δ falls below
/// ε·max(1, ‖x‖) the method stops with ``Termination/trustRegionCollapsed`` (or
/// ``Termination/nonFiniteValue`` when the last trials were not finite, and
/// ``Termination/numericalFailure`` when the subproblem kept returning a step with a non-finite
/// element, which shrinks Δ as a rejected step does).
///
/// Second-order stationarity: when ‖∇f‖∞ ≤ `gradientTolerance`, the curvature is checked (the
/// dense Hessian's smallest eigenpair for ``TrustRegionSubproblem/exact`` and
/// ``TrustRegionSubproblem/dogleg``, a short Lanczos probe otherwise; see the internal
/// negative-curvature probe). If a direction d with dᵀ∇²f·d < 0 exists, the next trial step is Δ·d
/// (to the boundary, signed to descend), judged by the same ratio test; the method reports
/// ``Termination/negativeCurvatureAtStationaryPoint`` if the region collapses along it, or after
/// 20 escapes in a row from points that all pass the gradient test. The check
/// runs only when the gradient test passes; the function- and step-change tests (off by default)
/// end the solve without it.
///
/// Subproblem accuracy: Steihaug and GLTR stop when ‖∇²f·p + g‖ ≤ min(0.5, √‖g‖)·‖g‖ (the forcing
/// term of N&W eq. 7.3, as SciPy's `trust-ncg`); the exact subproblem runs the Moré-Sorensen
/// iteration with its original termination tests (``MoreSorensen/solveApproximately(hessian:gradient:radius:boundaryTolerance:hardCaseTolerance:maxIterations:)``:
/// Δ ≤ ‖p‖ ≤ 1.1Δ, or a boundary step along an approximate near-singular vector within 20% of
/// the optimal model decrease), as SciPy's `trust-exact`.
///
/// Costs per iteration: Steihaug and GLTR use Hessian-vector products; exact and dogleg one dense
/// Hessian per accepted point (reused after rejections). Trials evaluate values only; the gradient
/// is evaluated at accepted points.
public struct TrustRegion: MinimizationMethod {
  /// The subproblem solver.
  public var subproblem: TrustRegionSubproblem
  /// Δ₀ (default 1).
  public var initialRadius: Double
  /// The largest radius (default 1000, as SciPy).
  public var maxRadius: Double
  /// η: steps with ρ > η are accepted (default 0.1).
  public var acceptanceRatio: Double
  /// The bound on Krylov iterations per subproblem (nil: 2n for Steihaug, min(n, 100) for GLTR,
  /// which stores its Lanczos vectors).
  public var maxKrylovIterations: Int?
  /// The most Lanczos steps of the second-order check for the product-based subproblems
  /// (k = min(n, this); fewer when the smallest Ritz value converges to a positive value first;
  /// 0 disables the check for every subproblem). Default 20.
  public var curvatureProbeIterations: Int

  /// Creates the method.
  public init(
    subproblem: TrustRegionSubproblem = .steihaug, initialRadius: Double = 1,
    maxRadius: Double = 1000, acceptanceRatio: Double = 0.1, maxKrylovIterations: Int? = nil,
    curvatureProbeIterations: Int = 20
  ) {
    precondition(
      initialRadius > 0, "TrustRegion: initialRadius must be positive, got \(initialRadius)")
    precondition(
      maxRadius >= initialRadius,
      "TrustRegion: maxRadius \(maxRadius) < initialRadius \(initialRadius)")
    precondition(
      acceptanceRatio >= 0 && acceptanceRatio < 0.25,
      "TrustRegion: acceptanceRatio must lie in [0, 0.25), got \(acceptanceRatio)")
    self.subproblem = subproblem
    self.initialRadius = initialRadius
    self.maxRadius = maxRadius
    self.acceptanceRatio = acceptanceRatio
    self.maxKrylovIterations = maxKrylovIterations
    self.curvatureProbeIterations = curvatureProbeIterations
  }

  /// "Trust-region (Steihaug-CG)" and so on.
  public var name: String { "Trust-region (\(subproblem.displayName))" }

  /// Moves `point` along `p` while f keeps falling, t = 10, 10², 10⁴, … (t ← t·min(t, 10⁶)), and
  /// stops at the first probe below ``MinimizeOptions/unboundedValue`` (then `point` is that
  /// probe and the result is true). A probe whose value overflows is retried with the square root
  /// of its growth factor (f may grow like a power of t). At most 80 values; false leaves `point`
  /// as it was.
  static func probeUnbounded(
    _ run: inout SolverRun, point: inout Vector, value: Double, along p: Vector
  ) -> Bool {
    var probe = Vector.zeros(point.count)
    var last = value
    var base = 0.0
    var factor = 10.0
    for _ in 0..<80 {
      if run.evaluationsExhausted { return false }
      let t = base == 0 ? factor : base * factor
      addScaled(point, t, p, into: &probe)
      let f = run.evaluateValue(probe)
      if !f.isFinite {
        factor = factor.squareRoot()
        if factor < 1.5 { return false }
        continue
      }
      guard f < last else { return false }
      if f < run.unboundedThreshold {
        point.assign(probe)
        return true
      }
      last = f
      base = t
      factor = Swift.min(t, 1e6)
    }
    return false
  }

  /// Runs the method (see the type's documentation).
  public func run(_ run: inout SolverRun) -> Termination {
    let n = run.dimension
    var radius = initialRadius
    var hessian: Matrix? = nil
    var escape: NegativeCurvatureDirection? = nil
    var lastTrialNonFinite = false
    var lastStepNonFinite = false
    // Vectors kept for the whole solve: the Krylov workspace of the subproblem solver and the
    // trial point and gradient, which are swapped with the iterate on acceptance.
    var workspaces = Workspaces()
    var trial = Vector.zeros(n)
    var trialGradient = Vector.zeros(n)
    // Whether the gradient test is known to fail at the current iterate (it failed at the top of
    // the loop or in the accepting call), so that rejected steps do not repeat it.
    var gradientTestFailed = false
    // Probes in a row that found negative curvature at points passing the gradient test.
    var escapes = SecondOrderEscape.ConsecutiveCount()
    // Very successful steps in a row to the boundary of a region at its largest radius.
    var cappedSuccesses = 0
    while true {
      if escape == nil && !gradientTestFailed && !run.gradientConverged {
        gradientTestFailed = true
      }
      if escape == nil && !gradientTestFailed {
        guard curvatureProbeIterations > 0 else { return .gradientTolerance }
        if subproblem.needsDenseHessian {
          let h = hessian ?? run.hessian(at: run.x)
          hessian = h
          let probe = NegativeCurvatureProbe.dense(hessian: h, gradient: run.gradient)
          run.recordProbe(smallestCurvature: probe.smallest)
          escape = probe.found
        } else {
          let probe = NewtonCG.probe(&run, iterations: curvatureProbeIterations)
          run.statistics.cgIterations += probe.iterations
          run.recordProbe(smallestCurvature: probe.smallest)
          escape = probe.found
        }
        if escape == nil { return .gradientTolerance }
        if run.statistics.iterations >= run.options.maxIterations { return .iterationLimit }
        if !escapes.admit() {
          return .negativeCurvatureAtStationaryPoint
        }
      } else if escape == nil {
        escapes.reset()
      }

      let trialStep: TrustRegionStep
      if let e = escape {
        let slope = dot(run.gradient, e.direction)
        trialStep = TrustRegionStep(
          step: e.direction.scaled(by: radius),
          modelValue: radius * slope + 0.5 * radius * radius * e.curvature, hitsBoundary: true,
          negativeCurvature: true)
      } else {
        trialStep = solveSubproblem(
          &run, radius: radius, hessian: &hessian, workspaces: &workspaces)
      }
      // trial = x + p and ‖p‖ in one pass.
      let pNorm = addScaledReturningNorm(run.x, 1, trialStep.step, into: &trial)
      let f = run.value
      let fTrial = run.evaluateValue(trial)
      let predicted = -trialStep.modelValue
      var rho: Double
      if !fTrial.isFinite || !predicted.isFinite {
        rho = -.infinity
        lastTrialNonFinite = !fTrial.isFinite
      } else {
        lastTrialNonFinite = false
        let actual = f - fTrial
        let noise = 4 * Double.ulpOfOne * Swift.abs(f)
        if Swift.abs(actual) <= noise && Swift.abs(predicted) <= noise {
          // Both reductions are rounding: decide ρ = 1, unless the step does not move x at all
          // (a model whose curvature dwarfs the gradient), which would be accepted forever.
          rho = pNorm <= Double.ulpOfOne * Swift.max(1, run.x.norm) ? -.infinity : 1
        } else if predicted <= 0 {
          rho = -.infinity
        } else {
          rho = actual / predicted
        }
      }
      // A rejected trial whose change of f is below Hager and Zhang's εₖ = 10⁻⁶|f| is judged by
      // the derivative along the step instead: the ratio of two rounding-level reductions is
      // noise once the rounding error of f exceeds the 4ε|f| of the rule above (a sum of 10⁵
      // terms), and rejecting on it collapses the region short of the tolerance.
      var trialValueWithGradient: Double? = nil
      if !(rho > acceptanceRatio), fTrial.isFinite, predicted > 0,
        Swift.abs(f - fTrial) <= ApproximateWolfe.epsilon * Swift.abs(f)
      {
        let slope = dot(run.gradient, trialStep.step)
        if slope < 0 && pNorm > Double.ulpOfOne * Swift.max(1, run.x.norm) {
          let value = run.evaluateTrial(trial, gradient: &trialGradient)
          let endSlope = dot(trialGradient, trialStep.step)
          if value.isFinite && ApproximateWolfe.holds(derivative: endSlope, slope0: slope) {
            trialValueWithGradient = value
            rho = 0.5
          } else {
            run.recordTrial(trial, value: value, gradient: trialGradient)
          }
        }
      }
      let stepRadius = radius
      if rho > 0.75 && stepRadius >= maxRadius && pNorm >= 0.99 * stepRadius {
        cappedSuccesses += 1
        if cappedSuccesses >= 5 {
          cappedSuccesses = 0
          _ = Self.probeUnbounded(&run, point: &trial, value: fTrial, along: trialStep.step)
        }
      } else {
        cappedSuccesses = 0
      }
      // A step with a non-finite element (a subproblem that overflowed) shrinks the region from
      // its radius: ‖p‖ would make it NaN, and a NaN radius would never collapse.
      let stepFinite = pNorm.isFinite
      lastStepNonFinite = !stepFinite
      if rho < 0.25 {
        radius = 0.25 * (stepFinite ? Swift.min(pNorm, radius) : radius)
      } else if rho > 0.75 && pNorm >= 0.99 * radius {
        radius = Swift.min(2 * radius, maxRadius)
      }
      var accepted = false
      if rho > acceptanceRatio && pNorm > 0 {
        let value = trialValueWithGradient ?? run.evaluateTrial(trial, gradient: &trialGradient)
        // ‖g‖∞ is finite exactly when every element is; the acceptance reuses it.
        let gInf = maximumMagnitude(trialGradient)
        if value.isFinite && gInf.isFinite {
          accepted = true
          let details = SolverRun.IterationDetails(
            radius: radius, cgIterations: trialStep.iterations,
            negativeCurvature: trialStep.negativeCurvature)
          hessian = nil
          escape = nil
          gradientTestFailed = false
          workspaces.gradientNorm = nil
          if let t = run.acceptSwapping(
            x: &trial, value: value, gradient: &trialGradient, gradientNormInfinity: gInf,
            details: details)
          {
            if t == .gradientTolerance { continue }
            return t
          }
          gradientTestFailed = true
        } else {
          lastTrialNonFinite = true
          radius = 0.25 * Swift.min(pNorm, stepRadius)
        }
      }
      if !accepted {
        if radius <= Double.ulpOfOne * Swift.max(1, run.x.norm) || pNorm == 0 {
          if lastStepNonFinite { return .numericalFailure }
          if lastTrialNonFinite { return .nonFiniteValue }
          return escape != nil ? .negativeCurvatureAtStationaryPoint : .trustRegionCollapsed
        }
        let details = SolverRun.IterationDetails(
          radius: radius, cgIterations: trialStep.iterations,
          negativeCurvature: trialStep.negativeCurvature)
        if let t = run.reject(details: details) { return t }
      }
    }
  }

  /// The Krylov storage of the subproblem solvers, reused by every subproblem of a solve (each
  /// is sized on first use, so only the configured solver's buffers are allocated).
  struct Workspaces {
    var steihaug = KrylovWorkspace(dimension: 0)
    var gltr = GLTR.Workspace(dimension: 0)
    /// ‖∇f‖₂ at the current iterate, kept across rejected steps (cleared on acceptance).
    var gradientNorm: Double? = nil
  }

  /// Solves the subproblem at run.x with the configured solver.
  func solveSubproblem(
    _ run: inout SolverRun, radius: Double, hessian: inout Matrix?, workspaces: inout Workspaces
  ) -> TrustRegionStep {
    let n = run.dimension
    let x = run.x
    let g = run.gradient
    let gNorm = workspaces.gradientNorm ?? g.norm
    workspaces.gradientNorm = gNorm
    switch subproblem {
    case .steihaug, .gltr:
      let apply: LinearOperator = { v, hv in
        run.hessianVectorProduct(at: x, gradientAtPoint: g, direction: v, into: &hv)
      }
      let eta = Swift.min(0.5, gNorm.squareRoot())
      var result: TrustRegionStep
      var nonFinite: Bool
      if subproblem == .steihaug {
        var solver = SteihaugCG(
          relativeTolerance: eta, maxIterations: Swift.max(maxKrylovIterations ?? 2 * n, 1))
        solver.knownGradientNorm = gNorm
        let r = solver.solve(apply, gradient: g, radius: radius, workspace: &workspaces.steihaug)
        result = TrustRegionStep(
          step: r.step, modelValue: -r.modelDecrease, hitsBoundary: r.hitsBoundary,
          negativeCurvature: r.termination == .negativeCurvature, iterations: r.iterations)
        nonFinite = r.termination == .nonFinite
      } else {
        var solver = GLTR(
          relativeTolerance: eta,
          maxIterations: Swift.max(maxKrylovIterations ?? Swift.min(n, 100), 1))
        solver.knownGradientNorm = gNorm
        let r = solver.solve(apply, gradient: g, radius: radius, workspace: &workspaces.gltr)
        result = TrustRegionStep(
          step: r.step, modelValue: -r.modelDecrease, multiplier: r.lambda,
          hitsBoundary: r.hitsBoundary, hardCase: r.hardCase, iterations: r.iterations)
        nonFinite = r.termination == .nonFinite
      }
      if nonFinite && result.step.norm == 0 && gNorm > 0 && gNorm.isFinite {
        // The products broke down before any progress: a steepest-descent step to the
        // boundary, judged by its linear model.
        let s = g.scaled(by: -radius / gNorm)
        result = TrustRegionStep(
          step: s, modelValue: dot(g, s), hitsBoundary: true, iterations: result.iterations)
      }
      return result
    case .exact, .dogleg:
      let h = hessian ?? run.hessian(at: x)
      hessian = h
      let solved =
        subproblem == .exact
        ? MoreSorensen.solveApproximately(hessian: h, gradient: g, radius: radius)
        : Dogleg.step(hessian: h, gradient: g, radius: radius)
      if let solved { return solved }
      // A non-finite Hessian: a steepest-descent step to the boundary with the linear model.
      let s = g.scaled(by: gNorm > 0 ? -radius / gNorm : 0)
      return TrustRegionStep(step: s, modelValue: dot(g, s), hitsBoundary: true)
    }
  }
}

extension MinimizationMethod where Self == TrustRegion {
  /// The trust-region Newton method with the given subproblem solver; see ``TrustRegion``.
  public static func trustRegion(
    _ subproblem: TrustRegionSubproblem = .steihaug, initialRadius: Double = 1,
    maxRadius: Double = 1000, acceptanceRatio: Double = 0.1, maxKrylovIterations: Int? = nil,
    curvatureProbeIterations: Int = 20
  ) -> TrustRegion {
    TrustRegion(
      subproblem: subproblem, initialRadius: initialRadius, maxRadius: maxRadius,
      acceptanceRatio: acceptanceRatio, maxKrylovIterations: maxKrylovIterations,
      curvatureProbeIterations: curvatureProbeIterations)
  }
}
