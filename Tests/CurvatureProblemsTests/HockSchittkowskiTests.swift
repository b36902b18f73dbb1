import Curvature
import CurvatureProblems
import Testing

@Suite struct HockSchittkowskiTests {
  static let names = HockSchittkowski.all.map(\.name)

  @Test(arguments: names)
  func publishedMinimizerIsFeasibleAndOptimal(name: String) {
    let p = HockSchittkowski.named(name)!
    let f = p.objective.value(at: p.minimizer)
    let scale = max(1, abs(p.optimalValue))
    #expect(
      abs(f - p.optimalValue) <= 2e-7 * scale, "\(name): f(x*) = \(f), f* = \(p.optimalValue)")
    #expect(
      p.violation(at: p.minimizer) <= 2e-6, "\(name): violation \(p.violation(at: p.minimizer))")
  }

  @Test(arguments: names)
  func derivativesAgreeWithCentralDifferences(name: String) {
    let p = HockSchittkowski.named(name)!
    var rng = SplitMix64(seed: 17)
    let shifted = Vector(count: p.dimension) { p.startingPoint[$0] + 0.3 * (rng.uniform() - 0.5) }
    for x in [p.startingPoint, p.minimizer, shifted] {
      let report = checkGradient(p.objective, at: x)
      #expect(report.isConsistent(tolerance: 1e-6), "\(name) gradient: \(report)")
      for (kind, count) in [
        ("eq", p.constraints.equalityCount), ("ineq", p.constraints.inequalityCount),
      ]
      where count > 0 {
        let c = p.constraints
        let residuals = FunctionResiduals(
          dimension: p.dimension, residualCount: count,
          residuals: { x, r in r = kind == "eq" ? c.equalities(at: x) : c.inequalities(at: x) },
          jacobian: { x in kind == "eq" ? c.equalityJacobian(at: x) : c.inequalityJacobian(at: x) })
        let j = checkJacobian(residuals, at: x)
        #expect(j.isConsistent(tolerance: 1e-6), "\(name) \(kind) Jacobian: \(j)")
      }
    }
  }

  @Test func hs021StartsInfeasible() {
    let p = HockSchittkowski.hs021
    // 10x₁ − x₂ − 10 = −19 at (−1, −1); the bound x₁ ≥ 2 is violated by 3.
    #expect(p.violation(at: p.startingPoint) == 19)
  }

  @Test func invertedBoundsAreAConfigurationError() {
    #expect(throws: Bounds.ConfigurationError.inverted(index: 1, lower: 2, upper: 1)) {
      try Bounds(lower: [0, 2], upper: [1, 1])
    }
    #expect(throws: Bounds.ConfigurationError.dimensionMismatch(lower: 2, upper: 1)) {
      try Bounds(lower: [0, 2], upper: [1])
    }
    let b = try! Bounds(lower: [0, -.infinity], upper: [1, 2])
    #expect(b.project([-1, 5]) == [0, 2])
    #expect(b.projectedGradientNorm(at: [0, 1], gradient: [3, 0]) == 0)
    #expect(b.projectedGradientNorm(at: [0.5, 1], gradient: [3, 0]) == 0.5)
  }
}
