import RealModule
import Testing

@testable import Curvature

/// A call counter shared with an objective closure (tests run each case on one thread).
private final class FailureCallCounter: @unchecked Sendable {
  var calls = 0
}

/// Rosenbrock that returns NaN (value and gradient) from its (k+1)-th evaluation on.
private func rosenbrockFailingAfter(_ k: Int) -> FunctionObjective {
  let counter = FailureCallCounter()
  return FunctionObjective(
    dimension: 2,
    gradient: { x, g in
      counter.calls += 1
      if counter.calls > k {
        g[0] = .nan
        g[1] = .nan
        return .nan
      }
      return rosenbrock2D.value(at: x, gradient: &g)
    })
}

/// f(x) = −x₁ − 2x₂, unbounded below.
private let linearDown = FunctionObjective(
  dimension: 2,
  gradient: { x, g in
    g[0] = -1
    g[1] = -2
    return -x[0] - 2 * x[1]
  })

/// f(x) = Σ (xᵢ − log xᵢ), minimizer (1, …, 1), NaN (log of a negative number) for xᵢ < 0 and +∞
/// at 0: the line searches must shrink their steps back into the domain.
private let logBarrier = FunctionObjective(
  dimension: 3,
  gradient: { x, g in
    var f = 0.0
    for i in 0..<3 {
      f += x[i] - Double.log(x[i])
      g[i] = 1 - 1 / x[i]
    }
    return f
  })

@Suite struct BadInputTests {
  @Test(arguments: MethodKind.allCases)
  func nonFiniteStartingPoint(kind: MethodKind) {
    for x0: Vector in [[.nan, 1], [0, .infinity]] {
      let s = minimize(rosenbrock2D, from: x0, using: kind.method)
      #expect(s.termination == .nonFiniteStartingPoint)
      #expect(s.statistics.evaluations.gradients == 0)
    }
  }

  @Test(arguments: MethodKind.allCases)
  func objectiveTurnsNaNMidway(kind: MethodKind) {
    for k in [1, 2, 5, 12] {
      let s = minimize(rosenbrockFailingAfter(k), from: [-1.2, 1], using: kind.method)
      #expect(
        s.termination == .nonFiniteValue || s.termination == .lineSearchFailed,
        "\(kind), k = \(k): \(s.termination)")
      #expect(s.value.isFinite && s.gradient.isFinite && s.x.isFinite)
      // The best point seen is returned: f(x) ≤ f(x₀) = 24.2, and it is consistent.
      #expect(s.value <= 24.2 + 1e-12)
      #expect(Swift.abs(rosenbrock2D.value(at: s.x) - s.value) <= 1e-12 * Swift.max(1, s.value))
      let total = s.statistics.evaluations.gradients + s.statistics.evaluations.values
      #expect(total <= k + 200, "\(kind): \(total) evaluations after the objective failed")
    }
  }

  @Test(arguments: MethodKind.allCases)
  func unboundedObjectiveEnds(kind: MethodKind) {
    let s = minimize(linearDown, from: [0, 0], using: kind.method)
    #expect(
      s.termination == .unboundedBelow || s.termination == .lineSearchFailed,
      "\(kind): \(s.briefReport)")
    #expect(s.value < -1e6 && s.value.isFinite)
    let total = s.statistics.evaluations.gradients + s.statistics.evaluations.values
    #expect(total <= 2_000, "\(kind): \(total) evaluations")
  }

  @Test(arguments: MethodKind.allCases)
  func zeroDimensionalProblem(kind: MethodKind) {
    let empty = FunctionObjective(dimension: 0, gradient: { _, _ in 0 })
    let s = minimize(empty, from: [], using: kind.method)
    #expect(s.termination == .invalidProblem)
    #expect(s.statistics.evaluations.gradients == 0)
  }

  @Test(arguments: MethodKind.allCases)
  func iterationLimitZero(kind: MethodKind) {
    let s = minimize(
      rosenbrock2D, from: [-1.2, 1], using: kind.method, options: .init(maxIterations: 0))
    #expect(s.termination == .iterationLimit)
    #expect(s.statistics.iterations == 0)
    #expect(s.statistics.evaluations.gradients == 1)
    #expect(Swift.abs(s.value - 24.2) < 1e-12)
    #expect(s.x == [-1.2, 1])
  }

  @Test(arguments: MethodKind.allCases)
  func evaluationLimitIsRespected(kind: MethodKind) {
    let s = minimize(
      rosenbrock2D, from: [-1.2, 1], using: kind.method, options: .init(maxEvaluations: 10))
    #expect(s.termination == .evaluationLimit, "\(kind): \(s.termination)")
    // A line search in progress may finish (its own budget is bounded).
    #expect(s.statistics.evaluations.gradients <= 10 + 50)
    #expect(s.value < 24.2)
  }

  /// NaN and +∞ outside the domain x > 0: the searches shrink back and every method converges.
  @Test(arguments: MethodKind.superlinear)
  func convergesWithNonFiniteRegions(kind: MethodKind) {
    let s = minimize(logBarrier, from: [0.05, 3, 10], using: kind.method)
    #expect(s.termination == .gradientTolerance, "\(kind): \(s.briefReport)")
    for i in 0..<3 { #expect(Swift.abs(s.x[i] - 1) < 1e-5, "\(kind): \(s.x)") }
  }

  /// The starting point is already stationary: no iteration is taken.
  @Test(arguments: MethodKind.allCases)
  func startsAtTheMinimizer(kind: MethodKind) {
    let s = minimize(rosenbrock2D, from: [1, 1], using: kind.method)
    #expect(s.termination == .gradientTolerance)
    #expect(s.statistics.iterations == 0 || s.statistics.iterations == 1)
    #expect(s.x == [1, 1] && s.value == 0)
  }
}
