/// The Steihaug-Toint truncated conjugate gradient method for the trust-region subproblem
///
///     minimize m(p) = gᵀp + ½pᵀBp   subject to ‖p‖ ≤ Δ,
///
/// with B symmetric (possibly indefinite) given as a closure (Steihaug 1983, "The conjugate
/// gradient method and trust regions in large scale optimization", SIAM J. Numer. Anal. 20;
/// Toint 1981; Nocedal & Wright, 2nd ed., Algorithm 7.2).
///
/// Starting from p₀ = 0, r₀ = g, z₀ = M⁻¹r₀, d₀ = −z₀ it runs CG on Bp = −g and stops
/// - when dₖᵀBdₖ ≤ 0: it moves along dₖ to the boundary, choosing the root τ of ‖pₖ + τdₖ‖ = Δ
///   with the lower model value (`.negativeCurvature`);
/// - when the next iterate would leave the region: it stops at the boundary point
///   pₖ + τdₖ, τ ≥ 0 (`.boundary`);
/// - when ‖rₖ₊₁‖ = ‖g + Bpₖ₊₁‖ ≤ max(η‖g‖, τₐ) (`.interiorConverged`).
///
/// The CG iterates increase monotonically in norm (Steihaug 1983; N&W §7.1), so the first exit
/// is final, and the model decrease is at least the Cauchy decrease
/// ½‖g‖ min(Δ, ‖g‖/‖B‖) (N&W Lemma 4.3 and §7.1), because the first step is the Cauchy step.
///
/// With a preconditioner M⁻¹ (SPD) the region is ‖p‖_M = √(pᵀMp) ≤ Δ. M itself is never
/// applied: the norms come from the recurrences (Conn, Gould & Toint, *Trust-Region Methods*,
/// 2000) ‖dₖ₊₁‖²_M = rₖ₊₁ᵀzₖ₊₁ + βₖ²‖dₖ‖²_M, pₖ₊₁ᵀMdₖ₊₁ = βₖ(pₖᵀMdₖ + αₖ‖dₖ‖²_M),
/// ‖pₖ₊₁‖²_M = ‖pₖ‖²_M + 2αₖpₖᵀMdₖ + αₖ²‖dₖ‖²_M. Without a preconditioner the Euclidean norms are
/// computed directly, so a boundary step has ‖p‖ = Δ to rounding.
public struct SteihaugCG: Sendable {
  /// η: stop inside the region when ‖g + Bp‖ ≤ η‖g‖ (N&W suggest η = min(½, √‖g‖)).
  public var relativeTolerance: Double
  /// τₐ: stop inside the region when ‖g + Bp‖ ≤ τₐ. Default 0.
  public var absoluteTolerance: Double
  /// The iteration limit; nil means 2n.
  public var maxIterations: Int?
  /// ‖g‖ when the caller already knows it (bit-for-bit `g.norm`), saving a pass.
  var knownGradientNorm: Double? = nil

  /// Creates a solver configuration; see the properties.
  public init(
    relativeTolerance: Double = 1e-8, absoluteTolerance: Double = 0, maxIterations: Int? = nil
  ) {
    precondition(
      relativeTolerance >= 0, "relative tolerance must be >= 0, got \(relativeTolerance)")
    precondition(
      absoluteTolerance >= 0, "absolute tolerance must be >= 0, got \(absoluteTolerance)")
    precondition((maxIterations ?? 0) >= 0, "maxIterations must be >= 0")
    self.relativeTolerance = relativeTolerance
    self.absoluteTolerance = absoluteTolerance
    self.maxIterations = maxIterations
  }

  /// Solves the subproblem for Hessian (or model matrix) B, gradient g and radius Δ > 0
  /// (Δ = +∞ is allowed), reusing `workspace`.
  public func solve(
    _ hessian: LinearOperator, gradient: Vector, radius: Double, workspace: inout KrylovWorkspace
  ) -> Result {
    run(
      hessian, gradient: gradient, radius: radius, preconditioner: { _, _ in },
      hasPreconditioner: false, workspace: &workspace)
  }

