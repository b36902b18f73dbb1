/// Broyden's ("good") quasi-Newton method for F(x) = 0 with a line search (C. G. Broyden, "A class
/// of methods for solving nonlinear simultaneous equations", Mathematics of Computation 19, 1965;
/// Dennis & Schnabel 1983, §8.1; Nocedal & Wright §11.1).
///
/// B₀ = J(x₀) (the true Jacobian). Each iteration solves B p = −F by QR, searches along p with
/// the Armijo test on ½‖F‖² using the model slope FᵀBp = −‖F‖², and updates
///
///     B ← B + (y − Bs)sᵀ/(sᵀs),   s = αp,   y = F(x + s) − F(x),
///
/// the least change to B (in the Frobenius norm) that satisfies the secant equation B s = y.
/// When B is singular or ill conditioned (κ estimate above 10¹²), or the line search fails along
/// a quasi-Newton direction, B is replaced by a fresh J(x); a failure with a fresh Jacobian ends
/// with the stall check of ``RootFindingOptions``.
public struct BroydenRootFinder: RootFindingMethod {
  /// Broyden's good method.
  public init() {}

  /// `Broyden`.
  public var name: String { "Broyden" }

  /// Runs the method.
  public func run(_ run: inout ResidualSolverRun) -> Termination {
    var x = run.x
    var f = run.residuals
    var cost = 0.5 * f.normSquared
    var b = run.jacobian(at: x)
    var fresh = true
    while true {
      if run.isRoot { return .residualTolerance }
      guard b.isFinite else { return .numericalFailure }
      var p: Vector? = nil
      if let qr = QRFactorization(of: b), hasFullRank(qr), qr.conditionEstimate <= 1e12 {
        let s = qr.solve(-f)
        if s.isFinite { p = s }
      }
      if p == nil {
        if !fresh {
          b = run.jacobian(at: x)
          fresh = true
          continue
        }
        p = newtonOrLevenbergStep(jacobian: b, residuals: f)
      }
      guard let direction = p else { return .numericalFailure }
      let slope = dot(b.transposeMultiply(f), direction)
      guard slope < 0,
        let step = residualLineSearch(
          &run, from: x, cost: cost, direction: direction, slope: slope)
      else {
        if run.evaluationsExhausted { return .evaluationLimit }
        if !fresh {
          b = run.jacobian(at: x)
          fresh = true
          continue
        }
        return run.stalled(.lineSearchFailed, jacobian: b)
      }
      var s = direction
      s.scale(by: step.alpha)
      let stepNorm = s.norm
      let tinyStep = stepNorm <= run.stepTolerance * (run.stepTolerance + x.norm)
      var y = step.residuals
      axpy(-1, f, &y)
      let wasFresh = fresh
      x = step.x
      f = step.residuals
      cost = step.cost
      // B ← B + (y − Bs)sᵀ/(sᵀs); a negligible step along a quasi-Newton direction asks for a
      // fresh Jacobian instead.
      let ss = s.normSquared
      if tinyStep && !wasFresh {
        b = run.jacobian(at: x)
        fresh = true
      } else if ss > 0 {
        axpy(-1, b * s, &y)
        let n = s.count
        for a in 0..<n where y[a] != 0 {
          let ya = y[a] / ss
          for c in 0..<n { b[a, c] += ya * s[c] }
        }
        fresh = false
      }
      var converged: Termination? = nil
      if f.normInfinity <= run.residualTolerance {
        converged = .residualTolerance
      } else if tinyStep && wasFresh {
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

extension RootFindingMethod where Self == BroydenRootFinder {
  /// Broyden's good method with a line search, started from the true Jacobian.
  public static func broyden() -> BroydenRootFinder { BroydenRootFinder() }
}
