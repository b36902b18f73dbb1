extension GLTR {
  func run(
    _ applyB: LinearOperator, gradient g: Vector, radius: Double,
    preconditioner applyM: LinearOperator, hasPreconditioner: Bool, workspace: inout Workspace
  ) -> Result {
    precondition(radius > 0 || radius.isNaN, "trust-region radius must be positive, got \(radius)")
    let n = g.count
    workspace.prepare(dimension: n)
    var ws = Workspace(dimension: 0)
    swap(&ws, &workspace)
    defer { swap(&ws, &workspace) }
    ws.diagonal.removeAll(keepingCapacity: true)
    ws.offDiagonal.removeAll(keepingCapacity: true)

    let limit = maxIterations ?? n
    var products = 0
    var preconditionings = 0

    func result(
      _ t: Termination, step: Vector, model: Double = 0, lambda: Double = 0,
      boundary: Bool = false, stepNorm: Double = 0, residual: Double, iterations: Int,
      hardCase: Bool = false
    ) -> Result {
      Result(
        step: step, termination: t, modelDecrease: -model, lambda: lambda, hitsBoundary: boundary,
        stepNorm: stepNorm, residualNorm: residual, iterations: iterations,
        operatorApplications: products, preconditionerApplications: preconditionings,
        hardCase: hardCase)
    }

    // γ₀ = ‖g‖_{M⁻¹}, q₀ = M⁻¹g/γ₀, t₀ = g/γ₀ (t = Mq).
    let gNorm = knownGradientNorm ?? g.norm
    if !gNorm.isFinite || !radius.isFinite {
      return result(.nonFinite, step: .zeros(n), residual: .nan, iterations: 0)
    }
    let gamma: Double
    if hasPreconditioner {
      applyM(g, &ws.y)
      checkOperatorOutput(ws.y, n)
      preconditionings += 1
      let gy = dot(g, ws.y)
      if !gy.isFinite { return result(.nonFinite, step: .zeros(n), residual: .nan, iterations: 0) }
      if gy < 0 || (gy == 0 && gNorm > 0) {
        return result(.preconditionerNotPositive, step: .zeros(n), residual: gNorm, iterations: 0)
      }
      gamma = gy.squareRoot()
    } else {
      gamma = gNorm
    }
    let tolerance = Swift.max(relativeTolerance * gamma, absoluteTolerance)
    if gamma <= tolerance || gamma == 0 {
      return result(.converged, step: .zeros(n), residual: gamma, iterations: 0)
    }
    if limit == 0 {
      return result(.maxIterations, step: .zeros(n), residual: gamma, iterations: 0)
    }
    if ws.basis.isEmpty { ws.basis.append(.zeros(n)) }
    if hasPreconditioner {
      ws.basis[0].assign(ws.y, scaledBy: 1 / gamma)
      ws.t.assign(g, scaledBy: 1 / gamma)
    } else {
      ws.basis[0].assign(g, scaledBy: 1 / gamma)
    }

    var scale = 0.0
    var beta = 0.0
    var outcome = TridiagonalTrustRegion.Outcome(
      lambda: 0, interior: true, hardCase: false, model: 0)
    var residual = gamma
    var termination = Termination.maxIterations
    var steps = 0
    for j in 0..<limit {
      applyB(ws.basis[j], &ws.w)
      checkOperatorOutput(ws.w, n)
      products += 1
      steps = j + 1
      // w = Bqⱼ − βⱼ₋₁tⱼ₋₁ − αⱼtⱼ.
      let bqNorm: Double
      if j > 0 && !hasPreconditioner {
        // ‖Bqⱼ‖ and Bqⱼ − βⱼ₋₁qⱼ₋₁ in one pass, written into y (unused without a
        // preconditioner) so that Bqⱼ stays intact for the norm's slow path; then y and w swap.
        bqNorm = addScaledReturningBaseNorm(ws.w, -beta, ws.basis[j - 1], into: &ws.y)
        swap(&ws.w, &ws.y)
      } else {
        bqNorm = ws.w.norm
        if j > 0 && bqNorm.isFinite { axpy(-beta, ws.tPrevious, &ws.w) }
      }
      if !bqNorm.isFinite {
        return result(.nonFinite, step: .zeros(n), residual: .nan, iterations: steps)
      }
      scale = Swift.max(scale, bqNorm)
      let alpha = dot(ws.basis[j], ws.w)
      ws.diagonal.append(alpha)
      let betaSquared: Double
      if hasPreconditioner {
        axpy(-alpha, ws.t, &ws.w)
        applyM(ws.w, &ws.y)
        checkOperatorOutput(ws.y, n)
        preconditionings += 1
        betaSquared = dot(ws.w, ws.y)
      } else {
        // w ← w − αⱼqⱼ and βⱼ² = wᵀw in one pass.
        betaSquared = axpyReturningNormSquared(-alpha, ws.basis[j], &ws.w)
      }
      if !betaSquared.isFinite || !alpha.isFinite {
        return result(.nonFinite, step: .zeros(n), residual: .nan, iterations: steps)
      }
      if betaSquared < 0 {
        termination = .preconditionerNotPositive
        beta = 0
      } else {
        beta = betaSquared.squareRoot()
      }

      outcome = ws.subproblem.solve(
        diagonal: ws.diagonal, offDiagonal: ws.offDiagonal, gamma: gamma, radius: radius)
      residual = beta * Swift.abs(ws.subproblem.h[j])
      if termination == .preconditionerNotPositive { break }
      if residual <= tolerance {
        termination = .converged
        break
      }
      if beta <= breakdownTolerance * scale {
        termination = .invariantSubspace
        break
      }
      if j + 1 == limit { break }
      // qⱼ₊₁ = M⁻¹w/βⱼ, tⱼ₊₁ = w/βⱼ.
      ws.offDiagonal.append(beta)
      if ws.basis.count <= j + 1 { ws.basis.append(.zeros(n)) }
      if hasPreconditioner {
        ws.basis[j + 1].assign(ws.y, scaledBy: 1 / beta)
        swap(&ws.tPrevious, &ws.t)
        ws.t.assign(ws.w, scaledBy: 1 / beta)
      } else {
        ws.basis[j + 1].assign(ws.w, scaledBy: 1 / beta)
      }
    }

    // p = Σ hᵢqᵢ, in the workspace's step buffer (shared with the result; the next solve writes
    // it again once the caller has let the result go).
    var step = Vector([])
    swap(&step, &ws.step)
    defer { swap(&step, &ws.step) }
    let h = ws.subproblem.h
    // Accumulated block by block (each block of p stays in cache while the k basis vectors are
    // added), in the order of `fill(0)` followed by k calls of axpy, so with the same numbers.
    step.withUnsafeMutableBufferPointer { ps in
      guard let p = ps.baseAddress else { return }
      let block = 2048
      var start = 0
      while start < n {
        let end = Swift.min(start + block, n)
        for t in start..<end { p[t] = 0 }
        for i in 0..<h.count {
          let c = h[i]
          ws.basis[i].withUnsafeBufferPointer { q in
            for t in start..<end { p[t] += c * q[t] }
          }
        }
        start = end
      }
    }
    var hNorm = 0.0
    for v in h { hNorm += v * v }
    hNorm = hNorm.squareRoot()
    return result(
      termination, step: step, model: outcome.model, lambda: outcome.lambda,
      boundary: !outcome.interior, stepNorm: hNorm, residual: residual, iterations: steps,
      hardCase: outcome.hardCase)
  }
}
