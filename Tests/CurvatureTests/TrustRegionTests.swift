import RealModule
import Testing

@testable import Curvature

/// Subproblem solvers and the trust-region driver.
@Suite struct TrustRegionTests {
  typealias F = SecondOrderFixtures

  /// A random symmetric matrix with entries N(0, 1) (indefinite in general).
  static func randomSymmetric(_ n: Int, _ rng: inout SplitMix64) -> Matrix {
    var a = Matrix(rows: n, columns: n)
    for i in 0..<n {
      for j in 0...i {
        let v = rng.normal()
        a[i, j] = v
        a[j, i] = v
      }
    }
    return a
  }

  static func randomVector(_ n: Int, _ rng: inout SplitMix64) -> Vector {
    Vector(count: n) { _ in rng.normal() }
  }

  /// Checks the optimality conditions of N&W Theorem 4.1 for (p, λ).
  static func expectOptimal(
    _ s: TrustRegionStep, hessian h: Matrix, gradient g: Vector, radius: Double
  ) {
    let n = g.count
    let lambda = s.multiplier
    #expect(lambda >= 0)
    // (H + λI)p = −g
    var residual = h * s.step
    axpy(lambda, s.step, &residual)
    axpy(1, g, &residual)
    let scale = h.frobeniusNorm * radius + g.norm + lambda * radius
    #expect(residual.norm <= 1e-8 * scale)
    // ‖p‖ ≤ Δ and λ(Δ − ‖p‖) = 0
    #expect(s.step.norm <= radius * (1 + 1e-9))
    #expect(lambda * abs(radius - s.step.norm) <= 1e-8 * (lambda * radius + 1e-300))
    // H + λI ⪰ 0
    var shifted = h
    for i in 0..<n { shifted[i, i] += lambda }
    let smallest = SymmetricEigendecomposition.eigenvalues(of: shifted)![0]
    #expect(smallest >= -1e-8 * max(1, h.frobeniusNorm))
    // The model value is reported correctly.
    let m = dot(g, s.step) + 0.5 * dot(s.step, h * s.step)
    #expect(abs(m - s.modelValue) <= 1e-10 * (abs(m) + 1))
  }

  @Test(arguments: [2, 3, 5, 8, 12])
  func moreSorensenOnRandomIndefiniteMatrices(_ n: Int) throws {
    var rng = SplitMix64(seed: UInt64(1000 + n))
    for trial in 0..<8 {
      let h = Self.randomSymmetric(n, &rng)
      let g = Self.randomVector(n, &rng)
      let radius = [0.1, 0.5, 1, 3, 10, 100][trial % 6]
      let s = try #require(MoreSorensen.solve(hessian: h, gradient: g, radius: radius))
      Self.expectOptimal(s, hessian: h, gradient: g, radius: radius)
      // Global optimality: no feasible random point or boundary eigen-direction does better.
      for _ in 0..<50 {
        var q = Self.randomVector(n, &rng)
        q.scale(by: radius * rng.uniform() / q.norm)
        let mq = dot(g, q) + 0.5 * dot(q, h * q)
        #expect(s.modelValue <= mq + 1e-10 * (abs(mq) + 1))
      }
    }
  }

  @Test func moreSorensenPositiveDefiniteInteriorIsTheNewtonStep() throws {
    let h = Matrix([[4, 1], [1, 3]])
    let g: Vector = [1, 2]
    let s = try #require(MoreSorensen.solve(hessian: h, gradient: g, radius: 10))
    #expect(s.multiplier == 0 && !s.hitsBoundary)
    // H⁻¹g = (1/11)(3·1 − 1·2, −1·1 + 4·2) = (1/11, 7/11)
    #expect(abs(s.step[0] + 1.0 / 11) < 1e-14 && abs(s.step[1] + 7.0 / 11) < 1e-14)
  }

