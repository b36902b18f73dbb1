import Testing

@testable import Curvature

private let bowl = FunctionObjective(
  dimension: 2,
  gradient: { x, g in
    g[0] = 2 * (x[0] - 1)
    g[1] = 8 * (x[1] + 2)
    return (x[0] - 1) * (x[0] - 1) + 4 * (x[1] + 2) * (x[1] + 2)
  })

/// Fixed gradient steps with the copying calls (`evaluate`, `accept`) or the buffer-reusing ones
/// (`evaluateTrial`, `acceptSwapping`); both must give the same solve.
private struct Descent: MinimizationMethod {
  var swapping: Bool
  /// Hands the acceptance the ‖∇f‖∞ computed by the method.
  var passesNorm = false
  var name: String { "descent" }
  func run(_ run: inout SolverRun) -> Termination {
    var trial = Vector.zeros(run.dimension)
    var trialGradient = Vector.zeros(run.dimension)
    while true {
      if run.gradientConverged { return .gradientTolerance }
      addScaled(run.x, -0.1, run.gradient, into: &trial)
      if swapping {
        let f = run.evaluateTrial(trial, gradient: &trialGradient)
        let known = passesNorm ? maximumMagnitude(trialGradient) : nil
        if let t = run.acceptSwapping(
          x: &trial, value: f, gradient: &trialGradient, gradientNormInfinity: known)
        {
          return t
        }
      } else {
        let f = run.evaluate(trial, gradient: &trialGradient)
        if let t = run.accept(x: trial, value: f, gradient: trialGradient) { return t }
      }
    }
  }
}

/// Visits the given points in order (accepting each, better or worse), then stops with
/// `termination`; with `recordOnly` the last point is evaluated and recorded but not accepted.
private struct Visit: MinimizationMethod {
  var points: [Vector]
  var termination: Termination
  var recordOnly: Vector? = nil
  var name: String { "visit" }
  func run(_ run: inout SolverRun) -> Termination {
    var trial = Vector.zeros(run.dimension)
    var g = Vector.zeros(run.dimension)
    for p in points {
      trial.assign(p)
      let f = run.evaluateTrial(trial, gradient: &g)
      if let t = run.acceptSwapping(x: &trial, value: f, gradient: &g) { return t }
    }
    if let r = recordOnly {
      trial.assign(r)
      let f = run.evaluateTrial(trial, gradient: &g)
      run.recordTrial(trial, value: f, gradient: g)
      trial.fill(.nan)  // the method overwrites its buffer; the run kept its own copy
    }
    return termination
  }
}

@Suite struct SolverRunBufferTests {
  @Test func swappingAcceptGivesTheSameSolveAsCopying() {
    let a = minimize(bowl, from: [0, 0], using: Descent(swapping: false))
    let b = minimize(bowl, from: [0, 0], using: Descent(swapping: true))
    #expect(a.termination == b.termination)
    #expect(a.statistics.iterations == b.statistics.iterations)
    #expect(a.statistics.evaluations == b.statistics.evaluations)
    #expect(a.x == b.x)
    #expect(a.value.bitPattern == b.value.bitPattern)
    #expect(a.gradient == b.gradient)
  }

  @Test func aKnownGradientNormGivesTheSameSolve() {
    let options = MinimizeOptions(recordHistory: true)
    let a = minimize(bowl, from: [0, 0], using: Descent(swapping: true), options: options)
    let b = minimize(
      bowl, from: [0, 0], using: Descent(swapping: true, passesNorm: true), options: options)
    #expect(a.statistics.iterations == b.statistics.iterations)
    #expect(a.x == b.x)
    #expect(a.history.map(\.gradientNorm) == b.history.map(\.gradientNorm))
    #expect(a.history.map(\.stepNorm) == b.history.map(\.stepNorm))
  }

  @Test func acceptSwappingHandsBackThePreviousIterate() {
    struct Check: MinimizationMethod {
      var name: String { "check" }
      func run(_ run: inout SolverRun) -> Termination {
        var trial: Vector = [0.5, -1]
        var g = Vector.zeros(2)
        let f = run.evaluateTrial(trial, gradient: &g)
        let oldX = run.x
        let oldGradient = run.gradient
        let trialStorage = trial.withUnsafeBufferPointer { $0.baseAddress }
        _ = run.acceptSwapping(x: &trial, value: f, gradient: &g)
        #expect(run.x == [0.5, -1])
        #expect(run.value == f)
        #expect(run.gradient == [-1, 8])
        #expect(trial == oldX)
        #expect(g == oldGradient)
        // The run took the trial's storage itself, without a copy.
        #expect(run.x.withUnsafeBufferPointer { $0.baseAddress } == trialStorage)
        #expect(run.bestValue == f)
        #expect(run.bestX == [0.5, -1])
        return .gradientTolerance
      }
    }
    _ = minimize(bowl, from: [0, 0], using: Check())
  }

