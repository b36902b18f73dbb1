import Curvature
import CurvatureProblems

/// The held-out data of a model and what is measured on it.
struct HeldOutData {
  /// The test loss (no regularization) and, for classifiers, the accuracy at θ.
  var metrics: @Sendable (Vector) -> [String: Double]
  /// The same metrics recorded in the history during training.
  var evaluation: TrainingEvaluation
  /// Test inputs and targets (for `--export-problem`).
  var inputs: Matrix
  var targets: Matrix
  var labels: [Int]?
}

extension TrainingSetup {
  /// The digits (scikit-learn's copy of the UCI optical digits, 8×8 images, values 0…16 scaled
  /// to [0, 1]) split 75/25, stratified, seed 0.
  static func digitsData() -> (train: LabeledDataSet, test: LabeledDataSet) {
    let (train, test) = Digits.trainTestSplit(testFraction: 0.25, seed: 0)
    return (train.scaledFeatures(by: 1.0 / 16), test.scaledFeatures(by: 1.0 / 16))
  }

  /// A network objective on a labelled set: one-hot targets (classifier) or the inputs
  /// themselves (autoencoder).
  static func networkObjective(
    _ network: Network, _ data: LabeledDataSet, loss: OutputLoss, autoencoder: Bool,
    regularization: Double
  ) -> NetworkObjective {
    let x = Matrix(rows: data.sampleCount, columns: data.featureCount, storage: data.features)
    let t =
      autoencoder
      ? x
      : Matrix(
        rows: data.sampleCount, columns: data.classCount, storage: data.oneHotTargets())
    return NetworkObjective(
      network: network, inputs: x, targets: t, loss: loss, regularization: regularization)
  }

  /// Loss and (for classifiers) accuracy of the network on held-out data, every 20 steps.
  static func heldOut(_ objective: NetworkObjective, test: NetworkObjective, labels: [Int]?)
    -> HeldOutData
  {
    let evaluation = objective.evaluation(inputs: test.inputs, targets: test.targets, every: 20)
    return HeldOutData(
      metrics: evaluation.metrics, evaluation: evaluation, inputs: test.inputs,
      targets: test.targets, labels: labels)
  }

  /// The tanh MLP 64-128-10 with softmax cross-entropy on the digits (λ = 1e-5 on weights).
  static func digitsClassifier(seed: UInt64) -> TrainingSetup {
    let (train, test) = digitsData()
    let net = Network(inputWidth: 64, layers: [.dense(128), .tanh, .dense(10)])
    let lambda = 1e-5
    let f = networkObjective(
      net, train, loss: .softmaxCrossEntropy, autoencoder: false, regularization: lambda)
    let g = networkObjective(
      net, test, loss: .softmaxCrossEntropy, autoencoder: false, regularization: 0)
    return TrainingSetup(
      name: "digits-mlp",
      summary:
        "tanh MLP 64-128-10, softmax cross-entropy, UCI digits (train \(train.sampleCount), test \(test.sampleCount), λ = 1e-5 on weights)",
      objective: f, start: net.initialParameters(seed: seed), optimalLoss: nil,
      defaultPasses: 100,
      optimizers: [
        "kfac": kfac(batch: 256, regularization: lambda),
        "hf": hf(damping: 1, maxCG: 50, batch: 512, cgTolerance: nil),
        "lbfgs": lbfgs(),
        "adam": adam(rate: 1e-2, batch: 256),
        "sgd": sgd(rate: 0.1, batch: 256),
      ], heldOut: heldOut(f, test: g, labels: test.labels))
  }

  /// The deep autoencoder 64-256-128-32-128-256-64 (tanh, linear code) with a logistic output
  /// on the digits images scaled to [0, 1] (Hinton & Salakhutdinov 2006, Martens 2010 style).
  static func digitsAutoencoder(seed: UInt64) -> TrainingSetup {
    let (train, test) = digitsData()
    let net = Network(
      inputWidth: 64,
      layers: [
        .dense(256), .tanh, .dense(128), .tanh, .dense(32), .dense(128), .tanh, .dense(256),
        .tanh, .dense(64),
      ])
    let lambda = 1e-5
    let f = networkObjective(
      net, train, loss: .logistic, autoencoder: true, regularization: lambda)
    let g = networkObjective(net, test, loss: .logistic, autoencoder: true, regularization: 0)
    return TrainingSetup(
      name: "digits-autoencoder",
      summary:
        "autoencoder 64-256-128-32-128-256-64 (tanh, linear code), sigmoid cross-entropy, UCI digits (train \(train.sampleCount), test \(test.sampleCount), λ = 1e-5 on weights)",
      objective: f, start: net.initialParameters(seed: seed), optimalLoss: nil,
      defaultPasses: 100,
      optimizers: [
        "kfac": kfac(batch: 256, regularization: lambda),
        "hf": hf(damping: 1, maxCG: 50, batch: 512, cgTolerance: nil),
        "lbfgs": lbfgs(),
        "adam": adam(rate: 1e-3, batch: 256),
        "sgd": sgd(rate: 0.01, batch: 256),
      ], heldOut: heldOut(f, test: g, labels: nil))
  }

  /// K-FAC (Martens & Grosse 2015) on the sampled Fisher: adaptive (kfac-jax's learning rate,
  /// momentum and damping from the quadratic model) or, with a rate, fixed.
  static func kfac(
    batch: Int?, regularization: Double, rate: Double? = nil, momentum: Double = 0.9,
    damping: Double = 1
  ) -> TrainingOptimizer {
    let mode: KFAC.Mode = rate.map { .fixed(learningRate: $0, momentum: momentum) } ?? .adaptive
    let text =
      rate.map {
        "fixed η = \(formatNumber($0, significantDigits: 3)), momentum \(formatNumber(momentum, significantDigits: 3))"
      } ?? "adaptive"
    return TrainingOptimizer(
      name: "kfac",
      settings:
        "K-FAC \(text), sampled Fisher, λ₀ = \(formatNumber(damping, significantDigits: 3)), inverses every 5 steps"
        + batchText(batch),
      transformation: AnyGradientTransformation(
        KFAC(mode: mode, initialDamping: damping, regularization: regularization), name: "kfac"),
      batchSize: batch, damping: damping, regularization: regularization)
  }
}
