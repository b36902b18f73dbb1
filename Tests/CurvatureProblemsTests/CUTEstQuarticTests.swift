import Curvature
import CurvatureProblems
import Testing

/// Two CUTEst quartics outside the peer suites, each the setting of one robustness fix: BDQRTIC,
/// whose minimum (f* ≈ 4·n) is reached where decreases of f are below its rounding while ‖∇f‖∞ is
/// still above 10⁻⁶, and NONDQUAR, whose Hessian is singular at the minimizer.
@Suite struct CUTEstQuarticTests {
  /// A generic point and direction of length n.
  static func point(_ n: Int, seed: Double) -> Vector {
    Vector(count: n) { 0.3 * Double.sin(seed * Double($0 + 1)) + 0.1 }
  }

  @Test(arguments: [5, 9, 12])
  func gradientsAndProductsMatchDifferences(n: Int) {
    let x = Self.point(n, seed: 1.7)
    let v = Self.point(n, seed: 0.9)
    let b = BDQRTIC(dimension: n)
    let q = NONDQUAR(dimension: n)
    #expect(checkGradient(b, at: x).isConsistent(tolerance: 1e-8))
    #expect(checkHessianVectorProduct(b, at: x, direction: v).isConsistent(tolerance: 1e-8))
    #expect(checkGradient(q, at: x).isConsistent(tolerance: 1e-8))
    #expect(checkHessianVectorProduct(q, at: x, direction: v).isConsistent(tolerance: 1e-8))
    // f by hand at x₀ = 1 for BDQRTIC: each of the n − 4 terms is (3 − 4)² + 15² = 226.
    #expect(b.value(at: b.startingPoint) == 226 * Double(n - 4))
  }

  /// L-BFGS on BDQRTIC at n = 5000 used to stop with `lineSearchFailed` at ‖∇f‖∞ ≈ 10⁻⁴: near the
  /// minimizer its Moré-Thuente search brackets on rounding noise in f, and once ‖∇f‖∞ had not
  /// halved since the last Hager-Zhang recovery no further recovery was allowed. After a recovery
  /// succeeds, L-BFGS now keeps the Hager-Zhang search, whose bracketing reads the derivative and
  /// treats changes of f within ε|f| as level.
  @Test func lbfgsSolvesBDQRTICAtTheFloorOfF() {
    let p = ScalableProblems.bdqrtic(n: 5000)
    let s = minimize(p.objective, from: p.startingPoint, using: .lbfgs())
    #expect(s.termination == .gradientTolerance, "\(s.briefReport)")
    #expect(s.gradientNorm <= 1e-6)
    #expect(Swift.abs(s.value - 20006.2568784) <= 1e-9 * s.value, "f = \(s.value)")
    #expect(s.statistics.evaluations.gradients <= 1000)
  }

  /// Newton-CG on NONDQUAR at n = 1000 used 86,328 Hessian-vector products, where SciPy 1.17's
  /// newton-cg uses 11,416 (`scripts/cutest_scipy.py`): N&W's forcing term √‖g‖ → 0 asked CG for
  /// accurate solves of a nearly singular system while the outer iteration converged only
  /// linearly. The safeguarded forcing term keeps ηₖ ≥ 0.9(‖gₖ‖/‖gₖ₋₁‖)² once CG is expensive.
  @Test func newtonCGBoundsItsCGWorkAtASingularMinimizer() throws {
    _ = try #require(ScalableProblems.cutestProblem(named: "nondquar_n1000"))
    let p = ScalableProblems.nondquar(n: 1000)
    let s = minimize(p.objective, from: p.startingPoint, using: .newtonCG())
    #expect(s.termination == .gradientTolerance, "\(s.briefReport)")
    #expect(s.value <= 1e-5)
    #expect(s.statistics.evaluations.hessianVectorProducts <= 9000, "\(s.briefReport)")
  }

  /// At n = 100 the unsafeguarded term (SciPy's) needs 3,244 products, the default about 1,200
  /// (SciPy 1.17: 1,983).
  @Test func theSafeguardCutsTheProductsOfTheUnsafeguardedTerm() {
    let p = ScalableProblems.nondquar(n: 100)
    let s = minimize(p.objective, from: p.startingPoint, using: .newtonCG())
    let plain = minimize(
      p.objective, from: p.startingPoint, using: .newtonCG(forcing: .nocedalWright))
    #expect(s.termination == .gradientTolerance && plain.termination == .gradientTolerance)
    let (ours, theirs) = (
      s.statistics.evaluations.hessianVectorProducts,
      plain.statistics.evaluations.hessianVectorProducts
    )
    #expect(2 * ours < theirs, "safeguarded \(ours), plain \(theirs)")
  }

  /// The quadratic test (off by default) bounds the inner work further on the same problem.
  @Test func theQuadraticTestCutsTheProductsFurther() {
    let p = ScalableProblems.nondquar(n: 200)
    let plain = minimize(p.objective, from: p.startingPoint, using: .newtonCG())
    let tested = minimize(p.objective, from: p.startingPoint, using: .newtonCG(quadraticTest: 0.01))
    #expect(tested.termination == .gradientTolerance, "\(tested.briefReport)")
    #expect(
      tested.statistics.evaluations.hessianVectorProducts
        < plain.statistics.evaluations.hessianVectorProducts)
  }
}

extension CUTEstQuarticTests {
  /// Newton-CG on BDQRTIC used to stop short of ‖∇f‖∞ ≤ 10⁻⁶: with `stagnated` at n = 2·10⁴, with
  /// `lineSearchFailed` at ‖∇f‖∞ ≈ 7·10⁻⁶ at n = 10⁵. A sum of that many terms carries rounding
  /// noise far above 10ε|f|, so neither Armijo's test nor the rounding-level rule could accept a
  /// step. Its search now also accepts a step whose change of
  /// f is below Hager and Zhang's εₖ = 10⁻⁶|f| when the approximate Wolfe conditions hold there.
  @Test func newtonCGSolvesBDQRTICBeyondTheRoundingOfItsSum() {
    let p = ScalableProblems.bdqrtic(n: 20_000)
    let s = minimize(p.objective, from: p.startingPoint, using: .newtonCG())
    #expect(s.termination == .gradientTolerance, "\(s.briefReport)")
    #expect(s.statistics.evaluations.gradients <= 40)
  }
}

extension CUTEstQuarticTests {
  /// The Krylov trust regions on BDQRTIC used to stop short of ‖∇f‖∞ ≤ 10⁻⁶: `stagnated` at
  /// n = 5·10⁴, a collapsed region at ‖∇f‖∞ = 3·10⁻⁶ for n = 10⁵ (as SciPy's trust-ncg): the
  /// ratio of two rounding-level reductions was noise. A rejected trial within 10⁻⁶|f| is now judged by the approximate Wolfe
  /// conditions along the step.
  @Test(arguments: [TrustRegionSubproblem.steihaug, .gltr])
  func trustRegionsSolveBDQRTICBeyondTheRoundingOfItsSum(subproblem: TrustRegionSubproblem) {
    let p = ScalableProblems.bdqrtic(n: 50_000)
    let s = minimize(p.objective, from: p.startingPoint, using: .trustRegion(subproblem))
    #expect(s.termination == .gradientTolerance, "\(subproblem): \(s.briefReport)")
    #expect(s.statistics.evaluations.gradients <= 60)
  }
}
