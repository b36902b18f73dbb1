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
    // Workspace for y = R⁻ᵀq, reused by every Newton iteration on λ.
    var y = Vector.zeros(n)
    if fullRank {
      let p = solveUpperTriangular(r, -c)
      if p.isFinite {
        gaussNewtonNorm = scaledNorm(diag, p)
        fp = gaussNewtonNorm - delta
        if fp <= 0.1 * delta { return (0, p) }
        // l = −φ(0)/φ'(0) with R₀ = R.
        let yy = inverseTransposeNormSquared(r, diag: diag, p: p, pNorm: gaussNewtonNorm, into: &y)
        if yy.isFinite && yy > 0 { lower = fp / delta / yy }
      }
    }
    // u = ‖D⁻¹Jᵀr‖/Δ, with Jᵀr = Rᵀc.
    var gSquared = 0.0
    for j in 0..<n {
      var s = 0.0
      for i in 0...j { s += r[i, j] * c[i] }
      let scaled = s / diag[j]
      gSquared += scaled * scaled
    }
    let gNorm = gSquared.squareRoot()
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
      let dpNorm = scaledNorm(diag, p)
      previousFp = fp
      fp = dpNorm - delta
      if Swift.abs(fp) <= 0.1 * delta || (lower == 0 && fp <= previousFp && previousFp < 0)
        || iteration == 10 || dpNorm == 0
      {
        return (lambda, p)
      }
      let yy = inverseTransposeNormSquared(rLambda, diag: diag, p: p, pNorm: dpNorm, into: &y)
      let correction = yy > 0 && yy.isFinite ? fp / delta / yy : 0
      if fp > 0 { lower = Swift.max(lower, lambda) }
      if fp < 0 { upper = Swift.min(upper, lambda) }
      lambda = Swift.max(lower, lambda + correction)
    }
  }
}

/// ‖R⁻ᵀq‖² with q = D²p/‖Dp‖ (the derivative term of Moré's λ iteration), solving Rᵀy = q by
/// forward substitution in the workspace `y`.
func inverseTransposeNormSquared(
  _ r: Matrix, diag: Vector, p: Vector, pNorm: Double, into y: inout Vector
) -> Double {
  let n = p.count
  var sum = 0.0
  for i in 0..<n {
    var s = diag[i] * diag[i] * p[i] / pNorm
    for k in 0..<i { s -= r[k, i] * y[k] }
    let yi = s / r[i, i]
    y[i] = yi
    sum += yi * yi
  }
  return sum
}
