import RealModule

/// The generalized Lanczos trust-region method (GLTR) of Gould, Lucidi, Roma and Toint (1999):
/// solves min m(p) = gᵀp + ½·pᵀHp, ‖p‖ ≤ Δ over growing Krylov subspaces using only products H·q.
///
/// Lanczos from q₁ = g/‖g‖ gives Q_k with Q_kᵀHQ_k = T_k (tridiagonal) and Q_kᵀg = ‖g‖e₁, so the
/// subproblem restricted to span(Q_k) is min ‖g‖e₁ᵀh + ½hᵀT_kh, ‖h‖ ≤ Δ, solved exactly by
/// ``MoreSorensen`` on T_k (a small matrix). The step is p = Q_kh. The residual of the full
/// optimality system is ‖(H + λI)p + g‖ = β_{k+1}|e_kᵀh|, and the process stops when it is at most
/// `tolerance` (the caller passes the forcing term min(0.5, √‖g‖)·‖g‖), when Lanczos finds an
/// invariant subspace, or after `maxIterations` steps. Unlike Steihaug-Toint CG it keeps improving
/// the step after it reaches the boundary or meets negative curvature.
///
/// This implementation stores the Lanczos vectors (with full reorthogonalization) instead of the
/// second Lanczos pass of the original paper, trading k·n memory for simplicity. Like every
/// Krylov method started from g it cannot see the hard case.
///
/// References: N. I. M. Gould, S. Lucidi, M. Roma, Ph. L. Toint, "Solving the trust-region
/// subproblem using the Lanczos method", SIAM J. Optim. 9 (1999); Conn, Gould & Toint (2000),
/// section 7.5.4; Nocedal & Wright, 2nd ed., section 7.1.
enum GLTR {
  /// Solves the subproblem; `apply(q, &Hq)` computes products.
  static func solve(
    gradient g: Vector, radius: Double, tolerance: Double, maxIterations: Int,
    apply: (Vector, inout Vector) -> Void
  ) -> TrustRegionStep {
    let n = g.count
    let gNorm = g.norm
    if gNorm <= tolerance || gNorm == 0 { return TrustRegionStep(step: .zeros(n), modelValue: 0) }
    var lanczos = LanczosProcess(start: g)
    var best: TrustRegionStep? = nil
    var h = Vector()
    while lanczos.alphas.count < maxIterations {
      guard lanczos.step(apply) else { break }
      let k = lanczos.alphas.count
      var e1 = Vector.zeros(k)
      e1[0] = gNorm
      guard
        let local = MoreSorensen.solve(hessian: lanczos.tridiagonal, gradient: e1, radius: radius)
      else { break }
      h = local.step
      best = local
      let residual = lanczos.residualNorm * Swift.abs(h[k - 1])
      if residual <= tolerance { break }
    }
    guard var result = best else {
      // The very first product failed: a boundary step along −g.
      let s = g.scaled(by: -radius / gNorm)
      return TrustRegionStep(step: s, modelValue: dot(g, s), hitsBoundary: true, iterations: 1)
    }
    result.step = lanczos.combine(h)
    result.iterations = lanczos.alphas.count
    result.hardCase = false
    return result
  }
}
