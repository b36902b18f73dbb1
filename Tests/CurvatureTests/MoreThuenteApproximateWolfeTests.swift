import RealModule
import Testing

@testable import Curvature

/// φ(α) = F + q(α) + η(α) with q(α) = (a/2)(α − 1)² − a/2 (q(0) = 0, q'(0) = −a, minimizer 1,
/// least value −a/2) and a rounding error η(α) = k·ulp(F) in every value at α > 0, as when f is
/// evaluated near a minimizer with a large |f*|. The derivative is exact: φ'(α) = a(α − 1).
private func noisyQuadratic(offset: Double, curvature a: Double, noiseUlps k: Double)
  -> @Sendable (Double) -> LineSearchSample
{
  { alpha in
    let q = 0.5 * a * (alpha - 1) * (alpha - 1) - 0.5 * a
    let noise = alpha > 0 ? k * offset.ulp : 0
    return (offset + q + noise, a * (alpha - 1))
  }
}

@Suite struct MoreThuenteApproximateWolfeTests {
  /// F = 85822.2 (brown_dennis's f*), a = 1e-12: the least decrease of q, 5e-13, is far below
  /// ulp(F) ≈ 1.5e-11, so with 2 ulps of noise φ(α) > φ(0) at every α > 0 and the exact Armijo
  /// test fails everywhere; at α = 1, φ'(1) = 0 and |φ(1) − φ(0)| = 2·ulp(F) ≤ 1e-6·|φ(0)|.
  @Test func acceptsRoundingLevelStepOnlyWithTheOption() {
    let phi = noisyQuadratic(offset: 85822.2, curvature: 1e-12, noiseUlps: 2)
    let (f0, d0) = phi(0)
    #expect(d0 == -1e-12)

    let exact = MoreThuente().search(phi, value0: f0, slope0: d0, initialStep: 1)
    #expect(exact.status != .satisfied, "\(exact)")
    #expect(exact.step == 0, "no trial decreased φ: \(exact)")

    let approx = MoreThuente(approximateWolfeTolerance: 1e-6).search(
      phi, value0: f0, slope0: d0, initialStep: 1)
    #expect(approx.status == .satisfied, "\(approx)")
    #expect(approx.step == 1)
    #expect(approx.evaluations == 1)
    #expect(approx.value == phi(1).value && approx.derivative == 0)
    // The accepted step fails the exact Armijo test and passes the approximate conditions.
    #expect(approx.value > f0 + 1e-4 * approx.step * d0)
    #expect(Swift.abs(approx.value - f0) <= 1e-6 * Swift.abs(f0))
    #expect(approx.derivative <= (2 * 1e-4 - 1) * d0 && approx.derivative >= 0.9 * d0)
  }

  /// Every first trial inside the curvature window |φ'(α)| ≤ 0.9·|φ'(0)| (α ∈ [0.1, 1.9], where
  /// also φ'(α) ≤ (2c₁ − 1)·φ'(0)) is accepted at once with the option, and no trial passes the
  /// exact test without it.
  @Test(arguments: [0.1, 0.2, 0.5, 0.999, 1.5, 1.9])
  func acceptsFirstTrialInsideTheCurvatureWindow(initialStep: Double) {
    let phi = noisyQuadratic(offset: 85822.2, curvature: 1e-12, noiseUlps: 3)
    let (f0, d0) = phi(0)
    let r = MoreThuente(approximateWolfeTolerance: 1e-6).search(
      phi, value0: f0, slope0: d0, initialStep: initialStep)
    #expect(r.status == .satisfied, "from \(initialStep): \(r)")
    #expect(r.step == initialStep && r.evaluations == 1, "from \(initialStep): \(r)")
    #expect(Swift.abs(r.derivative) <= 0.9 * Swift.abs(d0))
    let exact = MoreThuente().search(phi, value0: f0, slope0: d0, initialStep: initialStep)
    #expect(exact.status != .satisfied && exact.step == 0, "from \(initialStep): \(exact)")
  }

