extension LevenbergMarquardt {
  /// The dense algorithm of Moré (1978), as in MINPACK's `lmder`:
  ///
  /// 1. J = J(xₖ) = QR; column norms cⱼ = ‖J eⱼ‖; D = diag(max(D, c)) (D = c, zeros replaced
  ///    by 1, at the first iteration, when also Δ₀ = factor·‖Dx₀‖).
  /// 2. λ and p from ``LevenbergMarquardtParameter`` for the radius Δ (at the first iteration
  ///    Δ is first cut to ‖Dp‖).
  /// 3. The actual relative reduction a = 1 − (‖r(x + p)‖/‖r‖)² (−1 when ‖r(x + p)‖ ≥ 10‖r‖ or
  ///    not finite), the predicted one P = (‖Jp‖² + 2λ‖Dp‖²)/‖r‖² and ρ = a/P.
  /// 4. If ρ ≤ ¼: Δ ← μ·min(Δ, 10‖Dp‖), λ ← λ/μ, with μ = ½ when a ≥ 0, otherwise μ = ½d/(d + ½a)
  ///    for d = −(‖Jp‖² + λ‖Dp‖²)/‖r‖² (the minimizer of a quadratic interpolation), clamped to
  ///    [0.1, ½]. If ρ ≥ ¾ or λ = 0: Δ ← 2‖Dp‖, λ ← λ/2.
  /// 5. Accept x + p when ρ ≥ 10⁻⁴; otherwise repeat 2-5 at the same x with the smaller Δ.
  func runDense(_ run: inout ResidualSolverRun) -> Termination {
    let n = run.dimension
    var x = run.x
    var r = run.residuals
    var rNorm = r.norm
    var diag = Vector.zeros(n)
    var delta = 0.0
    var lambda = 0.0
    var firstIteration = true
    let epsilon = Double.ulpOfOne
    // J at the current iterate; after an accepted step it is evaluated at once, so that the
    // observer sees the gradient Jᵀr of the new iterate.
    var j = run.jacobian(at: x)
    while true {
      if rNorm == 0 { return .gradientTolerance }
      guard j.isFinite else { return .numericalFailure }
      let g = j.transposeMultiply(r)
      run.gradient = g
      if g.normInfinity <= run.gradientTolerance { return .gradientTolerance }
      let norms = columnNorms(j)
      if firstIteration {
        for i in 0..<n { diag[i] = norms[i] == 0 ? 1 : norms[i] }
        let xNorm = scaledNorm(diag, x)
        delta = xNorm > 0 ? initialRadiusFactor * xNorm : initialRadiusFactor
      } else {
        for i in 0..<n { diag[i] = Swift.max(diag[i], norms[i]) }
      }
      let (jp, rp) = paddedSystem(j, r)
      guard let qr = QRFactorization(of: jp) else { return .numericalFailure }
      run.jacobianConditionEstimate = qr.conditionEstimate
      let c = Vector(qr.multiplyQTranspose(rp).storage[0..<n])
      let parameter = LevenbergMarquardtParameter(
        r: qr.r, c: c, diag: diag, fullRank: hasFullRank(qr))
      // MINPACK's scaled-gradient test at machine precision: cosines |gⱼ|/(cⱼ‖r‖) ≤ ε.
      var cosine = 0.0
      for i in 0..<n where norms[i] > 0 {
        cosine = Swift.max(cosine, Swift.abs(g[i]) / (norms[i] * rNorm))
      }
      if cosine <= epsilon { return .gradientTolerance }
      // Inner loop: trial steps at the same x until one is accepted.
      while true {
        guard let (newLambda, p) = parameter.solve(radius: delta, initial: lambda) else {
          return .numericalFailure
        }
        lambda = newLambda
        let dpNorm = scaledNorm(diag, p)
        if firstIteration { delta = Swift.min(delta, dpNorm) }
        let trial = x + p
        let rTrial = run.evaluateResiduals(at: trial)
        let trialNorm = rTrial.isFinite ? rTrial.norm : Double.infinity
        let actual = 0.1 * trialNorm < rNorm ? 1 - (trialNorm / rNorm) * (trialNorm / rNorm) : -1
        let jpNorm = productNorm(j, p) / rNorm
        let damping = lambda.squareRoot() * dpNorm / rNorm
        let predicted = jpNorm * jpNorm + 2 * damping * damping
        let directional = -(jpNorm * jpNorm + damping * damping)
        let ratio = predicted != 0 ? actual / predicted : 0
        if ratio <= 0.25 {
          var mu = actual >= 0 ? 0.5 : 0.5 * directional / (directional + 0.5 * actual)
          if 0.1 * trialNorm >= rNorm || mu < 0.1 || !mu.isFinite { mu = 0.1 }
          mu = Swift.min(mu, 0.5)
          delta = mu * Swift.min(delta, dpNorm / 0.1)
          lambda /= mu
        } else if lambda == 0 || ratio >= 0.75 {
          delta = dpNorm / 0.5
          lambda *= 0.5
        }
        let accepted = ratio >= 1e-4
        if accepted {
          x = trial
          r = rTrial
          rNorm = trialNorm
          firstIteration = false
        }
        let xNorm = scaledNorm(diag, x)
        var converged: Termination? = nil
        let ftol = run.functionTolerance
        if Swift.abs(actual) <= ftol && predicted <= ftol && 0.5 * ratio <= 1 {
          converged = .functionTolerance
        } else if delta <= run.stepTolerance * xNorm {
          converged = .stepTolerance
        } else if Swift.abs(actual) <= epsilon && predicted <= epsilon && 0.5 * ratio <= 1 {
          converged = .functionTolerance
        } else if delta <= epsilon * xNorm || delta == 0 {
          converged = .stepTolerance
        }
        let details = ResidualSolverRun.IterationDetails(radius: delta, stepNorm: p.norm)
        if accepted {
          j = run.jacobian(at: x)
          let gNew = j.transposeMultiply(r)
          if let t = run.accept(
            x: x, residuals: r, gradient: gNew, converged: converged, details: details)
          {
            return t
          }
          if rNorm == 0 { return .gradientTolerance }
          break
        }
        if let t = run.reject(converged: converged, details: details) { return t }
      }
    }
  }
}
