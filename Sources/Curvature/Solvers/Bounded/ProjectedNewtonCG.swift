/// A projected Newton-CG trust-region method for bound constraints in the style of TRON
/// (C.-J. Lin and J. J. Moré, "Newton's method for large bound-constrained optimization
/// problems", SIAM J. Optim. 9(4), 1999; Nocedal & Wright, *Numerical Optimization*, 2nd ed.,
/// §16.7 and §18 on gradient projection). Second-order information enters only through
/// Hessian-vector products H·v (``SolverRun/hessianVectorProduct(at:gradientAtPoint:direction:into:)``).
///
/// Each iteration, at xₖ with gradient g and the quadratic model q(s) = gᵀs + ½sᵀHs in the
/// trust region ‖s‖ ≤ Δ:
/// 1. Cauchy step: along the projected path s(α) = P(xₖ − α·g) − xₖ, find α with
///    q(s(α)) ≤ μ₀·gᵀs(α) and ‖s(α)‖ ≤ Δ (μ₀ = 10⁻²), by extrapolation (α ← 10α) from the previous
///    iteration's α while the conditions hold, or backtracking (α ← α/10) until they hold. This
///    identifies the active face; negative curvature along the path is exploited up to the radius.
/// 2. Minor iterations (at most `maxMinorIterations`): with F the variables strictly inside their
///    bounds at xₖ + s, Steihaug-Toint CG minimizes the model over F,
///    min_w (g + Hs)_Fᵀw + ½wᵀH_FF·w subject to ‖w‖ ≤ Δ (it stops on the boundary on negative
///    curvature); then a projected search s(β) = P(xₖ + s + β·w) − xₖ, β = 1, ½, ¼, …, accepts the
///    first β with q(s(β)) ≤ q(s) + μ₀·(g + Hs)ᵀ(s(β) − s). When the accepted point hits no new
///    bound, the minor iterations stop; otherwise the face changes and CG runs again.
/// 3. Ratio test ρ = (f(xₖ) − f(xₖ + s)) / (−q(s)): the step is accepted when ρ > η₀ = 10⁻⁴; the
///    radius shrinks to ¼‖s‖ when ρ < ¼ and grows to max(Δ, 2‖s‖) when ρ > ¾.
///
/// Unlike TRON there is no incomplete-Cholesky preconditioner and the radius update is the
/// textbook one (N&W Algorithm 4.1); every trial point lies in the box (steps are
/// projections). Convergence: ‖P(xₖ − g) − xₖ‖∞ ≤ `gradientTolerance`.
///
/// Products by finite differences (an objective without exact products, see ``CurvatureSource``)
/// evaluate the gradient at x ± h·v, which may lie up to h outside the box when x is on a bound;
/// when f is undefined outside the box, supply exact products or use ``LBFGSB``.
public struct ProjectedNewtonCG: BoundConstrainedMethod {
  /// The initial radius Δ₀; nil means max(‖P(x₀ − g₀) − x₀‖₂, 10⁻³).
  public var initialRadius: Double?
  /// The largest number of CG subspace solves per iteration (default 5).
  public var maxMinorIterations: Int
  /// The CG forcing term: CG stops when ‖r‖ ≤ min(η, √‖r₀‖)·‖r₀‖ (default η = 0.1).
  public var cgRelativeTolerance: Double
  /// The CG iteration limit per subspace solve (nil: twice the number of free variables).
  public var maxCGIterations: Int?

  /// Creates the method.
  public init(
    initialRadius: Double? = nil, maxMinorIterations: Int = 5, cgRelativeTolerance: Double = 0.1,
    maxCGIterations: Int? = nil
  ) {
    precondition(
      initialRadius.map { $0 > 0 } ?? true, "initialRadius must be positive, got \(initialRadius!)")
    precondition(
      maxMinorIterations >= 1, "maxMinorIterations must be ≥ 1, got \(maxMinorIterations)")
    precondition(
      cgRelativeTolerance > 0 && cgRelativeTolerance < 1,
      "cgRelativeTolerance must be in (0, 1), got \(cgRelativeTolerance)")
    self.initialRadius = initialRadius
    self.maxMinorIterations = maxMinorIterations
    self.cgRelativeTolerance = cgRelativeTolerance
    self.maxCGIterations = maxCGIterations
  }

  /// `Projected Newton-CG`.
  public var name: String { "Projected Newton-CG" }

  static let mu0 = 1e-2
  static let eta0 = 1e-4

