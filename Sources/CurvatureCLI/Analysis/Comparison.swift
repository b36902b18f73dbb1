/// Our benchmark records beside the peer harness's, matched by problem and method family.
///
/// Ratios are ours / theirs, so a time ratio below 1 means we were faster. Summaries use the
/// geometric mean of time ratios over the problems both sides solved (a 2× win and a 2× loss
/// average to 1).
public struct Comparison: Sendable {
  /// One problem solved by one of our methods and by one peer solver of the same family.
  public struct Row: Sendable {
    /// The family.
    public var family: MethodFamily
    /// Our record.
    public var ours: BenchmarkRecord
    /// The peer's record.
    public var theirs: PeerRecord

    /// Our time over theirs, when both are positive.
    public var timeRatio: Double? { ratio(ours.seconds, theirs.timeSeconds) }
    /// Our iterations over theirs.
    public var iterationRatio: Double? {
      ratio(Double(ours.iterations), theirs.iterations.map(Double.init))
    }
    /// Our gradient evaluations over theirs.
    public var gradientEvaluationRatio: Double? {
      ratio(Double(ours.ngev), theirs.ngev.map(Double.init))
    }
    /// Our gradient plus Hessian-vector product evaluations (ngev + nhev).
    public var oursDerivativeEvaluations: Double { Double(ours.ngev + ours.nhev) }
    /// The peer's gradient plus Hessian-vector product evaluations (ngev + nhev), when both
    /// are reported (a missing nhev counts as 0).
    public var theirsDerivativeEvaluations: Double? {
      theirs.ngev.map { Double($0 + (theirs.nhev ?? 0)) }
    }
  }

  /// Totals for one (family, peer solver) pair.
  public struct Summary: Sendable {
    /// The family.
    public var family: MethodFamily
    /// The peer solver.
    public var peerSolver: String
    /// Problems both sides ran.
    public var common: Int
    /// Of those, solved by us.
    public var oursSolved: Int
    /// Of those, solved by the peer.
    public var theirsSolved: Int
    /// Geometric mean of time ratios over problems both solved.
    public var timeRatio: Double?
    /// Geometric mean of iteration ratios over problems both solved.
    public var iterationRatio: Double?
    /// Geometric mean of gradient-evaluation ratios over problems both solved.
    public var gradientEvaluationRatio: Double?
    /// Problems both solved where our time was lower.
    public var oursFaster: Int
    /// Problems both solved.
    public var bothSolved: Int
    /// Median of our ngev + nhev over problems both solved.
    public var oursMedianEvaluations: Double? = nil
    /// Median of the peer's ngev + nhev over problems both solved.
    public var theirsMedianEvaluations: Double? = nil
    /// Median of our seconds per solve over problems both solved.
    public var oursMedianSeconds: Double? = nil
    /// Median of the peer's seconds per solve over problems both solved.
    public var theirsMedianSeconds: Double? = nil
  }

  /// Totals for one peer library (SciPy, or the compiled JAX loops of Optax and Optimistix)
  /// over every family: the speed-up targets of the design notes are stated per library.
  public struct LibrarySummary: Sendable {
    /// `SciPy` or `Optax/Optimistix`.
    public var library: String
    /// Pairs (problem, family, peer solver) both sides solved.
    public var bothSolved: Int
    /// Of those, pairs where our time was lower.
    public var oursFaster: Int
    /// Geometric mean of time ratios (ours / theirs) over the pairs both solved.
    public var timeRatio: Double?
    /// Median of the per-pair time ratios.
    public var medianTimeRatio: Double?
    /// Geometric mean of (ngev + nhev) ratios over the pairs both solved.
    public var evaluationRatio: Double?
  }

  /// The matched rows, in our records' order, then peer solver order.
  public let rows: [Row]
  /// One summary per (family, peer solver) with at least one common problem, in family order.
  public let summaries: [Summary]
  /// One summary per peer library with at least one pair both solved: SciPy (`scipy_*`), then
  /// Optax/Optimistix (`optax_*`, `optx_*`).
  public let librarySummaries: [LibrarySummary]

  /// The peer library of a peer solver name: `SciPy` or `Optax/Optimistix`.
  public static func library(ofPeerSolver solver: String) -> String {
    solver.hasPrefix("scipy_") ? "SciPy" : "Optax/Optimistix"
  }

  /// Matches `ours` against `peers`.
  public init(
    ours: [BenchmarkRecord], peers: [PeerRecord], families: [MethodFamily] = MethodFamily.all
  ) {
    var rows: [Row] = []
    for record in ours {
      guard let family = families.first(where: { $0.method == record.method }) else { continue }
      for solver in family.peerSolvers {
        if let theirs = peers.first(where: {
          $0.problem == record.problem && $0.solver == solver && $0.ran
        }) {
          rows.append(Row(family: family, ours: record, theirs: theirs))
        }
      }
    }
    self.rows = rows
    var summaries: [Summary] = []
    for family in families {
      for solver in family.peerSolvers {
        let matched = rows.filter { $0.family == family && $0.theirs.solver == solver }
        guard !matched.isEmpty else { continue }
        let both = matched.filter { $0.ours.success && $0.theirs.success }
        summaries.append(
          Summary(
            family: family, peerSolver: solver, common: matched.count,
            oursSolved: matched.filter(\.ours.success).count,
            theirsSolved: matched.filter(\.theirs.success).count,
            timeRatio: SummaryStatistics.geometricMean(both.compactMap(\.timeRatio)),
            iterationRatio: SummaryStatistics.geometricMean(both.compactMap(\.iterationRatio)),
            gradientEvaluationRatio: SummaryStatistics.geometricMean(
              both.compactMap(\.gradientEvaluationRatio)),
            oursFaster: both.filter { ($0.timeRatio ?? .infinity) < 1 }.count,
            bothSolved: both.count,
            oursMedianEvaluations: SummaryStatistics.median(both.map(\.oursDerivativeEvaluations)),
            theirsMedianEvaluations: SummaryStatistics.median(
              both.compactMap(\.theirsDerivativeEvaluations)),
            oursMedianSeconds: SummaryStatistics.median(both.map(\.ours.seconds)),
            theirsMedianSeconds: SummaryStatistics.median(both.compactMap(\.theirs.timeSeconds))))
      }
    }
    self.summaries = summaries
    var libraries: [LibrarySummary] = []
    for library in ["SciPy", "Optax/Optimistix"] {
      let both = rows.filter {
        Comparison.library(ofPeerSolver: $0.theirs.solver) == library && $0.ours.success
          && $0.theirs.success
      }
      guard !both.isEmpty else { continue }
      let evaluationRatios = both.compactMap { r in
        r.theirsDerivativeEvaluations.flatMap { ratio(r.oursDerivativeEvaluations, $0) }
      }
      libraries.append(
        LibrarySummary(
          library: library, bothSolved: both.count,
          oursFaster: both.filter { ($0.timeRatio ?? .infinity) < 1 }.count,
          timeRatio: SummaryStatistics.geometricMean(both.compactMap(\.timeRatio)),
          medianTimeRatio: SummaryStatistics.median(both.compactMap(\.timeRatio)),
          evaluationRatio: SummaryStatistics.geometricMean(evaluationRatios)))
    }
    self.librarySummaries = libraries
  }
}

private func ratio(_ a: Double, _ b: Double?) -> Double? {
  guard let b, b > 0, a >= 0, a.isFinite, b.isFinite else { return nil }
  return a / b
}
