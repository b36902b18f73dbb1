/// The BFGS quasi-Newton method with a dense inverse-Hessian approximation (Nocedal & Wright,
/// 2nd ed., §6.1, Algorithm 6.1).
///
/// Each iteration takes pₖ = −Hₖ∇fₖ, a line search satisfying the strong Wolfe conditions
/// (c₁ = 1e-4, c₂ = 0.9; zoom by default), and updates, with sₖ = xₖ₊₁ − xₖ, yₖ = ∇fₖ₊₁ − ∇fₖ,
/// ρₖ = 1/(yₖᵀsₖ),
///
///     Hₖ₊₁ = (I − ρₖsₖyₖᵀ)Hₖ(I − ρₖyₖsₖᵀ) + ρₖsₖsₖᵀ          (N&W eq. 6.17),
///
/// computed in O(n²) as H − ρ(Hy sᵀ + s yᵀH) + (ρ + ρ²yᵀHy)ssᵀ. Before the first update H₀ = I is
/// rescaled to (yᵀs/yᵀy)·I (N&W eq. 6.20). The first step (and the first after a reset) tries
/// α₀ = min(1, 1/‖∇f‖₂), like SciPy's BFGS; later steps try α₀ = 1.
///
/// The update is skipped when yᵀs ≤ ``curvatureThreshold``·‖s‖‖y‖ (it would not keep H positive
/// definite; with a Wolfe search this only happens through rounding or a failed search). When a
/// search finds no decrease, H is reset to the identity and the iteration retried once with
/// steepest descent before the method reports ``Termination/lineSearchFailed``.
///
/// Storage is n² doubles; use ``LBFGS`` for large n.
public struct BFGS: MinimizationMethod {
  /// The line search (default: strong Wolfe zoom with c₁ = 1e-4, c₂ = 0.9).
  public var lineSearch: any LineSearch
  /// The update is skipped when yᵀs ≤ curvatureThreshold·‖s‖‖y‖ (default 1e-10).
  public var curvatureThreshold: Double

  /// Creates the method.
  public init(lineSearch: any LineSearch = StrongWolfe(), curvatureThreshold: Double = 1e-10) {
    self.lineSearch = lineSearch
    self.curvatureThreshold = curvatureThreshold
  }

  /// `BFGS`.
  public var name: String { "BFGS" }

  /// Runs BFGS from the run's current iterate.
  public func run(_ run: inout SolverRun) -> Termination {
    if run.gradientConverged { return .gradientTolerance }
    let n = run.dimension
    var h = [Double](repeating: 0, count: n * n)
    func setIdentity(_ h: inout [Double]) {
      for i in 0..<(n * n) { h[i] = 0 }
      for i in 0..<n { h[i * n + i] = 1 }
    }
    setIdentity(&h)
    var updates = 0
    var freshStart = true
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
      let alpha0 = freshStart ? Swift.min(1, 1 / run.gradient.norm) : 1
      let result = run.searchLine(
        lineSearch, direction: p, slope: slope, initialStep: alpha0, point: &xNew,
        gradient: &gNew)
      let decision = LineSearchDecision.decide(
        result, value0: run.value, canReset: updates > 0 || !freshStart)
      switch decision {
      case .stop(let t): return t
      case .resetAndRetry:
        setIdentity(&h)
        updates = 0
        freshStart = true
        continue
      case .accept, .acceptAndReset, .acceptThenUnbounded:
        break
      }
      addScaled(xNew, -1, run.x, into: &s)
      addScaled(gNew, -1, run.gradient, into: &y)
      if decision == .acceptAndReset {
        setIdentity(&h)
        updates = 0
        freshStart = true
      } else {
        freshStart = false
        let ys = dot(y, s)
        let yy = y.normSquared
        if ys > curvatureThreshold * s.norm * y.norm && ys.isFinite && yy > 0 {
          if updates == 0 {
            let gamma = ys / yy
            setIdentity(&h)
            for i in 0..<n { h[i * n + i] = gamma }
          }
          symmetricProduct(h, y, into: &hy, n: n, scale: 1)
          let rho = 1 / ys
          let c = rho + rho * rho * dot(y, hy)
          rankTwoUpdate(&h, s, hy, rho: rho, c: c, n: n)
          updates += 1
        }
      }
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
  /// BFGS with a dense inverse Hessian and a strong Wolfe line search.
  public static func bfgs(lineSearch: any LineSearch = StrongWolfe()) -> BFGS {
    BFGS(lineSearch: lineSearch)
  }
}
