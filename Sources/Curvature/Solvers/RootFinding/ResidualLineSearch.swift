/// Backtracking Armijo line search on the merit function φ(α) = ½‖F(x + αp)‖² (Dennis &
/// Schnabel 1983, Algorithm A6.3.1; Nocedal & Wright §11.3): from α = 1, accept the first α with
///
///     φ(α) ≤ φ(0) + c₁·α·φ'(0),   c₁ = 10⁻⁴,   and φ(α) < φ(0) strictly,
///
/// otherwise α becomes the minimizer of the quadratic through φ(0), φ'(0) and φ(α), kept in
/// [0.1α, 0.5α] (α/10 when F(x + αp) is not finite). At most `maxSteps` trials. Returns nil when
/// no trial passes or the evaluation budget runs out.
func residualLineSearch(
  _ run: inout ResidualSolverRun, from x: Vector, cost: Double, direction p: Vector,
  slope: Double, maxSteps: Int = 40
) -> (alpha: Double, x: Vector, residuals: Vector, cost: Double)? {
  var alpha = 1.0
  var evaluations = 0
  defer { run.statistics.lineSearchEvaluations += Swift.max(evaluations - 1, 0) }
  for _ in 0..<maxSteps {
    if run.evaluationsExhausted { return nil }
    var trial = x
    axpy(alpha, p, &trial)
    let f = run.evaluateResiduals(at: trial)
    evaluations += 1
    let c = f.isFinite ? 0.5 * f.normSquared : Double.infinity
    if c <= cost + 1e-4 * alpha * slope && c < cost { return (alpha, trial, f, c) }
    if !c.isFinite {
      alpha *= 0.1
    } else {
      let denominator = 2 * (c - cost - alpha * slope)
      let quadratic = denominator > 0 ? -slope * alpha * alpha / denominator : 0.5 * alpha
      alpha = Swift.min(Swift.max(quadratic, 0.1 * alpha), 0.5 * alpha)
    }
  }
  return nil
}

/// The Newton step of J p = −F by Householder QR, or when J is singular or too ill conditioned
/// (κ estimate above 10¹²) the Levenberg step p = argmin ‖Jp + F‖² + μ‖p‖² with μ = ‖F‖₂
/// (Yamashita & Fukushima 2001), which keeps quadratic convergence to zero-residual roots.
/// Nil when J or F is not finite.
func newtonOrLevenbergStep(jacobian j: Matrix, residuals f: Vector) -> Vector? {
  guard let qr = QRFactorization(of: j) else { return nil }
  if hasFullRank(qr) && qr.conditionEstimate <= 1e12 {
    let p = qr.solve(-f)
    if p.isFinite { return p }
  }
  let n = j.columns
  let c = Vector(qr.multiplyQTranspose(f).storage[0..<n])
  let mu = Swift.max(f.norm, Double.leastNormalMagnitude)
  return dampedStep(r: qr.r, c: c, diag: Vector(repeating: 1, count: n), lambda: mu)?.step
}
