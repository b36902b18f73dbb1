import RealModule

/// Powell's dogleg step for the trust-region subproblem min gᵀp + ½·pᵀHp, ‖p‖ ≤ Δ, with a dense
/// positive definite H (Nocedal & Wright, 2nd ed., section 4.1):
///
/// - the full Newton step p_B = −H⁻¹g (Cholesky) when ‖p_B‖ ≤ Δ;
/// - otherwise the point where the path p_U → p_B crosses the boundary, with
///   p_U = −(gᵀg / gᵀHg)·g the unconstrained minimizer along −g; when ‖p_U‖ ≥ Δ the path is cut
///   on its first leg, p = −Δ·g/‖g‖.
///
/// When H is not positive definite (the Cholesky factorization fails) the dogleg is undefined and
/// the method falls back to the Cauchy point (N&W eq. 4.11–4.12):
/// p_C = −τ·Δ·g/‖g‖ with τ = 1 if gᵀHg ≤ 0, else τ = min(‖g‖³/(Δ·gᵀHg), 1).
public enum Dogleg {
  /// The dogleg step (or the Cauchy point for an indefinite H). Returns nil for non-finite input.
  public static func step(hessian h: Matrix, gradient g: Vector, radius: Double) -> TrustRegionStep?
  {
    let n = g.count
    precondition(
      h.rows == n && h.columns == n,
      "Dogleg: the Hessian is \(h.rows)x\(h.columns) but the gradient has \(n) elements")
    guard g.isFinite, h.isFinite else { return nil }
    let gNorm = g.norm
    func finish(_ p: Vector, boundary: Bool, negative: Bool = false) -> TrustRegionStep {
      TrustRegionStep(
        step: p, modelValue: TrustRegionStep.modelValue(hessian: h, gradient: g, step: p),
        hitsBoundary: boundary, negativeCurvature: negative)
    }
    if gNorm == 0 { return finish(.zeros(n), boundary: false) }
    let hg = h * g
    let gHg = dot(g, hg)
    guard let factor = CholeskyFactorization(of: h) else {
      return cauchyPoint(gradient: g, curvature: gHg, radius: radius, hessian: h)
    }
    var newton = factor.solve(g)
    newton.scale(by: -1)
    if newton.norm <= radius { return finish(newton, boundary: false) }
    let pU = g.scaled(by: -(gNorm * gNorm) / gHg)
    if pU.norm >= radius { return finish(g.scaled(by: -radius / gNorm), boundary: true) }
    let leg = newton - pU
    let tau = TrustRegionStep.boundaryRoots(z: pU, d: leg, radius: radius).positive
    var p = pU
    axpy(Swift.min(Swift.max(tau, 0), 1), leg, &p)
    return finish(p, boundary: true)
  }

  /// The Cauchy point −τ·Δ·g/‖g‖ for a curvature gᵀHg along g.
  static func cauchyPoint(
    gradient g: Vector, curvature gHg: Double, radius: Double, hessian h: Matrix
  )
    -> TrustRegionStep
  {
    let gNorm = g.norm
    let tau = gHg <= 0 ? 1 : Swift.min(gNorm * gNorm * gNorm / (radius * gHg), 1)
    let p = g.scaled(by: -tau * radius / gNorm)
    return TrustRegionStep(
      step: p, modelValue: TrustRegionStep.modelValue(hessian: h, gradient: g, step: p),
      hitsBoundary: tau == 1, negativeCurvature: gHg <= 0)
  }
}
