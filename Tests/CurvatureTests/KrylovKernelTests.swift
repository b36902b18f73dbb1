import Testing

@testable import Curvature

/// The fused Krylov kernels give bit-for-bit the numbers of the unfused sequences they replace.
@Suite struct KrylovKernelTests {
  static let lengths = [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 1001]

  static func sample(_ n: Int, seed: UInt64, scale: Double = 1) -> Vector {
    var rng = SplitMix64(seed: seed)
    return Vector(count: n) { _ in rng.normal() * scale }
  }

  static func same(_ a: Double, _ b: Double) -> Bool {
    a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
  }

  static func same(_ a: Vector, _ b: Vector) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
  }

  @Test(arguments: lengths)
  func addScaledReturningBaseNormMatchesNormThenAddScaled(_ n: Int) {
    let y = Self.sample(n, seed: 1)
    var withNaN = Self.sample(n, seed: 5)
    if n > 0 { withNaN[0] = .nan }
    for x in [
      Self.sample(n, seed: 2), Self.sample(n, seed: 3, scale: 1e200),
      Self.sample(n, seed: 4, scale: 1e-170), withNaN, .zeros(n),
    ] {
      var z = Vector(repeating: .infinity, count: n)
      let norm = addScaledReturningBaseNorm(x, -0.3, y, into: &z)
      var expected = Vector.zeros(n)
      addScaled(x, -0.3, y, into: &expected)
      #expect(Self.same(norm, x.norm), "n = \(n): \(norm) vs \(x.norm)")
      #expect(Self.same(z, expected), "n = \(n)")
    }
  }

  @Test(arguments: lengths)
  func axpyReturningNormSquaredMatchesAxpyThenNormSquared(_ n: Int) {
    let x = Self.sample(n, seed: 6)
    for a in [-1.7, 0.0, 1e-3] {
      var y = Self.sample(n, seed: 7)
      var expected = y
      axpy(a, x, &expected)
      let s = axpyReturningNormSquared(a, x, &y)
      #expect(Self.same(y, expected), "n = \(n)")
      #expect(Self.same(s, expected.normSquared), "n = \(n)")
    }
  }

  @Test(arguments: lengths)
  func startKernelsMatchTheirCopies(_ n: Int) {
    let g = Self.sample(n, seed: 8)
    var r = Vector(repeating: .nan, count: n)
    var d = Vector(repeating: .nan, count: n)
    steihaugStart(g, residual: &r, direction: &d, writesDirection: true)
    #expect(Self.same(r, g))
    #expect(Self.same(d, g.scaled(by: -1)))
    var d2 = Vector(repeating: 7, count: n)
    steihaugStart(g, residual: &r, direction: &d2, writesDirection: false)
    #expect(d2 == Vector(repeating: 7, count: n))
    for a in [1.0, -1.0] {
      var u = Vector(repeating: .nan, count: n)
      var v = Vector(repeating: .nan, count: n)
      krylovAssignTwice(g, scaledBy: a, &u, &v)
      #expect(Self.same(u, g.scaled(by: a)))
      #expect(Self.same(v, g.scaled(by: a)))
    }
  }

  /// Conjugate gradients on −b given as b (`negatesRHS`, Newton-CG's use) gives the same iterates
  /// as on −b itself, and the known ‖b‖ changes nothing.
  @Test func negatedRightHandSideGivesTheSameSolve() {
    let n = 40
    let diagonal = Vector(count: n) { Double($0 % 7) - 1.5 }
    let apply: LinearOperator = { v, out in
      for i in 0..<n {
        out[i] =
          diagonal[i] * v[i] + (i > 0 ? 0.3 * v[i - 1] : 0) + (i + 1 < n ? 0.3 * v[i + 1] : 0)
      }
    }
    let g = Self.sample(n, seed: 9)
    for preconditioned in [false, true] {
      var plain = ConjugateGradient(relativeTolerance: 1e-8, maxIterations: 30)
      var fused = plain
      fused.negatesRHS = true
      fused.knownRHSNorm = g.norm
      plain.reportsModelValue = true
      let m: LinearOperator = { r, z in for i in 0..<n { z[i] = r[i] / (1 + Double(i % 3)) } }
      let a =
        preconditioned
        ? plain.solve(apply, rhs: g.scaled(by: -1), preconditioner: m)
        : plain.solve(apply, rhs: g.scaled(by: -1))
      let b =
        preconditioned ? fused.solve(apply, rhs: g, preconditioner: m) : fused.solve(apply, rhs: g)
      #expect(a.termination == b.termination)
      #expect(a.iterations == b.iterations)
      #expect(Self.same(a.solution, b.solution))
      #expect(Self.same(a.modelValue, b.modelValue))
      #expect(Self.same(a.residualNorm, b.residualNorm))
    }
  }

  /// 0 + a·x written without reading y equals fill(0) then axpy, signs of zero included.
  @Test(arguments: lengths)
  func assignFromZeroMatchesFillThenAxpy(_ n: Int) {
    var x = Self.sample(n, seed: 16)
    if n > 2 {
      x[0] = 0
      x[1] = -0.0
    }
    for a in [2.5, -1.0, 0.0] {
      var y = Vector(repeating: .nan, count: n)
      assignFromZero(a, x, into: &y)
      var expected = Vector(repeating: 3, count: n)
      expected.fill(0)
      axpy(a, x, &expected)
      #expect(Self.same(y, expected), "n = \(n), a = \(a)")
    }
  }

  @Test(arguments: lengths)
  func steihaugProductsMatchDotAndBoundaryProducts(_ n: Int) {
    let d = Self.sample(n, seed: 13)
    let bd = Self.sample(n, seed: 14)
    let p = Self.sample(n, seed: 15)
    let (kappa, pp, pd, dd) = steihaugProducts(d, bd, p, stepIsZero: false)
    let expected = boundaryProducts(p, d)
    #expect(Self.same(kappa, dot(d, bd)))
    #expect(Self.same(pp, expected.pp) && Self.same(pd, expected.pd) && Self.same(dd, expected.dd))
    let first = steihaugProducts(d, bd, Vector(repeating: .nan, count: n), stepIsZero: true)
    let zero = boundaryProducts(.zeros(n), d)
    #expect(Self.same(first.kappa, dot(d, bd)))
    #expect(first.pp == 0 && first.pd == 0)
    #expect(Self.same(first.dd, zero.dd))
  }

  /// A workspace reused across solves (plain, preconditioned, one that breaks down on NaN) gives
  /// every solve the result of a fresh workspace.
  @Test func reusedWorkspacesGiveTheResultsOfFreshOnes() {
    let n = 30
    let symmetric: LinearOperator = { v, out in
      for i in 0..<n {
        out[i] =
          (Double(i % 5) - 1) * v[i] + (i > 0 ? 0.2 * v[i - 1] : 0)
          + (i + 1 < n ? 0.2 * v[i + 1] : 0)
      }
    }
    let m: LinearOperator = { r, z in for i in 0..<n { z[i] = r[i] / (1 + Double(i % 4)) } }
    var nanGradient = Self.sample(n, seed: 40)
    nanGradient[3] = .nan
    let gradients = [Self.sample(n, seed: 41), nanGradient, Self.sample(n, seed: 42)]
    var steihaugWorkspace = KrylovWorkspace(dimension: n)
    var gltrWorkspace = GLTR.Workspace(dimension: n)
    var cgWorkspace = KrylovWorkspace(dimension: n)
    for g in gradients {
      for radius in [0.5, 100] {
        let s = SteihaugCG(relativeTolerance: 1e-6)
        let a = s.solve(symmetric, gradient: g, radius: radius, workspace: &steihaugWorkspace)
        let b = s.solve(symmetric, gradient: g, radius: radius)
        #expect(a.termination == b.termination && Self.same(a.step, b.step))
        let ap = s.solve(
          symmetric, gradient: g, radius: radius, preconditioner: m, workspace: &steihaugWorkspace)
        let bp = s.solve(symmetric, gradient: g, radius: radius, preconditioner: m)
        #expect(ap.termination == bp.termination && Self.same(ap.step, bp.step))
        let t = GLTR(relativeTolerance: 1e-6)
        let c = t.solve(symmetric, gradient: g, radius: radius, workspace: &gltrWorkspace)
        let d = t.solve(symmetric, gradient: g, radius: radius)
        #expect(c.termination == d.termination && Self.same(c.step, d.step))
      }
      let cg = ConjugateGradient(relativeTolerance: 1e-8)
      let e = cg.solve(symmetric, rhs: g, preconditioner: m, workspace: &cgWorkspace)
      let f = cg.solve(symmetric, rhs: g, preconditioner: m)
      #expect(e.termination == f.termination && Self.same(e.solution, f.solution))
      let e2 = cg.solve(symmetric, rhs: g, workspace: &cgWorkspace)
      let f2 = cg.solve(symmetric, rhs: g)
      #expect(e2.termination == f2.termination && Self.same(e2.solution, f2.solution))
    }
  }

  /// With a reused workspace holding NaN from a broken-down solve, a Steihaug solve that stops
  /// before its first update (zero iteration limit, converged at the start) returns p = 0.
  @Test func steihaugExitsBeforeTheFirstUpdateReturnZero() {
    let n = 12
    let apply: LinearOperator = { v, out in for i in 0..<n { out[i] = 2 * v[i] } }
    var workspace = KrylovWorkspace(dimension: n)
    var bad = Self.sample(n, seed: 50)
    bad[2] = .nan
    _ = SteihaugCG().solve(apply, gradient: bad, radius: 1, workspace: &workspace)
    let g = Self.sample(n, seed: 51)
    let none = SteihaugCG(maxIterations: 0).solve(
      apply, gradient: g, radius: 1, workspace: &workspace)
    #expect(none.step == .zeros(n) && none.termination == .maxIterations && none.stepNorm == 0)
    let loose = SteihaugCG(relativeTolerance: 2).solve(
      apply, gradient: g, radius: 1, workspace: &workspace)
    #expect(loose.step == .zeros(n) && loose.termination == .interiorConverged)
  }

  /// Conjugate gradients from x₀ = 0 in a workspace that holds NaN: exits before the first update
  /// (converged at the start, no iterations allowed, negative curvature at once) return x = 0,
  /// and a full solve matches one in a fresh workspace.
  @Test func conjugateGradientExitsBeforeTheFirstUpdateReturnZero() {
    let n = 10
    let positive: LinearOperator = { v, out in for i in 0..<n { out[i] = (1 + Double(i)) * v[i] } }
    let negative: LinearOperator = { v, out in for i in 0..<n { out[i] = -v[i] } }
    var workspace = KrylovWorkspace(dimension: n)
    var bad = Self.sample(n, seed: 60)
    bad[4] = .nan
    _ = ConjugateGradient().solve(positive, rhs: bad, workspace: &workspace)
    let b = Self.sample(n, seed: 61)
    let loose = ConjugateGradient(relativeTolerance: 2).solve(
      positive, rhs: b, workspace: &workspace)
    #expect(loose.solution == .zeros(n) && loose.termination == .converged)
    let none = ConjugateGradient(maxIterations: 0).solve(positive, rhs: b, workspace: &workspace)
    #expect(none.solution == .zeros(n) && none.modelValue == 0)
    let indefinite = ConjugateGradient().solve(negative, rhs: b, workspace: &workspace)
    #expect(indefinite.solution == .zeros(n) && indefinite.termination == .negativeCurvature)
    let tracked = ConjugateGradient(martensStopping: .init(), snapshotGrowth: 1.3)
    let reused = tracked.solve(positive, rhs: b, workspace: &workspace)
    let fresh = tracked.solve(positive, rhs: b)
    #expect(Self.same(reused.solution, fresh.solution))
    #expect(reused.snapshots.map(\.x) == fresh.snapshots.map(\.x))
    #expect(reused.snapshots.first?.x == .zeros(n))
  }
}
