/// Powell's hybrid method for F(x) = 0 (M. J. D. Powell, "A hybrid method for nonlinear
/// equations", in *Numerical Methods for Nonlinear Algebraic Equations*, 1970), following the
/// design of MINPACK's `hybrj` (Moré, Garbow & Hillstrom 1980): a scaled dogleg trust-region step
/// on the model ‖F + Jp‖ with Broyden rank-one updates of J between fresh evaluations.
///
/// - Scaling D: the largest column norms of J seen so far; Δ₀ = factor·‖D x₀‖ (factor 100).
/// - Step: the dogleg between the Newton point (QR of the current J) and the Cauchy point along
///   −D⁻²JᵀF inside ‖Dp‖ ≤ Δ (as in ``LeastSquaresDogleg``).
/// - Ratio ρ of the actual relative reduction 1 − ‖F(x+p)‖²/‖F‖² to the predicted one
///   1 − ‖F + Jp‖²/‖F‖². If ρ < 0.1: Δ ← Δ/2 (a failure); otherwise Δ ← max(Δ, 2‖Dp‖) after a
///   good ratio (ρ ≥ ½) or two successes in a row, and Δ ← 2‖Dp‖ when |ρ − 1| ≤ 0.1. Steps with
///   ρ ≥ 10⁻⁴ are accepted.
/// - After every trial, the Broyden (1965) update J ← J + (y − Jp)(D²p)ᵀ/‖Dp‖², y = F(x+p) − F(x),
///   makes J consistent with the last trial. A fresh Jacobian is evaluated after two consecutive
///   failures.
/// - Stall: Δ ≤ xtol·‖Dx‖, or ten iterations in a row with an actual reduction below 10⁻³
///   (hybrj's "not making good progress"), end with the stationarity check of
///   ``RootFindingOptions`` (``Termination/stationaryNotRoot`` or
///   ``Termination/trustRegionCollapsed``).
public struct PowellHybrid: RootFindingMethod {
  /// Δ₀ = `initialRadiusFactor`·‖D x₀‖ (or the factor itself when D x₀ = 0).
  public var initialRadiusFactor: Double

  /// Powell's hybrid method.
  public init(initialRadiusFactor: Double = 100) {
    precondition(
      initialRadiusFactor > 0, "initialRadiusFactor must be positive, got \(initialRadiusFactor)")
    self.initialRadiusFactor = initialRadiusFactor
  }

  /// `Powell hybrid`.
  public var name: String { "Powell hybrid" }

  /// Runs the method.
  public func run(_ run: inout ResidualSolverRun) -> Termination {
    let n = run.dimension
    var x = run.x
    var f = run.residuals
    var fNorm = f.norm
    var diag = Vector.zeros(n)
    var delta = 0.0
    var first = true
    var firstStep = true
    var successes = 0
    var failures = 0
    var slowIterations = 0
    while true {
      // A fresh Jacobian.
      var j = run.jacobian(at: x)
      guard j.isFinite else { return .numericalFailure }
      let norms = columnNorms(j)
      for i in 0..<n {
        diag[i] = first ? (norms[i] == 0 ? 1 : norms[i]) : Swift.max(diag[i], norms[i])
      }
      if first {
        let xNorm = (diag .* x).norm
        delta = xNorm > 0 ? initialRadiusFactor * xNorm : initialRadiusFactor
        first = false
      }
      failures = 0
      var fresh = true
      while true {
        guard let qr = QRFactorization(of: j) else { return .numericalFailure }
        var newton: Vector? = nil
        if hasFullRank(qr) {
          let s = qr.solve(-f)
          if s.isFinite { newton = s }
        }
        let g = j.transposeMultiply(f)
        if fresh { run.gradient = g }
        let p = doglegStep(jacobian: j, gradient: g, gaussNewton: newton, diag: diag, radius: delta)
        let dp = diag .* p
        let dpNorm = dp.norm
        if firstStep {
          delta = Swift.min(delta, dpNorm)
          firstStep = false
        }
        let trial = x + p
        let fTrial = run.evaluateResiduals(at: trial)
        let trialNorm = fTrial.isFinite ? fTrial.norm : Double.infinity
        let actual =
          trialNorm < 10 * fNorm ? 1 - (trialNorm / fNorm) * (trialNorm / fNorm) : -1.0
        var linear = f
        axpy(1, j * p, &linear)
        let predictedNorm = linear.norm
        let predicted =
          predictedNorm < fNorm ? 1 - (predictedNorm / fNorm) * (predictedNorm / fNorm) : 0
        let ratio = predicted > 0 ? actual / predicted : 0
        if ratio < 0.1 {
          successes = 0
          failures += 1
          delta *= 0.5
        } else {
          failures = 0
          successes += 1
          if ratio >= 0.5 || successes > 1 { delta = Swift.max(delta, dpNorm / 0.5) }
          if Swift.abs(ratio - 1) <= 0.1 { delta = dpNorm / 0.5 }
        }
        slowIterations = actual >= 1e-3 ? 0 : slowIterations + 1
        let accepted = ratio >= 1e-4
        let previousF = f
        if accepted {
          x = trial
          f = fTrial
          fNorm = trialNorm
        }
        var converged: Termination? = nil
        if f.normInfinity <= run.residualTolerance {
          converged = .residualTolerance
        } else if delta <= run.stepTolerance * (diag .* x).norm || delta == 0
          || slowIterations >= 10
        {
          converged = .stationaryNotRoot
        }
        let details = ResidualSolverRun.IterationDetails(radius: delta, stepNorm: p.norm)
        let outcome =
          accepted
          ? run.accept(
            x: x, residuals: f, gradient: Vector(), converged: converged, details: details)
          : run.reject(converged: converged, details: details)
        if let t = outcome {
          if t == .stationaryNotRoot { return run.stalled(.trustRegionCollapsed) }
          return t
        }
        if failures >= 2 { break }
        // Broyden's rank-one update with the scaled direction D²p/‖Dp‖².
        if fTrial.isFinite && dpNorm > 0 {
          var y = fTrial
          axpy(-1, previousF, &y)
          axpy(-1, j * p, &y)
          let w = (diag .* dp).scaled(by: 1 / (dpNorm * dpNorm))
          for a in 0..<n where y[a] != 0 {
            for b in 0..<n { j[a, b] += y[a] * w[b] }
          }
          fresh = false
        }
      }
    }
  }
}

extension RootFindingMethod where Self == PowellHybrid {
  /// Powell's hybrid (dogleg) method with Broyden updates, after MINPACK's `hybrj`.
  public static func hybrid(initialRadiusFactor: Double = 100) -> PowellHybrid {
    PowellHybrid(initialRadiusFactor: initialRadiusFactor)
  }
}
