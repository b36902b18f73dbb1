import ArgumentParser
import Curvature
import Foundation

/// `curvature train`: trains a model written with autodiff with several optimizers and
/// compares loss against gradient-equivalent passes.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a model with Hessian-free, L-BFGS, Adam and SGD and compare the curves.",
    discussion: """
      Models: logreg (L2-regularized logistic regression on the synthetic peer data, full \
      batch, f* known), mlp (tanh MLP on two interleaved spirals, softmax cross-entropy), \
      autoencoder (deep tanh autoencoder on Bézier curves, squared error), digits-mlp (tanh MLP \
      64-128-10 on the UCI digits, softmax cross-entropy, test loss and accuracy) and \
      digits-autoencoder (64-256-128-32-128-256-64 on the digits images, sigmoid \
      cross-entropy); the digits models add kfac (K-FAC).

      Passes count gradient-equivalent work over the whole data set: a gradient 1, a value \
      1/2, a Hessian-vector or Gauss-Newton product 2, preparing Gauss-Newton products at a \
      point 1/2, each scaled by batch size / data size. The table reports the full-data loss \
      and ‖∇f‖∞ at the final parameters; for logreg also the passes needed to reach \
      f* + 1e-4 (first, and for good). Full-batch runs stop when ‖∇f‖∞ ≤ 1e-6.

      Examples:
        curvature train --model logreg --svg logreg.svg
        curvature train --model mlp --optimizers hf,adam --passes 200 --json mlp.json
        curvature train --model digits-mlp --adam-grid 1e-2,3e-2,1e-1 --kfac-passes 300

      Run from a release build (swift build -c release).
      """)

  @Option(help: "The model: logreg, mlp or autoencoder.")
  var model = "logreg"

  @Option(
    help:
      "Comma-separated optimizers among kfac, hf, lbfgs, adam, sgd (default: all the model has; kfac only on the digits models)."
  )
  var optimizers: String?

  @Option(
    name: .customLong("adam-grid"),
    help:
      "Tune Adam: run it at each of these comma-separated learning rates and keep the best final loss."
  )
  var adamGrid: String?

  @Option(
    name: .customLong("export-problem"),
    help:
      "Write the network, data, mini-batches and initial parameters as JSON for scripts/train_peers.py (digits models)."
  )
  var exportProblem: String?

  @Option(help: "The budget in gradient-equivalent passes (default per model).")
  var passes: Double?

  @Option(
    name: .customLong("kfac-passes"),
    help:
      "K-FAC's own pass budget (default: --passes), to compare at equal wall time rather than equal passes."
  )
  var kfacPasses: Double?

  @Option(help: "Stop every run after this many steps (besides the pass budget).")
  var steps: Int?

  @Option(help: "Write the loss curves as an SVG plot to this file.")
  var svg: String?

  @Option(help: "Write the runs (summary and curves) as JSON to this file.")
  var json: String?

  @Option(help: "The seed of the initial parameters and of the mini-batch order.")
  var seed: UInt64 = 1

  @Option(
    name: .customLong("learning-rate"), help: "Replace the learning rate of Adam and SGD.")
  var learningRate: Double?

  @Option(
    name: .customLong("batch-size"),
    help: "Replace the mini-batch size of the mini-batch optimizers (0: full batch).")
  var batchSize: Int?

  @Option(help: "Replace Hessian-free's initial damping λ₀.")
  var damping: Double?

  @Option(
    name: .customLong("cg-tolerance"),
    help: """
      Run Hessian-free's CG to this relative residual (plain truncated Newton-CG); 0 selects \
      Martens' relative-progress stop with CG backtracking.
      """)
  var cgTolerance: Double?

  @Option(
    name: .customLong("kfac-learning-rate"),
    help:
      "Run K-FAC with this fixed learning rate (and --kfac-momentum) instead of its adaptive mode.")
  var kfacRate: Double?

  @Option(name: .customLong("kfac-momentum"), help: "K-FAC's momentum in fixed mode (default 0.9).")
  var kfacMomentum: Double?

  @Option(name: .customLong("kfac-damping"), help: "K-FAC's initial damping λ₀ (default 1).")
  var kfacDamping: Double?

  var optimizerList: [String] {
    guard let optimizers else {
      let available = TrainingSetup.optimizersOf(model)
      return TrainingSetup.optimizerNames.filter { available.contains($0) }
    }
    return optimizers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  }

  var adamRates: [Double]? {
    adamGrid.map {
      $0.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }
  }

  func validate() throws {
    guard TrainingSetup.modelNames.contains(model) else {
      throw unknownChoice("model", model, valid: TrainingSetup.modelNames)
    }
    let available = TrainingSetup.optimizersOf(model)
    for name in optimizerList where !available.contains(name) {
      throw unknownChoice(
        "optimizer", name, valid: TrainingSetup.optimizerNames.filter { available.contains($0) })
    }
    if let adamGrid {
      let rates = adamRates ?? []
      if rates.isEmpty || rates.count != adamGrid.split(separator: ",").count
        || !rates.allSatisfy({ $0 > 0 && $0.isFinite })
      {
        throw ValidationError(
          "--adam-grid needs positive learning rates separated by commas, got \(adamGrid)")
      }
    }
    if exportProblem != nil && !model.hasPrefix("digits") {
      throw ValidationError("--export-problem is for the digits models")
    }
    if optimizerList.isEmpty { throw ValidationError("--optimizers is empty") }
    for (flag, value) in [
      ("--learning-rate", learningRate), ("--damping", damping),
      ("--kfac-learning-rate", kfacRate), ("--kfac-damping", kfacDamping),
      ("--cg-tolerance", cgTolerance.map { $0 == 0 ? 1 : $0 }),
    ] {
      if let value, !(value > 0 && value.isFinite) {
        throw ValidationError("\(flag) must be a positive number, got \(value)")
      }
    }
    if let steps, steps < 1 {
      throw ValidationError("--steps must be positive, got \(steps)")
    }
    if let kfacMomentum, !(kfacMomentum >= 0 && kfacMomentum < 1) {
      throw ValidationError("--kfac-momentum must lie in [0, 1), got \(kfacMomentum)")
    }
    if let batchSize, batchSize < 0 {
      throw ValidationError("--batch-size must be non-negative, got \(batchSize)")
    }
    if let kfacPasses, !(kfacPasses > 0 && kfacPasses.isFinite) {
      throw ValidationError("--kfac-passes must be a positive number, got \(kfacPasses)")
    }
    if let passes, !(passes > 0 && passes.isFinite) {
      throw ValidationError("--passes must be a positive number, got \(passes)")
    }
  }

  func run() throws {
    let env = CommandEnvironment.current
    let out = env.output
    let overrides = TrainingOverrides(
      learningRate: learningRate, batchSize: batchSize, damping: damping,
      cgTolerance: cgTolerance, kfacRate: kfacRate, kfacMomentum: kfacMomentum,
      kfacDamping: kfacDamping)
    let setup = TrainingSetup.make(model, seed: seed, overrides: overrides)!
    let budget = passes ?? setup.defaultPasses
    out.line("model: \(setup.summary)")
    out.line(
      "budget: \(formatNumber(budget, significantDigits: 6)) passes, seed \(seed), "
        + "initial loss \(formatNumber(setup.objective.oracle(samples: nil).value(setup.start), significantDigits: 8))"
    )
    let target = setup.optimalLoss.map { $0 + 1e-4 }
    var runs: [TrainingRunRecord] = []
    if let exportProblem {
      try exportPeerProblem(setup, budget: budget, to: exportProblem)
      out.errorLine("wrote the problem to \(exportProblem)")
    }
    func run(_ optimizer: TrainingOptimizer) -> TrainingRunRecord {
      out.errorLine("training with \(optimizer.settings) …")
      let own = optimizer.name == "kfac" ? (kfacPasses ?? budget) : budget
      let options = TrainingOptions(
        passes: own, batchSize: optimizer.batchSize, maxSteps: steps ?? 1_000_000,
        gradientTolerance: optimizer.batchSize == nil ? 1e-6 : 0, recordInterval: own / 200,
        seed: seed, evaluation: setup.heldOut?.evaluation)
      let result = train(
        optimizer.transformation, objective: setup.objective, from: setup.start,
        options: options)
      return TrainingRunRecord(
        model: setup.name, optimizer: optimizer.name, settings: optimizer.settings,
        batchSize: optimizer.batchSize, result: result,
        optimalLoss: setup.optimalLoss, target: target,
        heldOut: setup.heldOut?.metrics(result.parameters) ?? [:])
    }
    var grid: [(Double, Double)] = []
    for name in optimizerList {
      let optimizer = setup.optimizers[name]!
      if name == "adam", let rates = adamRates {
        var best: TrainingRunRecord? = nil
        for rate in rates {
          let r = run(TrainingSetup.adam(rate: rate, batch: optimizer.batchSize))
          grid.append((rate, r.loss))
          if best == nil || !(best!.loss <= r.loss) { best = r }
        }
        runs.append(best!)
      } else {
        runs.append(run(optimizer))
      }
    }
    for r in runs { out.line("  \(r.optimizer): \(r.settings)") }
    if !grid.isEmpty {
      out.line(
        "  Adam grid (learning rate: final loss): "
          + grid.map {
            "\(formatNumber($0.0, significantDigits: 3)): \(formatNumber($0.1, significantDigits: 6))"
          }.joined(separator: ", "))
    }
    Self.markAdamTarget(&runs)
    out.line(Self.table(runs, showsTarget: target != nil))
    if let json {
      do {
        try Data(JSONEncoderSupport.string(runs).utf8).write(to: URL(fileURLWithPath: json))
      } catch {
        throw env.fail("cannot write \(json): \(error.localizedDescription)")
      }
      out.errorLine("wrote \(runs.count) runs to \(json)")
    }
    if let svg {
      do {
        try Self.plot(runs, setup: setup).write(to: svg)
      } catch {
        throw env.fail("cannot write \(svg): \(error.localizedDescription)")
      }
      out.errorLine("wrote \(svg)")
    }
  }

  /// The summary table.
  static func table(_ runs: [TrainingRunRecord], showsTarget: Bool) -> String {
    var headers = ["optimizer", "steps", "passes", "time", "final loss", "‖∇f‖∞", "stop"]
    if showsTarget { headers.insert(contentsOf: ["to f*+1e-4", "stays"], at: 6) }
    let metricNames = Array(Set(runs.flatMap { $0.heldOut.keys })).sorted()
    let showsAdam = runs.contains { $0.secondsToAdamLoss != nil }
    if showsAdam { headers.insert(contentsOf: ["to Adam's loss", "× Adam's time"], at: 6) }
    headers.insert(contentsOf: metricNames, at: 6)
    var t = TextTable(headers: headers, rightAligned: Set(1..<headers.count))
    for r in runs {
      var row = [
        r.optimizer, String(r.steps), formatNumber(r.passes, significantDigits: 5),
        formatDuration(r.seconds), formatNumber(r.loss, significantDigits: 10),
        formatScientific(r.gradientNormInfinity, digits: 2), r.status,
      ]
      if showsAdam {
        row.insert(
          contentsOf: [
            r.secondsToAdamLoss.map { formatDuration($0) } ?? "—",
            r.fractionOfAdamTime.map { formatNumber($0, significantDigits: 3) } ?? "—",
          ], at: 6)
      }
      row.insert(
        contentsOf: metricNames.map {
          r.heldOut[$0].map { formatNumber($0, significantDigits: 5) } ?? "—"
        },
        at: 6)
      if showsTarget {
        row.insert(
          contentsOf: [r.passesToTarget, r.passesToStayAtTarget].map {
            $0.map { formatNumber($0, significantDigits: 5) } ?? "—"
          }, at: 6)
      }
      t.append(row)
    }
    return t.render()
  }

  /// Fills in, for every run, when it reached the final training loss of the Adam run.
  static func markAdamTarget(_ runs: inout [TrainingRunRecord]) {
    guard let adam = runs.first(where: { $0.optimizer == "adam" }), adam.loss.isFinite else {
      return
    }
    for i in runs.indices {
      if let hit = runs[i].history.first(where: { $0.loss <= adam.loss }) {
        runs[i].secondsToAdamLoss = hit.seconds
        runs[i].fractionOfAdamTime = adam.seconds > 0 ? hit.seconds / adam.seconds : nil
      }
    }
  }

  /// Loss (or f − f* when f* is known) against passes, logarithmic ordinate.
  static func plot(_ runs: [TrainingRunRecord], setup: TrainingSetup) -> SVGPlot {
    let shift = setup.optimalLoss ?? 0
    let series = runs.map { r in
      SVGPlot.Series(
        name: r.optimizer + (r.batchSize.map { ", batch \($0)" } ?? ""),
        points: r.history.map { SVGPlot.Point($0.passes, $0.loss - shift) })
    }
    return SVGPlot(
      title: "curvature train --model \(setup.name)", xLabel: "gradient-equivalent passes",
      yLabel: setup.optimalLoss == nil ? "training loss" : "f − f*", yScale: .logarithmic,
      series: series)
  }
}

