import RealModule
import Testing

@testable import Curvature

/// No method may call a saddle point or a maximum a minimum: started exactly at a stationary point
/// with an indefinite Hessian (g = 0), each must detect the negative curvature and leave, and if it
/// cannot leave it must say so with `.negativeCurvatureAtStationaryPoint`.
@Suite struct SecondOrderStationarityTests {
  typealias F = SecondOrderFixtures

  /// The Hessian of f at x, assembled from products, and its smallest eigenvalue.
  static func smallestEigenvalue(_ f: FunctionObjective, at x: Vector) -> Double {
    SymmetricEigendecomposition.eigenvalues(of: f.hessian(at: x))![0]
  }

  @Test(arguments: F.Method.allCases)
  func leavesThePureSaddle(_ m: F.Method) {
    // f = x² − y² is unbounded below along y: leaving the origin means f → −∞.
    var options = MinimizeOptions()
    options.unboundedValue = -1e4
    let s = minimize(F.saddle, from: [0, 0], using: m.method, options: options)
    #expect(!s.isSuccess)
    #expect(s.termination == .unboundedBelow)
    #expect(s.value < -1e4)
    #expect(s.statistics.negativeCurvatureEvents >= 1)
  }

  @Test(arguments: F.Method.allCases)
  func leavesASaddleForAMinimum(_ m: F.Method) {
    let s = minimize(F.boundedSaddle, from: [0, 0], using: m.method)
    #expect(s.termination == .gradientTolerance)
    #expect(abs(s.x[0]) < 1e-6 && abs(abs(s.x[1]) - 1) < 1e-6)
    #expect(s.value < 1e-10)
    #expect(Self.smallestEigenvalue(F.boundedSaddle, at: s.x) > 0)
  }