  /// The hard case: H = Q·diag(−2, 1, 3, 5)·Qᵀ with g orthogonal to the first eigenvector and
  /// ‖(H + 2I)⁺g‖ < Δ. The solution has λ = 2 = −λ₁ and reaches the boundary along q₁.
  @Test func moreSorensenHardCase() throws {
    var rng = SplitMix64(seed: 77)
    let q = try #require(SymmetricEigendecomposition(of: Self.randomSymmetric(4, &rng)))
      .eigenvectors
    let values: [Double] = [-2, 1, 3, 5]
    var h = Matrix(rows: 4, columns: 4)
    for i in 0..<4 {
      for j in 0..<4 {
        var s = 0.0
        for k in 0..<4 { s += q[i, k] * values[k] * q[j, k] }
        h[i, j] = s
      }
    }
    // g = Q·(0, 1, 1, 1): no component along q₁.
    let g = Vector(count: 4) { i in q[i, 1] + q[i, 2] + q[i, 3] }
    let radius = 2.0
    let s = try #require(MoreSorensen.solve(hessian: h, gradient: g, radius: radius))
    #expect(s.hardCase)
    #expect(abs(s.multiplier - 2) < 1e-9)
    #expect(abs(s.step.norm - radius) < 1e-9)
    Self.expectOptimal(s, hessian: h, gradient: g, radius: radius)
    // The component along q₁ carries the rest of the radius: ‖p̂‖² = 1/9 + 1/25 + 1/49.
    let along = dot(s.step, q.column(0))
    #expect(abs(along * along - (radius * radius - 1.0 / 9 - 1.0 / 25 - 1.0 / 49)) < 1e-8)
    // g = 0 and H indefinite: the boundary step along q₁.
    let z = try #require(MoreSorensen.solve(hessian: h, gradient: .zeros(4), radius: 1))
    #expect(abs(abs(dot(z.step, q.column(0))) - 1) < 1e-12)
    #expect(abs(z.modelValue + 1) < 1e-12)  // ½·(−2)·1²
  }

  @Test func moreSorensenNearHardCase() throws {
    // g has a tiny component along the negative eigenvector: λ is just above 2.
    let h = Matrix([[-2, 0, 0], [0, 1, 0], [0, 0, 3]])
    let g: Vector = [1e-6, 1, 1]
    let s = try #require(MoreSorensen.solve(hessian: h, gradient: g, radius: 2))
    Self.expectOptimal(s, hessian: h, gradient: g, radius: 2)
    #expect(abs(s.step.norm - 2) < 1e-8)
  }

  @Test func doglegWithLargeRadiusIsTheNewtonStep() throws {
    let h = Matrix([[5, 2, 0], [2, 4, 1], [0, 1, 3]])
    let g: Vector = [1, -2, 0.5]
    let s = try #require(Dogleg.step(hessian: h, gradient: g, radius: 100))
    let newton = try #require(CholeskyFactorization(of: h)).solve(g)
    #expect((s.step + newton).norm < 1e-12)
    #expect(!s.hitsBoundary)
  }

  @Test func doglegOnTheBoundaryBeatsTheCauchyPoint() throws {
    let h = Matrix([[5, 2, 0], [2, 4, 1], [0, 1, 3]])
    let g: Vector = [1, -2, 0.5]
    for radius in [0.05, 0.2, 0.4] {
      let s = try #require(Dogleg.step(hessian: h, gradient: g, radius: radius))
      #expect(abs(s.step.norm - radius) < 1e-12)
      let u = Dogleg.unitDirection(g, norm: g.norm)
      let cauchy = Dogleg.cauchyPoint(
        gradient: g, unit: u, curvature: dot(u, h * u), radius: radius, hessian: h)
      #expect(s.modelValue <= cauchy.modelValue + 1e-14)
      let exact = try #require(MoreSorensen.solve(hessian: h, gradient: g, radius: radius))
      #expect(exact.modelValue <= s.modelValue + 1e-12)
    }
  }

  @Test func doglegFallsBackToTheCauchyPointWhenIndefinite() throws {
    let h = Matrix([[1, 0], [0, -1]])
    let g: Vector = [1, 1]
    let s = try #require(Dogleg.step(hessian: h, gradient: g, radius: 0.5))
    // gᵀHg = 0 ≤ 0: the full step to the boundary along −g.
    #expect((s.step - g.scaled(by: -0.5 / g.norm)).norm < 1e-14)
  }

  /// Cross-check with the library's GLTR run to the full Krylov space (g generic, no hard case):
  /// both solve the same subproblem, so the model values and steps agree.
  @Test(arguments: [3, 6, 10])
  func moreSorensenMatchesGLTRInTheFullKrylovSpace(_ n: Int) throws {
    var rng = SplitMix64(seed: UInt64(500 + n))
    for radius in [0.3, 1.0, 5.0] {
      let h = Self.randomSymmetric(n, &rng)
      let g = Self.randomVector(n, &rng)
      let gltr = GLTR(relativeTolerance: 1e-12, maxIterations: n).solve(
        { v, hv in h.multiply(v, into: &hv) }, gradient: g, radius: radius)
      let exact = try #require(MoreSorensen.solve(hessian: h, gradient: g, radius: radius))
      #expect(abs(gltr.modelDecrease + exact.modelValue) <= 1e-8 * (abs(exact.modelValue) + 1))
      #expect((gltr.step - exact.step).norm <= 1e-6 * radius)
    }
  }

