import Curvature
import CurvatureProblems
import Testing

/// L-BFGS's default Moré-Thuente search accepts Hager and Zhang's approximate Wolfe conditions
/// when the change of f is at rounding level (``MoreThuente/approximateWolfeTolerance``). On
/// brown_dennis (f* ≈ 85822.2, ‖∇f‖ still ≈ 1e-5 where decreases of f are ~1e-11 relative) the
/// exact Armijo test fails near the minimizer; with the approximate conditions L-BFGS keeps its
/// memory instead of clearing it for a recovery search (Optax's L-BFGS, whose zoom search accepts
/// the same conditions, needs 23 gradients in the peer baseline).
@Suite struct LBFGSApproximateWolfeMGHTests {
  @Test func solvesBrownDennisWithFewGradients() throws {
    let p = try #require(MGHProblems.named("brown_dennis"))
    let s = minimize(p.objective, from: p.startingPoint, using: LBFGS())
    #expect(s.termination == .gradientTolerance, "\(s.termination)")
    #expect(s.gradientNorm <= 1e-6)
    #expect(Swift.abs(s.value - 85822.2) <= 1e-4 * 85822.2, "f = \(s.value)")
    let e = s.statistics.evaluations
    #expect(e.gradients + e.differenceGradients <= 40, "\(e.gradients) gradients")
    #expect(e.differenceGradients == 0)
  }

  /// With the exact conditions only (the option off), the same solve clears the memory near the
  /// minimizer and spends clearly more gradients.
  @Test func exactConditionsOnlyCostMore() throws {
    let p = try #require(MGHProblems.named("brown_dennis"))
    let approx = minimize(p.objective, from: p.startingPoint, using: LBFGS())
    let exact = minimize(
      p.objective, from: p.startingPoint, using: LBFGS(lineSearch: MoreThuente()))
    #expect(exact.termination == .gradientTolerance)
    #expect(
      exact.statistics.evaluations.gradients > approx.statistics.evaluations.gradients + 20,
      "exact \(exact.statistics.evaluations.gradients), approximate \(approx.statistics.evaluations.gradients)"
    )
  }
}