  /// Solves the subproblem in the M-norm ‖p‖_M ≤ Δ with preconditioner M⁻¹, reusing `workspace`.
  public func solve(
    _ hessian: LinearOperator, gradient: Vector, radius: Double, preconditioner: LinearOperator,
    workspace: inout KrylovWorkspace
  ) -> Result {
    run(
      hessian, gradient: gradient, radius: radius, preconditioner: preconditioner,
      hasPreconditioner: true, workspace: &workspace)
  }

  /// Solves the subproblem with a fresh workspace.
  public func solve(_ hessian: LinearOperator, gradient: Vector, radius: Double) -> Result {
    var workspace = KrylovWorkspace(dimension: gradient.count)
    return solve(hessian, gradient: gradient, radius: radius, workspace: &workspace)
  }

  /// Solves the preconditioned subproblem with a fresh workspace.
  public func solve(
    _ hessian: LinearOperator, gradient: Vector, radius: Double, preconditioner: LinearOperator
  ) -> Result {
    var workspace = KrylovWorkspace(dimension: gradient.count)
    return solve(
      hessian, gradient: gradient, radius: radius, preconditioner: preconditioner,
      workspace: &workspace)
  }
}

extension SteihaugCG {
  func run(
    _ applyB: LinearOperator, gradient g: Vector, radius: Double,
    preconditioner applyM: LinearOperator,
    hasPreconditioner: Bool, workspace: inout KrylovWorkspace
  ) -> Result {
    precondition(radius > 0 || radius.isNaN, "trust-region radius must be positive, got \(radius)")
    let n = g.count
    workspace.prepare(dimension: n)
    var p = Vector([])  // the step
    var r = Vector([])  // g + Bp
    var y = Vector([])  // M⁻¹r
    var d = Vector([])  // the CG direction
    var bd = Vector([])  // B·d
    swap(&p, &workspace.x)
    swap(&r, &workspace.r)
    swap(&y, &workspace.z)
    swap(&d, &workspace.p)
    swap(&bd, &workspace.ap)
    defer {
      swap(&p, &workspace.x)
      swap(&r, &workspace.r)
      swap(&y, &workspace.z)
      swap(&d, &workspace.p)
      swap(&bd, &workspace.ap)
    }
    // The preconditioned residual is allocated on the first preconditioned solve only.
    if hasPreconditioner && y.count != n { y = .zeros(n) }
    // r₀ = g and (without a preconditioner) d₀ = −r₀ in one pass. p₀ = 0 is not written: the
    // first update writes p₁ = 0 + τd₀ directly, and an exit before it fills p with zeros.
    steihaugStart(g, residual: &r, direction: &d, writesDirection: !hasPreconditioner)
    var stepWritten = false

    let limit = maxIterations ?? Swift.max(2 * n, 1)
    var products = 0
    var preconditionings = 0
    var model = 0.0  // m(p)
    var pp = 0.0  // ‖p‖²
    var rNorm = knownGradientNorm ?? g.norm

    func finish(_ t: Termination, _ k: Int) -> Result {
      if !stepWritten {
        p.fill(0)
        stepWritten = true
      }
      return Result(
        step: p, termination: t, modelDecrease: -model, stepNorm: pp.squareRoot(),
        residualNorm: rNorm, iterations: k, operatorApplications: products,
        preconditionerApplications: preconditionings)
    }

    if !rNorm.isFinite || radius.isNaN {
      rNorm = .nan
      return finish(.nonFinite, 0)
    }
    let tolerance = Swift.max(relativeTolerance * rNorm, absoluteTolerance)
    if rNorm <= tolerance { return finish(.interiorConverged, 0) }

    var rho: Double
    if hasPreconditioner {
      applyM(r, &y)
      checkOperatorOutput(y, n)
      preconditionings += 1
      rho = dot(r, y)
      if !rho.isFinite { return finish(.nonFinite, 0) }
      if rho <= 0 { return finish(.preconditionerNotPositive, 0) }
      d.assign(y, scaledBy: -1)
    } else {
      rho = rNorm * rNorm  // d₀ = −r₀ was written with r₀
    }
    var pd = 0.0  // pᵀMd
    var dd = rho  // ‖d‖²_M

    var k = 0
    while k < limit {
      applyB(d, &bd)
      checkOperatorOutput(bd, n)
      products += 1
      let kappa: Double
      if hasPreconditioner {
        kappa = dot(d, bd)
      } else {
        // κ = dᵀBd and the boundary products (pᵀp, pᵀd, dᵀd) in one pass; p₀ = 0 is not read.
        (kappa, pp, pd, dd) = steihaugProducts(d, bd, p, stepIsZero: k == 0)
      }
      if !kappa.isFinite { return finish(.nonFinite, k) }
      if kappa <= 0 {
        // Along p + τd the model is m(p) − τρ + ½τ²κ (since dᵀr = −ρ); pick the better root.
        if radius.isInfinite { return finish(.negativeCurvature, k) }
        let (tMinus, tPlus) = trustRegionBoundaryRoots(
          stepNormSquared: pp, stepDotDirection: pd, directionNormSquared: dd, radius: radius)
        let mPlus = model - tPlus * rho + 0.5 * tPlus * tPlus * kappa
        let mMinus = model - tMinus * rho + 0.5 * tMinus * tMinus * kappa
        let tau = mMinus < mPlus ? tMinus : tPlus
        if stepWritten { axpy(tau, d, &p) } else { assignFromZero(tau, d, into: &p) }
        stepWritten = true
        model = Swift.min(mPlus, mMinus)
        pp = radius * radius
        return finish(.negativeCurvature, k + 1)
      }
      let alpha = rho / kappa
      if !alpha.isFinite { return finish(.nonFinite, k) }
      let ppNext = pp + 2 * alpha * pd + alpha * alpha * dd
      if ppNext >= radius * radius {
        let tau = trustRegionBoundaryRoots(
          stepNormSquared: pp, stepDotDirection: pd, directionNormSquared: dd, radius: radius
        ).positive
        if stepWritten { axpy(tau, d, &p) } else { assignFromZero(tau, d, into: &p) }
        stepWritten = true
        model += -tau * rho + 0.5 * tau * tau * kappa
        pp = radius * radius
        return finish(.boundary, k + 1)
      }
      let rr = conjugateGradientUpdate(
        alpha, d, &p, alpha, bd, &r, startsFromZero: !stepWritten)
      stepWritten = true
      model -= 0.5 * alpha * rho
      pp = ppNext
      k += 1
      rNorm = rr.isFinite && rr > 1e-280 ? rr.squareRoot() : r.norm
      if !rNorm.isFinite { return finish(.nonFinite, k) }
      if rNorm <= tolerance { return finish(.interiorConverged, k) }

      let rhoNext: Double
      if hasPreconditioner {
        applyM(r, &y)
        checkOperatorOutput(y, n)
        preconditionings += 1
        rhoNext = dot(r, y)
        if !rhoNext.isFinite { return finish(.nonFinite, k) }
        if rhoNext <= 0 { return finish(.preconditionerNotPositive, k) }
        let beta = rhoNext / rho
        krylovCombine(-1, y, beta, &d)
        pd = beta * (pd + alpha * dd)
        dd = rhoNext + beta * beta * dd
      } else {
        rhoNext = rNorm * rNorm
        krylovCombine(-1, r, rhoNext / rho, &d)
      }
      rho = rhoNext
    }
    if !stepWritten {  // a limit of zero iterations
      p.fill(0)
      stepWritten = true
    }
    if !hasPreconditioner { pp = p.normSquared }
    return finish(.maxIterations, k)
  }
}