  /// Runs the method.
  public func run(_ run: inout SolverRun, bounds: Bounds) -> Termination {
    let n = run.dimension
    var radius: Double
    if let initialRadius {
      radius = initialRadius
    } else {
      var pg = bounds.project(run.x - run.gradient)
      axpy(-1, run.x, &pg)
      radius = Swift.max(pg.norm, 1e-3)
    }
    var alphaCauchy = 1.0
    var trialGradient = Vector.zeros(n)

    while true {
      if run.gradientConverged { return .gradientTolerance }
      let x = run.x
      let g = run.gradient
      var work = Work(x: x, g: g, bounds: bounds)

      // 1. Cauchy step along the projected gradient path.
      alphaCauchy = work.cauchyStep(&run, alpha: alphaCauchy, radius: radius)
      // 2. Minor iterations: Steihaug-CG on the free variables, then a projected search.
      var cgIterations = 0
      var negativeCurvature = false
      for _ in 0..<maxMinorIterations {
        guard
          let outcome = work.subspaceStep(
            &run, radius: radius, relativeTolerance: cgRelativeTolerance,
            maxIterations: maxCGIterations)
        else { break }
        cgIterations += outcome.cgIterations
        negativeCurvature = negativeCurvature || outcome.negativeCurvature
        if !outcome.faceChanged { break }
      }

      // 3. Ratio test.
      let s = work.s
      let sNorm = s.norm
      let predicted = -work.q
      var trial = x
      axpy(1, s, &trial)
      trial = bounds.project(trial)
      var rho = -Double.infinity
      var trialValue = Double.nan
      var trialNonFinite = false
      if predicted > 0 && sNorm > 0 {
        trialValue = run.evaluate(trial, gradient: &trialGradient)
        if trialValue.isFinite && trialGradient.isFinite {
          rho = (run.value - trialValue) / predicted
        } else {
          trialNonFinite = true
        }
      }
      if rho < 0.25 {
        radius = 0.25 * (sNorm > 0 ? Swift.min(sNorm, radius) : radius)
      } else if rho > 0.75 {
        radius = Swift.max(radius, 2 * sNorm)
      }
      let details = SolverRun.IterationDetails(
        radius: radius, cgIterations: cgIterations, negativeCurvature: negativeCurvature)
      if rho > Self.eta0 {
        if let t = run.accept(
          x: trial, value: trialValue, gradient: trialGradient, details: details)
        {
          return t
        }
      } else {
        if let t = run.reject(details: details) { return t }
        if !(radius > 1e-15 * Swift.max(1, x.norm)) {
          // Collapsed on trials the objective could not evaluate: say so.
          return trialNonFinite ? .nonFiniteValue : .trustRegionCollapsed
        }
      }
    }
  }
}

extension ProjectedNewtonCG {
  /// The state of one iteration's model minimization: the step s, H·s and q(s).
  struct Work {
    let x: Vector
    let g: Vector
    let bounds: Bounds
    var s: Vector
    var hs: Vector
    var q = 0.0

    init(x: Vector, g: Vector, bounds: Bounds) {
      self.x = x
      self.g = g
      self.bounds = bounds
      s = .zeros(x.count)
      hs = .zeros(x.count)
    }

    /// H·v at x, counted by the run.
    func product(_ run: inout SolverRun, _ v: Vector) -> Vector {
      var out = Vector.zeros(x.count)
      run.hessianVectorProduct(at: x, gradientAtPoint: g, direction: v, into: &out)
      return out
    }

    /// P(x + base + t·d) − x.
    func projectedStep(base: Vector, _ t: Double, _ d: Vector) -> Vector {
      let l = bounds.lower
      let u = bounds.upper
      var r = Vector.zeros(x.count)
      for i in 0..<x.count {
        let z = Swift.min(Swift.max(x[i] + base[i] + t * d[i], l[i]), u[i])
        r[i] = z - x[i]
      }
      return r
    }

    /// Whether x + base + t·d lies in the box (the projection changes nothing).
    func isUnclipped(base: Vector, _ t: Double, _ d: Vector) -> Bool {
      let l = bounds.lower
      let u = bounds.upper
      for i in 0..<x.count {
        let z = x[i] + base[i] + t * d[i]
        if !(z >= l[i] && z <= u[i]) { return false }
      }
      return true
    }