  @Test func boundaryRootsSolveTheQuadratic() {
    let z: Vector = [0.3, -0.2]
    let d: Vector = [1, 2]
    let r = TrustRegionStep.boundaryRoots(z: z, d: d, radius: 1.5)
    for tau in [r.negative, r.positive] {
      var p = z
      axpy(tau, d, &p)
      #expect(abs(p.norm - 1.5) < 1e-14)
    }
    #expect(r.negative < 0 && r.positive > 0)
  }

  @Test(arguments: TrustRegionSubproblem.allCases)
  func radiusStaysWithinItsBounds(_ subproblem: TrustRegionSubproblem) {
    let method = TrustRegion(subproblem: subproblem, initialRadius: 0.5, maxRadius: 4)
    let s = minimize(
      F.rosenbrock, from: [-1.2, 1], using: method, options: .init(recordHistory: true))
    #expect(s.termination == .gradientTolerance)
    #expect(method.name.hasPrefix("Trust-region"))
    for summary in s.history.dropFirst() {
      let r = summary.radius ?? .nan
      #expect(r > 0 && r <= 4)
      // A step never exceeds the radius in force when it was taken: the new radius is at least
      // ¼ of the step (shrink) and at most twice the old radius (expand).
      #expect(summary.stepNorm <= 4 * r * (1 + 1e-12))
    }
  }

  @Test func rejectedStepsAreCountedAndShrinkTheRadius() {
    // A large initial radius on Rosenbrock forces rejections.
    let s = minimize(
      F.rosenbrock, from: [-1.2, 1],
      using: .trustRegion(.exact, initialRadius: 100, maxRadius: 100),
      options: .init(recordHistory: true))
    #expect(s.termination == .gradientTolerance)
    #expect(s.statistics.rejectedSteps > 0)
    let rejected = s.history.filter { !$0.accepted }
    #expect(rejected.count == s.statistics.rejectedSteps)
    #expect(rejected.allSatisfy { ($0.radius ?? 100) < 100 })
  }

  /// A regression test for the shared GLTR: on this badly scaled Hessian (Biggs EXP6 far from
  /// its start, entries from 1e-16 to 2e24) with a tiny radius, the interior factorization of
  /// the tridiagonal matrix fails although its smallest eigenvalue is positive; the subproblem
  /// solver used to leave a short `h` and GLTR trapped indexing it.
  @Test
  func gltrBadlyScaledReproducer() {
    let h = Matrix(
      rows: 6, columns: 6,
      storage: [
        0.0026677687199149086, 0.0011723118601960803, 0.0007008986452254184,
        -0.00022251979061777217, -3.522237355143798e-15, 0.10663617579196835,
        0.0011723118601960803, 0.05971219065433052, 0.0003086865941324002, -0.011127185745616887,
        -9.623661138141988e-14, 2.2083664345960403, 0.0007008986452254184, 0.0003086865941324002,
        5.29817097852128e-06, -5.859438171471587e-05, -9.025133151285693e-16, 0.027696926057475986,
        -0.00022251979061777217, -0.011127185745616887, -5.859438171471587e-05,
        0.0006481901334514626, 1.3473209634635171e-14, -0.3558766658276822,
        -3.522237355143798e-15, -9.623661138141988e-14, -9.025133151285693e-16,
        1.3473209634635171e-14, 0.3785116792109741, -898162612117.5077, 0.10663617579196835,
        2.2083664345960403, 0.027696926057475986, -0.3558766658276822, -898162612117.5077,
        2.1288717532901304e+24,
      ])
    let g: Vector = [
      -0.025852699280835414, -0.40623898160270316, -0.006799777319295672, 0.07610391253533084,
      -0.0031036180957258186, 0.0187835693359375,
    ]
    let r = GLTR(relativeTolerance: min(0.5, g.norm.squareRoot()), maxIterations: 6).solve(
      { v, hv in h.multiply(v, into: &hv) }, gradient: g, radius: 4.768371582031249e-07)
    #expect(r.step.norm <= 4.768371582031249e-07 * (1 + 1e-6))
  }
}
