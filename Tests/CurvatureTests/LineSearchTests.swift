import RealModule
import Testing

@testable import Curvature

/// A 1-D test function φ with its derivative.
private struct LineFunction: Sendable, CustomStringConvertible {
  var description: String
  var phi: @Sendable (Double) -> LineSearchSample
}

/// Moré & Thuente (1994), function (5.1): φ(α) = −α/(α² + β), β = 2; minimizer √2.
private let moreThuente1 = LineFunction(description: "-a/(a^2+2)") { a in
  let b = 2.0
  let d = a * a + b
  return (-a / d, (a * a - b) / (d * d))
}

/// Moré & Thuente (1994), function (5.2): φ(α) = (α + β)⁵ − 2(α + β)⁴, β = 0.004; minimizer 1.596.
private let moreThuente2 = LineFunction(description: "(a+b)^5-2(a+b)^4") { a in
  let t = a + 0.004
  return (Double.pow(t, 5) - 2 * Double.pow(t, 4), 5 * Double.pow(t, 4) - 8 * Double.pow(t, 3))
}

/// Moré & Thuente (1994), function (5.3): a wiggly function with many local minimizers,
/// β = 0.01, l = 39.
private let moreThuente3 = LineFunction(description: "wiggly (l = 39)") { a in
  let beta = 0.01
  let l = 39.0
  var f0: Double
  var d0: Double
  if a <= 1 - beta {
    f0 = 1 - a
    d0 = -1
  } else if a >= 1 + beta {
    f0 = a - 1
    d0 = 1
  } else {
    f0 = (a - 1) * (a - 1) / (2 * beta) + beta / 2
    d0 = (a - 1) / beta
  }
  let c = 2 * (1 - beta) / (l * .pi)
  let w = l * .pi / 2
  return (f0 + c * Double.sin(w * a), d0 + c * w * Double.cos(w * a))
}

/// A quadratic with minimizer 3.
private let quadratic1D = LineFunction(description: "(a-3)^2") { a in
  ((a - 3) * (a - 3), 2 * (a - 3))
}

/// (α − 1)² for α ≤ 0.5 and NaN beyond.
private let nanBeyondHalf = LineFunction(description: "NaN beyond 0.5") { a in
  a <= 0.5 ? ((a - 1) * (a - 1), 2 * (a - 1)) : (.nan, .nan)
}

private enum SearchKind: String, CaseIterable, Sendable, CustomStringConvertible {
  case armijo, zoom, moreThuente, hagerZhang
  var description: String { rawValue }

  func make(c1: Double = 1e-4, c2: Double = 0.9) -> any LineSearch {
    switch self {
    case .armijo: return BacktrackingArmijo(c1: c1)
    case .zoom: return StrongWolfe(c1: c1, c2: c2)
    case .moreThuente: return MoreThuente(c1: c1, c2: c2)
    case .hagerZhang: return HagerZhang(delta: Swift.min(c1, 0.49), sigma: c2)
    }
  }

  /// Whether the acceptance conditions of this kind hold at the result.
  func conditionsHold(
    _ r: LineSearchResult, _ f: LineFunction, c1: Double, c2: Double
  ) -> Bool {
    let (f0, d0) = f.phi(0)
    let (fa, da) = f.phi(r.step)
    guard r.step > 0, fa == r.value else { return false }
    let armijo = fa <= f0 + c1 * r.step * d0
    switch self {
    case .armijo: return armijo
    case .zoom, .moreThuente: return armijo && Swift.abs(da) <= c2 * Swift.abs(d0)
    case .hagerZhang:
      let delta = Swift.min(c1, 0.49)
      let wolfe = armijo && da >= c2 * d0
      let approximate =
        (2 * delta - 1) * d0 >= da && da >= c2 * d0 && fa <= f0 + 1e-6 * Swift.abs(f0)
      return (wolfe || approximate) && r.derivative == da
    }
  }
}

@Suite struct LineSearchTests {
  /// The experiments of Moré & Thuente's Table 1-3 (their c₁, c₂ and starting steps 1e-3 ... 1e3).
  @Test(
    arguments: SearchKind.allCases,
    [
      (moreThuente1, 1e-3, 0.1), (moreThuente2, 1e-3, 0.1), (moreThuente3, 1e-3, 0.1),
      (quadratic1D, 1e-4, 0.9),
    ])
  private func satisfiesItsConditions(kind: SearchKind, _ c: (LineFunction, Double, Double)) {
    let (f, c1, c2) = c
    let search = kind.make(c1: c1, c2: c2)
    for alpha0 in [1e-3, 1e-1, 1e1, 1e3] {
      let (f0, d0) = f.phi(0)
      let r = search.search(f.phi, value0: f0, slope0: d0, initialStep: alpha0)
      #expect(r.status == .satisfied, "\(kind) on \(f) from \(alpha0): \(r)")
      #expect(kind.conditionsHold(r, f, c1: c1, c2: c2), "\(kind) on \(f) from \(alpha0): \(r)")
      #expect(r.evaluations <= 30, "\(kind) on \(f) from \(alpha0): \(r.evaluations) evaluations")
    }
  }

