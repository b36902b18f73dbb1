import Curvature
import CurvatureProblems

/// Runs every applicable (problem, method) pair of the constrained suite, timing the median of
/// repeated solves, and judges each run against the published optimum.
///
/// Success: |f − f*| ≤ `valueTolerance`·max(1, |f*|) and KKT residual ≤ `kktTolerance` (10⁻⁶).
/// The KKT residual is measured as follows.
/// - Problems with bounds only: max(‖P(x − ∇f(x)) − x‖∞, violation), with ∇f recomputed from the
///   problem and P the projection onto the box; this needs no multipliers, so every method is
///   judged alike. `gnorm` is the projected-gradient norm.
/// - Problems with general constraints: the solver's KKT residuals at its final point with its
///   multipliers, max(stationarity ‖∇ₓL‖∞, feasibility, complementarity) (Nocedal & Wright,
///   Thm. 12.1), and at least the violation recomputed from the problem. `gnorm` is the
///   stationarity residual.
///
/// Counts: `nfev` = objective values, `ngev` = gradients (with those spent on finite differences
/// by the exact-Hessian option), `nhev` = Hessian evaluations, `ncev` = constraint value and
/// `njev` = constraint Jacobian evaluations.
struct ConstrainedBenchmark {
  var problemNames: [String]
  var methods: [String]
  var backend: ConstrainedBackend
  var kktTolerance = 1e-6
  var valueTolerance = 1e-6
  var maxIterations = 1000
  var repeats: Int

  /// The number of (problem, method) pairs, applicable or not.
  var pairCount: Int { problemNames.count * methods.count }

  func settings(recordsIterations: Bool = false) -> SolveSettings {
    SolveSettings(
      gradientTolerance: kktTolerance, maxIterations: maxIterations,
      recordsIterations: recordsIterations)
  }

  func run(progress: ProgressReporter?) -> [BenchmarkRecord] {
    let clock = ContinuousClock()
    var records: [BenchmarkRecord] = []
    for name in problemNames {
      guard let problem = backend.build(name) else { continue }
      for method in methods {
        if let reason = backend.inapplicability(method, problem) {
          progress?.completed("\(name) \(method): skipped, \(reason)")
          continue
        }
        var times: [Double] = []
        var outcome: ConstrainedOutcome?
        for _ in 0..<repeats {
          let start = clock.now
          outcome = backend.solve(problem, method, settings())
          times.append(durationSeconds(clock.now - start))
        }
        let record = self.record(
          problem: problem, method: method, outcome: outcome!,
          seconds: SummaryStatistics.median(times)!)
        records.append(record)
        progress?.completed(
          "\(name) \(method): \(record.success ? "ok" : "FAILED") in "
            + formatDuration(record.seconds))
      }
    }
    return records
  }

  /// The record of one run, with the success test above.
  func record(
    problem p: ConstrainedTestProblem, method: String, outcome o: ConstrainedOutcome,
    seconds: Double
  ) -> BenchmarkRecord {
    let n = p.dimension
    var gnorm = Double.nan
    var kkt = Double.nan
    var violation = Double.nan
    if o.x.count == n && o.x.isFinite {
      // + 0 turns a −0 (from max over negated feasible inequalities) into 0.
      violation = Swift.max(p.violation(at: o.x), 0) + 0
      if p.isBoundConstrainedOnly {
        var g = Vector.zeros(n)
        _ = p.objective.value(at: o.x, gradient: &g)
        gnorm = p.bounds.projectedGradientNorm(at: o.x, gradient: g)
        kkt = Swift.max(gnorm, violation)
      } else if let r = o.residuals {
        gnorm = r.stationarity
        kkt = Swift.max(r.maximum, violation)
      }
    }
    let fError = Swift.abs(o.value - p.optimalValue)
    let success =
      fError <= valueTolerance * Swift.max(1, Swift.abs(p.optimalValue)) && kkt <= kktTolerance
    let c = o.counts
    var r = BenchmarkRecord(
      problem: p.name, n: n, method: method, success: success, iterations: o.iterations,
      nfev: c.values, ngev: c.gradients + c.differenceGradients,
      nhev: c.hessians + c.hessianVectorProducts, f: o.value, gnorm: gnorm, seconds: seconds,
      termination: o.termination)
    r.suite = "constrained"
    r.ferror = fError
    r.ncev = o.constraintEvaluations
    r.njev = o.jacobianEvaluations
    r.violation = violation
    r.kkt = kkt
    return r
  }

  /// One untimed solve per applicable method on each of `problems`, recording the iterates.
  func curves(problems: [String]) -> [ConvergenceCurve] {
    var curves: [ConvergenceCurve] = []
    for name in problems {
      guard let problem = backend.build(name) else { continue }
      for method in methods where backend.inapplicability(method, problem) == nil {
        let o = backend.solve(problem, method, settings(recordsIterations: true))
        curves.append(
          ConvergenceCurve(
            suite: "constrained", problem: name, method: method,
            optimalValue: problem.optimalValue, points: o.trace))
      }
    }
    return curves
  }

  /// The per-run table.
  static func table(_ records: [BenchmarkRecord]) -> TextTable {
    let headers = [
      "problem", "n", "method", "ok", "iters", "nfev", "ngev", "nhev", "ncev", "njev", "f",
      "|f−f*|", "violation", "KKT", "ms", "termination",
    ]
    var t = TextTable(headers: headers, rightAligned: Set([1] + Array(4...14)))
    func sci(_ v: Double?) -> String { v.map { formatScientific($0, digits: 1) } ?? "-" }
    for r in records {
      t.append([
        r.problem, String(r.n), r.method, r.success ? "yes" : "NO", String(r.iterations),
        String(r.nfev), String(r.ngev), String(r.nhev), r.ncev.map(String.init) ?? "-",
        r.njev.map(String.init) ?? "-", formatScientific(r.f, digits: 6), sci(r.ferror),
        sci(r.violation), sci(r.kkt), formatFixed(r.seconds * 1e3, digits: 3), r.termination,
      ])
    }
    return t
  }
}
