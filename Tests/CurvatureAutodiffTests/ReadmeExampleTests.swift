import Curvature
import CurvatureAutodiff
import Testing
import _Differentiation

// The two examples of README.md, verbatim apart from the assertions: if this file stops
// compiling, the README is wrong.

@differentiable(reverse)
func readmeRosenbrock<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  let odd = x.evenIndexed()  // x₁, x₃, …
  let even = x.oddIndexed()  // x₂, x₄, …
  return (even - odd.squared()).squared().sum().scaled(by: 100) + odd.adding(-1).squared().sum()
}

@Suite struct ReadmeExampleTests {
  @Test func newtonCGOnAnAutodiffObjective() {
    let objective = AutodiffObjective(
      dimension: 4, { readmeRosenbrock($0) }, { readmeRosenbrock($0) })
    let solution = minimize(objective, from: [-1.2, 1, -1.2, 1], using: .newtonCG())
    print(solution.briefReport)
    #expect(solution.isSuccess)
    #expect((solution.x - [1, 1, 1, 1]).normInfinity < 1e-5)
    #expect(solution.statistics.evaluations.differenceGradients == 0)  // exact dual products
  }

  @Test func hessianFreeTrainingLoop() {
    let loss = ModelObjective.spiralsClassifier()
    let start = loss.model.initialParameters(seed: 1)
    let result = train(
      Optimizers.hessianFree(initialDamping: 0.1), objective: loss, from: start,
      options: TrainingOptions(passes: 20, batchSize: 500))
    print(result.loss, result.passes)
    #expect(result.loss < 0.9 * loss.value(at: start))
    // The budget is checked between steps, so the last Hessian-free step may overshoot it.
    #expect(result.passes >= 20 && result.passes <= 40)
  }
}
