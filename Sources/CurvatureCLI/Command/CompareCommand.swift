import ArgumentParser
import Curvature
import Foundation

/// `curvature compare`: our benchmark records beside the Python reference libraries'.
struct CompareCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compare",
    abstract: "Compare our benchmark results with SciPy, Optax and Optimistix.",
    discussion: """
      Reads the peer harness's results (by default ../shared/peers/results/baseline.json \
      relative to the package root) and, with --ours FILE (written by `curvature bench --json \
      FILE`), prints per problem and method family our figures beside theirs, with ratios \
      ours/theirs (below 1 means we are faster or cheaper), and a summary per family using \
      geometric means over the problems both sides solved. Without --ours it prints the peer \
      results alone.

      Families: newton-cg ↔ scipy_newton-cg; trust-ncg ↔ scipy_trust-ncg; trust-krylov ↔ \
      scipy_trust-krylov; trust-exact ↔ scipy_trust-exact; bfgs ↔ scipy_bfgs, optx_bfgs; \
      lbfgs ↔ scipy_l-bfgs-b, optax_lbfgs; lm ↔ scipy_lm.
      """)

  @Option(help: ArgumentHelp("The peer results JSON.", valueName: "file"))
  var peers: String?

  @Option(help: ArgumentHelp("Our records, from `curvature bench --json FILE`.", valueName: "file"))
  var ours: String?

  @Option(
    parsing: .upToNextOption,
    help: "Only these method families (our method names), separated by commas or spaces.")
  var family: [String] = []

  @Option(
    parsing: .upToNextOption, help: "Only these problems, separated by commas or spaces.")
  var problems: [String] = []

  @Option(
    help: ArgumentHelp(
      "With --ours, write a performance profile (time) of our methods and the peer solvers.",
      valueName: "file"))
  var svg: String?

  var families: [MethodFamily] {
    let names = splitList(family)
    return names.isEmpty ? MethodFamily.all : MethodFamily.all.filter { names.contains($0.method) }
  }

  func validate() throws {
    for f in splitList(family) where MethodFamily.family(ofMethod: f) == nil {
      throw unknownChoice("family", f, valid: MethodFamily.methodNames)
    }
    if svg != nil && ours == nil {
      throw ValidationError("--svg needs --ours (the plot compares our methods with the peers)")
    }
  }

  /// The default peer results path, relative to the package root.
  static func defaultPeersPath(packageRoot: String?) -> String {
    let root = packageRoot ?? FileManager.default.currentDirectoryPath
    return URL(fileURLWithPath: root).appendingPathComponent(
      "../shared/peers/results/baseline.json"
    )
    .standardizedFileURL.path
  }

  func run() throws {
    let env = CommandEnvironment.current
    let out = env.output
    let peersPath = peers ?? Self.defaultPeersPath(packageRoot: env.packageRoot)
    guard FileManager.default.fileExists(atPath: peersPath) else {
      throw env.fail(
        """
        no peer results at \(peersPath).
        Produce them with the reference harness (SciPy, JAX, Optax, Optimistix; the first
        setup needs Python 3 and network access), from the package root:
          cd ../shared/peers && ./setup.sh && .venv/bin/python run.py
        run.py writes results/baseline.json; --quick runs the small problems only and writes
        results/quick.json; --problems, --solvers, --reps and --out narrow the run.
        Or pass another results file with --peers FILE.
        """)
    }
    let peerResults: PeerResults
    do {
      peerResults = try PeerResults(contentsOf: peersPath)
    } catch {
      throw env.fail("cannot read the peer results \(peersPath): \(error)")
    }
    let problemFilter = splitList(problems)
    let peerSolvers = Set(families.flatMap(\.peerSolvers))
    let onlyFamilies = !splitList(family).isEmpty
    let peerRecords = peerResults.records.filter {
      (problemFilter.isEmpty || problemFilter.contains($0.problem))
        && (!onlyFamilies || peerSolvers.contains($0.solver))
    }
    out.line("Peer results: \(peersPath) (\(peerResults.records.count) rows)")

    guard let ours else {
      out.line("")
      out.line(Self.peerTable(peerRecords).render())
      out.line("")
      out.line(Self.peerSummary(peerRecords).render())
      out.line(
        "\nPass --ours FILE (written by `curvature bench --json FILE`) to compare with our results."
      )
      return
    }
    guard FileManager.default.fileExists(atPath: ours) else {
      throw env.fail(
        "no records at \(ours); produce them with `curvature bench --suite mgh --json \(ours)`")
    }
    let ourRecords: [BenchmarkRecord]
    do {
      ourRecords = try BenchmarkRecordFile.decode(Data(contentsOf: URL(fileURLWithPath: ours)))
        .records.filter { problemFilter.isEmpty || problemFilter.contains($0.problem) }
    } catch {
      throw env.fail("cannot read our records \(ours): \(error)")
    }
    out.line("Our results: \(ours) (\(ourRecords.count) records)")
    let comparison = Comparison(ours: ourRecords, peers: peerRecords, families: families)
    if comparison.rows.isEmpty {
      out.line("\nNo problem and method family in common.")
      return
    }
    for f in families {
      let rows = comparison.rows.filter { $0.family == f }
      guard !rows.isEmpty else { continue }
      out.line("\n\(f.method): \(f.summary)  (values are ours / theirs; ratio < 1: we are faster)")
      out.line(Self.comparisonTable(rows).render())
    }
    out.line("\nSummary per family (geometric means of ours/theirs over problems both solved)")
    out.line(Self.summaryTable(comparison.summaries).render())
    out.line(
      "\nMedians per family over problems both solved (evaluations = gradients + Hessian-vector"
        + " products, ngev + nhev)")
    out.line(Self.medianTable(comparison.summaries).render())
    if !comparison.librarySummaries.isEmpty {
      out.line("\nPer peer library, all families (speed-up = theirs / ours time)")
      out.line(Self.libraryTable(comparison.librarySummaries).render())
    }
    if let svg {
      let plot = Self.profilePlot(ours: ourRecords, peers: peerRecords, families: families)
      do {
        try plot.write(to: svg)
      } catch {
        throw env.fail("cannot write \(svg): \(error.localizedDescription)")
      }
      out.errorLine("wrote \(svg)")
    }
  }

  static func peerTable(_ records: [PeerRecord]) -> TextTable {
    var t = TextTable(
      headers: [
        "problem", "n", "solver", "ok", "min", "iters", "nfev", "ngev", "nhev", "f", "‖g‖∞", "ms",
      ], rightAligned: [1, 5, 6, 7, 8, 9, 10, 11])
    for r in records {
      guard r.ran else {
        t.append([r.problem, String(r.n), r.solver, r.status])
        continue
      }
      t.append([
        r.problem, String(r.n), r.solver,
        (r.success ? "yes" : "NO") + (r.status == "timeout" ? " (timeout)" : ""),
        r.minimum ?? "-", count(r.iterations), count(r.nfev), count(r.ngev), count(r.nhev),
        r.f.map { formatScientific($0, digits: 6) } ?? "-",
        r.gnormInf.map { formatScientific($0, digits: 1) } ?? "-",
        r.timeSeconds.map { formatFixed($0 * 1e3, digits: 2) } ?? "-",
      ])
    }
    return t
  }

  static func peerSummary(_ records: [PeerRecord]) -> TextTable {
    var t = TextTable(
      headers: ["solver", "runs", "solved", "reached f*", "median iters", "median ms"],
      rightAligned: [1, 2, 3, 4, 5])
    var solvers: [String] = []
    for r in records where !solvers.contains(r.solver) { solvers.append(r.solver) }
    for s in solvers {
      let runs = records.filter { $0.solver == s && $0.ran }
      let solved = runs.filter(\.success)
      t.append([
        s, String(runs.count), String(solved.count),
        String(runs.filter { $0.minimum == "f*" }.count),
        SummaryStatistics.median(solved.compactMap { $0.iterations.map(Double.init) }).map {
          formatNumber($0, significantDigits: 4)
        } ?? "-",
        SummaryStatistics.median(solved.compactMap(\.timeSeconds)).map {
          formatFixed($0 * 1e3, digits: 2)
        } ?? "-",
      ])
    }
    return t
  }

  static func comparisonTable(_ rows: [Comparison.Row]) -> TextTable {
    var t = TextTable(
      headers: ["problem", "n", "peer", "ok", "iters", "ngev", "nhev", "ms", "time ratio"],
      rightAligned: [1, 4, 5, 6, 7, 8])
    for r in rows {
      let o = r.ours
      let p = r.theirs
      t.append([
        o.problem, String(o.n), p.solver,
        "\(o.success ? "yes" : "NO")/\(p.success ? "yes" : "NO")",
        "\(o.iterations)/\(count(p.iterations))", "\(o.ngev)/\(count(p.ngev))",
        "\(o.nhev)/\(count(p.nhev))",
        formatNumber(o.seconds * 1e3, significantDigits: 3) + "/"
          + (p.timeSeconds.map { formatNumber($0 * 1e3, significantDigits: 3) } ?? "-"),
        r.timeRatio.map { formatNumber($0, significantDigits: 3) } ?? "-",
      ])
    }
    return t
  }

  static func summaryTable(_ summaries: [Comparison.Summary]) -> TextTable {
    var t = TextTable(
      headers: [
        "family", "peer", "common", "solved", "both", "faster", "time ratio", "iters ratio",
        "ngev ratio",
      ], rightAligned: [2, 3, 4, 5, 6, 7, 8])
    func r(_ v: Double?) -> String { v.map { formatNumber($0, significantDigits: 3) } ?? "-" }
    for s in summaries {
      t.append([
        s.family.method, s.peerSolver, String(s.common), "\(s.oursSolved)/\(s.theirsSolved)",
        String(s.bothSolved), "\(s.oursFaster)/\(s.bothSolved)", r(s.timeRatio),
        r(s.iterationRatio), r(s.gradientEvaluationRatio),
      ])
    }
    return t
  }

  static func medianTable(_ summaries: [Comparison.Summary]) -> TextTable {
    var t = TextTable(
      headers: [
        "family", "peer", "both", "median evals ours", "median evals theirs", "median ms ours",
        "median ms theirs", "speed-up",
      ], rightAligned: [2, 3, 4, 5, 6, 7])
    func n(_ v: Double?) -> String { v.map { formatNumber($0, significantDigits: 4) } ?? "-" }
    func ms(_ v: Double?) -> String {
      v.map { formatNumber($0 * 1e3, significantDigits: 3) } ?? "-"
    }
    for s in summaries {
      t.append([
        s.family.method, s.peerSolver, String(s.bothSolved), n(s.oursMedianEvaluations),
        n(s.theirsMedianEvaluations), ms(s.oursMedianSeconds), ms(s.theirsMedianSeconds),
        s.timeRatio.map { formatNumber(1 / $0, significantDigits: 3) + "x" } ?? "-",
      ])
    }
    return t
  }

  static func libraryTable(_ summaries: [Comparison.LibrarySummary]) -> TextTable {
    var t = TextTable(
      headers: [
        "library", "pairs both solved", "we are faster", "speed-up (geo. mean)",
        "speed-up (median)", "evals ratio ours/theirs",
      ], rightAligned: [1, 2, 3, 4, 5])
    func x(_ v: Double?) -> String {
      v.map { formatNumber(1 / $0, significantDigits: 3) + "x" } ?? "-"
    }
    for s in summaries {
      t.append([
        s.library, String(s.bothSolved), "\(s.oursFaster)/\(s.bothSolved)", x(s.timeRatio),
        x(s.medianTimeRatio),
        s.evaluationRatio.map { formatNumber($0, significantDigits: 3) } ?? "-",
      ])
    }
    return t
  }

  /// A time performance profile over the problems in our records, with our methods and the
  /// peer solvers of their families as solvers.
  static func profilePlot(
    ours: [BenchmarkRecord], peers: [PeerRecord], families: [MethodFamily]
  ) -> SVGPlot {
    var problems: [String] = []
    for r in ours where !problems.contains(r.problem) { problems.append(r.problem) }
    var methods: [String] = []
    for r in ours where !methods.contains(r.method) { methods.append(r.method) }
    let peerSolvers = families.filter { methods.contains($0.method) }.flatMap(\.peerSolvers)
    let solvers = methods + peerSolvers
    let costs: [[Double?]] = problems.map { p in
      methods.map { m in ours.first { $0.problem == p && $0.method == m && $0.success }?.seconds }
        + peerSolvers.map { s in
          peers.first { $0.problem == p && $0.solver == s && $0.success }?.timeSeconds
        }
    }
    return Plots.performanceProfile(
      PerformanceProfile(problems: problems, solvers: solvers, costs: costs),
      title: "Performance profile (wall time): Curvature and the peers")
  }
}

private func count(_ v: Int?) -> String { v.map(String.init) ?? "-" }
