/// Newton's method for F(x) = 0 with a backtracking line search on ½‖F‖² (Dennis & Schnabel,
/// *Numerical Methods for Unconstrained Optimization and Nonlinear Equations*, 1983, §6.5;
/// Nocedal & Wright §11.1 and §11.3).
///
/// Each iteration evaluates J(xₖ) and solves J p = −F by Householder QR; when J is singular or
/// its condition estimate exceeds 10¹², the Levenberg step (JᵀJ + μI)p = −JᵀF with μ = ‖F‖ is
/// used instead. p is a descent direction of ½‖F‖² (its slope is FᵀJp = −‖F‖² for the Newton
/// step); if not, −JᵀF replaces it. The step length comes from the Armijo backtracking search;
/// when it fails, Levenberg steps with μ = 10ᵏ‖F‖ (k = 1, …, 8) are tried in turn.
/// The method stops at a root, or when it stalls (line search failure, a step below the step
/// tolerance, or ‖F‖ decreasing by less than 1 % per iteration while the stationarity measure is
/// small; see ``RootFindingOptions``).
public struct NewtonRootFinder: RootFindingMethod {
  /// Newton with a line search.
  public init() {}

  /// `Newton`.
  public var name: String { "Newton" }

  /// Runs the method.
  public func run(_ run: inout ResidualSolverRun) -> Termination {
    var x = run.x
    var f = run.residuals
    var cost = 0.5 * f.normSquared
    while true {
      if run.isRoot { return .residualTolerance }
      let j = run.jacobian(at: x)
      guard j.isFinite else { return .numericalFailure }
      let g = j.transposeMultiply(f)
      run.gradient = g
      guard var p = newtonOrLevenbergStep(jacobian: j, residuals: f) else {
        return .numericalFailure
      }
      var slope = dot(g, p)
      if !(slope < 0) {
        p = -g
        slope = -g.normSquared
      }
      if slope == 0 { return run.stalled(.lineSearchFailed, jacobian: j) }
      var found = residualLineSearch(&run, from: x, cost: cost, direction: p, slope: slope)
      // Levenberg retries (JᵀJ + μI)p = −JᵀF with μ = ‖F‖·10ᵏ, k = 1, 2, …, 8, turning the
      // direction towards −JᵀF when the Newton direction fails.
      var mu = f.norm
      var retries = 0
      while found == nil && retries < 8 && !run.evaluationsExhausted {
        retries += 1
        mu *= 10
        guard let qr = QRFactorization(of: j) else { break }
        let n = run.dimension
        let c = Vector(qr.multiplyQTranspose(f).storage[0..<n])
        guard
          let q = dampedStep(r: qr.r, c: c, diag: Vector(repeating: 1, count: n), lambda: mu)?
            .step
        else { break }
        let qSlope = dot(g, q)
        guard qSlope < 0 else { break }
        p = q
        found = residualLineSearch(&run, from: x, cost: cost, direction: q, slope: qSlope)
      }
      guard let step = found else {
        if run.evaluationsExhausted { return .evaluationLimit }
        return run.stalled(.lineSearchFailed, jacobian: j)
      }
      let stepNorm = step.alpha * p.norm
      let slow = step.cost > 0.98 * cost
      let previousX = x
      let previousF = f
      x = step.x
      f = step.residuals
      cost = step.cost
      var converged: Termination? = nil
      if run.residualTolerance > 0 && f.normInfinity <= run.residualTolerance {
        converged = .residualTolerance
      } else if stepNorm <= run.stepTolerance * (run.stepTolerance + previousX.norm)
        || (slow && stationarityMeasure(jacobian: j, residuals: previousF) <= run.gradientTolerance)
      {
        converged = .stationaryNotRoot
      }
      let details = ResidualSolverRun.IterationDetails(stepLength: step.alpha, stepNorm: stepNorm)
      if let t = run.accept(
        x: x, residuals: f, gradient: Vector(), converged: converged, details: details)
      {
        if t == .stationaryNotRoot { return run.stalled(.lineSearchFailed) }
        return t
      }
    }
  }
}

extension RootFindingMethod where Self == NewtonRootFinder {
  /// Newton's method with a backtracking line search and a Levenberg fallback.
  public static func newton() -> NewtonRootFinder { NewtonRootFinder() }
}
