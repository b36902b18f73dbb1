/// The Gauss-Newton method with a backtracking Armijo line search (Nocedal & Wright, *Numerical
/// Optimization*, 2nd ed., section 10.3; Dennis & Schnabel 1983, section 10.2).
///
/// The step p minimizes the linearized residual ‖J p + r‖₂: with a dense Jacobian by Householder
/// QR (J = QR, R p = −(Qᵀr)[0..<n]), matrix-free by conjugate gradients on the normal equations
/// JᵀJ p = −Jᵀr. When J is rank deficient (or CG meets zero curvature) a small Levenberg term
/// is added: p minimizes ‖Jp + r‖² + μ‖p‖² with μ = 10⁻¹⁰·maxⱼ‖J eⱼ‖² + ‖r‖·10⁻⁸ (dense), or CG
/// runs on JᵀJ + μI with μ = 10⁻⁸·gᵀJᵀJg/gᵀg (matrix-free).
///
/// The line search on F(x) = ½‖r(x)‖² starts from α = 1 and accepts the first α with
///
///     F(x + αp) ≤ F(x) + c₁·α·gᵀp,   c₁ = 10⁻⁴,   g = Jᵀr,
///
/// otherwise α shrinks to the minimizer of the quadratic interpolating F(x), gᵀp and F(x + αp),
/// safeguarded to [0.1α, 0.5α]; non-finite residuals shrink α by 10. After 40 reductions the
/// line search fails (``Termination/lineSearchFailed``). The ftol test (see
/// ``LeastSquaresOptions``) only counts full steps α = 1 and the xtol test applies to the full
/// step p (not αp), so that a crawling line search is not mistaken for convergence.
public struct GaussNewton: LeastSquaresMethod {
  /// Dense QR (``LevenbergMarquardt/Subproblem/qr``) or conjugate gradients on Jacobian products
  /// (``LevenbergMarquardt/Subproblem/matrixFree``).
  public var subproblem: LevenbergMarquardt.Subproblem

  /// Gauss-Newton with the given linear solver.
  public init(_ subproblem: LevenbergMarquardt.Subproblem = .qr) { self.subproblem = subproblem }

  /// `Gauss-Newton` or `Gauss-Newton (matrix-free)`.
  public var name: String { subproblem == .qr ? "Gauss-Newton" : "Gauss-Newton (matrix-free)" }

