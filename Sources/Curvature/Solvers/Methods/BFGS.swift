/// The BFGS quasi-Newton method with a dense inverse-Hessian approximation (Nocedal & Wright,
/// 2nd ed., §6.1, Algorithm 6.1).
///
/// Each iteration takes pₖ = −Hₖ∇fₖ, a line search satisfying the strong Wolfe conditions
/// (Moré-Thuente with c₁ = 1e-4, c₂ = 0.9 by default), and updates, with sₖ = xₖ₊₁ − xₖ,
/// yₖ = ∇fₖ₊₁ − ∇fₖ, ρₖ = 1/(yₖᵀsₖ),
///
///     Hₖ₊₁ = (I − ρₖsₖyₖᵀ)Hₖ(I − ρₖyₖsₖᵀ) + ρₖsₖsₖᵀ          (N&W eq. 6.17),
///
/// computed in O(n²) as H − ρ(Hy sᵀ + s yᵀH) + (ρ + ρ²yᵀHy)ssᵀ. By default H₀ = I, as in SciPy's
/// BFGS; with ``scalesInitialHessian`` it is rescaled to (yᵀs/yᵀy)·I before the first update
/// (N&W eq. 6.20).
///
/// Initial trial steps: the first step (and the first after a reset) tries
/// α₀ = min(1, c/‖∇f‖₂) with c = ``firstStepScale`` (default 1.01, as SciPy does). Later steps use Fletcher's estimate (N&W eq. 3.60)
///
///     α̂ = 2.02·(fₖ₋₁ − fₖ)/(−∇fₖᵀpₖ),
///
/// trying α₀ = α̂ when α̂ < ``unitStepThreshold`` (default 0.9) and the quasi-Newton step α₀ = 1
/// otherwise (N&W §3.5: quasi-Newton methods should try the unit step; the estimate only shortens
/// the first trial when it predicts a clearly shorter step). ``usesFletcherInitialStep`` = false
/// always tries 1.
///
/// The update is skipped when yᵀs ≤ ``curvatureThreshold``·‖s‖‖y‖ (it would not keep H positive
/// definite; with a Wolfe search this only happens through rounding or a failed search). Recovery:
/// when a search finds no decrease, H is reset to γ·I with γ = yᵀs/yᵀy of the last accepted
/// update (I before any) and the iteration retried once with ``recoverySearch`` (default
/// Hager-Zhang, whose approximate Wolfe conditions still accept a step when the decrease of f is
/// at rounding level near a minimizer); a second failure reports ``Termination/lineSearchFailed``.
/// A search that fails but still decreases f is accepted and H reset to γ·I the same way.
///
/// Storage is n² doubles; use ``LBFGS`` for large n.
public struct BFGS: MinimizationMethod {
  /// The line search (default: Moré-Thuente with c₁ = 1e-4, c₂ = 0.9).
  public var lineSearch: any LineSearch
  /// The update is skipped when yᵀs ≤ curvatureThreshold·‖s‖‖y‖ (default 1e-10).
  public var curvatureThreshold: Double
  /// Whether H₀ = I is rescaled to (yᵀs/yᵀy)·I before the first update (N&W eq. 6.20; default
  /// false).
  public var scalesInitialHessian: Bool
  /// Whether steps after the first try Fletcher's α̂ = 2.02(fₖ₋₁ − fₖ)/(−∇fₖᵀpₖ) when it is below
  /// ``unitStepThreshold`` (default true); otherwise they try α₀ = 1.
  public var usesFletcherInitialStep: Bool
  /// The first step (and the first after a reset) tries α₀ = min(1, firstStepScale/‖∇f‖₂)
  /// (default 1.01).
  public var firstStepScale: Double
  /// Fletcher's estimate α̂ is tried only when α̂ < unitStepThreshold; otherwise α₀ = 1
  /// (default 0.9).
  public var unitStepThreshold: Double
  /// The search that retries an iteration, with H reset to a scaled identity, after the main
  /// search found no decrease (default: Hager-Zhang with approximate Wolfe conditions).
  public var recoverySearch: any LineSearch

  /// Creates the method.
  public init(
    lineSearch: any LineSearch = MoreThuente(), curvatureThreshold: Double = 1e-10,
    scalesInitialHessian: Bool = false, usesFletcherInitialStep: Bool = true,
    unitStepThreshold: Double = 0.9, firstStepScale: Double = 1.01,
    recoverySearch: any LineSearch = HagerZhang()
  ) {
    self.lineSearch = lineSearch
    self.curvatureThreshold = curvatureThreshold
    self.scalesInitialHessian = scalesInitialHessian
    self.usesFletcherInitialStep = usesFletcherInitialStep
    self.unitStepThreshold = unitStepThreshold
    self.firstStepScale = firstStepScale
    self.recoverySearch = recoverySearch
  }

  /// `BFGS`.
  public var name: String { "BFGS" }

