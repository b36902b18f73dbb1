import Foundation
import Testing

@testable import Curvature

/// Runs `opt` on the fixed gradient sequence and returns the outgoing updates.
private func run<T: GradientTransformation>(_ opt: T, _ gradients: [Vector]) -> [Vector] {
  var params: Vector = [0, 0]
  var state = opt.initialState(for: params)
  var out: [Vector] = []
  for (k, g) in gradients.enumerated() {
    var u = g
    opt.update(&u, state: &state, context: .parameters(params, iteration: k))
    apply(u, to: &params)
    out.append(u)
  }
  return out
}

private let gradients: [Vector] = [[1, -2], [0.5, 1], [-1, 0.25]]

private func expectClose(_ a: [Vector], _ b: [[Double]], tolerance: Double = 1e-14) {
  #expect(a.count == b.count)
  for (u, e) in zip(a, b) {
    for i in 0..<e.count {
      #expect(abs(u[i] - e[i]) <= tolerance * max(1, abs(e[i])), "got \(u[i]), expected \(e[i])")
    }
  }
}

@Suite struct TransformTests {
  // Expected values below were computed by hand from the published update formulas (three steps
  // on the gradients (1, −2), (0.5, 1), (−1, 0.25), learning rate 0.1).

  @Test func adamMatchesKingmaBaFormulas() {
    expectClose(
      run(Optimizers.adam(learningRate: .constant(0.1)), gradients),
      [
        [-0.09999999900000009, 0.09999999950000009],
        [-0.09321796270183899, 0.026633703797568475],
        [-0.011078307004289408, 0.013355978176385048],
      ])
  }

  @Test func momentumAndNesterov() {
    expectClose(
      run(Optimizers.sgd(learningRate: .constant(0.1), momentum: 0.9), gradients),
      [[-0.1, 0.2], [-0.14, 0.08], [-0.026, 0.047]])
    expectClose(
      run(Optimizers.sgd(learningRate: .constant(0.1), momentum: 0.9, nesterov: true), gradients),
      [[-0.19, 0.38], [-0.176, -0.028], [0.0766, 0.0173]])
  }

  @Test func rmspropAndAdagrad() {
    expectClose(
      run(Optimizers.rmsprop(learningRate: .constant(0.1)), gradients),
      [
        [-0.3162277560168383, 0.31622776101683797],
        [-0.14744195180707115, -0.1474419539809841],
        [0.22167554434673153, -0.03856436111448649],
      ])
    expectClose(
      run(Optimizers.adagrad(learningRate: .constant(0.1)), gradients),
      [
        [-0.09534625459063867, 0.0987729584604107],
        [-0.043033146697373306, -0.04428074384287983],
        [0.0652328059174122, -0.011002971096825232],
      ])
  }

  @Test func adamwAddsDecoupledDecayOnTheParameters() {
    // With zero gradients Adam's output is 0, so the step is −η·λ·x.
    let opt = Optimizers.adamw(learningRate: .constant(0.5), weightDecay: 0.1)
    var state = opt.initialState(for: [2, -4])
    var u: Vector = [0, 0]
    opt.update(&u, state: &state, context: .parameters([2, -4]))
    expectClose([u], [[-0.1, 0.2]])
  }

  @Test func clipping() {
    expectClose(run(ClipByValue(0.75), gradients), [[0.75, -0.75], [0.5, 0.75], [-0.75, 0.25]])
    let clipped = run(ClipByGlobalNorm(1), [[3, 4], [0.3, 0.4]])
    expectClose(clipped, [[0.6, 0.8], [0.3, 0.4]])
  }

