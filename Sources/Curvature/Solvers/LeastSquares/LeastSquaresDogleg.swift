/// Powell's dogleg trust-region method on the least-squares model m(p) = ½‖r + Jp‖² (Powell,
/// "A hybrid method for nonlinear equations", 1970; Nocedal & Wright, *Numerical Optimization*,
/// 2nd ed., sections 4.1 and 11.2), with a dense Jacobian.
///
/// The step combines the Gauss-Newton point (Householder QR of J) and the Cauchy point along the
/// scaled steepest-descent direction −D⁻²Jᵀr inside ‖Dp‖ ≤ Δ (see the scaled dogleg below),
/// with D the largest column norms of J seen so far (as MINPACK scales). With
/// ρ = (F(x) − F(x + p))/(m(0) − m(p)), F = ½‖r‖²: the step is accepted when ρ > 10⁻⁴; Δ ← ¼‖Dp‖
/// when ρ < ¼, Δ ← max(Δ, 2‖Dp‖) when ρ > ¾ (and always Δ ≤ 10¹⁰·Δ₀); non-finite trial residuals
/// count as ρ = −1.
///
/// When J is rank deficient, the Gauss-Newton point is replaced by the regularized point
/// argmin ‖Jp + r‖² + μ‖Dp‖² with μ = 10⁻¹⁰·maxⱼDⱼ², so that steps keep their Newton-like
/// component in the range of J instead of falling back to steepest descent.
///
/// Scaled dogleg: p_GN when ‖D p_GN‖ ≤ Δ; else the Cauchy point p_C = −t·D⁻²g,
/// t = ‖D⁻¹g‖²/‖JD⁻²g‖², cut back to ‖Dp‖ = Δ when it lies outside; else the point on the
/// segment from p_C to p_GN where ‖Dp‖ = Δ.
public struct LeastSquaresDogleg: LeastSquaresMethod {
  /// Δ₀ = `initialRadiusFactor`·‖D x₀‖ (or the factor itself when D x₀ = 0), as in MINPACK.
  public var initialRadiusFactor: Double

  /// Powell's dogleg with Δ₀ = factor·‖D x₀‖.
  public init(initialRadiusFactor: Double = 100) {
    precondition(
      initialRadiusFactor > 0, "initialRadiusFactor must be positive, got \(initialRadiusFactor)")
    self.initialRadiusFactor = initialRadiusFactor
  }

  /// `Dogleg`.
  public var name: String { "Dogleg" }

  /// Runs the method.
  public func run(_ run: inout ResidualSolverRun) -> Termination {
    let n = run.dimension
    var x = run.x
    var r = run.residuals
    var cost = 0.5 * r.normSquared
    var diag = Vector.zeros(n)
    var delta = 0.0
    var maxDelta = Double.infinity
    var first = true
    var needJacobian = true
    // J at the current iterate, evaluated right after each accepted step so that the observer
    // sees the new gradient Jᵀr.
    var j = run.jacobian(at: x)
    var g = Vector()
    var gaussNewton: Vector? = nil
    while true {
      if cost == 0 { return .gradientTolerance }
      if needJacobian {
        guard j.isFinite else { return .numericalFailure }
        g = j.transposeMultiply(r)
        run.gradient = g
        if g.normInfinity <= run.gradientTolerance { return .gradientTolerance }
        let norms = columnNorms(j)
        for i in 0..<n {
          diag[i] = first ? (norms[i] == 0 ? 1 : norms[i]) : Swift.max(diag[i], norms[i])
        }
        if first {
          let xNorm = (diag .* x).norm
          delta = xNorm > 0 ? initialRadiusFactor * xNorm : initialRadiusFactor
          maxDelta = 1e10 * delta
          first = false
        }
        let (jp, rp) = paddedSystem(j, r)
        guard let qr = QRFactorization(of: jp) else { return .numericalFailure }
        run.jacobianConditionEstimate = qr.conditionEstimate
        gaussNewton = nil
        if hasFullRank(qr) {
          let s = qr.leastSquaresSolution(-rp)
          if s.isFinite { gaussNewton = s }
        }
        if gaussNewton == nil {
          // Rank-deficient J: the regularized Gauss-Newton point
          // argmin ‖Jp + r‖² + μ‖Dp‖², μ = 10⁻¹⁰·maxⱼ Dⱼ².
          let c = Vector(qr.multiplyQTranspose(rp).storage[0..<n])
          let mu = 1e-10 * diag.normInfinity * diag.normInfinity
          gaussNewton = dampedStep(r: qr.r, c: c, diag: diag, lambda: mu)?.step
        }
        needJacobian = false
      }
      let p = doglegStep(
        jacobian: j, gradient: g, gaussNewton: gaussNewton, diag: diag, radius: delta)
      let fullStep = gaussNewton.map { $0 == p } ?? false
      let jp = j * p
      let predicted = -(dot(g, p) + 0.5 * jp.normSquared)
      let trial = x + p
      let rTrial = run.evaluateResiduals(at: trial)
      let trialCost = rTrial.isFinite ? 0.5 * rTrial.normSquared : Double.infinity
      let actual = cost - trialCost
      var ratio = predicted > 0 ? actual / predicted : -1
      if !trialCost.isFinite { ratio = -1 }
      let dpNorm = (diag .* p).norm
      if ratio < 0.25 {
        delta = 0.25 * dpNorm
      } else if ratio > 0.75 {
        delta = Swift.min(Swift.max(delta, 2 * dpNorm), maxDelta)
      }
      let accepted = ratio > 1e-4
      let stepNorm = p.norm
      var converged: Termination? = nil
      // ftol only counts full Gauss-Newton steps: a short step cut by the trust region that
      // reduces F little is not convergence.
      if accepted && fullStep && actual <= run.functionTolerance * cost {
        converged = .functionTolerance
      } else if stepNorm <= run.stepTolerance * (run.stepTolerance + x.norm) {
        converged = .stepTolerance
      }
      let details = ResidualSolverRun.IterationDetails(radius: delta, stepNorm: stepNorm)
      if accepted {
        x = trial
        r = rTrial
        cost = trialCost
        needJacobian = true
        j = run.jacobian(at: x)
        let gNew = j.isFinite ? j.transposeMultiply(r) : Vector()
        if let t = run.accept(
          x: x, residuals: r, gradient: gNew, converged: converged, details: details)
        {
          return t
        }
      } else {
        if delta == 0 || !delta.isFinite { return .trustRegionCollapsed }
        if let t = run.reject(converged: converged, details: details) { return t }
      }
    }
  }
}

extension LeastSquaresMethod where Self == LeastSquaresDogleg {
  /// Powell's dogleg trust-region method (dense Jacobian).
  public static func dogleg(initialRadiusFactor: Double = 100) -> LeastSquaresDogleg {
    LeastSquaresDogleg(initialRadiusFactor: initialRadiusFactor)
  }
}
