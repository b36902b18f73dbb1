import Curvature
import Foundation
import Testing

// L-BFGS as a gradient transformation, the line search as the tail of a chain, and the
// training loop on deterministic objectives.

/// f(x) = ½(x₁² + 10x₂²): ∇f = (x₁, 10x₂), ∇²f = diag(1, 10).
let diagonalQuadratic = FunctionObjective(
  dimension: 2,
  gradient: { x, g in
    g = Vector([x[0], 10 * x[1]])
    return 0.5 * (x[0] * x[0] + 10 * x[1] * x[1])
  },
  hessianVectorProduct: { _, v, out in out = Vector([v[0], 10 * v[1]]) })

/// Rosenbrock f = 100(x₂ − x₁²)² + (1 − x₁)², minimum 0 at (1, 1).
let rosenbrockObjective = FunctionObjective(
  dimension: 2,
  gradient: { x, g in
    let (a, b) = (x[0], x[1])
    g = Vector([-400 * a * (b - a * a) - 2 * (1 - a), 200 * (b - a * a)])
    return 100 * (b - a * a) * (b - a * a) + (1 - a) * (1 - a)
  })

@Suite("L-BFGS transform")
struct LBFGSTransformTests {
  /// Two unit steps of ScaleByLBFGS on ½(x₁² + 10x₂²) from (1, 1), derived by hand:
  /// d₀ = −g₀ = (−1, −10); x₁ = (0, −9), g₁ = (0, −90); s₀ = (−1, −10), y₀ = (−1, −100),
  /// s₀ᵀy₀ = 1001, y₀ᵀy₀ = 10001, γ = 1001/10001. Two-loop: α = 900/1001,
  /// q = (900/1001, −90/1001), r = γq = (900/10001, −90/10001), β = 8100/(1001·10001),
  /// r += (α − β)s₀, so d₁ = −r = (8091900, 90018090)/10011001.
  @Test func twoStepsMatchHandDerivation() {
    let t = ScaleByLBFGS(memory: 5)
    var state = t.initialState(for: [1, 1])
    var x: Vector = [1, 1]
    var g = Vector.zeros(2)
    _ = diagonalQuadratic.value(at: x, gradient: &g)
    var u = g
    t.update(&u, state: &state, context: .parameters(x))
    #expect(u == [-1, -10])
    apply(u, to: &x)
    #expect(x == [0, -9])
    _ = diagonalQuadratic.value(at: x, gradient: &g)
    u = g
    t.update(&u, state: &state, context: .parameters(x, iteration: 1))
    let expected: Vector = [8_091_900.0 / 10_011_001.0, 90_018_090.0 / 10_011_001.0]
    #expect(Swift.abs(u[0] - expected[0]) <= 1e-14 * Swift.abs(expected[0]))
    #expect(Swift.abs(u[1] - expected[1]) <= 1e-14 * Swift.abs(expected[1]))
    #expect(state.steps == [[-1, -10]])
    #expect(state.gradientChanges == [[-1, -100]])
    // The secant equation H₁y₀ = s₀ holds for the two-loop operator: feed y₀ as a gradient.
    var probe = state
    probe.previousParameters = nil
    var hy: Vector = [-1, -100]
    t.update(&hy, state: &probe, context: .parameters(x))
    #expect(Swift.abs(hy[0] - 1) <= 1e-13 && Swift.abs(hy[1] - 10) <= 1e-13)
  }

  @Test func memoryKeepsTheLastPairsAndSkipsNonPositiveCurvature() {
    let t = ScaleByLBFGS(memory: 2)
    var state = t.initialState(for: [0, 0])
    let points: [Vector] = [[1, 1], [0.5, 0.2], [0.2, 0.1], [0.1, 0.0]]
    for (k, p) in points.enumerated() {
      var g = Vector.zeros(2)
      _ = diagonalQuadratic.value(at: p, gradient: &g)
      t.update(&g, state: &state, context: .parameters(p, iteration: k))
    }
    #expect(state.steps.count == 2)
    #expect(state.steps.last == [-0.1, -0.1])
    // A repeated point gives s = 0: the pair is skipped.
    var g = Vector.zeros(2)
    _ = diagonalQuadratic.value(at: points[3], gradient: &g)
    t.update(&g, state: &state, context: .parameters(points[3]))
    #expect(state.skippedPairs == 1)
    #expect(state.steps.count == 2)
  }

  @Test func stateRoundTripsThroughCodable() throws {
    let t = ScaleByLBFGS(memory: 3)
    var state = t.initialState(for: [1, 1])
    var x: Vector = [1, 1]
    for k in 0..<3 {
      var g = Vector.zeros(2)
      _ = diagonalQuadratic.value(at: x, gradient: &g)
      t.update(&g, state: &state, context: .parameters(x, iteration: k))
      apply(g.scaled(by: 0.1), to: &x)
    }
    let data = try JSONEncoder().encode(state)
    let decoded = try JSONDecoder().decode(ScaleByLBFGS.State.self, from: data)
    #expect(decoded == state)
    #expect(state.steps.count == 2)
  }

