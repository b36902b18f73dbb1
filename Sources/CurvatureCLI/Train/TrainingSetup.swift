import Curvature
import CurvatureAutodiff
import CurvatureProblems

/// One optimizer of `curvature train`: a transformation and how it is fed.
struct TrainingOptimizer {
  /// The short name (`hf`, `lbfgs`, `adam`, `sgd`).
  var name: String
  /// A description of the settings for the table.
  var settings: String
  /// The transformation.
  var transformation: AnyGradientTransformation
  /// The mini-batch size (nil: full batch).
  var batchSize: Int?
}

/// A model of `curvature train` with its data, starting point and optimizer settings.
struct TrainingSetup {
  /// The model name (`logreg`, `mlp`, `autoencoder`).
  var name: String
  /// A one-line description.
  var summary: String
  /// The loss.
  var objective: any TrainingObjective
  /// The starting point.
  var start: Vector
  /// The optimal loss, when known.
  var optimalLoss: Double?
  /// The default pass budget.
  var defaultPasses: Double
  /// The optimizers by name.
  var optimizers: [String: TrainingOptimizer]

  static let modelNames = ["logreg", "mlp", "autoencoder"]
  static let optimizerNames = ["hf", "lbfgs", "adam", "sgd"]

  /// The setup of a model, seeded.
  static func make(_ model: String, seed: UInt64) -> TrainingSetup? {
    switch model {
    case "logreg": return logisticRegression()
    case "mlp": return spirals(seed: seed)
    case "autoencoder": return autoencoder(seed: seed)
    default: return nil
    }
  }

  /// Full-batch L2-regularized logistic regression on the peer data (m = 10000, d = 100,
  /// λ = 10⁻³), written with autodiff.
  static func logisticRegression() -> TrainingSetup {
    let p = LogisticRegression.synthetic()
    let f = ModelObjective.logisticRegression(
      features: p.features, labels: p.labels, regularization: p.regularization)
    return TrainingSetup(
      name: "logreg",
      summary: "logistic regression, m = 10000, d = 100, λ = 1e-3 (full batch)",
      objective: f, start: .zeros(p.dimension),
      optimalLoss: ScalableProblems.logisticRegressionOptimalValue, defaultPasses: 1000,
      optimizers: [
        "hf": hf(damping: 1e-2, maxCG: 250, batch: nil),
        "lbfgs": lbfgs(),
        "adam": adam(rate: 0.05, batch: nil),
        "sgd": sgd(rate: 1, batch: nil),
      ])
  }

  /// The tanh MLP 2-32-32-2 with softmax cross-entropy on 2000 two-spirals samples.
  static func spirals(seed: UInt64) -> TrainingSetup {
    let f = ModelObjective.spiralsClassifier()
    return TrainingSetup(
      name: "mlp",
      summary: "tanh MLP 2-32-32-2, softmax cross-entropy, two spirals (m = 2000, λ = 1e-4)",
      objective: f, start: f.model.initialParameters(seed: seed), optimalLoss: nil,
      defaultPasses: 400,
      optimizers: [
        "hf": hf(damping: 1, maxCG: 50, batch: 1000),
        "lbfgs": lbfgs(),
        "adam": adam(rate: 1e-2, batch: 64),
        "sgd": sgd(rate: 0.05, batch: 64),
      ])
  }

  /// The curves autoencoder 24-48-24-6-24-48-24 on 2000 Bézier curves.
  static func autoencoder(seed: UInt64) -> TrainingSetup {
    let f = ModelObjective.curvesAutoencoder()
    return TrainingSetup(
      name: "autoencoder",
      summary: "autoencoder 24-48-24-6-24-48-24 (tanh, linear code), Bézier curves (m = 2000)",
      objective: f, start: f.model.initialParameters(seed: seed), optimalLoss: nil,
      defaultPasses: 300,
      optimizers: [
        "hf": hf(damping: 1, maxCG: 50, batch: 1000),
        "lbfgs": lbfgs(),
        "adam": adam(rate: 3e-3, batch: 64),
        "sgd": sgd(rate: 0.02, batch: 64),
      ])
  }

  static func hf(damping: Double, maxCG: Int, batch: Int?) -> TrainingOptimizer {
    TrainingOptimizer(
      name: "hf",
      settings: "Hessian-free, Gauss-Newton, λ₀ = \(formatNumber(damping, significantDigits: 3)), "
        + "≤ \(maxCG) CG" + batchText(batch),
      transformation: AnyGradientTransformation(
        Optimizers.hessianFree(initialDamping: damping, maxCGIterations: maxCG), name: "hf"),
      batchSize: batch)
  }

  static func lbfgs() -> TrainingOptimizer {
    TrainingOptimizer(
      name: "lbfgs", settings: "L-BFGS m = 10, strong Wolfe zoom, full batch",
      transformation: AnyGradientTransformation(Optimizers.lbfgs(), name: "lbfgs"),
      batchSize: nil)
  }

  static func adam(rate: Double, batch: Int?) -> TrainingOptimizer {
    TrainingOptimizer(
      name: "adam",
      settings: "Adam η = \(formatNumber(rate, significantDigits: 3))" + batchText(batch),
      transformation: AnyGradientTransformation(
        Optimizers.adam(learningRate: .constant(rate)), name: "adam"),
      batchSize: batch)
  }

  static func sgd(rate: Double, batch: Int?) -> TrainingOptimizer {
    TrainingOptimizer(
      name: "sgd",
      settings: "SGD η = \(formatNumber(rate, significantDigits: 3)), momentum 0.9"
        + batchText(batch),
      transformation: Optimizers.sgd(learningRate: .constant(rate), momentum: 0.9),
      batchSize: batch)
  }

  static func batchText(_ batch: Int?) -> String {
    batch.map { ", batch \($0)" } ?? ", full batch"
  }
}
