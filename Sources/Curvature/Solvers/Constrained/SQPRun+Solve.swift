extension SQPRun {
  /// The SQP iteration (Nocedal & Wright Alg. 18.3 with the additions described on ``SQP``).
  mutating func solve(from x0: Vector) -> ConstrainedSolution {
    let n = x0.count
    let projected = bounds.project(x0)
    let note: String? =
      projected == x0 ? nil : "The starting point was projected onto the bounds."
    let (first, problem) = evaluate(projected)
    guard var point = first else { return failure(.invalidProblem, at: projected, note: problem) }
    var lambda = LagrangeMultipliers.zeros(dimension: n, equalities: me, inequalities: mi)
    guard
      point.f.isFinite && point.g.isFinite && point.ce.isFinite && point.ci.isFinite
        && point.je.isFinite && point.ji.isFinite
    else {
      return finish(
        .nonFiniteValue, point, lambda, penalty: method.initialPenalty,
        note: "The objective or the constraints are not finite at the starting point.")
    }
    let tolerance = options.gradientTolerance
    var b = Matrix.identity(n)
    var mu = method.initialPenalty
    var gamma = 0.0
    var lastAlpha: Double?
    var lastStepNorm = 0.0
    var lastFlags = ""
    if options.verbosity >= .iterations {
      print("Curvature \(method.name), n = \(n), equalities \(me), inequalities \(mi)")
      print(
        "iter".leftPadded(5) + "f(x)".leftPadded(17) + "stat".leftPadded(11)
          + "feas".leftPadded(11) + "compl".leftPadded(11) + "mu".leftPadded(10)
          + "alpha".leftPadded(10))
    }
    while true {
      // The QP (elastic when its linearized constraints are inconsistent).
      let h = method.hessian == .exact ? exactHessian(point, lambda) : b
      let sub = qp(point, hessian: h)
      var solution = method.qpSolver.solve(sub)
      statistics.qpIterations += solution.totalIterations
      if solution.status == .notConvex || solution.status == .numericalFailure,
        method.hessian == .dampedBFGS
      {
        b = .identity(n)
        solution = method.qpSolver.solve(qp(point, hessian: b))
        statistics.qpIterations += solution.totalIterations
      }
      var elastic = false
      if solution.status == .infeasible {
        elastic = true
        statistics.elasticIterations += 1
        gamma = Swift.max(gamma, mu, method.elasticPenalty * Swift.max(1, point.g.normInfinity))
        solution = method.qpSolver.solveElastic(sub, penalty: gamma)
        statistics.qpIterations += solution.totalIterations
      }
      guard solution.status == .optimal, solution.x.isFinite else {
        return finish(
          .numericalFailure, point, lambda, penalty: mu,
          note: "The QP subproblem ended with status \(solution.status.rawValue).")
      }
      let p = solution.x
      let newLambda = Self.multipliers(solution)
      let kkt = residuals(point, newLambda)
      if options.verbosity >= .iterations {
        printRow(
          statistics.iterations, point, kkt, mu: mu, alpha: lastAlpha,
          flags: lastFlags + (elastic ? " elastic QP" : ""))
      }
      if let observer {
        let summary = IterationSummary(
          iteration: statistics.iterations, value: point.f, gradientNorm: kkt.stationarity,
          stepNorm: lastStepNorm, stepLength: lastAlpha,
          evaluations: statistics.evaluations, seconds: elapsed)
        switch observer(summary) {
        case .continue: break
        case .stop: return finish(.stoppedByObserver, point, newLambda, penalty: mu, note: note)
        case .abort: return finish(.abortedByObserver, point, newLambda, penalty: mu, note: note)
        }
      }
      if !elastic && kkt.stationarity <= tolerance && kkt.feasibility <= tolerance
        && kkt.complementarity <= tolerance
      {
        return finish(.residualTolerance, point, newLambda, penalty: mu, note: note)
      }
      if statistics.iterations >= options.maxIterations {
        return finish(.iterationLimit, point, newLambda, penalty: mu, note: note)
      }
      if statistics.evaluations.values + statistics.evaluations.gradients
        >= options.maxEvaluations
      {
        return finish(.evaluationLimit, point, newLambda, penalty: mu, note: note)
      }
      statistics.iterations += 1

      // The ℓ₁ merit function and the penalty.
      let violation = Self.l1Violation(point.ce, point.ci)
      let linearized = Self.l1Violation(
        point.ce + point.je * p, point.ci + point.ji * p)
      let php = dot(p, h * p)
      let gp = dot(point.g, p)
      if elastic {
        mu = gamma
      } else if violation > 0 {
        let required = (gp + 0.5 * php) / (0.5 * violation)
        if mu < required { mu = 1.1 * required }
      }
      var slope = gp + mu * (linearized - violation)
      if !(slope < 0) { slope = 0 }
      if elastic
        && (p.normInfinity <= tolerance * (1 + point.x.normInfinity)
          || -slope <= tolerance * tolerance * Swift.max(1, Swift.abs(point.f + mu * violation)))
      {
        // No predicted decrease of f + γ‖c⁻‖₁ at an infeasible point: raise γ or give up (the
        // point is then a stationary point of the ℓ₁ violation).
        if gamma >= method.maximumElasticPenalty {
          return finish(.infeasible, point, newLambda, penalty: mu, note: note)
        }
        gamma *= 10
        mu = gamma
        lambda = newLambda
        continue
      }
      let phi0 = point.f + mu * violation

      // Backtracking with one second-order correction.
      var alpha = 1.0
      var accepted: (x: Vector, f: Double, ce: Vector, ci: Vector)?
      var usedSOC = false
      var trials = 0
      while alpha >= method.minimumStepLength {
        var trial = point.x
        axpy(alpha, p, &trial)
        trial = bounds.project(trial)
        let ft = value(trial)
        let (ce, ci) = constraintValues(trial)
        trials += 1
        let trialViolation = Self.l1Violation(ce, ci)
        let phi = ft + mu * trialViolation
        if phi.isFinite && phi <= phi0 + method.armijo * alpha * slope {
          accepted = (trial, ft, ce, ci)
          break
        }
        if alpha == 1 && method.secondOrderCorrection && me + mi > 0 && phi.isFinite
          && trialViolation > violation
        {
          statistics.secondOrderCorrections += 1
          var corrected = sub
          corrected.equalityVector = -(ce - point.je * p)
          corrected.inequalityVector = -(ci - point.ji * p)
          let soc = method.qpSolver.solve(corrected)
          statistics.qpIterations += soc.totalIterations
          if soc.status == .optimal && soc.x.isFinite {
            var xs = point.x
            axpy(1, soc.x, &xs)
            xs = bounds.project(xs)
            let fs = value(xs)
            let (ces, cis) = constraintValues(xs)
            trials += 1
            let phis = fs + mu * Self.l1Violation(ces, cis)
            if phis.isFinite && phis <= phi0 + method.armijo * slope {
              statistics.acceptedSecondOrderCorrections += 1
              accepted = (xs, fs, ces, cis)
              usedSOC = true
              break
            }
          }
        }
        // Minimizer of the quadratic through φ(0), the slope D and φ(α) (N&W (3.57)),
        // safeguarded to [0.1α, τα].
        var next = alpha * method.backtrackingFactor
        let curvature = phi - phi0 - alpha * slope
        if phi.isFinite && slope < 0 && curvature > 0 {
          let interpolated = -slope * alpha * alpha / (2 * curvature)
          next = Swift.min(next, Swift.max(0.1 * alpha, interpolated))
        }
        alpha = next
      }
      statistics.backtracks += Swift.max(0, trials - 1)
      guard let step = accepted else {
        return finish(.lineSearchFailed, point, newLambda, penalty: mu, note: note)
      }

      // The new point and the Hessian update.
      let (next, message) = evaluate(step.x)
      guard var nextPoint = next else {
        return finish(.invalidProblem, point, newLambda, penalty: mu, note: message)
      }
      nextPoint.f = nextPoint.f.isFinite ? nextPoint.f : step.f
      guard
        nextPoint.f.isFinite && nextPoint.g.isFinite && nextPoint.je.isFinite
          && nextPoint.ji.isFinite
      else {
        return finish(.nonFiniteValue, point, newLambda, penalty: mu, note: note)
      }
      if method.hessian == .dampedBFGS {
        let s = nextPoint.x - point.x
        let y =
          Self.lagrangianGradient(nextPoint, newLambda) - Self.lagrangianGradient(point, newLambda)
        Self.dampedBFGS(&b, s: s, y: y)
      }
      lastAlpha = alpha
      lastStepNorm = (nextPoint.x - point.x).norm
      lastFlags = usedSOC ? "SOC" : ""
      point = nextPoint
      lambda = newLambda
    }
  }
}
