import Curvature
import CurvatureProblems

extension BenchmarkRecord {
  /// The record of `outcome`, with the success test applied afterwards as the peers do:
  /// ‖∇f(x_final)‖∞ ≤ `gradientTolerance`, with the gradient recomputed from the problem.
  ///
  /// Counts: `nfev` = values + residual evaluations; `ngev` = gradients + gradients spent on
  /// finite-difference products + dense Jacobians; `nhev` = Hessian-vector products + dense
  /// Hessians.
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
  }
}

/// Runs every applicable (problem, method) pair, timing the median of repeated solves.
struct SolverBenchmark {
  var problems: [TestProblem]
  var methods: [String]
  var backend: SolverBackend
  var settings: SolveSettings
  var repeats: Int
  /// A first solve longer than this is not repeated (its time is the single timing).
  var slowRunSeconds = 10.0

  /// The (problem, method) pairs that will run.
  var pairs: [(TestProblem, String)] {
    problems.flatMap { p in
      methods.filter { backend.inapplicability($0, p) == nil }.map { (p, $0) }
    }
  }

  func run(progress: ProgressReporter?) -> [BenchmarkRecord] {
    let clock = ContinuousClock()
    var records: [BenchmarkRecord] = []
    for (problem, method) in pairs {
      var times: [Double] = []
      var outcome: SolveOutcome?
      for _ in 0..<repeats {
        let start = clock.now
        let o = backend.solve(problem, method, settings)
        let t = seconds(clock.now - start)
        times.append(t)
        outcome = o
        if t > slowRunSeconds { break }
      }
      let record = BenchmarkRecord(
        problem: problem, method: method, outcome: outcome!,
        seconds: Statistics.median(times)!, gradientTolerance: settings.gradientTolerance)
      records.append(record)
      progress?.completed(
        "\(problem.name) \(method): \(record.success ? "ok" : "FAILED") in "
          + formatDuration(record.seconds))
    }
    return records
  }

  /// The per-run table.
  static func table(_ records: [BenchmarkRecord]) -> TextTable {
    var t = TextTable(
      headers: [
        "problem", "n", "method", "ok", "iters", "nfev", "ngev", "nhev", "f", "‖g‖∞", "ms",
        "termination",
      ], rightAligned: [1, 4, 5, 6, 7, 8, 9, 10])
    for r in records {
      t.append([
        r.problem, String(r.n), r.method, r.success ? "yes" : "NO", String(r.iterations),
        String(r.nfev), String(r.ngev), String(r.nhev), formatScientific(r.f, digits: 6),
        formatScientific(r.gnorm, digits: 1), formatFixed(r.seconds * 1e3, digits: 2),
        r.termination,
      ])
    }
    return t
  }

  /// The per-method summary: runs, solved, median iterations and time over solved runs, total
  /// time.
  static func summary(_ records: [BenchmarkRecord]) -> TextTable {
    var t = TextTable(
      headers: ["method", "runs", "solved", "median iters", "median ms", "total s"],
      rightAligned: [1, 2, 3, 4, 5])
    var methods: [String] = []
    for r in records where !methods.contains(r.method) { methods.append(r.method) }
    for m in methods {
      let runs = records.filter { $0.method == m }
      let solved = runs.filter(\.success)
      t.append([
        m, String(runs.count), String(solved.count),
        Statistics.median(solved.map { Double($0.iterations) }).map {
          formatNumber($0, significantDigits: 4)
        } ?? "-",
        Statistics.median(solved.map(\.seconds)).map { formatFixed($0 * 1e3, digits: 2) } ?? "-",
        formatFixed(runs.reduce(0) { $0 + $1.seconds }, digits: 2),
      ])
    }
    return t
  }
}
