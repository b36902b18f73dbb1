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
        mgh            every method on the Moré-Garbow-Hillstrom problems
        least-squares  least-squares methods on the MGH problems with residuals
        constrained    SQP and bound-constrained methods, Hock-Schittkowski set
        large          every method on the scalable problems (up to n = 10⁶)
        kernels        dot, axpy, scale and norm on 10⁶ and 10⁷ elements, in GB/s
        derivatives    gradients and Hessian-vector products by every route
        dense          gemm, syrk, Cholesky, trsm, QR and eigh, in GFLOP/s
        models         gradient, Hessian-vector and Gauss-Newton products of training models
        all            all of the above except dense and models, in this order

      Methods of the mgh and large suites: newton-cg, trust-ncg, trust-krylov, trust-exact, \
      bfgs, lbfgs, lm, and on the large problems with n ≥ 4096 lbfgs-single (L-BFGS with its \
      history stored in single precision).

      Least-squares methods: lm (Levenberg-Marquardt, dense QR), lm-matrix-free (J·v and \
      Jᵀ·w products only), gauss-newton, dogleg. Constrained methods: sqp (damped BFGS), \
      sqp-exact (exact Hessian of the Lagrangian), and on the problems with bounds only \
      (hs001, hs038) lbfgsb and projected-newton-cg.

      Solver runs use the peers' settings: success means ‖∇f‖∞ ≤ 10⁻⁶ at the final point, \
      checked afterwards with the problem's gradient (for least-squares methods too, with \
      f = Σrᵢ²; the solver's own verdict is the termination column); at most 1000 iterations \
      (5000 for lbfgs and lbfgs-single on the large problems); the time is the median of --repeat solves (3 by \
      default; a solve longer than 10 s is not repeated). Kernel times are medians of 30 calls \
      by default.

      Columns: nfev counts objective values (residual evaluations r(x) for least-squares \
      methods), ngev gradients (dense Jacobians J(x) for least-squares methods), nhev \
      Hessian-vector products and Hessians; njprod the Jacobian products J·v and Jᵀ·w; LRE the \
      log relative error −log₁₀(|f − f*|/|f*|) (−log₁₀|f| when f* = 0), capped at 15.

      Constrained runs succeed when |f − f*| ≤ 10⁻⁶·max(1, |f*|) for the published f* and the \
      KKT residual is ≤ 10⁻⁶: for problems with bounds only, the projected gradient \
      ‖P(x − ∇f) − x‖∞ recomputed from the problem (also the gnorm column); otherwise the \
      solver's residuals max(‖∇ₓL‖∞, feasibility, complementarity), gnorm being ‖∇ₓL‖∞. \
      ncev and njev count constraint and constraint-Jacobian evaluations; violation is \
      recomputed from the problem.

      After each suite: a summary per method (runs, solved, medians over solved runs) and the \
      Dolan-Moré performance profile in time, ρ(τ) = fraction of problems solved within τ \
      times the fastest method's time; --svg plots the profiles (one panel per suite).

      --curves FILE runs each method once more, untimed, on the --curve-problems, recording \
      every iterate through the solver's observer, and draws per problem two panels against \
      the iteration (log y): |f − f*| (f where f* is unknown; values below 10⁻¹⁶ drawn at \
      10⁻¹⁶) and the gradient norm (the stationarity residual for constrained problems), one \
      line per method. Default curve problems: rosenbrock and osborne2 (mgh, least-squares), \
      hs071 and hs100 (constrained), ext_rosenbrock_n1000 and logreg_m10000_d100 (large), \
      where the suite runs them; otherwise its first problem.

      The dense suite times the dense kernels through the public API on n × n inputs at \
      n = 100, 500, 1000, 2000 (--sizes to choose; --problems chooses operations): gemm C = AB, \
      gemm-atb AᵀB, gemm-abt ABᵀ (2n³ flops each), syrk AᵀA by the symmetric rank-k update \
      (n³), cholesky S = LLᵀ (n³/3), trsm LX = A with the n columns of A as right-hand sides \
      and L the Cholesky factor of S (n³), cholesky-solve SX = A through the factor, LY = A \
      then LᵀX = Y (2n³), qr A = QR \
      by Householder reflections in compact form, Q not formed (4n³/3), eigh S = VΛVᵀ with \
      eigenvectors (a nominal 9n³, the symmetric QR algorithm's count). GFLOP/s = nominal \
      flops / median seconds; the time is the median of --repeat calls (5 by default) after a \
      warm-up call, and a warm-up over 10 s is reported alone (runs = 1). Inputs: entries of A \
      and B are 2u − 1 for SplitMix64 uniforms u (seeds 1 and 2, row-major), S = BᵀB + nI. The \
      residual probes the result with a fixed random vector x (seed 3), scaled by Frobenius \
      norms: ‖(C − AB)x‖/(‖A‖‖B‖‖x‖) for the products, ‖(C − AᵀA)x‖/(‖A‖²‖x‖), \
      ‖(S − LLᵀ)x‖/(‖S‖‖x‖), ‖(LX − A)x‖/(‖L‖‖X‖‖x‖), ‖(SX − A)x‖/(‖S‖‖X‖‖x‖), ‖(QR − A)x‖/(‖A‖‖x‖), and for eigh \
      the larger of ‖(SV − VΛ)x‖/(‖S‖‖x‖) and ‖(VᵀV − I)x‖/‖x‖; check is ok when it is at \
      most 10⁻¹⁰. --json writes {"meta", "dense"} records; scripts/dense_numpy.py times the \
      same operations in NumPy/SciPy and, given --curvature PATH, prints the ratios.

      The models suite times, for tanh networks 64-32-10 and 64-128-64 with softmax \
      cross-entropy, logistic and half squared error losses and for multinomial and binary \
      logistic regression (LinearModel with an intercept), on one batch of 500 samples of 64 \
      features (--sizes to choose other batch sizes): the gradient, the exact Hessian-vector product (one dual pass) and one \
      Gauss-Newton product (prepared once per point; its preparation is timed apart), as \
      medians of the thread CPU time of --repeat calls (10 by default) after a warm-up (robust \
      on a shared machine), and their ratios to the \
      gradient (target ≤ 3x); HVP vs FD is the relative distance of the product to central \
      differences of gradients. Then Newton-CG on the multinomial logistic regression, \
      autodiff route against hand-written derivatives.

      Progress lines with an estimate of the time left go to the error stream (--quiet silences \
      them). Measure in a release build: swift build -c release && .build/release/curvature bench.
      """)

  /// A benchmark suite.
  enum Suite: String, CaseIterable, ExpressibleByArgument {
    case mgh
    case leastSquares = "least-squares"
    case constrained, large, kernels, derivatives, dense, models, all

    /// Whether the suite runs solvers on problems (and so has methods and problems).
    var runsSolvers: Bool {
      self != .kernels && self != .derivatives && self != .dense && self != .models
        && self != .all
    }

    /// The default convergence-curve problems.
    var defaultCurveProblems: [String] {
      switch self {
      case .mgh, .leastSquares: ["rosenbrock", "osborne2"]
      case .constrained: ["hs071", "hs100"]
      case .large: ["ext_rosenbrock_n1000", "logreg_m10000_d100"]
      default: []
      }
    }
  }

  @Option(help: "The benchmark suite (see above).")
  var suite = Suite.mgh

  @Option(
    parsing: .upToNextOption,
    help: "Methods to run, separated by commas or spaces (default: all of the suite's).")
  var methods: [String] = []

  @Option(
    parsing: .upToNextOption,
    help: "Only these problems, separated by commas or spaces (default: the whole suite).")
  var problems: [String] = []

  @Option(
    help: ArgumentHelp(
      "Write the records (and the --curves data) as JSON to this file.", valueName: "file"))
  var json: String?

  @Option(
    help: ArgumentHelp(
      "Write a plot to this SVG file: the performance profiles (time) of the methods, one panel per suite, and the kernel throughput.",
      valueName: "file"))
  var svg: String?

  @Option(
    help: ArgumentHelp(
      "Write convergence curves to this SVG file: |f − f*| and the gradient norm against the iteration, per method, for the --curve-problems.",
      valueName: "file"))
  var curves: String?

  @Option(
    name: .customLong("curve-problems"), parsing: .upToNextOption,
    help: ArgumentHelp(
      "Problems for --curves, separated by commas or spaces (default: see above).",
      valueName: "problems"))
  var curveProblems: [String] = []

  @Option(
    name: .customLong("repeat"),
    help: ArgumentHelp("Timed repetitions per run; the median is reported.", valueName: "n"))
  var repeats: Int?

  @Option(
    parsing: .upToNextOption,
    help: ArgumentHelp(
      "Matrix orders of the dense suite (default: 100, 500, 1000, 2000), or batch sizes of the models suite (default: 500), separated by commas or spaces.",
      valueName: "n"))
  var sizes: [String] = []

  @Flag(help: "No progress lines on the error stream.")
  var quiet = false

  var methodList: [String] { splitList(methods) }
  var problemList: [String] { splitList(problems) }
  var curveProblemList: [String] { splitList(curveProblems) }
  /// The --sizes values that parse as integers.
  var sizeList: [Int] { splitList(sizes).compactMap { Int($0) } }

  /// The suites run, in order.
  var suites: [Suite] {
    suite == .all ? [.mgh, .leastSquares, .constrained, .large, .kernels, .derivatives] : [suite]
  }

  /// The methods a solver suite offers in `env`.
  static func methods(of s: Suite, in env: CommandEnvironment) -> [String] {
    switch s {
    case .mgh, .large: env.solvers?.methods ?? MethodFamily.methodNames
    case .leastSquares: env.leastSquaresSolvers?.methods ?? []
    case .constrained: env.constrained?.methods ?? []
    default: []
    }
  }

  /// The problems a solver suite runs in `env`, before the --problems filter.
  static func problems(of s: Suite, in env: CommandEnvironment) -> [String] {
    switch s {
    case .mgh, .large: env.catalog.collection(named: s.rawValue)?.problemNames() ?? []
    case .leastSquares:
      env.catalog.collection(named: "mgh")?.problems().filter { $0.residuals != nil }.map(\.name)
        ?? []
    case .constrained: env.constrained?.problemNames ?? []
    default: []
    }
  }

  func validate() throws {
    let env = CommandEnvironment.current
    let solverSuites = suites.filter(\.runsSolvers)
    let scope = suite == .all ? "" : " for suite \(suite.rawValue)"
    var knownMethods: [String] = []
    for s in solverSuites {
      for m in Self.methods(of: s, in: env) where !knownMethods.contains(m) {
        knownMethods.append(m)
      }
    }
    if solverSuites.isEmpty { knownMethods = env.solvers?.methods ?? MethodFamily.methodNames }
    for m in methodList where !knownMethods.contains(m) {
      throw unknownChoice("method", m, valid: knownMethods, scope: scope)
    }
    var knownProblems: [String] = []
    for s in solverSuites { knownProblems += Self.problems(of: s, in: env) }
    if solverSuites.isEmpty { knownProblems = env.catalog.problemNames }
    if suite == .dense { knownProblems = DenseOperation.allCases.map(\.rawValue) }
    for p in problemList where !knownProblems.contains(p) {
      throw unknownChoice("problem", p, valid: knownProblems, scope: scope)
    }
    if !curveProblemList.isEmpty && curves == nil {
      throw ValidationError("--curve-problems needs --curves FILE")
    }
    for p in curveProblemList where !knownProblems.contains(p) {
      throw unknownChoice("problem", p, valid: knownProblems, scope: scope)
    }
    if curves != nil && solverSuites.isEmpty {
      throw ValidationError(
        "--curves needs a suite that runs solvers (mgh, least-squares, constrained, large, all)")
    }
    if let repeats, repeats < 1 {
      throw ValidationError("--repeat must be at least 1, got \(repeats)")
    }
    if !sizes.isEmpty && suite != .dense && suite != .models {
      throw ValidationError("--sizes is for suites dense and models")
    }
    for text in splitList(sizes) where (Int(text) ?? 0) < 1 {
      throw ValidationError("--sizes takes positive matrix orders or batch sizes, got '\(text)'")
    }
  }

  /// The curve problems of suite `s`, among its `available` problems and those it runs.
  func curveProblems(for s: Suite, available: [String], run: [String]) -> [String] {
    if !curveProblemList.isEmpty { return curveProblemList.filter { available.contains($0) } }
    let defaults = s.defaultCurveProblems.filter { run.contains($0) }
    return defaults.isEmpty ? Array(run.prefix(1)) : defaults
  }

  /// The methods to run in suite `s`: --methods restricted to the suite's, or all of them.
  func methods(for s: Suite, offered: [String]) -> [String] {
    methodList.isEmpty ? offered : methodList.filter { offered.contains($0) }
  }

  func run() throws {
    let env = CommandEnvironment.current
    let out = env.output
    var records: [BenchmarkRecord] = []
    var profiles: [SVGPlot] = []
    var curveData: [ConvergenceCurve] = []
    var kernels: [KernelTiming]?
    var dense: [DenseTiming]?
    for s in suites {
      switch s {
      case .mgh, .large, .leastSquares:
        let backend = s == .leastSquares ? env.leastSquaresSolvers : env.solvers
        guard let backend else {
          if suite == .all {
            out.errorLine("note: skipping suite \(s.rawValue): this build has no solvers for it")
            continue
          }
          throw env.fail("this build of curvature has no solvers for suite \(s.rawValue)")
        }
        guard let collection = env.catalog.collection(named: s == .large ? "large" : "mgh")
        else { continue }
        let available = Self.problems(of: s, in: env)
        var names = available
        if !problemList.isEmpty { names = names.filter { problemList.contains($0) } }
        let chosen = methods(for: s, offered: backend.methods)
        if names.isEmpty || chosen.isEmpty {
          out.errorLine(
            "note: suite \(s.rawValue) has no \(names.isEmpty ? "problems" : "methods") to run")
          continue
        }
        let isLarge = s == .large
        let bench = SolverBenchmark(
          suite: s.rawValue, problemNames: names, build: collection.build, methods: chosen,
          backend: backend, maxIterations: { isLarge && $0.hasPrefix("lbfgs") ? 5000 : 1000 },
          repeats: repeats ?? 3)
        let progress = ProgressReporter(total: bench.pairCount, output: out, quiet: quiet)
        let runs = bench.run(progress: progress)
        out.line("Suite \(s.rawValue): \(runs.count) runs\n")
        out.line(SolverBenchmark.table(runs, jacobianProducts: s == .leastSquares).render())
        if s == .leastSquares {
          out.line(
            "(nfev: residual evaluations r(x); ngev: Jacobian evaluations J(x); njprod: "
              + "products J·v and Jᵀ·w; ok: ‖∇f‖∞ ≤ 10⁻⁶ for f = Σrᵢ², recomputed)")
        }
        out.line("")
        reportSummary(runs, suite: s, to: out, profiles: &profiles)
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
        if curves != nil {
          let selected = curveProblems(for: s, available: available, run: names)
          if !quiet && !selected.isEmpty {
            out.errorLine(
              "\(s.rawValue): recording convergence curves on \(selected.joined(separator: ", "))…")
          }
          curveData += bench.curves(problems: selected)
        }
      case .constrained:
        guard let backend = env.constrained else {
          if suite == .all {
            out.errorLine("note: skipping suite constrained: not in this build")
            continue
          }
          throw env.fail("this build of curvature has no constrained suite")
        }
        var names = backend.problemNames
        if !problemList.isEmpty { names = names.filter { problemList.contains($0) } }
        let chosen = methods(for: s, offered: backend.methods)
        if names.isEmpty || chosen.isEmpty {
          out.errorLine(
            "note: suite constrained has no \(names.isEmpty ? "problems" : "methods") to run")
          continue
        }
        let bench = ConstrainedBenchmark(
          problemNames: names, methods: chosen, backend: backend, repeats: repeats ?? 3)
        let progress = ProgressReporter(total: bench.pairCount, output: out, quiet: quiet)
        let runs = bench.run(progress: progress)
        out.line("Suite constrained: \(runs.count) runs\n")
        out.line(ConstrainedBenchmark.table(runs).render())
        out.line(
          "(ok: |f − f*| ≤ 10⁻⁶·max(1, |f*|) and KKT ≤ 10⁻⁶; KKT: projected gradient for "
            + "bounds only, else the solver's max(‖∇ₓL‖∞, feasibility, complementarity))")
        out.line("")
        reportSummary(runs, suite: s, to: out, profiles: &profiles)
        records += runs
        if curves != nil {
          let selected = curveProblems(for: s, available: backend.problemNames, run: names)
          if !quiet && !selected.isEmpty {
            out.errorLine(
              "constrained: recording convergence curves on \(selected.joined(separator: ", "))…"
            )
          }
          curveData += bench.curves(problems: selected)
        }
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
      case .dense:
        dense = runDense(to: out)
      case .derivatives:
        guard let derivatives = env.derivativeSuite else {
          if suite == .all {
            out.errorLine("note: skipping suite derivatives: not in this build yet")
            continue
          }
          throw env.fail("the derivatives suite is not in this build yet")
        }
        try derivatives.run(out, repeats, quiet)
      case .models:
        runModels(to: out)
      case .all:
        break
      }
    }
    if let json, let dense {
      let file = DenseBenchmarkFile(
        meta: .init(
          repeats: repeats ?? DenseBenchmarks.defaultRepeats, sizes: denseSizes,
          processors: ProcessInfo.processInfo.activeProcessorCount,
          date: ISO8601DateFormatter().string(from: Date())),
        dense: dense)
      do {
        try file.encoded().write(to: URL(fileURLWithPath: json))
      } catch {
        throw env.fail("cannot write \(json): \(error.localizedDescription)")
      }
      out.errorLine("wrote \(dense.count) dense timings to \(json)")
    } else if let json {
      let meta = BenchmarkRecordFile.Meta(
        suite: suite.rawValue, repeats: repeats ?? 3, gradientTolerance: 1e-6,
        date: ISO8601DateFormatter().string(from: Date()))
      let file = BenchmarkRecordFile(
        meta: meta, records: records, kernels: kernels,
        curves: curves == nil ? nil : curveData)
      do {
        try file.encoded().write(to: URL(fileURLWithPath: json))
      } catch {
        throw env.fail("cannot write \(json): \(error.localizedDescription)")
      }
      out.errorLine("wrote \(records.count) records to \(json)")
    }
    if let svg {
      var panels = profiles
      if let kernels { panels.append(Plots.kernelThroughput(kernels)) }
      if let dense, !dense.isEmpty { panels.append(DenseBenchmarks.plot(dense)) }
      guard !panels.isEmpty else {
        throw env.fail("nothing to plot: the suite produced no records")
      }
      do {
        if panels.count == 1 {
          try panels[0].write(to: svg)
        } else {
          try SVGFigure(title: "curvature bench --suite \(suite.rawValue)", panels: panels)
            .write(to: svg)
        }
      } catch {
        throw env.fail("cannot write \(svg): \(error.localizedDescription)")
      }
      out.errorLine("wrote \(svg)")
    }
    if let curves {
      guard !curveData.isEmpty else {
        throw env.fail("no convergence curves: no curve problem was run")
      }
      do {
        try Plots.convergenceCurves(curveData).write(to: curves)
      } catch {
        throw env.fail("cannot write \(curves): \(error.localizedDescription)")
      }
      out.errorLine("wrote \(curves)")
    }
  }

  /// Runs the models suite (``ModelDerivativeCosts``).
  func runModels(to out: OutputSink) {
    let r = repeats ?? 10
    let batchSizes = sizeList.isEmpty ? [ModelDerivativeCosts.defaultSamples] : sizeList
    var solves: [ModelDerivativeCosts.SolveRow] = []
    for m in batchSizes {
      let rows = ModelDerivativeCosts.run(samples: m, repeats: r) { name in
        if !quiet { out.errorLine("models: m = \(m), \(name)…") }
      }
      out.line(
        "Suite models: gradient, HVP and Gauss-Newton products of ModelObjective, m = \(m) "
          + "samples, median thread CPU time of \(r) calls\n")
      out.line(ModelDerivativeCosts.table(rows).render())
      out.line("")
      let networkRows = NetworkDerivativeCosts.run(samples: m, repeats: r) { name in
        if !quiet { out.errorLine("models: network 64-256-128-10, m = \(m), \(name)…") }
      }
      out.line(
        "NetworkObjective 64-256-128-10, m = \(m): value, gradient, and the curvature products "
          + "and K-FAC statistics in gradients (median wall time of \(r) calls)\n")
      out.line(NetworkDerivativeCosts.table(networkRows).render())
      out.line("")
      if !quiet { out.errorLine("models: m = \(m), Newton-CG solves on both routes…") }
      solves += ModelDerivativeCosts.solves(samples: m, repeats: r)
    }
    out.line(
      "Newton-CG, autodiff route against hand-written derivatives (median thread CPU time of "
        + "\(r))\n")
    out.line(ModelDerivativeCosts.solveTable(solves).render())
    out.line("")
  }

  /// The matrix orders of the dense suite: --sizes, or the defaults.
  var denseSizes: [Int] { sizeList.isEmpty ? DenseBenchmarks.defaultSizes : sizeList }

  /// Runs the dense suite on the --problems operations (all by default) and prints its table.
  func runDense(to out: OutputSink) -> [DenseTiming] {
    let operations = DenseOperation.allCases.filter {
      problemList.isEmpty || problemList.contains($0.rawValue)
    }
    let runs = repeats ?? DenseBenchmarks.defaultRepeats
    let progress = ProgressReporter(
      total: denseSizes.count * operations.count, output: out, quiet: quiet)
    let timings = DenseBenchmarks.run(
      sizes: denseSizes, operations: operations, repeats: runs,
      progress: { progress.completed($0) })
    out.line(
      "Suite dense: Curvature's dense kernels, median of \(runs) call\(runs == 1 ? "" : "s") "
        + "after a warm-up "
        + "(a warm-up over 10 s is timed alone)\n")
    out.line(DenseBenchmarks.table(timings).render())
    out.line(
      "(GFLOP/s by the nominal counts: gemm 2n³, syrk n³, cholesky n³/3, trsm n³, "
        + "cholesky-solve 2n³, qr 4n³/3, eigh 9n³; residual: probe ‖(result − reference)x‖ "
        + "relative to Frobenius norms, ok ≤ 10⁻¹⁰; see bench --help)\n")
    return timings
  }

  /// Prints the per-method summary and the performance profile of one suite's runs and adds the
  /// profile plot to `profiles`.
  func reportSummary(
    _ runs: [BenchmarkRecord], suite s: Suite, to out: OutputSink, profiles: inout [SVGPlot]
  ) {
    guard !runs.isEmpty else { return }
    out.line(SolverBenchmark.summary(runs).render())
    out.line("")
    let profile = PerformanceProfile(records: runs)
    out.line(
      "Performance profile (wall time), suite \(s.rawValue): fraction of the "
        + "\(profile.problems.count) problems solved within τ times the fastest method's time "
        + "(a method not run on a problem counts as failing it)\n")
    out.line(Self.profileTable(profile).render())
    out.line("")
    profiles.append(
      Plots.performanceProfile(
        profile, title: "Performance profile (wall time), suite \(s.rawValue)"))
  }

  /// ρ_s(τ) at τ = 1, 2, 4, 10, 100 and ∞ (the fraction solved) for each method.
  static func profileTable(_ profile: PerformanceProfile) -> TextTable {
    let taus: [Double] = [1, 2, 4, 10, 100, .infinity]
    var t = TextTable(
      headers: ["method"] + taus.map { $0.isFinite ? "τ=\(Int($0))" : "τ=∞" },
      rightAligned: Set(1...taus.count))
    for (i, m) in profile.solvers.enumerated() {
      t.append(
        [m]
          + taus.map {
            // Failures have ratio +∞, so τ = ∞ is read as "any finite ratio".
            let tau = $0.isFinite ? $0 : Double.greatestFiniteMagnitude
            return formatFixed(profile.fraction(solver: i, within: tau), digits: 2)
          })
    }
    return t
  }
}

/// Splits list options given as `a,b c` into `[a, b, c]`.
func splitList(_ values: [String]) -> [String] {
  values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    .filter { !$0.isEmpty }
}
