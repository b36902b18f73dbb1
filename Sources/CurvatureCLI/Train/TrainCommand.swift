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
      autoencoder (deep tanh autoencoder on Bézier curves, squared error).

      Passes count gradient-equivalent work over the whole data set: a gradient 1, a value \
      1/2, a Hessian-vector or Gauss-Newton product 2, preparing Gauss-Newton products at a \
      point 1/2, each scaled by batch size / data size. The table reports the full-data loss \
      and ‖∇f‖∞ at the final parameters; for logreg also the passes needed to reach \
      f* + 1e-4 (first, and for good). Full-batch runs stop when ‖∇f‖∞ ≤ 1e-6.

      Examples:
        curvature train --model logreg --svg logreg.svg
        curvature train --model mlp --optimizers hf,adam --passes 200 --json mlp.json

      Run from a release build (swift build -c release).
      """)

  @Option(help: "The model: logreg, mlp or autoencoder.")
  var model = "logreg"

  @Option(help: "Comma-separated optimizers among hf, lbfgs, adam, sgd.")
  var optimizers = "hf,lbfgs,adam,sgd"

  @Option(help: "The budget in gradient-equivalent passes (default per model).")
  var passes: Double?

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

  var optimizerList: [String] {
    optimizers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  }

  func validate() throws {
    guard TrainingSetup.modelNames.contains(model) else {
      throw unknownChoice("model", model, valid: TrainingSetup.modelNames)
    }
    for name in optimizerList where !TrainingSetup.optimizerNames.contains(name) {
      throw unknownChoice("optimizer", name, valid: TrainingSetup.optimizerNames)
    }
    if optimizerList.isEmpty { throw ValidationError("--optimizers is empty") }
    for (flag, value) in [
      ("--learning-rate", learningRate), ("--damping", damping),
      ("--cg-tolerance", cgTolerance.map { $0 == 0 ? 1 : $0 }),
    ] {
      if let value, !(value > 0 && value.isFinite) {
        throw ValidationError("\(flag) must be a positive number, got \(value)")
      }
    }
    if let batchSize, batchSize < 0 {
      throw ValidationError("--batch-size must be non-negative, got \(batchSize)")
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
      cgTolerance: cgTolerance)
    let setup = TrainingSetup.make(model, seed: seed, overrides: overrides)!
    let budget = passes ?? setup.defaultPasses
    out.line("model: \(setup.summary)")
    out.line(
      "budget: \(formatNumber(budget, significantDigits: 6)) passes, seed \(seed), "
        + "initial loss \(formatNumber(setup.objective.oracle(samples: nil).value(setup.start), significantDigits: 8))"
    )
    let target = setup.optimalLoss.map { $0 + 1e-4 }
    var runs: [TrainingRunRecord] = []
    for name in optimizerList {
      let optimizer = setup.optimizers[name]!
      out.errorLine("training with \(optimizer.settings) …")
      let options = TrainingOptions(
        passes: budget, batchSize: optimizer.batchSize,
        gradientTolerance: optimizer.batchSize == nil ? 1e-6 : 0, recordInterval: budget / 200,
        seed: seed)
      let result = train(
        optimizer.transformation, objective: setup.objective, from: setup.start,
        options: options)
      runs.append(
        TrainingRunRecord(
          model: setup.name, optimizer: name, settings: optimizer.settings,
          batchSize: optimizer.batchSize, result: result,
          optimalLoss: setup.optimalLoss, target: target))
    }
    for r in runs { out.line("  \(r.optimizer): \(r.settings)") }
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
    var t = TextTable(headers: headers, rightAligned: [1, 2, 3, 4, 5, 6, 7])
    for r in runs {
      var row = [
        r.optimizer, String(r.steps), formatNumber(r.passes, significantDigits: 5),
        formatDuration(r.seconds), formatNumber(r.loss, significantDigits: 10),
        formatScientific(r.gradientNormInfinity, digits: 2), r.status,
      ]
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

  init(
    model: String, optimizer: String, settings: String, batchSize: Int?, result: TrainingResult,
    optimalLoss: Double?, target: Double?
  ) {
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
