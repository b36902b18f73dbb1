import Testing

@testable import Curvature

/// f(x) = Σᵢ xᵢ, linear and unbounded below.
private let linear = DeterministicTrainingObjective(
  FunctionObjective(
    dimension: 3,
    gradient: { x, g in
      for i in 0..<x.count { g[i] = 1 }
      return x[0] + x[1] + x[2]
    }))

/// f(x) = ½‖x − 1‖².
private let bowl = DeterministicTrainingObjective(
  FunctionObjective(
    dimension: 3,
    gradient: { x, g in
      var f = 0.0
      for i in 0..<x.count {
        g[i] = x[i] - 1
        f += 0.5 * g[i] * g[i]
      }
      return f
    }))

@Suite("Training on bad input")
struct TrainingBadInputTests {
  @Test("a starting point of the wrong length is invalidProblem with a note, nothing evaluated")
  func wrongLength() {
    let r = train(
      Optimizers.sgd(learningRate: .constant(0.1)), objective: bowl, from: [0, 0],
      options: TrainingOptions(passes: 10))
    #expect(r.status == .invalidProblem)
    #expect(r.steps == 0 && r.passes == 0 && r.counts == TrainingCounts())
    #expect(r.note == "The starting point has 2 elements but the objective has 3 parameters.")
    #expect(r.parameters == [0, 0])
  }

  @Test("a gradient of the wrong length from the objective is invalidProblem, never a trap")
  func wrongLengthGradient() {
    let broken = DeterministicTrainingObjective(
      FunctionObjective(
        dimension: 3,
        gradient: { x, g in
          g = .zeros(2)
          return 0
        }))
    for transformation in [
      AnyGradientTransformation(Optimizers.sgd(learningRate: .constant(0.1))),
      AnyGradientTransformation(Optimizers.lbfgs()),
      AnyGradientTransformation(Optimizers.hessianFree()),
    ] {
      let r = train(
        transformation, objective: broken, from: [0, 0, 0], options: TrainingOptions(passes: 10))
      #expect(r.status == .invalidProblem)
      #expect(
        r.note == "The objective's gradient has 2 elements but the objective has 3 parameters.")
      #expect(r.parameters == [0, 0, 0])
    }
  }

  @Test("an objective without parameters is invalidProblem, as in minimize")
  func emptyProblem() {
    let empty = DeterministicTrainingObjective(
      FunctionObjective(dimension: 0, gradient: { _, _ in 0 }))
    let r = train(
      Optimizers.sgd(learningRate: .constant(0.1)), objective: empty, from: [],
      options: TrainingOptions(passes: 10))
    #expect(r.status == .invalidProblem)
    #expect(r.note == "The objective has no parameters.")
    let s = minimize(
      FunctionObjective(dimension: 0, gradient: { _, _ in 0 }), from: [], using: .lbfgs())
    #expect(s.termination == .invalidProblem)
  }

  @Test("the L-BFGS transform on an unbounded function stops unboundedBelow within bounded steps")
  func unboundedLBFGS() {
    let r = train(
      Optimizers.lbfgs(), objective: linear, from: [0, 0, 0],
      options: TrainingOptions(passes: 1e9, maxSteps: 1_000_000))
    #expect(r.status == .unboundedBelow)
    #expect(r.steps == 1)
    #expect(r.loss < -1e10)
  }

  @Test("SGD running down a linear function stops at the unbounded loss")
  func unboundedSGD() {
    let r = train(
      Optimizers.sgd(learningRate: .constant(1e299)), objective: linear, from: [0, 0, 0],
      options: TrainingOptions(passes: 1e9))
    #expect(r.status == .unboundedBelow)
    // −3·10²⁹⁹ per step: the fourth loss is below −1e300.
    #expect(r.steps == 4)
    #expect(r.history.last!.loss < -1e300)
  }

  @Test("updates of zeros at a non-zero gradient stop the run as stalled after stallSteps")
  func zeroUpdatesStall() {
    let r = train(
      Optimizers.sgd(learningRate: .constant(0)), objective: bowl, from: [0, 0, 0],
      options: TrainingOptions(passes: 1e9, stallSteps: 7))
    #expect(r.status == .stalled)
    #expect(r.steps == 7)
    #expect(r.parameters == [0, 0, 0])
    // A zero update at the minimizer (gradient zero) is no stall.
    let still = train(
      Optimizers.sgd(learningRate: .constant(0)), objective: bowl, from: [1, 1, 1],
      options: TrainingOptions(passes: 1e9, maxSteps: 50, stallSteps: 7))
    #expect(still.status == .stepLimit)
  }
}
