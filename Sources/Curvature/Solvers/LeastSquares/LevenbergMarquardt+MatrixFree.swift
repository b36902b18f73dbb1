extension LevenbergMarquardt {
  /// The matrix-free variant: p solves (JᵀJ + λI)p = −g, g = Jᵀr, by conjugate gradients on
  /// the operator v ↦ Jᵀ(Jv) + λv (relative residual tolerance min(10⁻², √‖g‖∞), at most
  /// max(2n, 20) iterations). With the model decrease P = −(gᵀp + ½‖Jp‖²) and the actual one
  /// A = ½‖r‖² − ½‖r(x + p)‖², ρ = A/P; the step is accepted when ρ > 10⁻⁴ and then
  /// λ ← λ·max(⅓, 1 − (2ρ − 1)³), ν ← 2, else λ ← λν, ν ← 2ν (Nielsen's rule). The tests are
  /// SciPy's for its `trf` method: gtol on ‖g‖∞, ftol on A < ftol·½‖r‖² with ρ > ¼, xtol on
  /// ‖p‖ < xtol(xtol + ‖x‖).
  func runMatrixFree(_ run: inout ResidualSolverRun) -> Termination {
    let n = run.dimension
    var x = run.x
    var r = run.residuals
    var cost = 0.5 * r.normSquared
    var g = run.gradient
    // λ₀ = 10⁻³·gᵀ(JᵀJ)g/gᵀg, a Rayleigh quotient of JᵀJ.
    var lambda = 1e-3
    let gg = g.normSquared
    if gg > 0 {
      let jg = run.jacobianProduct(at: x, direction: g)
      let q = jg.normSquared / gg
      if q.isFinite && q > 0 { lambda = 1e-3 * q }
    }
    var nu = 2.0
    var workspace = KrylovWorkspace(dimension: n)
    while true {
      if g.normInfinity <= run.gradientTolerance || cost == 0 { return .gradientTolerance }
      let eta = Swift.min(1e-2, g.normInfinity.squareRoot())
      let cg = ConjugateGradient(
        relativeTolerance: eta, maxIterations: Swift.max(2 * n, 20))
      let point = x
      let damping = lambda
      let residualFunction = run.residualFunction
      var products = 0
      var jv = Vector.zeros(run.residualCount)
      let result = cg.solve(
        { v, out in
          residualFunction.jacobianProduct(at: point, direction: v, into: &jv)
          residualFunction.jacobianTransposeProduct(at: point, vector: jv, into: &out)
          axpy(damping, v, &out)
          products += 2
        }, rhs: -g, workspace: &workspace)
      run.addJacobianProducts(products)
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
      } else {
        lambda *= nu
        nu *= 2
        if !lambda.isFinite || lambda > 1e300 { return .trustRegionCollapsed }
        if let t = run.reject(converged: converged, details: details) { return t }
      }
    }
  }
}
