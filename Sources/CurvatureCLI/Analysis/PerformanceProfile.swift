/// A Dolan-Moré performance profile: for each solver s, the fraction of problems it solves within a
/// factor τ of the best solver,
///
///     ρ_s(τ) = |{p : r_{p,s} ≤ τ}| / n_p,   r_{p,s} = t_{p,s} / min_{s'} t_{p,s'},
///
/// where t_{p,s} is a cost (time, evaluations) and a failure counts as t = ∞, so r = ∞ and the
/// problem never counts for that solver. A problem every solver fails stays in n_p. ρ_s(1) is the
/// fraction of problems on which s is (one of) the fastest; lim ρ_s(τ) as τ → ∞ is the fraction it
/// solves.
///
/// Reference: E. D. Dolan and J. J. Moré, "Benchmarking optimization software with performance
/// profiles", Mathematical Programming 91 (2002) 201-213.
public struct PerformanceProfile: Sendable {
  /// The solver names, in column order.
  public let solvers: [String]
  /// The problem names, in row order.
  public let problems: [String]
  /// r_{p,s}: `ratios[p][s]`, ≥ 1, or +∞ for a failure.
  public let ratios: [[Double]]

  /// A profile from a cost table `costs[p][s]`; nil, non-finite or non-positive costs are
  /// failures.
  public init(problems: [String], solvers: [String], costs: [[Double?]]) {
    precondition(
      costs.count == problems.count,
      "cost table has \(costs.count) rows but there are \(problems.count) problems")
    self.problems = problems
    self.solvers = solvers
    self.ratios = costs.map { row in
      precondition(
        row.count == solvers.count,
        "cost row has \(row.count) entries but there are \(solvers.count) solvers")
      let valid = row.map { c -> Double in
        guard let c, c.isFinite, c > 0 else { return .infinity }
        return c
      }
      let best = valid.min() ?? .infinity
      return valid.map { best.isFinite && $0.isFinite ? $0 / best : .infinity }
    }
  }

  /// A profile from benchmark records: problems are record problems, solvers record methods, and
  /// a run counts as solved when `success` holds; the cost is chosen by `cost` (wall time by
  /// default). A missing (problem, method) pair is a failure.
  public init(
    records: [BenchmarkRecord], cost: (BenchmarkRecord) -> Double = { $0.seconds }
  ) {
    var problems: [String] = []
    var solvers: [String] = []
    var table: [String: [String: Double]] = [:]
    for r in records {
      if !problems.contains(r.problem) { problems.append(r.problem) }
      if !solvers.contains(r.method) { solvers.append(r.method) }
      if r.success { table[r.problem, default: [:]][r.method] = cost(r) }
    }
    self.init(
      problems: problems, solvers: solvers,
      costs: problems.map { p in solvers.map { table[p]?[$0] } })
  }

  /// ρ_s(τ) for the solver at index `solver`.
  public func fraction(solver: Int, within tau: Double) -> Double {
    guard !problems.isEmpty else { return 0 }
    let count = ratios.reduce(0) { $0 + ($1[solver] <= tau ? 1 : 0) }
    return Double(count) / Double(problems.count)
  }

  /// The largest finite ratio (1 when there is none).
  public var largestFiniteRatio: Double {
    ratios.joined().filter(\.isFinite).max() ?? 1
  }

  /// The step curve of ρ_s on [1, τ_max] as plot points: at each distinct finite ratio the curve
  /// jumps up, so each jump appears as two points with the same τ.
  public func curve(solver: Int, upTo tauMax: Double) -> [(x: Double, y: Double)] {
    let finite = ratios.map { $0[solver] }.filter { $0.isFinite && $0 <= tauMax }.sorted()
    var points: [(x: Double, y: Double)] = [(1, fraction(solver: solver, within: 1))]
    var level = points[0].y
    for r in finite where r > 1 {
      let next = fraction(solver: solver, within: r)
      if next > level {
        points.append((r, level))
        points.append((r, next))
        level = next
      }
    }
    points.append((Swift.max(tauMax, 1), level))
    return points
  }
}