  @Test(arguments: F.Method.allCases)
  func leavesALocalMaximum(_ m: F.Method) {
    let s = minimize(F.localMaximum, from: [0, 0], using: m.method)
    #expect(s.termination == .gradientTolerance)
    #expect(abs(s.value + 0.5) < 1e-10)
    for i in 0..<2 { #expect(abs(abs(s.x[i]) - 0.5.squareRoot()) < 1e-6) }
  }

  /// Converging *to* a saddle: from (1, 0) symmetry keeps y = 0, so Newton reaches the saddle
  /// at the origin with a gradient that passes the test; the curvature check must move on.
  @Test(arguments: F.Method.allCases)
  func doesNotStopAtASaddleReachedByIteration(_ m: F.Method) {
    let s = minimize(F.boundedSaddle, from: [1, 0], using: m.method)
    #expect(s.termination == .gradientTolerance)
    #expect(abs(abs(s.x[1]) - 1) < 1e-6)
  }

  /// One negative eigenvalue among six, found by the probe from a random start (products by
  /// finite differences: the objective has a gradient only).
  @Test(arguments: F.Method.allCases)
  func findsAHiddenNegativeDirection(_ m: F.Method) {
    let s = minimize(F.hiddenSaddle, from: .zeros(6), using: m.method)
    #expect(s.termination == .gradientTolerance)
    #expect(abs(abs(s.x[5]) - 1) < 1e-6)
    #expect(s.value < 1e-10)
  }

  /// Every step along the negative-curvature direction raises f, so the method cannot leave:
  /// it must report the saddle, never success.
  @Test(arguments: F.Method.allCases)
  func reportsASaddleItCannotLeave(_ m: F.Method) {
    let s = minimize(F.stuckSaddle, from: [0, 0], using: m.method)
    #expect(s.termination == .negativeCurvatureAtStationaryPoint)
    #expect(!s.isSuccess)
    #expect(s.value == 0)
  }

  /// The check is not spent where it is not needed: at a minimum the probe finds no negative
  /// curvature and the method reports success; with the check disabled a saddle start returns
  /// at once (documenting what the check buys).
  @Test func probeOnlyAtPointsThatPassTheGradientTest() {
    let s = minimize(F.boundedSaddle, from: [0, 0.9], using: .newtonCG())
    #expect(s.termination == .gradientTolerance)
    let unchecked = minimize(
      F.boundedSaddle, from: [0, 0], using: .newtonCG(curvatureProbeIterations: 0))
    #expect(unchecked.termination == .gradientTolerance)
    #expect(unchecked.statistics.evaluations.hessianVectorProducts == 0)
    let checked = minimize(F.boundedSaddle, from: [0, 0], using: .newtonCG())
    #expect(checked.statistics.iterations > 0)
    // A start that fails the gradient test spends no probe before its first step.
    let one = minimize(
      F.rosenbrock, from: [-1.2, 1], using: .newtonCG(), options: .init(maxIterations: 1))
    #expect(one.statistics.cgIterations == one.statistics.evaluations.hessianVectorProducts)
  }

  @Test func probeFindsTheSmallestEigenvalue() {
    // H = diag(3, −1, 2, 5): the Lanczos probe with k = n recovers λ₁ = −1 and its eigenvector.
    let h = Matrix.diagonal([3, -1, 2, 5])
    let probe = NegativeCurvatureProbe.lanczos(
      dimension: 4, gradient: [0, 1e-3, 0, 0], iterations: 20
    ) { v, hv in hv = h * v }
    let d = probe.found
    #expect(d != nil)
    #expect(abs((d?.curvature ?? 0) + 1) < 1e-10)
    #expect(abs(abs(d?.direction[1] ?? 0) - 1) < 1e-8)
    // Signed to descend: gᵀd ≤ 0.
    #expect((d?.direction[1] ?? 1) <= 0)
    // Positive definite: nothing found.
    let pd = NegativeCurvatureProbe.lanczos(
      dimension: 4, gradient: .zeros(4), iterations: 20
    ) { v, hv in hv = Matrix.diagonal([3, 1, 2, 5]) * v }
    #expect(pd.found == nil)
  }

  @Test func probeStopsOnceThePositiveSmallestRitzValueHasConverged() {
    // H = diag(1, 11, 12, …, 69): λ₁ = 1 is well separated, so θ₁ converges to it within a few
    // steps and the probe ends before its 20, finding nothing.
    let n = 60
    let diagonal = Vector(count: n) { $0 == 0 ? 1 : Double($0 + 10) }
    var products = 0
    let probe = NegativeCurvatureProbe.lanczos(
      dimension: n, gradient: .zeros(n), iterations: 20
    ) { v, hv in
      products += 1
      hv.assign(diagonal .* v)
    }
    #expect(probe.found == nil)
    #expect(probe.iterations >= NegativeCurvatureProbe.minimumStepsBeforeConvergence)
    #expect(probe.iterations < 20)
    #expect(products == probe.iterations)
    // One negative eigenvalue among them: no early stop hides it (θ₁ only converges to it).
    let shifted = Vector(count: n) { $0 == 0 ? -0.5 : Double($0 + 10) }
    let indefinite = NegativeCurvatureProbe.lanczos(
      dimension: n, gradient: .zeros(n), iterations: 20
    ) { v, hv in hv.assign(shifted .* v) }
    let d = try! #require(indefinite.found)
    #expect(abs(d.curvature + 0.5) < 1e-6)
    #expect(abs(abs(d.direction[0]) - 1) < 1e-3)
  }

  @Test func theConvergenceTestReadsTheRitzResidual() {
    // T = [[2, 1], [1, 2]] has θ₁ = 1 with s = (1, −1)/√2: residual β·|s₂| = β/√2.
    #expect(NegativeCurvatureProbe.smallestRitzValueIsConvergedAndPositive([2, 2], [1], 1e-4))
    #expect(!NegativeCurvatureProbe.smallestRitzValueIsConvergedAndPositive([2, 2], [1], 1e-2))
    // θ₁ = −1 < 0: never "converged and positive".
    #expect(!NegativeCurvatureProbe.smallestRitzValueIsConvergedAndPositive([0, 0], [1], 0))
  }
}