  /// Runs BFGS from the run's current iterate.
  public func run(_ run: inout SolverRun) -> Termination {
    if run.gradientConverged { return .gradientTolerance }
    let n = run.dimension
    var h = [Double](repeating: 0, count: n * n)
    func setIdentity(_ h: inout [Double], _ gamma: Double = 1) {
      for i in 0..<(n * n) { h[i] = 0 }
      for i in 0..<n { h[i * n + i] = gamma }
    }
    setIdentity(&h)
    var updates = 0
    var freshStart = true
    var recovering = false
    var lastGamma = 1.0
    var previousValue = Double.nan
    var p = Vector.zeros(n)
    var xNew = Vector.zeros(n)
    var gNew = Vector.zeros(n)
    var s = Vector.zeros(n)
    var y = Vector.zeros(n)
    var hy = Vector.zeros(n)

    while true {
      // p = −H g.
      symmetricProduct(h, run.gradient, into: &p, n: n, scale: -1)
      var slope = dot(run.gradient, p)
      if !(slope < 0) || !slope.isFinite {
        setIdentity(&h)
        updates = 0
        freshStart = true
        p.assign(run.gradient)
        p.scale(by: -1)
        slope = -run.gradient.normSquared
      }
      var alpha0 = 1.0
      if freshStart && !recovering {
        alpha0 = Swift.min(1, firstStepScale / run.gradient.norm)
      } else if usesFletcherInitialStep && !recovering && previousValue.isFinite {
        let estimate = -2.02 * (previousValue - run.value) / slope
        if estimate > 0 && estimate < unitStepThreshold { alpha0 = estimate }
      }
      let result = run.searchLine(
        recovering ? recoverySearch : lineSearch, direction: p, slope: slope,
        initialStep: alpha0, point: &xNew, gradient: &gNew)
      let decision = LineSearchDecision.decide(
        result, value0: run.value, canReset: !recovering)
      switch decision {
      case .stop(let t): return t
      case .resetAndRetry:
        setIdentity(&h, lastGamma)
        updates = 0
        freshStart = true
        recovering = true
        continue
      case .accept, .acceptAndReset, .acceptThenUnbounded:
        break
      }
      recovering = false
      addScaled(xNew, -1, run.x, into: &s)
      addScaled(gNew, -1, run.gradient, into: &y)
      if decision == .acceptAndReset {
        setIdentity(&h, lastGamma)
        updates = 0
        freshStart = true
      } else {
        freshStart = false
        let ys = dot(y, s)
        let yy = y.normSquared
        if ys > curvatureThreshold * s.norm * y.norm && ys.isFinite && yy > 0 {
          lastGamma = ys / yy
          if updates == 0 && scalesInitialHessian { setIdentity(&h, lastGamma) }
          symmetricProduct(h, y, into: &hy, n: n, scale: 1)
          let rho = 1 / ys
          let c = rho + rho * rho * dot(y, hy)
          rankTwoUpdate(&h, s, hy, rho: rho, c: c, n: n)
          updates += 1
        }
      }
      previousValue = run.value
      if let t = run.accept(
        x: xNew, value: result.value, gradient: gNew,
        details: .init(stepLength: result.step))
      {
        return t
      }
      if decision == .acceptThenUnbounded { return .unboundedBelow }
    }
  }
}

/// r ← scale·H·v for a symmetric row-major n × n matrix H.
func symmetricProduct(_ h: [Double], _ v: Vector, into r: inout Vector, n: Int, scale: Double) {
  h.withUnsafeBufferPointer { ph in
    v.withUnsafeBufferPointer { pv in
      r.withUnsafeMutableBufferPointer { pr in
        for i in 0..<n {
          let row = UnsafeBufferPointer(rebasing: ph[(i * n)..<(i * n + n)])
          pr[i] = scale * dotKernel(row, pv)
        }
      }
    }
  }
}

/// H ← H − ρ(Hy sᵀ + s (Hy)ᵀ) + c·ssᵀ, the BFGS inverse update with Hy precomputed.
func rankTwoUpdate(_ h: inout [Double], _ s: Vector, _ hy: Vector, rho: Double, c: Double, n: Int) {
  h.withUnsafeMutableBufferPointer { ph in
    s.withUnsafeBufferPointer { ps in
      hy.withUnsafeBufferPointer { pq in
        for i in 0..<n {
          let si = ps[i]
          let qi = pq[i]
          let base = i * n
          for j in 0..<n {
            ph[base + j] += -rho * (qi * ps[j] + si * pq[j]) + c * si * ps[j]
          }
        }
      }
    }
  }
}

extension MinimizationMethod where Self == BFGS {
  /// BFGS with a dense inverse Hessian and a strong Wolfe line search (default Moré-Thuente).
  public static func bfgs(lineSearch: any LineSearch = MoreThuente()) -> BFGS {
    BFGS(lineSearch: lineSearch)
  }
}
