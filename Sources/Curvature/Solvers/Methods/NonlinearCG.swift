/// Nonlinear conjugate gradient methods (Nocedal & Wright, 2nd ed., §5.2; Hager & Zhang, "A survey
/// of nonlinear conjugate gradient methods", Pacific J. Optim. 2, 2006).
///
/// Directions pₖ₊₁ = −gₖ₊₁ + βₖ₊₁pₖ, with yₖ = gₖ₊₁ − gₖ and the choice of β given by
/// ``NonlinearCG/Variant``. The method restarts with pₖ₊₁ = −gₖ₊₁ every n iterations, when
/// gₖ₊₁ᵀpₖ₊₁ ≥ 0, and (Powell's restart, N&W eq. 5.52; not for Hager-Zhang, whose direction has
/// guaranteed descent) when |gₖ₊₁ᵀgₖ| ≥ 0.2‖gₖ₊₁‖².
///
/// The line search defaults to strong Wolfe zoom with c₂ = 0.1 (N&W §5.2), or the Hager-Zhang
/// approximate Wolfe search for the Hager-Zhang variant. The first step tries α₀ = 1/‖g‖∞;
/// later ones α₀ = αₖ₋₁·gₖ₋₁ᵀpₖ₋₁/gₖᵀpₖ (N&W eq. 3.60), the step with the same first-order
/// change as the last one. With the Hager-Zhang line search the trial steps follow CG_DESCENT
/// instead (``HagerZhang/initialStep(previousStep:x:value:gradient:)``: 2αₖ₋₁), since its loose
/// curvature condition (σ = 0.9) would otherwise accept the same short step again and again.
public struct NonlinearCG: MinimizationMethod {
  /// The formula for β.
  public enum Variant: String, Sendable, Hashable, Codable, CaseIterable {
    /// Fletcher-Reeves: β = ‖gₖ₊₁‖²/‖gₖ‖² (N&W eq. 5.41a).
    case fletcherReeves
    /// Polak-Ribière+: β = max(0, gₖ₊₁ᵀyₖ/‖gₖ‖²) (N&W eq. 5.44-5.45).
    case polakRibiere
    /// Hestenes-Stiefel+: β = max(0, gₖ₊₁ᵀyₖ/pₖᵀyₖ) (N&W eq. 5.46, truncated at 0 as Gilbert and
    /// Nocedal suggest).
    case hestenesStiefel
    /// Dai-Yuan: β = ‖gₖ₊₁‖²/pₖᵀyₖ (Dai & Yuan, SIAM J. Optim. 10, 1999).
    case daiYuan
    /// Hager-Zhang: β = (yₖ − 2pₖ‖yₖ‖²/pₖᵀyₖ)ᵀgₖ₊₁/pₖᵀyₖ, bounded below by
    /// ηₖ = −1/(‖pₖ‖·min(η, ‖gₖ‖)), η = 0.01 (Hager & Zhang 2005, eq. 1.6-1.7).
    case hagerZhang
  }

  /// The β formula.
  public var variant: Variant
  /// The line search (nil: strong Wolfe zoom with c₂ = 0.1, or Hager-Zhang with σ = 0.1 for that
  /// variant; σ = 0.1 took 42 iterations on Rosenbrock from (−1.2, 1) where CG_DESCENT's σ = 0.9
  /// took 153).
  public var lineSearch: (any LineSearch)?
  /// Restart every `restartInterval` iterations (nil: every n).
  public var restartInterval: Int?

  /// Creates the method.
  public init(
    variant: Variant = .polakRibiere, lineSearch: (any LineSearch)? = nil,
    restartInterval: Int? = nil
  ) {
    self.variant = variant
    self.lineSearch = lineSearch
    self.restartInterval = restartInterval
  }

  /// `CG (Polak-Ribiere+)` etc.
  public var name: String {
    switch variant {
    case .fletcherReeves: return "CG (Fletcher-Reeves)"
    case .polakRibiere: return "CG (Polak-Ribiere+)"
    case .hestenesStiefel: return "CG (Hestenes-Stiefel+)"
    case .daiYuan: return "CG (Dai-Yuan)"
    case .hagerZhang: return "CG (Hager-Zhang)"
    }
  }