  /// The value bound |φ(α) − φ(0)| ≤ ε·|φ(0)| gates the acceptance: F = 1, a = 1e-6 and an error
  /// of 1e-5 in every value at α > 0 (rise φ(1) − φ(0) = 9.5e-6) pass with ε = 1e-4 and fail with
  /// ε = 1e-6.
  @Test func valueBoundGatesTheAcceptance() {
    let phi: @Sendable (Double) -> LineSearchSample = { alpha in
      let q = 0.5e-6 * (alpha - 1) * (alpha - 1) - 0.5e-6
      return (1 + q + (alpha > 0 ? 1e-5 : 0), 1e-6 * (alpha - 1))
    }
    let (f0, d0) = phi(0)
    let loose = MoreThuente(approximateWolfeTolerance: 1e-4).search(
      phi, value0: f0, slope0: d0, initialStep: 1)
    #expect(loose.status == .satisfied && loose.step == 1, "\(loose)")
    let tight = MoreThuente(approximateWolfeTolerance: 1e-6).search(
      phi, value0: f0, slope0: d0, initialStep: 1)
    #expect(tight.status != .satisfied && tight.step == 0, "\(tight)")
  }

  /// On ordinary functions, where the exact conditions are met before any rounding-level trial,
  /// the option changes nothing: the same step, value, derivative, evaluation count and status.
  @Test(arguments: [1e-3, 1e-1, 1.0, 1e1, 1e3])
  func ordinaryFunctionsGiveIdenticalResults(initialStep: Double) {
    let functions: [(String, @Sendable (Double) -> LineSearchSample)] = [
      ("(a-3)^2 + 2", { a in ((a - 3) * (a - 3) + 2, 2 * (a - 3)) }),
      (
        "-a/(a^2+2) + 1",
        { a in
          let d = a * a + 2
          return (1 - a / d, (a * a - 2) / (d * d))
        }
      ),
      (
        "(a+b)^5-2(a+b)^4",
        { a in
          let t = a + 0.004
          return (
            Double.pow(t, 5) - 2 * Double.pow(t, 4), 5 * Double.pow(t, 4) - 8 * Double.pow(t, 3)
          )
        }
      ),
      (
        "exp(-a) + a^2/100 + 10",
        { a in (Double.exp(-a) + a * a / 100 + 10, -Double.exp(-a) + a / 50) }
      ),
    ]
    for (name, phi) in functions {
      for (c1, c2) in [(1e-4, 0.9), (1e-3, 0.1)] {
        let (f0, d0) = phi(0)
        let exact = MoreThuente(c1: c1, c2: c2).search(
          phi, value0: f0, slope0: d0, initialStep: initialStep)
        let approx = MoreThuente(c1: c1, c2: c2, approximateWolfeTolerance: 1e-6).search(
          phi, value0: f0, slope0: d0, initialStep: initialStep)
        #expect(exact.status == .satisfied, "\(name) from \(initialStep): \(exact)")
        #expect(approx == exact, "\(name), c2 = \(c2), from \(initialStep): \(approx) vs \(exact)")
      }
    }
  }

  /// The option is off by default, and the static factory passes it on.
  @Test func offByDefault() {
    #expect(MoreThuente().approximateWolfeTolerance == nil)
    let plain: MoreThuente = .moreThuente()
    let approximate: MoreThuente = .moreThuente(approximateWolfeTolerance: 1e-6)
    #expect(plain.approximateWolfeTolerance == nil)
    #expect(approximate.approximateWolfeTolerance == 1e-6)
    #expect((LBFGS().lineSearch as? MoreThuente)?.approximateWolfeTolerance == 1e-6)
    let method: LBFGS = .lbfgs()
    #expect((method.lineSearch as? MoreThuente)?.approximateWolfeTolerance == 1e-6)
  }
}
