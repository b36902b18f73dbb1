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
  /// The learning rate (first-order methods).
  var rate: Double? = nil
  /// λ₀ (Hessian-free).
  var damping = 1.0
  /// The CG iteration limit (Hessian-free).
  var maxCG = 250
  /// The objective's L2 weight (K-FAC's η).
  var regularization = 0.0
  /// The relative CG residual with the plain stop, or nil for Martens' settings (Hessian-free).
  var cgTolerance: Double? = nil
}

/// Settings given on the command line that replace a model's defaults.
struct TrainingOverrides {
  /// The learning rate of Adam and SGD.
  var learningRate: Double?
  /// The mini-batch size of the mini-batch optimizers (0: full batch).
  var batchSize: Int?
  /// The initial damping λ₀ of Hessian-free.
  var damping: Double?
  /// The relative CG residual of Hessian-free; when positive, Martens' relative-progress stop and
  /// CG backtracking are switched off (plain truncated Newton-CG with Levenberg-Marquardt
  /// damping); 0 selects Martens' settings.
  var cgTolerance: Double?
  /// K-FAC's fixed learning rate (nil: adaptive mode).
  var kfacRate: Double? = nil
  /// K-FAC's momentum in fixed mode.
  var kfacMomentum: Double? = nil
  /// K-FAC's initial damping λ₀.
  var kfacDamping: Double? = nil
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
  /// Held-out data and its metrics, when the model has a test set.
  var heldOut: HeldOutData? = nil

  static let modelNames = ["logreg", "mlp", "autoencoder", "digits-mlp", "digits-autoencoder"]
  static let optimizerNames = ["kfac", "hf", "lbfgs", "adam", "sgd"]

  /// The optimizers a model offers.
  static func optimizersOf(_ model: String) -> Set<String> {
    model.hasPrefix("digits")
      ? Set(optimizerNames) : Set(optimizerNames.filter { $0 != "kfac" })
  }

  /// The setup of a model, seeded.
  static func make(_ model: String, seed: UInt64, overrides o: TrainingOverrides = .init())
    -> TrainingSetup?
  {
    var setup: TrainingSetup
    switch model {
    case "logreg": setup = logisticRegression()
    case "mlp": setup = spirals(seed: seed)
    case "autoencoder": setup = autoencoder(seed: seed)
    case "digits-mlp": setup = digitsClassifier(seed: seed)
    case "digits-autoencoder": setup = digitsAutoencoder(seed: seed)
    default: return nil
    }
    for (name, old) in setup.optimizers {
      let batch: Int? =
        old.batchSize == nil ? nil : o.batchSize.map { $0 == 0 ? nil : $0 } ?? old.batchSize
      switch name {
      case "hf":
        if o.damping != nil || o.cgTolerance != nil || batch != old.batchSize {
          setup.optimizers[name] = hf(
            damping: o.damping ?? old.damping, maxCG: old.maxCG, batch: batch,
            cgTolerance: o.cgTolerance.map { $0 == 0 ? nil : $0 } ?? old.cgTolerance)
        }
      case "kfac":
        if o.kfacRate != nil || o.kfacDamping != nil || batch != old.batchSize {
          setup.optimizers[name] = kfac(
            batch: batch, regularization: old.regularization, rate: o.kfacRate,
            momentum: o.kfacMomentum ?? 0.9, damping: o.kfacDamping ?? 1)
        }
      case "adam":
        if let rate = o.learningRate ?? old.rate {
          setup.optimizers[name] = adam(rate: rate, batch: batch)
        }
      case "sgd":
        if let rate = o.learningRate ?? old.rate {
          setup.optimizers[name] = sgd(rate: rate, batch: batch)
        }
      default: break
      }
    }
    return setup
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
        "hf": hf(damping: 1e-3, maxCG: 250, batch: nil, cgTolerance: 0.1),
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
        "hf": hf(damping: 0.1, maxCG: 50, batch: 500, cgTolerance: 0.1),
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
        "hf": hf(damping: 1, maxCG: 50, batch: 250, cgTolerance: 0.1),
        "lbfgs": lbfgs(),
        "adam": adam(rate: 3e-3, batch: 64),
        "sgd": sgd(rate: 0.02, batch: 64),
      ])
  }

  /// Hessian-free Newton-CG on Gauss-Newton products (Martens, ICML 2010; Schraudolph, Neural
  /// Computation 14(7), 2002): Martens' settings, or, with `cgTolerance`, a truncated Newton-CG
  /// with a fixed relative-residual forcing term and Levenberg-Marquardt damping.
  static func hf(damping: Double, maxCG: Int, batch: Int?, cgTolerance: Double? = nil)
    -> TrainingOptimizer
  {
    let transformation: HessianFreeNewton
    var settings = "Hessian-free (GN), λ₀ = \(formatNumber(damping, significantDigits: 3)), "
    if let cgTolerance {
      transformation = HessianFreeNewton(
        curvature: .gaussNewton, initialDamping: damping, maxCGIterations: maxCG,
        cgTolerance: cgTolerance, martensStopping: false, cgBacktracking: false)
      settings += "CG to \(formatNumber(cgTolerance, significantDigits: 3))"
    } else {
      transformation = Optimizers.hessianFree(initialDamping: damping, maxCGIterations: maxCG)
      settings += "Martens CG stop"
    }
    return TrainingOptimizer(
      name: "hf", settings: settings + " ≤ \(maxCG)" + batchText(batch),
      transformation: AnyGradientTransformation(transformation, name: "hf"), batchSize: batch,
      damping: damping, maxCG: maxCG, cgTolerance: cgTolerance)
  }

  /// L-BFGS with memory 10 and the strong Wolfe zoom search (Nocedal & Wright, Algorithm 7.5).
  static func lbfgs() -> TrainingOptimizer {
    TrainingOptimizer(
      name: "lbfgs", settings: "L-BFGS m = 10, strong Wolfe zoom, full batch",
      transformation: AnyGradientTransformation(Optimizers.lbfgs(), name: "lbfgs"),
      batchSize: nil)
  }

  /// Adam (Kingma & Ba, "Adam: a method for stochastic optimization", ICLR 2015) with β₁ = 0.9,
  /// β₂ = 0.999, ε = 10⁻⁸ and a constant learning rate.
  static func adam(rate: Double, batch: Int?) -> TrainingOptimizer {
    TrainingOptimizer(
      name: "adam",
      settings: "Adam η = \(formatNumber(rate, significantDigits: 3))" + batchText(batch),
      transformation: AnyGradientTransformation(
        Optimizers.adam(learningRate: .constant(rate)), name: "adam"),
      batchSize: batch, rate: rate)
  }

  /// SGD with heavy-ball momentum 0.9 (Polyak 1964) and a constant learning rate.
  static func sgd(rate: Double, batch: Int?) -> TrainingOptimizer {
    TrainingOptimizer(
      name: "sgd",
      settings: "SGD η = \(formatNumber(rate, significantDigits: 3)), momentum 0.9"
        + batchText(batch),
      transformation: Optimizers.sgd(learningRate: .constant(rate), momentum: 0.9),
      batchSize: batch, rate: rate)
  }

  static func batchText(_ batch: Int?) -> String {
    batch.map { ", batch \($0)" } ?? ", full batch"
  }
}
