import ArgumentParser
import Curvature
import Foundation

/// `curvature bench`: runs a benchmark suite.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Run a benchmark suite and report times, counts and success.",
    discussion: """
      Suites:
        mgh          every method on the Moré-Garbow-Hillstrom problems
        large        every method on the scalable problems (up to n = 10⁶)
        kernels      dot, axpy, scale and norm on 10⁶ and 10⁷ elements, in GB/s
        derivatives  gradients and Hessian-vector products by every route
        all          all of the above

      Solver runs use the peers' settings: success means ‖∇f‖∞ ≤ 10⁻⁶ at the final point, \
      checked afterwards with the problem's gradient; at most 1000 iterations (5000 for lbfgs \
      on the large problems); the time is the median of --repeat solves (3 by default; a solve \
      longer than 10 s is not repeated). Kernel times are medians of 30 calls by default.

      Progress lines with an estimate of the time left go to the error stream (--quiet silences \
      them). Measure in a release build: swift build -c release && .build/release/curvature bench.
      """)

  /// A benchmark suite.
  enum Suite: String, CaseIterable, ExpressibleByArgument {
    case mgh, large, kernels, derivatives, all
  }

  @Option(help: "The benchmark suite (see above).")
  var suite = Suite.mgh

  @Option(
    parsing: .upToNextOption,
    help: "Methods to run, separated by commas or spaces (default: all).")
  var methods: [String] = []

  @Option(
    parsing: .upToNextOption,
    help: "Only these problems, separated by commas or spaces (default: the whole suite).")
  var problems: [String] = []

  @Option(help: ArgumentHelp("Write the records as JSON to this file.", valueName: "file"))
  var json: String?

  @Option(
    help: ArgumentHelp(
      "Write a plot to this SVG file: a performance profile (time) of the methods, or the kernel throughput.",
      valueName: "file"))
  var svg: String?

  @Option(
    name: .customLong("repeat"),
    help: ArgumentHelp("Timed repetitions per run; the median is reported.", valueName: "n"))
  var repeats: Int?

  @Flag(help: "No progress lines on the error stream.")
  var quiet = false

  var methodList: [String] { splitList(methods) }
  var problemList: [String] { splitList(problems) }

  func validate() throws {
    let env = CommandEnvironment.current
    let known = env.solvers?.methods ?? MethodFamily.methodNames
    for m in methodList where !known.contains(m) {
      throw unknownChoice("method", m, valid: known)
    }
    if !problemList.isEmpty {
      let names = env.catalog.problemNames
      for p in problemList where !names.contains(p) {
        throw unknownChoice("problem", p, valid: names)
      }
    }
    if let repeats, repeats < 1 {
      throw ValidationError("--repeat must be at least 1, got \(repeats)")
    }
  }

  func run() throws {
    let env = CommandEnvironment.current
    let out = env.output
    let suites: [Suite] = suite == .all ? [.mgh, .large, .kernels, .derivatives] : [suite]
    var records: [BenchmarkRecord] = []
    var kernels: [KernelTiming]?
    for s in suites {
      switch s {
      case .mgh, .large:
        guard let backend = env.solvers else {
          if suite == .all {
            out.errorLine("note: skipping suite \(s.rawValue): this build has no solvers yet")
            continue
          }
          throw env.fail("this build of curvature has no solvers yet")
        }
        guard let collection = env.catalog.collection(named: s.rawValue) else { continue }
        var names = collection.problemNames()
        if !problemList.isEmpty { names = names.filter { problemList.contains($0) } }
        if names.isEmpty {
          out.errorLine("note: suite \(s.rawValue) has no problems to run in this build")
          continue
        }
        let isLarge = s == .large
        let bench = SolverBenchmark(
          problemNames: names, build: collection.build,
          methods: methodList.isEmpty ? backend.methods : methodList, backend: backend,
          maxIterations: { isLarge && $0 == "lbfgs" ? 5000 : 1000 }, repeats: repeats ?? 3)
        let progress = ProgressReporter(total: bench.pairCount, output: out, quiet: quiet)
        let runs = bench.run(progress: progress)
        out.line("Suite \(s.rawValue): \(runs.count) runs\n")
        out.line(SolverBenchmark.table(runs).render())
        out.line("")
        out.line(SolverBenchmark.summary(runs).render())
        out.line("")
        if isLarge && runs.contains(where: { $0.method == "lbfgs" && $0.n >= 100_000 }) {
          let bandwidths = LBFGSTrafficModel.measureBandwidths()
          out.line(
            "L-BFGS (m = 10) against the memory-bandwidth bound of its vector traffic (dot "
              + formatFixed(bandwidths.dot / 1e9, digits: 2) + " GB/s, axpy "
              + formatFixed(bandwidths.axpy / 1e9, digits: 2) + " GB/s at n = 10⁷, measured now)\n")
          out.line(LBFGSTrafficModel.table(runs, bandwidths: bandwidths).render())
          out.line("")
        }
        records += runs
      case .kernels:
        let sizes = env.kernelSizes
        let progress = ProgressReporter(
          total: sizes.count * KernelBenchmarks.kernels.count, output: out, quiet: quiet)
        let result = KernelBenchmarks.run(
          sizes: sizes, repeats: repeats ?? 30, progress: { progress.completed($0) })
        kernels = result.timings
        out.line("Suite kernels: Curvature's level-1 kernels, median of \(repeats ?? 30) calls\n")
        out.line(KernelBenchmarks.table(result.timings).render())
        out.line("(checksum \(formatNumber(result.checksum, significantDigits: 6)))\n")
      case .derivatives:
        guard let derivatives = env.derivativeSuite else {
          if suite == .all {
            out.errorLine("note: skipping suite derivatives: not in this build yet")
            continue
          }
          throw env.fail("the derivatives suite is not in this build yet")
        }
        try derivatives.run(out, repeats, quiet)
      case .all:
        break
      }
    }
    if let json {
      let meta = BenchmarkRecordFile.Meta(
        suite: suite.rawValue, repeats: repeats ?? 3, gradientTolerance: 1e-6,
        date: ISO8601DateFormatter().string(from: Date()))
      let file = BenchmarkRecordFile(meta: meta, records: records, kernels: kernels)
      do {
        try file.encoded().write(to: URL(fileURLWithPath: json))
      } catch {
        throw env.fail("cannot write \(json): \(error.localizedDescription)")
      }
      out.errorLine("wrote \(records.count) records to \(json)")
    }
    if let svg {
      let plot: SVGPlot
      if !records.isEmpty {
        plot = Plots.performanceProfile(
          PerformanceProfile(records: records),
          title: "Performance profile (wall time), suite \(suite.rawValue)")
      } else if let kernels {
        plot = Plots.kernelThroughput(kernels)
      } else {
        throw env.fail("nothing to plot: the suite produced no records")
      }
      do {
        try plot.write(to: svg)
      } catch {
        throw env.fail("cannot write \(svg): \(error.localizedDescription)")
      }
      out.errorLine("wrote \(svg)")
    }
  }
}

/// Splits list options given as `a,b c` into `[a, b, c]`.
func splitList(_ values: [String]) -> [String] {
  values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    .filter { !$0.isEmpty }
}
