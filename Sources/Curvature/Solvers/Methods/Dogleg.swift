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
    // The curvature along u = g/‖g‖: gᵀg/gᵀHg = ‖g‖/uᵀHu without forming ‖g‖², which overflows
    // for gradients beyond 1e154 while the step itself is representable.
    let u = unitDirection(g, norm: gNorm)
    let uHu = dot(u, h * u)
    guard let factor = CholeskyFactorization(of: h) else {
      return cauchyPoint(gradient: g, unit: u, curvature: uHu, radius: radius, hessian: h)
    }
    var newton = factor.solve(g)
    newton.scale(by: -1)
    if newton.norm <= radius { return finish(newton, boundary: false) }
    // ‖p_U‖ = ‖g‖/uᵀHu is compared before p_U is formed: for a nearly singular H it can
    // overflow, and ∞·0 in a component of p_U would make the whole step NaN.
    let cauchyLength = gNorm / uHu
    if !(cauchyLength < radius) { return finish(u.scaled(by: -radius), boundary: true) }
    let pU = u.scaled(by: -cauchyLength)
    let leg = newton - pU
    let tau = TrustRegionStep.boundaryRoots(z: pU, d: leg, radius: radius).positive
    var p = pU
    axpy(Swift.min(Swift.max(tau, 0), 1), leg, &p)
    return finish(p, boundary: true)
  }

  /// The Cauchy point −τ·Δ·u for the unit direction u = g/‖g‖ with curvature uᵀHu along it:
  /// τ = ‖g‖³/(Δ·gᵀHg) = ‖g‖/(Δ·uᵀHu), capped at 1 (and 1 when uᵀHu ≤ 0).
  static func cauchyPoint(
    gradient g: Vector, unit u: Vector, curvature uHu: Double, radius: Double, hessian h: Matrix
  )
    -> TrustRegionStep
  {
    let tau = uHu <= 0 ? 1 : Swift.min(g.norm / (radius * uHu), 1)
    let p = u.scaled(by: -tau * radius)
    return TrustRegionStep(
      step: p, modelValue: TrustRegionStep.modelValue(hessian: h, gradient: g, step: p),
      hitsBoundary: tau == 1, negativeCurvature: uHu <= 0)
  }

  /// g/‖g‖ element by element (a reciprocal of a tiny ‖g‖ could overflow).
  static func unitDirection(_ g: Vector, norm: Double) -> Vector {
    Vector(count: g.count) { g[$0] / norm }
  }
}
