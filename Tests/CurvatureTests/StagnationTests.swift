import Testing

@testable import Curvature

/// f = 10⁵ + ½·10⁹·Σ(xᵢ − 1)² (n = 10⁴) whose first gradient element carries noise of size
/// 1-3·10⁻⁵ (a pseudo-random function of x₁, like rounding error): near x* = 1 the gradient test
/// cannot pass, the steps −H⁻¹g are about 2·10⁻¹⁴ long (a few ulps of x₁) and f does not change.
private let floorObjective = FunctionObjective(
  dimension: 10_000,
  gradient: { x, g in
    var f = 0.0
    for i in 0..<x.count {
      let d = x[i] - 1
      f += 0.5e9 * d * d
      g[i] = 1e9 * d
    }
    var rng = SplitMix64(seed: x[0].bitPattern)
    g[0] += (rng.next() & 1 == 0 ? 1 : -1) * (1e-5 + 2e-5 * rng.uniform())
    return 1e5 + f
  },
  hessianVectorProduct: { _, v, r in for i in 0..<v.count { r[i] = 1e9 * v[i] } })

@Suite("Stagnation and the relative gradient test")
struct StagnationTests {
  static let start = Vector(count: 10_000) { 1 + 1e-3 * Double($0 % 7) }

  @Test(
    "a solve at the gradient's noise floor stops as stagnated within a few iterations",
    arguments: ["newton-cg", "trust-ncg", "lbfgs"])
  func stagnates(method name: String) {
    let method: any MinimizationMethod =
      switch name {
      case "newton-cg": NewtonCG()
      case "trust-ncg": TrustRegion(subproblem: .steihaug)
      default: LBFGS()
      }
    let s = minimize(floorObjective, from: Self.start, using: method)
    #expect(!s.isSuccess, "\(name): \(s.briefReport)")
    #expect(
      s.termination != .iterationLimit && s.termination != .evaluationLimit,
      "\(name): \(s.briefReport)")
    #expect(s.statistics.iterations <= 60, "\(name): \(s.briefReport)")
    #expect((s.x - Vector(repeating: 1, count: 10_000)).normInfinity < 1e-12, "\(name)")
    // Without the stagnation stop the same solve runs on (to the iteration limit, or a failed
    // line search after many more iterations).
    var off = MinimizeOptions()
    off.stagnationIterations = 0
    off.maxIterations = 300
    let endless = minimize(floorObjective, from: Self.start, using: method, options: off)
    // Newton-CG accepts the tiny steps (it ran to the iteration limit before the stop existed);
    // the trust region and L-BFGS reject them and fail at once.
    if name == "newton-cg" { #expect(s.termination == .stagnated) }
    if s.termination == .stagnated {
      #expect(
        endless.statistics.iterations > s.statistics.iterations + 20,
        "\(name): \(endless.briefReport)")
    }
  }

  @Test("the relative gradient test ‖∇f‖∞ ≤ τ·max(1, |f|) accepts the floor as converged")
  func relativeGradientTolerance() {
    var options = MinimizeOptions()
    options.relativeGradientTolerance = 1e-9  // 10⁻⁹·10⁵ = 10⁻⁴ ≥ the 3·10⁻⁵ floor
    let s = minimize(floorObjective, from: Self.start, using: NewtonCG(), options: options)
    #expect(s.termination == .gradientTolerance, "\(s.briefReport)")
    #expect(s.gradientNorm <= 1e-4)
    #expect(s.gradientNorm > 1e-6)
  }
}
