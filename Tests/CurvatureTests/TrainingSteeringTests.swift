import Curvature
import Testing

/// f(x) = ½‖x − 1‖² with value and gradient.
struct SteeringQuadratic: DifferentiableObjective {
  var dimension: Int { 3 }
  func value(at x: Vector) -> Double {
    0.5 * (0..<3).reduce(0.0) { $0 + (x[$1] - 1) * (x[$1] - 1) }
  }
  func value(at x: Vector, gradient: inout Vector) -> Double {
    gradient = Vector(count: 3) { x[$0] - 1 }
    return value(at: x)
  }
}

/// A gradient step of −0.1 g that also spends five value evaluations (2.5 passes), so every step
/// costs 3.5 passes with its gradient.
struct CostlyStep: GradientTransformation {
  func initialState(for parameters: Vector) -> EmptyState { EmptyState() }
  func update(_ updates: inout Vector, state: inout EmptyState, context: UpdateContext) {
    let f = context.requireValueEvaluation(for: "CostlyStep")
    for _ in 0..<5 { _ = f(context.parameters) }
    updates = updates.scaled(by: -0.1)
  }
}

@Suite("Steering training")
struct TrainingSteeringTests {
  let objective = DeterministicTrainingObjective(SteeringQuadratic())

  @Test("the pass budget is not exceeded by steps of equal cost, and passes are exact")
  func budget() {
    let r = train(
      CostlyStep(), objective: objective, from: [0, 0, 0], options: TrainingOptions(passes: 10))
    // Steps of 3.5 passes: after two (7), a third would end at 10.5 > 10; the stop comes
    // before the third step's gradient, at 7.
    #expect(r.status == .passBudget)
    #expect(r.steps == 2)
    #expect(r.passes == 7)
    #expect(r.counts.values == 10 && r.counts.gradients == 2)
  }

  /// One Hessian-free step of 17 CG iterations costs 38.5 passes (a gradient, the Gauss-Newton
  /// preparation, 17 + 1 products, the value at the last iterate and one CG backtracking
  /// value). Under a budget of 10, CG is cut to the iterations the budget holds.
  @Test("a Hessian-free step with many CG products stays within a small budget")
  func hessianFreeWithinTheBudget() {
    let spread = DeterministicTrainingObjective(
      FunctionObjective(
        dimension: 30,
        gradient: { x, g in
          var f = 0.0
          for i in 0..<x.count {
            g[i] = Double(i + 1) * x[i]
            f += 0.5 * Double(i + 1) * x[i] * x[i]
          }
          return f
        },
        hessianVectorProduct: { _, v, out in
          for i in 0..<v.count { out[i] = Double(i + 1) * v[i] }
        }))
    let x0 = Vector(repeating: 1, count: 30)
    let hf = HessianFreeNewton(initialDamping: 1e-3, maxCGIterations: 17, martensStopping: false)
    let unbounded = train(
      hf, objective: spread, from: x0, options: TrainingOptions(passes: 1e9, maxSteps: 1))
    #expect(unbounded.steps == 1)
    #expect(unbounded.passes == 38.5)
    #expect(unbounded.counts.gaussNewtonProducts == 18)
    let r = train(hf, objective: spread, from: x0, options: TrainingOptions(passes: 10))
    // 1 (gradient) + 1/2 (preparation) + 3 × 2 (CG) + 1/2 (value) + 2 (reduction ratio).
    #expect(r.status == .passBudget)
    #expect(r.steps == 1)
    #expect(r.passes == 10)
    #expect(r.counts.gaussNewtonProducts == 4 && r.counts.values == 1)
    #expect(r.loss < spread.oracle(samples: nil).value(x0))
    for budget in [20.0, 50.0, 100.0] {
      let s = train(hf, objective: spread, from: x0, options: TrainingOptions(passes: budget))
      #expect(s.passes <= budget, "budget \(budget): \(s.passes) passes in \(s.steps) steps")
      #expect(s.status == .passBudget || s.status == .gradientTolerance)
    }
  }

  @Test("an observer stops training at the step it says, with the parameters after it")
  func observer() {
    let r = train(
      CostlyStep(), objective: objective, from: [0, 0, 0],
      options: TrainingOptions(
        passes: 1e9,
        observer: { p in
          // x after k steps of −0.1 g from 0 toward 1: 1 − 0.9ᵏ in each element.
          precondition(abs(p.parameters[0] - (1 - Double.pow(0.9, Double(p.step)))) < 1e-15)
          return p.step == 4 ? .stop : .proceed
        }))
    #expect(r.status == .stoppedByObserver)
    #expect(r.steps == 4)
    #expect(abs(r.parameters[1] - (1 - 0.6561)) < 1e-15)
    #expect(r.passes == 14)
  }

  @Test("held-out metrics are recorded every k steps and at the end, equal to a direct evaluation")
  func heldOutMetrics() {
    let other = SteeringQuadratic()
    let r = train(
      CostlyStep(), objective: objective, from: [0, 0, 0],
      options: TrainingOptions(
        passes: 1e9, maxSteps: 7,
        evaluation: TrainingEvaluation(every: 3) { x in ["held-out": other.value(at: x) + 1] }))
    #expect(r.status == .stepLimit)
    let recorded = r.history.filter { !$0.metrics.isEmpty }.map(\.step)
    #expect(recorded == [0, 3, 6, 7])
    #expect(r.history.last?.metrics["held-out"] == other.value(at: r.parameters) + 1)
  }

  @Test("accuracy and test loss of a network on held-out rows")
  func accuracy() {
    // One dense layer 2 → 3 with W = I-like rows and no bias: outputs (x₁, x₂, 0).
    let net = Network(inputWidth: 2, layers: [.dense(3, bias: false)])
    let theta: Vector = [1, 0, 0, 1, 0, 0]
    let x = Matrix(rows: 3, columns: 2, storage: [2, 1, -1, 3, -1, -2])
    // Predictions: class 0, class 1, class 2; targets 0, 1, 1: two of three right.
    let t = Matrix(rows: 3, columns: 3, storage: [1, 0, 0, 0, 1, 0, 0, 1, 0])
    let f = NetworkObjective(network: net, inputs: x, targets: t, loss: .softmaxCrossEntropy)
    #expect(abs(f.accuracy(at: theta) - 2.0 / 3) < 1e-15)
    let m = f.evaluation(inputs: x, targets: t, every: 1).metrics(theta)
    #expect(m["test accuracy"] == f.accuracy(at: theta))
    #expect(m["test loss"] == f.value(at: theta))
  }
}