  /// The strong Wolfe searches on φ(α) = −α/(α² + 2) land near its minimizer √2 with c₂ = 0.1:
  /// |φ'(α)| ≤ 0.1|φ'(0)| = 0.05 holds only for α in about [1.23, 1.68].
  @Test(arguments: [SearchKind.zoom, .moreThuente])
  private func strongWolfeLocatesTheMinimizer(kind: SearchKind) {
    let r = kind.make(c1: 1e-3, c2: 0.1).search(
      moreThuente1.phi, value0: 0, slope0: -0.5, initialStep: 1e-3)
    #expect(r.status == .satisfied)
    #expect(r.step > 1.2 && r.step < 1.7, "\(r)")
  }

  @Test(arguments: SearchKind.allCases)
  private func shrinksPastNonFiniteValues(kind: SearchKind) {
    let (f0, d0) = nanBeyondHalf.phi(0)
    for alpha0 in [1.0, 10.0, 1e6] {
      let r = kind.make().search(nanBeyondHalf.phi, value0: f0, slope0: d0, initialStep: alpha0)
      #expect(r.status == .satisfied, "\(kind) from \(alpha0): \(r)")
      #expect(r.step > 0 && r.step <= 0.5 && r.value.isFinite)
      #expect(kind.conditionsHold(r, nanBeyondHalf, c1: 1e-4, c2: 0.9), "\(kind): \(r)")
    }
  }

  @Test(arguments: SearchKind.allCases)
  private func allNonFiniteEndsCleanly(kind: SearchKind) {
    let r = kind.make().search({ _ in (.nan, .nan) }, value0: 1, slope0: -1, initialStep: 1)
    #expect(r.status == .nonFiniteValues || r.status == .maxEvaluations, "\(kind): \(r)")
    #expect(r.step == 0 && r.value == 1)
    #expect(r.evaluations <= 60)
  }

  /// φ(α) = −α: the Wolfe searches expand to the largest step and say so; Armijo accepts α₀.
  @Test(arguments: SearchKind.allCases)
  private func unboundedLineEnds(kind: SearchKind) {
    var calls = 0
    let r = kind.make().search(
      { a in
        calls += 1
        return (-a, -1)
      }, value0: 0, slope0: -1, initialStep: 1)
    #expect(calls == r.evaluations && calls <= 60)
    if kind == .armijo {
      #expect(r.status == .satisfied && r.step == 1)
    } else {
      #expect(r.status == .maximumStepReached, "\(kind): \(r)")
      #expect(r.step == 1e10 && r.value == -1e10)
    }
  }

  @Test(arguments: SearchKind.allCases)
  private func rejectsAscentAndInvalidInput(kind: SearchKind) {
    let s = kind.make()
    let up = s.search(quadratic1D.phi, value0: 9, slope0: 6, initialStep: 1)
    #expect(up.status == .notDescentDirection && up.evaluations == 0 && up.step == 0)
    let nan = s.search(quadratic1D.phi, value0: .nan, slope0: -6, initialStep: 1)
    #expect(nan.status == .invalidInput && nan.evaluations == 0)
    let zeroStep = s.search(quadratic1D.phi, value0: 9, slope0: -6, initialStep: 0)
    #expect(zeroStep.status == .invalidInput)
  }

  /// Backtracking from α₀ = 1 on φ(α) = (α − 0.01)²·100 − ...: the first backtrack is the
  /// minimizer of the quadratic model, within the [0.1, 0.5] safeguards.
  @Test func armijoFirstBacktrackIsTheQuadraticMinimizer() {
    // φ(α) = (α − 0.3)², φ(0) = 0.09, φ'(0) = −0.6; φ(1) = 0.49 fails Armijo; the quadratic through
    // φ(0), φ'(0), φ(1) is φ itself, with minimizer 0.3 ∈ [0.1, 0.5].
    var trials: [Double] = []
    let r = BacktrackingArmijo().search(
      { a in
        trials.append(a)
        return ((a - 0.3) * (a - 0.3), 2 * (a - 0.3))
      }, value0: 0.09, slope0: -0.6, initialStep: 1)
    #expect(r.status == .satisfied)
    #expect(trials.count == 2)
    #expect(Swift.abs(trials[1] - 0.3) < 1e-12)
  }

  @Test func interpolationFormulasAreExactOnPolynomials() {
    // A cubic with a local minimizer at 2: φ(α) = α³ − 3α²·... use φ(α) = (α − 2)²(α + 1).
    let f: (Double) -> Double = { a in (a - 2) * (a - 2) * (a + 1) }
    let d: (Double) -> Double = { a in 2 * (a - 2) * (a + 1) + (a - 2) * (a - 2) }
    let c = StepInterpolation.cubicMinimizer(0.5, f(0.5), d(0.5), 3, f(3), d(3))
    #expect(c != nil && Swift.abs(c! - 2) < 1e-12)
    let q = StepInterpolation.quadraticMinimizer(0, 4, -4, 3, 1)  // (α − 2)²
    #expect(q != nil && Swift.abs(q! - 2) < 1e-12)
    // Backtracking cubic through φ(0), φ'(0) and two values of the same cubic.
    let b = StepInterpolation.backtrackingCubic(
      value0: f(0), slope0: d(0), 4, f(4), 3, f(3))
    #expect(b != nil && Swift.abs(b! - 2) < 1e-10)
  }
}