  @Test func theBestPointSurvivesAWorseAcceptedPoint() {
    // f(0.5, −1) = 4.25 < f(0, 0) = 17 < f(3, 3) = 104: after the worse point the solution of a
    // failed solve is the best one, saved when the worse point replaced it.
    let s = minimize(
      bowl, from: [0, 0],
      using: Visit(points: [[0.5, -1], [3, 3]], termination: .lineSearchFailed))
    #expect(s.termination == .lineSearchFailed)
    #expect(s.x == [0.5, -1])
    #expect(s.value == 4.25)
    #expect(s.gradient == [-1, 8])
    // A successful solve reports the current iterate.
    let t = minimize(
      bowl, from: [0, 0],
      using: Visit(points: [[0.5, -1], [3, 3]], termination: .gradientTolerance))
    #expect(t.x == [3, 3])
  }

  @Test func aRecordedTrialBecomesTheBestPoint() {
    let s = minimize(
      bowl, from: [0, 0],
      using: Visit(points: [[0.5, -1]], termination: .lineSearchFailed, recordOnly: [1, -1.5]))
    #expect(s.x == [1, -1.5])
    #expect(s.value == 1)
    // A recorded trial that is worse than the best changes nothing.
    let t = minimize(
      bowl, from: [0, 0],
      using: Visit(points: [[1, -1.5]], termination: .lineSearchFailed, recordOnly: [0.5, -1]))
    #expect(t.x == [1, -1.5])
  }

  @Test func aNonFiniteAcceptedPointIsNeverTheBest() {
    let wild = FunctionObjective(
      dimension: 1,
      gradient: { x, g in
        g[0] = x[0] > 5 ? .nan : 2 * x[0]
        return x[0] > 5 ? -1 : x[0] * x[0]
      })
    let s = minimize(
      wild, from: [2], using: Visit(points: [[1], [6]], termination: .lineSearchFailed))
    #expect(s.x == [1])
    #expect(s.value == 1)
  }

  @Test func aCopyingAcceptOfAnUnrecordedTrialMakesItTheBest() {
    // evaluateTrial records nothing; the copying accept itself makes an improving point the best.
    struct CopyVisit: MinimizationMethod {
      var name: String { "copy-visit" }
      func run(_ run: inout SolverRun) -> Termination {
        var g = Vector.zeros(2)
        for p: Vector in [[0.5, -1], [3, 3]] {
          let f = run.evaluateTrial(p, gradient: &g)
          if let t = run.accept(x: p, value: f, gradient: g) { return t }
        }
        return .lineSearchFailed
      }
    }
    let s = minimize(bowl, from: [0, 0], using: CopyVisit())
    #expect(s.x == [0.5, -1])
    #expect(s.value == 4.25)
    #expect(s.gradient == [-1, 8])
  }

  /// Tries α = 1 then α = 3 along p = (1, −2) from (0, 0), where φ(1) = f(1, −2) = 0 is the
  /// minimum, and reports failure with α = 0.
  private struct OvershootingSearch: LineSearch {
    var name: String { "overshoot" }
    var usesDerivatives: Bool { true }
    func search(
      _ phi: (Double) -> LineSearchSample, value0: Double, slope0: Double, initialStep: Double
    ) -> LineSearchResult {
      _ = phi(1)
      _ = phi(3)
      return LineSearchResult(
        step: 0, value: value0, derivative: slope0, evaluations: 2, status: .maxEvaluations)
    }
  }

  @Test func aLineSearchTrialOverwrittenByTheNextIsStillRecordedAsTheBest() {
    // The search's trials share one buffer; the first (the minimizer) must be saved before the
    // second overwrites it, so a failed solve still reports it.
    struct OneSearch: MinimizationMethod {
      var name: String { "one-search" }
      func run(_ run: inout SolverRun) -> Termination {
        var point = Vector.zeros(2)
        var gradient = Vector.zeros(2)
        let p: Vector = [1, -2]
        let r = run.searchLine(
          OvershootingSearch(), direction: p, slope: dot(run.gradient, p), initialStep: 1,
          point: &point, gradient: &gradient)
        #expect(r.step == 0)
        #expect(point == run.x)  // α = 0 hands back the current iterate
        return .lineSearchFailed
      }
    }
    let s = minimize(bowl, from: [0, 0], using: OneSearch())
    #expect(s.termination == .lineSearchFailed)
    #expect(s.x == [1, -2])
    #expect(s.value == 0)
    #expect(s.gradient == [0, 0])
  }
}
