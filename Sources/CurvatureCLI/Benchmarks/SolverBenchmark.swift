import Curvature
import CurvatureProblems

extension BenchmarkRecord {
  /// The record of `outcome`, with the success test applied afterwards as the peers do:
  /// ‖∇f(x_final)‖∞ ≤ `gradientTolerance`, with the gradient recomputed from the problem.
  ///
  /// Counts: `nfev` = values + residual evaluations; `ngev` = gradients + gradients spent on
  /// finite-difference products + dense Jacobians; `nhev` = Hessian-vector products + dense
  /// Hessians; for a least-squares run (residual evaluations counted) also `njprod`, the Jacobian
  /// products J·v and Jᵀ·w. `lre` and `ferror` are set when f* is known.
  public init(
    problem: TestProblem, method: String, outcome: SolveOutcome, seconds: Double,
    gradientTolerance: Double
  ) {
    var g = Vector.zeros(problem.dimension)
    let gnorm: Double
    if outcome.x.count == problem.dimension {
      _ = problem.objective.value(at: outcome.x, gradient: &g)
      gnorm = g.normInfinity
    } else {
      gnorm = .nan
    }
    let c = outcome.counts
    self.init(
      problem: problem.name, n: problem.dimension, method: method,
      success: gnorm.isFinite && gnorm <= gradientTolerance, iterations: outcome.iterations,
      nfev: c.values + c.residuals, ngev: c.gradients + c.differenceGradients + c.jacobians,
      nhev: c.hessianVectorProducts + c.hessians, f: outcome.value, gnorm: gnorm,
      seconds: seconds, termination: outcome.termination)
    if let fStar = problem.optimalValue {
      lre = problem.logRelativeError(of: outcome.value)
      ferror = Swift.abs(outcome.value - fStar)
    }
    if c.residuals > 0 { njprod = c.jacobianProducts }
  }
}

/// Runs every applicable (problem, method) pair, timing the median of repeated solves. Problems
/// are built one at a time and released before the next is built.
struct SolverBenchmark {
  /// The suite name written into the records.
  var suite: String
  var problemNames: [String]
  var build: (String) -> TestProblem?
  var methods: [String]
  var backend: SolverBackend
  var gradientTolerance = 1e-6
  /// The iteration limit of a method (the peers allow L-BFGS more on the large problems).
  var maxIterations: (String) -> Int = { _ in 1000 }
  var repeats: Int
  /// A first solve longer than this is not repeated (its time is the single timing).
  var slowRunSeconds = 10.0

  /// The number of (problem, method) pairs, applicable or not.
  var pairCount: Int { problemNames.count * methods.count }

  func settings(_ method: String, recordsIterations: Bool = false) -> SolveSettings {
    SolveSettings(
      gradientTolerance: gradientTolerance, maxIterations: maxIterations(method),
      recordsIterations: recordsIterations)
  }

  func run(progress: ProgressReporter?) -> [BenchmarkRecord] {
    let clock = ContinuousClock()
    var records: [BenchmarkRecord] = []
    for name in problemNames {
      guard let problem = build(name) else { continue }
      for method in methods {
        if let reason = backend.inapplicability(method, problem) {
          progress?.completed("\(name) \(method): skipped, \(reason)")
          continue
        }
        var times: [Double] = []
        var outcome: SolveOutcome?
        for _ in 0..<repeats {
          let start = clock.now
          let o = backend.solve(problem, method, settings(method))
          let t = durationSeconds(clock.now - start)
          times.append(t)
          outcome = o
          if t > slowRunSeconds { break }
        }
        var record = BenchmarkRecord(
          problem: problem, method: method, outcome: outcome!,
          seconds: SummaryStatistics.median(times)!, gradientTolerance: gradientTolerance)
        record.suite = suite
        records.append(record)
        progress?.completed(
          "\(name) \(method): \(record.success ? "ok" : "FAILED") in "
            + formatDuration(record.seconds))
      }
    }
    return records
  }

  /// One untimed solve per applicable method on each of `problems`, recording the iterates
  /// through the solver's observer.
  func curves(problems: [String]) -> [ConvergenceCurve] {
    var curves: [ConvergenceCurve] = []
    for name in problems {
      guard let problem = build(name) else { continue }
      for method in methods where backend.inapplicability(method, problem) == nil {
        let o = backend.solve(problem, method, settings(method, recordsIterations: true))
        curves.append(
          ConvergenceCurve(
            suite: suite, problem: name, method: method, optimalValue: problem.optimalValue,
            points: o.trace))
      }
    }
    return curves
  }

  /// The per-run table; with `jacobianProducts`, a column of the products J·v and Jᵀ·w.
  static func table(_ records: [BenchmarkRecord], jacobianProducts: Bool = false) -> TextTable {
    var headers = ["problem", "n", "method", "ok", "iters", "nfev", "ngev", "nhev"]
    if jacobianProducts { headers.append("njprod") }
    headers += ["f", "LRE", "‖g‖∞", "ms", "termination"]
    var t = TextTable(
      headers: headers, rightAligned: Set([1] + Array(4..<(headers.count - 1))))
    for r in records {
      var row = [
        r.problem, String(r.n), r.method, r.success ? "yes" : "NO", String(r.iterations),
        String(r.nfev), String(r.ngev), String(r.nhev),
      ]
      if jacobianProducts { row.append(String(r.njprod ?? 0)) }
      row += [
        formatScientific(r.f, digits: 6), r.lre.map { formatFixed($0, digits: 1) } ?? "-",
        formatScientific(r.gnorm, digits: 1), formatFixed(r.seconds * 1e3, digits: 3),
        r.termination,
      ]
      t.append(row)
    }
    return t
  }

  /// The per-method summary: runs, solved, and over solved runs the median iterations,
  /// evaluations (nfev, ngev, nhev) and time; then the total time.
  static func summary(_ records: [BenchmarkRecord]) -> TextTable {
    var t = TextTable(
      headers: [
        "method", "runs", "solved", "median iters", "median nfev", "median ngev", "median nhev",
        "median ms", "total s",
      ],
      rightAligned: [1, 2, 3, 4, 5, 6, 7, 8])
    var methods: [String] = []
    for r in records where !methods.contains(r.method) { methods.append(r.method) }
    func median(_ values: [Double]) -> String {
      SummaryStatistics.median(values).map { formatNumber($0, significantDigits: 4) } ?? "-"
    }
    for m in methods {
      let runs = records.filter { $0.method == m }
      let solved = runs.filter(\.success)
      t.append([
        m, String(runs.count), String(solved.count),
        median(solved.map { Double($0.iterations) }), median(solved.map { Double($0.nfev) }),
        median(solved.map { Double($0.ngev) }), median(solved.map { Double($0.nhev) }),
        SummaryStatistics.median(solved.map(\.seconds)).map { formatFixed($0 * 1e3, digits: 3) }
          ?? "-",
        formatFixed(runs.reduce(0) { $0 + $1.seconds }, digits: 3),
      ])
    }
    return t
  }
}