    /// The Cauchy step along P(x − α·g) − x; sets s, Hs and q, and returns the α used next time.
    mutating func cauchyStep(_ run: inout SolverRun, alpha start: Double, radius: Double) -> Double
    {
      let zero = Vector.zeros(x.count)
      let minusG = -g
      // H·g, computed once: on the first segment of the path (no bound reached) H·s(α) = −α·Hg.
      var hg: Vector? = nil
      func trial(_ run: inout SolverRun, _ alpha: Double) -> (Vector, Vector, Double, Bool) {
        let step = projectedStep(base: zero, alpha, minusG)
        let gs = dot(g, step)
        if step.norm > radius { return (step, zero, 0, false) }
        let h: Vector
        if isUnclipped(base: zero, alpha, minusG) {
          if hg == nil { hg = product(&run, g) }
          h = hg!.scaled(by: -alpha)
        } else {
          h = product(&run, step)
        }
        let value = gs + 0.5 * dot(step, h)
        return (step, h, value, value.isFinite && value <= ProjectedNewtonCG.mu0 * gs && gs < 0)
      }
      var alpha = start.isFinite && start > 0 ? start : 1
      var (step, h, value, ok) = trial(&run, alpha)
      if ok {
        // Extrapolate while the conditions hold and the step still changes.
        for _ in 0..<20 {
          let next = trial(&run, alpha * 10)
          if !next.3 || next.0 == step { break }
          alpha *= 10
          (step, h, value) = (next.0, next.1, next.2)
        }
      } else {
        var found = false
        for _ in 0..<40 {
          alpha *= 0.1
          (step, h, value, ok) = trial(&run, alpha)
          if ok {
            found = true
            break
          }
        }
        if !found {
          s = zero
          hs = zero
          q = 0
          return 1
        }
      }
      s = step
      hs = h
      q = value
      return alpha
    }

    /// The outcome of one minor iteration.
    struct MinorOutcome {
      var cgIterations: Int
      var negativeCurvature: Bool
      /// Whether the projected search stopped at a point where new bounds became active.
      var faceChanged: Bool
    }

    /// One minor iteration: Steihaug-CG on the free variables at x + s and a projected search.
    /// Returns nil when nothing was gained (no free variables, zero or rejected step).
    mutating func subspaceStep(
      _ run: inout SolverRun, radius: Double, relativeTolerance: Double, maxIterations: Int?
    ) -> MinorOutcome? {
      let n = x.count
      let l = bounds.lower
      let u = bounds.upper
      var free: [Int] = []
      for i in 0..<n {
        let z = x[i] + s[i]
        if z > l[i] && z < u[i] { free.append(i) }
      }
      if free.isEmpty { return nil }
      var modelGradient = g
      axpy(1, hs, &modelGradient)
      var r = Vector.zeros(free.count)
      for (k, i) in free.enumerated() { r[k] = modelGradient[i] }
      let rNorm = r.norm
      guard rNorm > 0 && rNorm.isFinite else { return nil }
      let eta = Swift.min(relativeTolerance, rNorm.squareRoot())
      let cg = SteihaugCG(relativeTolerance: eta, maxIterations: maxIterations)
      var full = Vector.zeros(n)
      let result = cg.solve(
        { v, out in
          full.fill(0)
          for (k, i) in free.enumerated() { full[i] = v[k] }
          let hv = product(&run, full)
          for (k, i) in free.enumerated() { out[k] = hv[i] }
        }, gradient: r, radius: radius)
      var w = Vector.zeros(n)
      for (k, i) in free.enumerated() { w[i] = result.step[k] }
      let outcome = MinorOutcome(
        cgIterations: result.iterations,
        negativeCurvature: result.termination == .negativeCurvature, faceChanged: false)
      guard w.isFinite && w.normInfinity > 0 else { return nil }

      // Projected search on β.
      // H·w once: while no new bound is reached, H·s(β) = H·s + β·Hw.
      let hw = product(&run, w)
      var beta = 1.0
      for _ in 0..<30 {
        let candidate = projectedStep(base: s, beta, w)
        var h: Vector
        if isUnclipped(base: s, beta, w) {
          h = hs
          axpy(beta, hw, &h)
        } else {
          h = product(&run, candidate)
        }
        let value = dot(g, candidate) + 0.5 * dot(candidate, h)
        var change = candidate
        axpy(-1, s, &change)
        let sufficient = q + ProjectedNewtonCG.mu0 * Swift.min(0, dot(modelGradient, change))
        if value.isFinite && value <= sufficient && value < q {
          var clipped = false
          for i in free {
            let z = x[i] + s[i] + beta * w[i]
            if z < l[i] || z > u[i] { clipped = true }
          }
          s = candidate
          hs = h
          q = value
          var done = outcome
          done.faceChanged = clipped
          return done
        }
        beta *= 0.5
      }
      return nil
    }
  }
}
