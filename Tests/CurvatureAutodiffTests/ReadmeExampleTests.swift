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

@differentiable(reverse)
func readmeMeanQuartic<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  let n = x.dimension  // not x.count
  let target = V(constant: (0..<n).map { Double($0) / Double(n) })
  return (x - target).squared().squared().sum().scaled(by: 1 / Double(n))
}

@Suite struct ReadmeExampleTests {
  /// `x.dimension` inside a generic differentiable objective: `x.count` there does not compile
  /// in Swift 6.3.1. The gradient 4(xᵢ − i/n)³/n and the minimizer xᵢ = i/n are checked.
  @Test(arguments: [7, 1000]) func aScalableObjectiveReadsItsDimension(n: Int) {
    let objective = AutodiffObjective(
      dimension: n, { readmeMeanQuartic($0) }, { readmeMeanQuartic($0) })
    let x = Vector(count: n) { Double.sin(Double($0)) }
    var g = Vector.zeros(n)
    _ = objective.value(at: x, gradient: &g)
    let expected = Vector(count: n) { i in
      let d = x[i] - Double(i) / Double(n)
      return 4 * d * d * d / Double(n)
    }
    #expect((g - expected).normInfinity <= 1e-15)
    let solution = minimize(objective, from: .zeros(n), using: .newtonCG())
    #expect(solution.isSuccess)
    #expect((solution.x - Vector(count: n) { Double($0) / Double(n) }).normInfinity < 0.05)
    #expect(solution.statistics.evaluations.differenceGradients == 0)
  }

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
    // Hessian-free fits its last step to the passes left (UpdateContext.budgetRemaining).
    #expect(result.passes >= 15 && result.passes <= 20)
  }
}
