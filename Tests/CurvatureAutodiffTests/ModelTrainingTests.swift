import Curvature
import CurvatureAutodiff
import CurvatureProblems
import Testing

@Suite("Training models with transforms")
struct ModelTrainingTests {
  static let logisticRegression: ModelObjective<LinearModel> = {
    let p = LogisticRegression.synthetic(samples: 500, features: 10)
    return ModelObjective.logisticRegression(
      features: p.features, labels: p.labels, regularization: p.regularization)
  }()

  /// Small version of the acceptance: Hessian-free (Gauss-Newton curvature, which equals the
  /// Hessian here) and L-BFGS reach ‖∇f‖∞ ≤ 10⁻⁶ on full-batch logistic regression.
  @Test(arguments: ["hf", "lbfgs"])
  func fullBatchLogisticRegressionConverges(_ method: String) {
    let f = Self.logisticRegression
    let options = TrainingOptions(passes: 2000, gradientTolerance: 1e-6)
    let result =
      method == "hf"
      ? train(
        Optimizers.hessianFree(initialDamping: 1e-2), objective: f, from: .zeros(10),
        options: options)
      : train(Optimizers.lbfgs(), objective: f, from: .zeros(10), options: options)
    #expect(result.status == .gradientTolerance)
    #expect(result.gradientNormInfinity <= 1e-6)
    // Both agree on the optimum with the analytic problem's gradient.
    let p = LogisticRegression.synthetic(samples: 500, features: 10)
    var g = Vector.zeros(10)
    _ = p.value(at: result.parameters, gradient: &g)
    #expect(g.normInfinity <= 1e-6)
  }

  /// A few Hessian-free steps on mini-batches decrease the spirals MLP's full training loss.
  @Test func hessianFreeStepsDecreaseTheMLPLoss() {
    let f = ModelObjective.spiralsClassifier(
      data: TwoSpirals(samplesPerClass: 100), hiddenWidths: [8, 8])
    let x0 = f.model.initialParameters(seed: 1)
    let l0 = f.value(at: x0)
    let result = train(
      Optimizers.hessianFree(maxCGIterations: 20), objective: f, from: x0,
      options: TrainingOptions(passes: 1e9, batchSize: 100, maxSteps: 5, seed: 3))
    #expect(result.steps == 5)
    #expect(result.loss < 0.9 * l0)
    #expect(result.counts.gaussNewtonProducts > 0)
    #expect(result.counts.gaussNewtonPreparations <= 5)
  }

  /// Adam on mini-batches of the autoencoder lowers the reconstruction error; the pass count
  /// is |B|/m per gradient.
  @Test func adamMiniBatchesChargeFractionalPasses() {
    let f = ModelObjective.curvesAutoencoder(
      data: BezierCurves(count: 64, pointsPerCurve: 4), encoderWidths: [6], codeWidth: 2)
    let x0 = f.model.initialParameters(seed: 2)
    let result = train(
      Optimizers.adam(learningRate: .constant(1e-2)), objective: f, from: x0,
      options: TrainingOptions(passes: 1e9, batchSize: 16, maxSteps: 40, seed: 5))
    #expect(result.steps == 40)
    #expect(result.counts.gradients == 40)
    #expect(Swift.abs(result.passes - 40.0 * 16 / 64) <= 1e-12)
    #expect(result.loss < result.history[0].loss)
  }
}