  /// The line search in use.
  public var effectiveLineSearch: any LineSearch {
    if let lineSearch { return lineSearch }
    return variant == .hagerZhang ? HagerZhang(sigma: 0.1) : StrongWolfe(c2: 0.1)
  }

  /// β for the new gradient g₊ given the old gradient g, y = g₊ − g and the old direction p.
  func beta(gNew: Vector, g: Vector, y: Vector, p: Vector) -> Double {
    switch variant {
    case .fletcherReeves:
      return gNew.normSquared / g.normSquared
    case .polakRibiere:
      return Swift.max(0, dot(gNew, y) / g.normSquared)
    case .hestenesStiefel:
      return Swift.max(0, dot(gNew, y) / dot(p, y))
    case .daiYuan:
      return gNew.normSquared / dot(p, y)
    case .hagerZhang:
      let py = dot(p, y)
      let b = (dot(y, gNew) - 2 * y.normSquared * dot(p, gNew) / py) / py
      let eta = -1 / (p.norm * Swift.min(0.01, g.norm))
      return Swift.max(b, eta)
    }
  }

  /// Runs the method from the run's current iterate.
  public func run(_ run: inout SolverRun) -> Termination {
    if run.gradientConverged { return .gradientTolerance }
    let n = run.dimension
    let search = effectiveLineSearch
    let interval = Swift.max(1, restartInterval ?? n)
    var p = run.gradient.scaled(by: -1)
    var xNew = Vector.zeros(n)
    var gNew = Vector.zeros(n)
    var y = Vector.zeros(n)
    var sinceRestart = 0
    var previousStep = 0.0
    var previousSlope = 0.0
    var restarted = true

    while true {
      var slope = dot(run.gradient, p)
      if !(slope < 0) || !slope.isFinite {
        p.assign(run.gradient)
        p.scale(by: -1)
        slope = -run.gradient.normSquared
        restarted = true
      }
      var alpha0: Double
      if search is HagerZhang {
        alpha0 = HagerZhang.initialStep(
          previousStep: previousStep > 0 ? previousStep : nil, x: run.x, value: run.value,
          gradient: run.gradient)
      } else if previousStep > 0 && previousSlope < 0 {
        alpha0 = previousStep * previousSlope / slope
      } else {
        alpha0 = 1 / run.gradient.normInfinity
      }
      if !alpha0.isFinite || !(alpha0 > 0) { alpha0 = 1 }
      let result = run.searchLine(
        search, direction: p, slope: slope, initialStep: alpha0, point: &xNew, gradient: &gNew)
      let decision = LineSearchDecision.decide(result, value0: run.value, canReset: !restarted)
      switch decision {
      case .stop(let t): return t
      case .resetAndRetry:
        p.assign(run.gradient)
        p.scale(by: -1)
        restarted = true
        previousStep = 0
        continue
      case .accept, .acceptAndReset, .acceptThenUnbounded:
        break
      }
      previousStep = result.step
      previousSlope = slope
      addScaled(gNew, -1, run.gradient, into: &y)
      sinceRestart += 1
      var b = beta(gNew: gNew, g: run.gradient, y: y, p: p)
      let powell =
        variant != .hagerZhang
        && Swift.abs(dot(gNew, run.gradient)) >= 0.2 * gNew.normSquared
      if sinceRestart >= interval || powell || decision == .acceptAndReset || !b.isFinite {
        b = 0
        sinceRestart = 0
      }
      restarted = b == 0
      // p ← −g₊ + βp.
      p.scale(by: b)
      axpy(-1, gNew, &p)
      if let t = run.accept(
        x: xNew, value: result.value, gradient: gNew, details: .init(stepLength: result.step))
      {
        return t
      }
      if decision == .acceptThenUnbounded { return .unboundedBelow }
    }
  }
}

extension MinimizationMethod where Self == NonlinearCG {
  /// Nonlinear conjugate gradients (Polak-Ribière+ by default).
  public static func nonlinearCG(_ variant: NonlinearCG.Variant = .polakRibiere) -> NonlinearCG {
    NonlinearCG(variant: variant)
  }
}
