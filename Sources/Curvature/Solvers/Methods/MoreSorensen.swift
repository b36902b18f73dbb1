import RealModule

/// The exact trust-region subproblem solver of Moré and Sorensen (1983) for a dense symmetric H:
/// finds p and λ ≥ 0 with
///
///     (H + λI)·p = −g,   λ·(Δ − ‖p‖) = 0,   H + λI ⪰ 0,   ‖p‖ ≤ Δ,
///
/// the characterization of a global minimizer of m(p) = gᵀp + ½·pᵀHp in ‖p‖ ≤ Δ
/// (Nocedal & Wright, 2nd ed., Theorem 4.1).
///
/// Algorithm (N&W Alg. 4.3 with the safeguards of Moré & Sorensen):
/// 1. With λ₁ ≤ … ≤ λₙ the eigenvalues of H and v₁ a unit eigenvector of λ₁: if λ₁ > 0 and the
///    Newton step p = −H⁻¹g (Cholesky) has ‖p‖ ≤ Δ, return it with λ = 0.
/// 2. Otherwise λ* lies in [λ_L, λ_U] with λ_L = max(0, −λ₁, ‖g‖/Δ − λₙ) and
///    λ_U = ‖g‖/Δ − λ₁ (since ‖g‖/(λ + λₙ) ≤ ‖p(λ)‖ ≤ ‖g‖/(λ + λ₁)).
/// 3. Hard case (Moré & Sorensen, section 3; N&W section 4.3): when g has (almost) no component
///    in the eigenspace of λ₁ ≤ 0 and the minimum-norm solution p̂ of (H − λ₁I)p = −g has
///    ‖p̂‖ ≤ Δ, return p = p̂ + τ·v₁ with ‖p‖ = Δ, λ = −λ₁, the sign of τ chosen so that
///    τ·gᵀv₁ ≤ 0.
/// 4. Otherwise Newton's method on φ(λ) = 1/Δ − 1/‖p(λ)‖: factor H + λI = LLᵀ, solve
///    LLᵀp = −g and Lq = p, and set λ ← λ + (‖p‖/‖q‖)²·(‖p‖ − Δ)/Δ; a step that leaves
///    (λ_L, λ_U), or a failed factorization, is replaced by max(√(λ_L·λ_U), λ_L + 0.01(λ_U − λ_L))
///    and the bracket is updated from the sign of ‖p‖ − Δ. Stops when |‖p‖ − Δ| ≤ tolerance·Δ.
///
/// References: J. J. Moré and D. C. Sorensen, "Computing a trust region step", SIAM J. Sci.
/// Stat. Comput. 4 (1983); Nocedal & Wright, 2nd ed., section 4.3; Conn, Gould & Toint,
/// "Trust-Region Methods" (2000), chapter 7.
public enum MoreSorensen {
  /// Solves the subproblem. Returns nil when H or g is not finite.
  ///
  /// - Parameters:
  ///   - h: the symmetric n × n matrix H.
  ///   - g: the gradient (length n).
  ///   - radius: Δ > 0.
  ///   - tolerance: the relative accuracy of ‖p‖ = Δ on the boundary (default 1e-10).
  ///   - maxIterations: the bound on Newton iterations for λ (default 100).
  public static func solve(
    hessian h: Matrix, gradient g: Vector, radius: Double, tolerance: Double = 1e-10,
    maxIterations: Int = 100
  ) -> TrustRegionStep? {
    let n = g.count
    precondition(
      h.rows == n && h.columns == n,
      "MoreSorensen: the Hessian is \(h.rows)x\(h.columns) but the gradient has \(n) elements")
    precondition(radius > 0, "MoreSorensen: the radius must be positive, got \(radius)")
    guard g.isFinite, let eig = SymmetricEigendecomposition(of: h) else { return nil }
    let values = Array(eig.eigenvalues)
    let vectors = (0..<n).map { eig.eigenvectors.column($0) }
    let lambda1 = values[0]
    let lambdaN = values[n - 1]
    let scale = Swift.max(Swift.abs(lambda1), Swift.abs(lambdaN), 1e-300)
    let gNorm = g.norm
    func finish(_ p: Vector, _ lambda: Double, boundary: Bool, hard: Bool, iterations: Int)
      -> TrustRegionStep
    {
      TrustRegionStep(
        step: p, modelValue: TrustRegionStep.modelValue(hessian: h, gradient: g, step: p),
        multiplier: lambda, hitsBoundary: boundary, negativeCurvature: lambda1 < 0, hardCase: hard,
        iterations: iterations)
    }

    // 1. Interior Newton step.
    if lambda1 > 0, let factor = CholeskyFactorization(of: h) {
      var p = factor.solve(g)
      p.scale(by: -1)
      if p.norm <= radius { return finish(p, 0, boundary: false, hard: false, iterations: 0) }
    }
    if gNorm == 0 {
      // g = 0: p = 0 is optimal when H ⪰ 0; otherwise step to the boundary along v₁.
      if lambda1 >= 0 {
        return finish(.zeros(n), 0, boundary: false, hard: false, iterations: 0)
      }
      return finish(
        vectors[0].scaled(by: radius), -lambda1, boundary: true, hard: true, iterations: 0)
    }

    // 3. Hard case: the components of g along the eigenvectors of eigenvalues near λ₁.
    if lambda1 <= 0 {
      let cluster = 1e-10 * scale
      var pHat = Vector.zeros(n)
      var gComponent = 0.0
      for i in 0..<n {
        let c = dot(vectors[i], g)
        if values[i] - lambda1 <= cluster {
          gComponent += c * c
        } else {
          axpy(-c / (values[i] - lambda1), vectors[i], &pHat)
        }
      }
      if gComponent.squareRoot() <= 1e-8 * gNorm && pHat.norm <= radius {
        let v = vectors[0]
        let roots = TrustRegionStep.boundaryRoots(z: pHat, d: v, radius: radius)
        let tau = dot(g, v) > 0 ? roots.negative : roots.positive
        var p = pHat
        axpy(tau, v, &p)
        return finish(p, -lambda1, boundary: true, hard: true, iterations: 0)
      }
    }

    // 2 and 4. Safeguarded Newton iteration on λ.
    var lower = Swift.max(0, -lambda1, gNorm / radius - lambdaN)
    var upper = Swift.max(lower, gNorm / radius - lambda1) * (1 + 1e-12) + 1e-300
    var lambda = lower
    if lambda1 <= 0 {
      // Start strictly inside the region where H + λI is positive definite.
      lambda = Swift.max(lower, -lambda1 + 1e-12 * scale)
    }
    var best: Vector? = nil
    var iterations = 0
    while iterations < maxIterations {
      iterations += 1
      var shifted = h
      for i in 0..<n { shifted[i, i] += lambda }
      guard let factor = CholeskyFactorization(of: shifted) else {
        lower = Swift.max(lower, lambda)
        lambda = Swift.max((lower * upper).squareRoot(), lower + 0.01 * (upper - lower))
        continue
      }
      var p = factor.solve(g)
      p.scale(by: -1)
      let pNorm = p.norm
      best = p
      if Swift.abs(pNorm - radius) <= tolerance * radius {
        return finish(p, lambda, boundary: true, hard: false, iterations: iterations)
      }
      if pNorm < radius {
        upper = Swift.min(upper, lambda)
      } else {
        lower = Swift.max(lower, lambda)
      }
      if upper - lower <= 1e-15 * Swift.max(upper, 1e-300) { break }
      let q = Self.solveLower(factor.lower, p)
      let ratio = pNorm / q.norm
      var next = lambda + ratio * ratio * (pNorm - radius) / radius
      if !(next > lower && next < upper) {
        next = Swift.max((lower * upper).squareRoot(), lower + 0.01 * (upper - lower))
      }
      lambda = next
    }
    // The bracket closed or the iteration limit was reached: scale the last solution onto the
    // boundary (λ > 0 so the solution lies on it).
    guard var p = best else {
      let p = g.scaled(by: -radius / gNorm)
      return finish(p, lambda, boundary: true, hard: false, iterations: iterations)
    }
    let pNorm = p.norm
    if pNorm > 0 { p.scale(by: radius / pNorm) }
    return finish(p, lambda, boundary: true, hard: false, iterations: iterations)
  }

  /// Solves L·q = p by forward substitution for the lower-triangular Cholesky factor L (the
  /// ‖q‖ = ‖L⁻¹p‖ of the Newton step on λ).
  static func solveLower(_ l: Matrix, _ p: Vector) -> Vector {
    CholeskyFactorization(uncheckedLower: l).solveLower(p)
  }
}
