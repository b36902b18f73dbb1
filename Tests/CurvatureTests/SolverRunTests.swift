import Testing

@testable import Curvature

/// A method that takes fixed gradient steps, to exercise the driver alone.
private struct FixedStepDescent: MinimizationMethod {
  var name: String { "fixed-step descent" }
  var step = 0.1
  func run(_ run: inout SolverRun) -> Termination {
    while true {
      if run.gradientConverged { return .gradientTolerance }
      var x = run.x
      axpy(-step, run.gradient, &x)
      var g = Vector.zeros(run.dimension)
      let f = run.evaluate(x, gradient: &g)
      if let t = run.accept(x: x, value: f, gradient: g) { return t }
    }
  }
}

private let quadratic = FunctionObjective(
  dimension: 2,
  gradient: { x, g in
    g[0] = 2 * (x[0] - 1)
    g[1] = 8 * (x[1] + 2)
    return (x[0] - 1) * (x[0] - 1) + 4 * (x[1] + 2) * (x[1] + 2)
  })

@Suite struct SolverRunTests {
  @Test func drivesToTheMinimizerAndCounts() {
    let s = minimize(
      quadratic, from: [0, 0], using: FixedStepDescent(), options: .init(recordHistory: true))
    #expect(s.termination == .gradientTolerance)
    #expect(abs(s.x[0] - 1) < 1e-6 && abs(s.x[1] + 2) < 1e-6)
    #expect(s.statistics.evaluations.gradients == s.statistics.iterations + 1)
    #expect(s.history.count == s.statistics.iterations + 1)
  }

  @Test func badInputGivesClearTerminations() {
    #expect(
      minimize(quadratic, from: [.nan, 0], using: FixedStepDescent()).termination
        == .nonFiniteStartingPoint)
    #expect(
      minimize(quadratic, from: [0, 0, 0], using: FixedStepDescent()).termination == .invalidProblem
    )
    let empty = FunctionObjective(dimension: 0, gradient: { _, _ in 0 })
    #expect(minimize(empty, from: [], using: FixedStepDescent()).termination == .invalidProblem)
    let zero = minimize(
      quadratic, from: [0, 0], using: FixedStepDescent(), options: .init(maxIterations: 0))
    #expect(zero.termination == .iterationLimit)
    #expect(zero.value == 17)
  }

  @Test func observerStopsAndReturnsBestPoint() {
    var calls = 0
    let s = minimize(quadratic, from: [0, 0], using: FixedStepDescent()) { summary in
      calls += 1
      return summary.iteration >= 3 ? .stop : .continue
    }
    #expect(s.termination == .stoppedByObserver)
    #expect(calls == 4)
    #expect(s.value < 17)
  }

  @Test func nonFiniteMidwayReturnsBestFinitePoint() {
    // Step too long for the curvature 8: diverges until the value overflows.
    let s = minimize(
      quadratic, from: [0, 0], using: FixedStepDescent(step: 0.3),
      options: .init(maxIterations: 5000))
    #expect(s.termination == .nonFiniteValue)
    #expect(s.value.isFinite)
    #expect(s.value <= 17)
  }
}