  /// Runs the method.
  public func run(_ run: inout ResidualSolverRun) -> Termination {
    let n = run.dimension
    var x = run.x
    var r = run.residuals
    var cost = 0.5 * r.normSquared
    var g = run.gradient
    var workspace = KrylovWorkspace(dimension: n)
    // Dense: J at the current iterate, evaluated right after each accepted step so that the
    // observer sees the new gradient Jᵀr.
    var currentJacobian: Matrix? = nil
    while true {
      if cost == 0 { return .gradientTolerance }
      if subproblem == .matrixFree && g.normInfinity <= run.gradientTolerance {
        return .gradientTolerance
      }
      // The direction.
      var p: Vector
      var cgIterations = 0
      switch subproblem {
      case .qr:
        let j = currentJacobian ?? run.jacobian(at: x)
        guard j.isFinite else { return .numericalFailure }
        g = j.transposeMultiply(r)
        if cost == 0 || g.normInfinity <= run.gradientTolerance { return .gradientTolerance }
        let (jp, rp) = paddedSystem(j, r)
        guard let qr = QRFactorization(of: jp) else { return .numericalFailure }
        run.jacobianConditionEstimate = qr.conditionEstimate
        var step: Vector? = nil
        if hasFullRank(qr) {
          let s = qr.leastSquaresSolution(-rp)
          if s.isFinite { step = s }
        }
        if step == nil {
          let norms = columnNorms(j)
          let mu = 1e-10 * norms.normInfinity * norms.normInfinity + 1e-8 * r.norm
          let c = Vector(qr.multiplyQTranspose(rp).storage[0..<n])
          step = dampedStep(r: qr.r, c: c, diag: .init(repeating: 1, count: n), lambda: mu)?.step
        }
        guard let s = step else { return .numericalFailure }
        p = s
      case .matrixFree:
        let point = x
        let residualFunction = run.residualFunction
        var products = 0
        var fault: String? = nil
        var jv = Vector.zeros(run.residualCount)
        var mu = 0.0
        var result: ConjugateGradient.Result
        repeat {
          let damping = mu
          let cg = ConjugateGradient(
            relativeTolerance: Swift.min(1e-2, g.normInfinity.squareRoot()),
            maxIterations: Swift.max(2 * n, 20), curvatureThreshold: 1e-14)
          result = cg.solve(
            { v, out in
              if let f = residualFunction.gaussNewtonProduct(
                at: point, direction: v, scratch: &jv, into: &out)
              {
                fault = fault ?? f
              }
              if damping > 0 { axpy(damping, v, &out) }
              products += 2
            }, rhs: -g, workspace: &workspace)
          if mu > 0 || !result.termination.isNonPositiveCurvature || result.iterations > 0 { break }
          let jg = run.jacobianProduct(at: x, direction: g)
          mu = Swift.max(1e-8 * jg.normSquared / g.normSquared, Double.leastNormalMagnitude)
        } while true
        run.addJacobianProducts(products)
        run.recordFault(fault)
        cgIterations = result.iterations
        p = result.solution
        if p.normSquared == 0 { p = -g }
      }
      guard p.isFinite else { return .numericalFailure }
      var slope = dot(g, p)
      if !(slope < 0) {
        p = -g
        slope = -g.normSquared
      }
      // Backtracking Armijo line search on F = ½‖r‖².
      var alpha = 1.0
      var accepted: (x: Vector, r: Vector, cost: Double)? = nil
      var evaluations = 0
      for _ in 0..<40 {
        if run.evaluationsExhausted { break }
        var trial = x
        axpy(alpha, p, &trial)
        let rTrial = run.evaluateResiduals(at: trial)
        evaluations += 1
        let trialCost = rTrial.isFinite ? 0.5 * rTrial.normSquared : Double.infinity
        if trialCost <= cost + 1e-4 * alpha * slope {
          accepted = (trial, rTrial, trialCost)
          break
        }
        if !trialCost.isFinite {
          alpha *= 0.1
        } else {
          let denominator = 2 * (trialCost - cost - alpha * slope)
          let quadratic = denominator > 0 ? -slope * alpha * alpha / denominator : 0.5 * alpha
          alpha = Swift.min(Swift.max(quadratic, 0.1 * alpha), 0.5 * alpha)
        }
      }
      run.statistics.lineSearchEvaluations += Swift.max(evaluations - 1, 0)
      guard let (newX, newR, newCost) = accepted else {
        return run.evaluationsExhausted ? .evaluationLimit : .lineSearchFailed
      }
      let stepNorm = alpha * p.norm
      let decrease = cost - newCost
      var converged: Termination? = nil
      if alpha == 1 && decrease <= run.functionTolerance * cost {
        converged = .functionTolerance
      } else if p.norm <= run.stepTolerance * (run.stepTolerance + x.norm) {
        converged = .stepTolerance
      }
      x = newX
      r = newR
      cost = newCost
      if subproblem == .matrixFree {
        g = run.jacobianTransposeProduct(at: x, vector: r)
      } else {
        let j = run.jacobian(at: x)
        currentJacobian = j
        g = j.transposeMultiply(r)
      }
      let details = ResidualSolverRun.IterationDetails(
        stepLength: alpha, cgIterations: cgIterations, stepNorm: stepNorm)
      if let t = run.accept(x: x, residuals: r, gradient: g, converged: converged, details: details)
      {
        return t
      }
      if cost == 0 { return .gradientTolerance }
    }
  }
}

extension LeastSquaresMethod where Self == GaussNewton {
  /// Gauss-Newton with an Armijo line search: `.gaussNewton()` (dense QR) or
  /// `.gaussNewton(.matrixFree)` (CG on the normal equations).
  public static func gaussNewton(_ subproblem: LevenbergMarquardt.Subproblem = .qr) -> GaussNewton {
    GaussNewton(subproblem)
  }
}