/// One training run as written by `--json`.
struct TrainingRunRecord: Codable {
  var model: String
  var optimizer: String
  var settings: String
  var batchSize: Int?
  var steps: Int
  var passes: Double
  var seconds: Double
  var loss: Double
  var gradientNormInfinity: Double
  var status: String
  var optimalLoss: Double?
  var passesToTarget: Double?
  var passesToStayAtTarget: Double?
  var counts: TrainingCounts
  var history: [TrainingRecord]
  /// Test metrics at the final parameters (models with held-out data).
  var heldOut: [String: Double] = [:]
  /// Seconds until the recorded training loss first reached Adam's final loss (when Adam ran).
  var secondsToAdamLoss: Double?
  /// That time over Adam's total time.
  var fractionOfAdamTime: Double?

  init(
    model: String, optimizer: String, settings: String, batchSize: Int?, result: TrainingResult,
    optimalLoss: Double?, target: Double?, heldOut: [String: Double] = [:]
  ) {
    self.heldOut = heldOut
    self.model = model
    self.optimizer = optimizer
    self.settings = settings
    self.batchSize = batchSize
    steps = result.steps
    passes = result.passes
    seconds = result.seconds
    loss = result.loss
    gradientNormInfinity = result.gradientNormInfinity
    status = result.status.rawValue
    self.optimalLoss = optimalLoss
    passesToTarget = target.flatMap { result.passesToReach(loss: $0) }
    passesToStayAtTarget = target.flatMap { result.passesToStayBelow(loss: $0) }
    counts = result.counts
    history = result.history
  }
}
