extension LevenbergMarquardt {
  /// The matrix-free variant with Marquardt's scaling: p solves
  ///
  ///     (JᵀJ + λD²) p = −g,   g = Jᵀr,
  ///
  /// by preconditioned conjugate gradients on the operator v ↦ Jᵀ(Jv) + λD²v (two Jacobian
  /// products per CG iteration) with the Jacobi-like preconditioner ((1 + λ)D²)⁻¹, relative
  /// residual tolerance min(10⁻², √‖g‖∞) and at most max(2n, 20) iterations.
  ///
  /// D² holds, per column, the largest value of ‖J eⱼ‖² seen so far (as MINPACK's D, Moré 1978),
  /// refreshed after every accepted step: exactly from n products J·eⱼ when n ≤ 32, otherwise by
  /// Hutchinson's estimator diag(JᵀJ) ≈ (1/k)Σₛ (Jᵀzₛ)∘(Jᵀzₛ) with k = 8 Rademacher vectors zₛ
  /// (seeded, so runs are reproducible). Columns estimated as zero get Dⱼ² = 1 until they move.
  ///
  /// With the model decrease P = −(gᵀp + ½‖Jp‖²) and the actual one A = F(x) − F(x + p),
  /// ρ = A/P; the step is accepted when ρ > 10⁻⁴, and then λ ← λ·max(⅓, 1 − (2ρ − 1)³), ν ← 2,
  /// else λ ← λν, ν ← 2ν (Nielsen's rule), from λ₀ = 10⁻³. The tests are SciPy's for its `trf`
  /// method: gtol on ‖g‖∞, ftol on A < ftol·F with ρ > ¼, xtol on ‖p‖ < xtol(xtol + ‖x‖).
  func runMatrixFree(_ run: inout ResidualSolverRun) -> Termination {
    let n = run.dimension
    var x = run.x
    var r = run.residuals
    var cost = 0.5 * r.normSquared
    var g = run.gradient
    var lambda = 1e-3
    var nu = 2.0
    var rng = SplitMix64(seed: 0x4C4D_4D46)
    var scale = Vector.zeros(n)  // D²
    func updateScale(_ run: inout ResidualSolverRun, first: Bool) {
      let estimate = columnSquaredNormEstimate(&run, at: x, rng: &rng)
      for j in 0..<n {
        let e = estimate[j].isFinite ? estimate[j] : 0
        scale[j] = first ? (e > 0 ? e : 1) : Swift.max(scale[j], e)
      }
    }
    updateScale(&run, first: true)
    var workspace = KrylovWorkspace(dimension: n)
    while true {
      if g.normInfinity <= run.gradientTolerance || cost == 0 { return .gradientTolerance }
      let eta = Swift.min(1e-2, g.normInfinity.squareRoot())
      let cg = ConjugateGradient(relativeTolerance: eta, maxIterations: Swift.max(2 * n, 20))
      let point = x
      let damping = lambda
      let d2 = scale
      let residualFunction = run.residualFunction
      var products = 0
      var fault: String? = nil
      var jv = Vector.zeros(run.residualCount)
      let result = cg.solve(
        { v, out in
          if let f = residualFunction.gaussNewtonProduct(
            at: point, direction: v, scratch: &jv, into: &out)
          {
            fault = fault ?? f
          }
          for j in 0..<n { out[j] += damping * d2[j] * v[j] }
          products += 2
        }, rhs: -g,
        preconditioner: { v, out in
          for j in 0..<n { out[j] = v[j] / ((1 + damping) * d2[j]) }
        }, workspace: &workspace)
      run.addJacobianProducts(products)
      run.recordFault(fault)
      let p = result.solution
      guard p.isFinite else { return .numericalFailure }
      let jp = run.jacobianProduct(at: x, direction: p)
      let predicted = -(dot(g, p) + 0.5 * jp.normSquared)
      let trial = x + p
      let rTrial = run.evaluateResiduals(at: trial)
      let trialCost = rTrial.isFinite ? 0.5 * rTrial.normSquared : Double.infinity
      let actual = cost - trialCost
      let ratio = predicted > 0 ? actual / predicted : (actual > 0 ? 1 : -1)
      let stepNorm = p.norm
      let accepted = ratio > 1e-4 && trialCost.isFinite
      var converged: Termination? = nil
      if accepted && actual < run.functionTolerance * cost && ratio > 0.25 {
        converged = .functionTolerance
      } else if stepNorm < run.stepTolerance * (run.stepTolerance + x.norm) {
        converged = .stepTolerance
      }
      let details = ResidualSolverRun.IterationDetails(
        radius: nil, cgIterations: result.iterations, stepNorm: stepNorm)
      if accepted {
        let t = 2 * ratio - 1
        lambda *= Swift.max(1.0 / 3, 1 - t * t * t)
        nu = 2
        x = trial
        r = rTrial
        cost = trialCost
        g = run.jacobianTransposeProduct(at: x, vector: r)
        if g.normInfinity <= run.gradientTolerance && converged == nil {
          converged = .gradientTolerance
        }
        if let t = run.accept(
          x: x, residuals: r, gradient: g, converged: converged, details: details)
        {
          return t
        }
        updateScale(&run, first: false)
      } else {
        lambda *= nu
        nu *= 2
        if !lambda.isFinite || lambda > 1e300 { return .trustRegionCollapsed }
        if let t = run.reject(converged: converged, details: details) { return t }
      }
    }
  }
}

/// diag(J(x)ᵀJ(x)) = (‖J eⱼ‖²)ⱼ: exact from n products J·eⱼ when n ≤ 32, otherwise Hutchinson's
/// estimate (1/k)Σₛ (Jᵀzₛ)∘(Jᵀzₛ) over k = 8 Rademacher vectors zₛ ∈ {±1}ᵐ (unbiased, since
/// E[zzᵀ] = I). Products are counted in `run`.
func columnSquaredNormEstimate(
  _ run: inout ResidualSolverRun, at x: Vector, rng: inout SplitMix64
) -> Vector {
  let n = run.dimension
  let m = run.residualCount
  var d = Vector.zeros(n)
  if n <= 32 {
    for j in 0..<n {
      d[j] = run.jacobianProduct(at: x, direction: .basis(j, count: n)).normSquared
    }
    return d
  }
  let samples = 8
  for _ in 0..<samples {
    let z = Vector(count: m) { _ in rng.rademacher() }
    let w = run.jacobianTransposeProduct(at: x, vector: z)
    for j in 0..<n { d[j] += w[j] * w[j] }
  }
  d.scale(by: 1 / Double(samples))
  return d
}