  /// The accepted point's value and gradient stay in the line-search state, and the next
  /// update starts from them without evaluating f at xₖ again.
  @Test func lineSearchKeepsAcceptedValueAndGradient() {
    let t = ScaleByLineSearch(StrongWolfe(), scalesFirstStep: false)
    var state = t.initialState(for: [1, 1])
    var calls = 0
    let context = { (x: Vector, value: Double?, gradient: Vector?) in
      UpdateContext(
        parameters: x, value: value, gradient: gradient,
        evaluateGradient: { p, g in
          calls += 1
          return diagonalQuadratic.value(at: p, gradient: &g)
        })
    }
    var x: Vector = [1, 1]
    var g = Vector.zeros(2)
    let f0 = diagonalQuadratic.value(at: x, gradient: &g)
    var u = g.scaled(by: -1)
    t.update(&u, state: &state, context: context(x, f0, g))
    #expect(calls == state.evaluations)
    apply(u, to: &x)
    var g1 = Vector.zeros(2)
    let f1 = diagonalQuadratic.value(at: x, gradient: &g1)
    #expect(state.value == f1)
    #expect(state.gradient == g1)
    #expect(f1 < f0)
    // Second update: no value or gradient in the context.
    let (callsBefore, evaluationsBefore) = (calls, state.evaluations)
    u = g1.scaled(by: -1)
    t.update(&u, state: &state, context: context(x, nil, nil))
    #expect(state.lastStep > 0)
    #expect(calls - callsBefore == state.evaluations - evaluationsBefore)
  }

  @Test(arguments: ["zoom", "armijo"])
  func lbfgsConvergesOnRosenbrock(_ search: String) {
    let objective = DeterministicTrainingObjective(rosenbrockObjective)
    let options = TrainingOptions(passes: 2000, maxSteps: 500, gradientTolerance: 1e-8)
    let result =
      search == "zoom"
      ? train(Optimizers.lbfgs(), objective: objective, from: [-1.2, 1], options: options)
      : train(
        Optimizers.lbfgs(lineSearch: BacktrackingArmijo()), objective: objective,
        from: [-1.2, 1], options: options)
    #expect(result.status == .gradientTolerance)
    #expect(Swift.abs(result.parameters[0] - 1) <= 1e-6)
    #expect(Swift.abs(result.parameters[1] - 1) <= 1e-6)
    #expect(result.steps < 200)
    // Each step starts where the line search accepted its last trial: no gradient beyond
    // those of the searches and the first one (the zoom search accepts its last trial).
    if search == "zoom" {
      #expect(result.counts.gradients <= 1 + 3 * result.steps)
    }
  }

  @Test func trainingLoopRecordsPassesAndStopsOnTheBudget() {
    let objective = DeterministicTrainingObjective(diagonalQuadratic)
    let result = train(
      Optimizers.sgd(learningRate: .constant(0.05)), objective: objective, from: [1, 1],
      options: TrainingOptions(passes: 10))
    #expect(result.status == .passBudget)
    #expect(result.steps == 10)
    #expect(result.passes == 10)
    #expect(result.history.count == 11)
    #expect(result.history.map(\.passes) == (0...10).map(Double.init))
    #expect(result.loss < result.history[0].loss)
    // Losses decrease monotonically for a small step on a convex quadratic.
    for k in 1..<result.history.count {
      #expect(result.history[k].loss < result.history[k - 1].loss)
    }
  }

  /// Hessian-vector products that are NaN make AdaHessian's and Sophia's updates NaN: training
  /// stops with `nonFinite` before applying one and returns the last finite parameters (it used to
  /// apply it and return NaN parameters). With a NaN full-batch loss midway the loop stops too.
  @Test func aNonFiniteUpdateIsNotApplied() {
    let nanCurvature = FunctionObjective(
      dimension: 2,
      gradient: { x, g in diagonalQuadratic.value(at: x, gradient: &g) },
      hessianVectorProduct: { _, _, out in out = Vector([.nan, .nan]) })
    let objective = DeterministicTrainingObjective(nanCurvature)
    let options = TrainingOptions(passes: 50)
    let results = [
      train(
        Optimizers.adahessian(learningRate: .constant(0.1)), objective: objective, from: [1, 1],
        options: options),
      train(
        Optimizers.sophia(learningRate: .constant(0.01)), objective: objective, from: [1, 1],
        options: options),
    ]
    for result in results {
      #expect(result.status == .nonFinite)
      #expect(result.steps == 0)
      #expect(result.parameters == [1, 1])
      #expect(result.loss == 5.5)
    }
    // A transform that ignores curvature trains on the same objective.
    let sgd = train(
      Optimizers.sgd(learningRate: .constant(0.05)), objective: objective, from: [1, 1],
      options: options)
    #expect(sgd.status == .passBudget && sgd.loss < 0.01)
  }
}