  @Test func schedules() {
    #expect(Schedule.constant(0.3).value(at: 100) == 0.3)
    let e = Schedule.exponentialDecay(
      initial: 1, transitionSteps: 10, decayRate: 0.5, staircase: false)
    #expect(abs(e.value(at: 20) - 0.25) < 1e-15)
    #expect(abs(e.value(at: 5) - 0.5.squareRoot()) < 1e-15)
    let s = Schedule.exponentialDecay(
      initial: 1, transitionSteps: 10, decayRate: 0.5, staircase: true)
    #expect(s.value(at: 19) == 0.5)
    let c = Schedule.cosineDecay(initial: 2, decaySteps: 100, alpha: 0.1)
    #expect(abs(c.value(at: 50) - 2 * (0.9 * 0.5 + 0.1)) < 1e-14)
    #expect(abs(c.value(at: 1000) - 0.2) < 1e-14)
    let w = Schedule.warmupCosineDecay(
      initial: 0, peak: 1, warmupSteps: 10, decaySteps: 110, end: 0.1)
    #expect(abs(w.value(at: 5) - 0.5) < 1e-15)
    #expect(abs(w.value(at: 10) - 1) < 1e-15)
    #expect(abs(w.value(at: 60) - 0.55) < 1e-14)
    #expect(abs(w.value(at: 500) - 0.1) < 1e-14)
  }

  @Test func nonFiniteGradientLeavesParametersUnchanged() {
    let opt = SkipNonFinite(Optimizers.adam(learningRate: .constant(0.1)))
    var params: Vector = [1, 1]
    var state = opt.initialState(for: params)
    var u: Vector = [1, -2]
    opt.update(&u, state: &state, context: .parameters(params))
    apply(u, to: &params)
    let before = params
    let innerBefore = state.inner
    var bad: Vector = [.nan, 1]
    opt.update(&bad, state: &state, context: .parameters(params))
    apply(bad, to: &params)
    #expect(params == before)
    #expect(state.inner == innerBefore)
    #expect(state.skippedSteps == 1 && state.lastUpdateSkipped)
  }

  @Test func checkpointAndResumeIsBitIdentical() throws {
    let opt = chain {
      ClipByGlobalNorm(10)
      ScaleByAdam()
      ScaleByLearningRate(.cosineDecay(initial: 0.05, decaySteps: 50, alpha: 0))
    }
    // Gradient of f(x) = Σ (i+1)(xᵢ − 1)² on a few steps.
    func grad(_ x: Vector) -> Vector { Vector(count: x.count) { 2 * Double($0 + 1) * (x[$0] - 1) } }
    var xA: Vector = [0, 0, 0]
    var sA = opt.initialState(for: xA)
    for k in 0..<20 {
      var u = grad(xA)
      opt.update(&u, state: &sA, context: .parameters(xA, iteration: k))
      apply(u, to: &xA)
    }
    let saved = try JSONEncoder().encode(sA)
    let savedX = try JSONEncoder().encode(xA)
    for k in 20..<40 {
      var u = grad(xA)
      opt.update(&u, state: &sA, context: .parameters(xA, iteration: k))
      apply(u, to: &xA)
    }
    var sB = try JSONDecoder().decode(type(of: sA), from: saved)
    var xB = try JSONDecoder().decode(Vector.self, from: savedX)
    for k in 20..<40 {
      var u = grad(xB)
      opt.update(&u, state: &sB, context: .parameters(xB, iteration: k))
      apply(u, to: &xB)
    }
    #expect(xA == xB)
    #expect(sA == sB)
  }

  @Test func typeErasedTransformRoundTripsItsState() throws {
    let opt = AnyGradientTransformation(Optimizers.adam(learningRate: .constant(0.1)), name: "adam")
    var state = opt.initialState(for: [0, 0])
    var u: Vector = [1, -2]
    opt.update(&u, state: &state, context: .parameters([0, 0]))
    let data = try JSONEncoder().encode(state)
    let restored = try opt.decodeState(from: JSONDecoderBox.decoder(for: data))
    #expect(restored == state)
  }
}

/// Gets at a `Decoder` for raw JSON data (JSONDecoder exposes one only through `Decodable`).
private struct JSONDecoderBox: Decodable {
  nonisolated(unsafe) static var captured: (any Decoder)?
  init(from decoder: any Decoder) throws { JSONDecoderBox.captured = decoder }
  static func decoder(for data: Data) throws -> any Decoder {
    _ = try JSONDecoder().decode(JSONDecoderBox.self, from: data)
    return captured!
  }
}
