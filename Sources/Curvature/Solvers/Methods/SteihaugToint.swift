import RealModule

/// The Steihaug-Toint truncated conjugate-gradient solver of the trust-region subproblem
/// min m(p) = gᵀp + ½·pᵀHp, ‖p‖ ≤ Δ, using only products H·d (Nocedal & Wright, 2nd ed.,
/// Alg. 7.2; Steihaug 1983; Toint 1981).
///
/// CG on Hp = −g from p₀ = 0, residual r = Hp + g, directions d₀ = −g. At each iteration:
/// - if κ = dᵀHd ≤ 0 (negative curvature), return p + τd on the boundary, choosing between the two
///   roots of ‖p + τd‖ = Δ the one with the lower model value;
/// - otherwise α = rᵀr/κ; if ‖p + αd‖ ≥ Δ, return p + τd with τ ≥ 0 on the boundary;
/// - stop when ‖r‖ ≤ `tolerance` (the caller passes the forcing term min(0.5, √‖g‖)·‖g‖).
///
/// The model value is tracked without extra products: m(p + τd) = m(p) + τ·rᵀd + ½τ²κ.
/// References: T. Steihaug, "The conjugate gradient method and trust regions in large scale
/// optimization", SIAM J. Numer. Anal. 20 (1983); Conn, Gould & Toint (2000), section 7.5.
enum SteihaugToint {
  /// Solves the subproblem; `apply(d, &Hd)` computes products.
  static func solve(
    gradient g: Vector, radius: Double, tolerance: Double, maxIterations: Int,
    apply: (Vector, inout Vector) -> Void
  ) -> TrustRegionStep {
    let n = g.count
    var p = Vector.zeros(n)
    var r = g
    var d = g.scaled(by: -1)
    var hd = Vector.zeros(n)
    var rr = r.normSquared
    var model = 0.0
    if rr.squareRoot() <= tolerance { return TrustRegionStep(step: p, modelValue: 0) }
    var iterations = 0
    while iterations < maxIterations {
      iterations += 1
      apply(d, &hd)
      let kappa = dot(d, hd)
      let rd = dot(r, d)
      if !kappa.isFinite {
        // The products broke down: fall back to the Cauchy-like step along −g on the boundary
        // when nothing was gained yet, otherwise keep the current iterate.
        if iterations == 1 {
          let s = g.scaled(by: -radius / g.norm)
          return TrustRegionStep(
            step: s, modelValue: dot(g, s), hitsBoundary: true, iterations: iterations)
        }
        return TrustRegionStep(step: p, modelValue: model, iterations: iterations)
      }
      if kappa <= 0 {
        let roots = TrustRegionStep.boundaryRoots(z: p, d: d, radius: radius)
        let mMinus = model + roots.negative * rd + 0.5 * roots.negative * roots.negative * kappa
        let mPlus = model + roots.positive * rd + 0.5 * roots.positive * roots.positive * kappa
        let tau = mMinus < mPlus ? roots.negative : roots.positive
        axpy(tau, d, &p)
        return TrustRegionStep(
          step: p, modelValue: Swift.min(mMinus, mPlus), hitsBoundary: true,
          negativeCurvature: true, iterations: iterations)
      }
      let alpha = rr / kappa
      var trial = p
      axpy(alpha, d, &trial)
      if trial.norm >= radius {
        let tau = TrustRegionStep.boundaryRoots(z: p, d: d, radius: radius).positive
        axpy(tau, d, &p)
        model += tau * rd + 0.5 * tau * tau * kappa
        return TrustRegionStep(
          step: p, modelValue: model, hitsBoundary: true, iterations: iterations)
      }
      model += alpha * rd + 0.5 * alpha * alpha * kappa
      p = trial
      axpy(alpha, hd, &r)
      let rrNew = r.normSquared
      if rrNew.squareRoot() <= tolerance { break }
      let beta = rrNew / rr
      rr = rrNew
      d.scale(by: beta)
      axpy(-1, r, &d)
    }
    return TrustRegionStep(step: p, modelValue: model, iterations: iterations)
  }
}
