/// Moré's algorithm for the Levenberg-Marquardt parameter (Moré 1978, section 5; MINPACK's
/// `lmpar`).
///
/// Given J = QR, c = (Qᵀr)[0..<n], the scaling D and the radius Δ, it returns λ ≥ 0 and
/// p = p(λ) = argmin ‖Jp + r‖² + λ‖Dp‖² such that either λ = 0 and ‖D p(0)‖ ≤ 1.1Δ, or
/// |‖D p(λ)‖ − Δ| ≤ 0.1Δ, or ten iterations have been spent.
///
/// λ is found by a safeguarded Newton iteration on φ(λ) = ‖D p(λ)‖ − Δ, which is convex and
/// decreasing: with q = D²p/‖Dp‖ and R_λ the triangular factor of [J; √λ D],
/// φ'(λ) = −‖Dp‖·‖R_λ⁻ᵀq‖², and the update is the Newton step for 1/‖Dp(λ)‖ − 1/Δ,
///
///     λ₊ = λ − ((φ + Δ)/Δ)·(φ/φ') = λ + φ/(Δ‖R_λ⁻ᵀq‖²),
///
/// kept inside bounds [l, u] that bracket the solution: l = −φ(0)/φ'(0) when J has full rank
/// (else 0) and u = ‖D⁻¹Jᵀr‖/Δ; whenever λ leaves (l, u) it is reset to max(10⁻³u, √(lu)).
struct LevenbergMarquardtParameter {
  let r: Matrix
  let c: Vector
  let diag: Vector
  let fullRank: Bool

  /// λ and p(λ) for the radius Δ, starting from the previous λ. Nil on a numerical failure.
  func solve(radius delta: Double, initial lambda0: Double) -> (lambda: Double, step: Vector)? {
    let n = c.count
    let tiny = Double.leastNormalMagnitude
    var gaussNewtonNorm = 0.0
    var fp = 0.0
    var lower = 0.0
    if fullRank {
      let p = solveUpperTriangular(r, -c)
      if p.isFinite {
        let dp = diag .* p
        gaussNewtonNorm = dp.norm
        fp = gaussNewtonNorm - delta
        if fp <= 0.1 * delta { return (0, p) }
        // l = −φ(0)/φ'(0) with R₀ = R.
        let q = (diag .* dp).scaled(by: 1 / gaussNewtonNorm)
        let y = solveTransposedUpperTriangular(r, q)
        let yy = y.normSquared
        if yy.isFinite && yy > 0 { lower = fp / delta / yy }
      }
    }
    // u = ‖D⁻¹Jᵀr‖/Δ, with Jᵀr = Rᵀc.
    var jtr = Vector.zeros(n)
    for j in 0..<n {
      var s = 0.0
      for i in 0...j { s += r[i, j] * c[i] }
      jtr[j] = s
    }
    let gNorm = (jtr ./ diag).norm
    var upper = gNorm / delta
    if upper == 0 { upper = tiny / Swift.min(delta, 0.1) }
    var lambda = Swift.min(Swift.max(lambda0, lower), upper)
    if lambda == 0 && gaussNewtonNorm > 0 { lambda = gNorm / gaussNewtonNorm }
    var iteration = 0
    var previousFp = fp
    while true {
      iteration += 1
      if lambda <= 0 || lambda < lower || lambda > upper || !lambda.isFinite {
        lambda = Swift.max(tiny, Swift.max(1e-3 * upper, (lower * upper).squareRoot()))
      }
      guard let (p, rLambda) = dampedStep(r: r, c: c, diag: diag, lambda: lambda) else {
        return nil
      }
      let dp = diag .* p
      let dpNorm = dp.norm
      previousFp = fp
      fp = dpNorm - delta
      if Swift.abs(fp) <= 0.1 * delta || (lower == 0 && fp <= previousFp && previousFp < 0)
        || iteration == 10 || dpNorm == 0
      {
        return (lambda, p)
      }
      let q = (diag .* dp).scaled(by: 1 / dpNorm)
      let y = solveTransposedUpperTriangular(rLambda, q)
      let yy = y.normSquared
      let correction = yy > 0 && yy.isFinite ? fp / delta / yy : 0
      if fp > 0 { lower = Swift.max(lower, lambda) }
      if fp < 0 { upper = Swift.min(upper, lambda) }
      lambda = Swift.max(lower, lambda + correction)
    }
  }
}
