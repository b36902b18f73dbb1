import Testing

@testable import Curvature

/// The Givens-rotation damped least-squares step against its defining identities:
/// R_λᵀR_λ = RᵀR + λD² and (RᵀR + λD²)p = −Rᵀc.
@Suite("Damped least-squares step")
struct DampedStepTests {
  /// A seeded upper-triangular R with entries in [−1, 1] and diagonal moved away from zero by
  /// `diagonalShift` (0 keeps it as drawn, so it may be nearly singular).
  static func triangular(_ n: Int, seed: UInt64, diagonalShift: Double) -> Matrix {
    var rng = SplitMix64(seed: seed)
    return Matrix(rows: n, columns: n) { i, j in
      guard j >= i else { return 0 }
      let u = 2 * rng.uniform() - 1
      return i == j ? u + (u >= 0 ? diagonalShift : -diagonalShift) : u
    }
  }

  @Test(arguments: [(1, 0.5), (3, 1e-3), (6, 2.0), (10, 1e-8)])
  func identities(n: Int, lambda: Double) throws {
    let r = Self.triangular(n, seed: UInt64(n) * 7 + 1, diagonalShift: 0.1)
    var rng = SplitMix64(seed: 99)
    let c = Vector(count: n) { _ in 2 * rng.uniform() - 1 }
    let d = Vector(count: n) { _ in 0.5 + rng.uniform() }
    let (p, rl) = try #require(dampedStep(r: r, c: c, diag: d, lambda: lambda))
    // R_λ is upper triangular with R_λᵀR_λ = RᵀR + λD².
    var worst = 0.0
    for i in 0..<n {
      for j in 0..<n {
        if i > j { #expect(rl[i, j] == 0) }
        var lhs = 0.0
        var rhs = i == j ? lambda * d[i] * d[i] : 0
        for k in 0..<n {
          lhs += rl[k, i] * rl[k, j]
          rhs += r[k, i] * r[k, j]
        }
        worst = Swift.max(worst, Swift.abs(lhs - rhs))
      }
    }
    #expect(worst <= 1e-13)
    // Normal equations (RᵀR + λD²)p = −Rᵀc.
    var residual = 0.0
    for i in 0..<n {
      var s = lambda * d[i] * d[i] * p[i]
      var t = 0.0
      for k in 0..<n {
        var rtr = 0.0
        for l in 0..<n { rtr += r[l, i] * r[l, k] }
        s += rtr * p[k]
        t += r[k, i] * c[k]
      }
      residual = Swift.max(residual, Swift.abs(s + t))
    }
    #expect(residual <= 1e-11)
  }

  @Test func zeroDampingIsTheGaussNewtonStep() throws {
    let r = Self.triangular(5, seed: 3, diagonalShift: 0.5)
    let c = Vector([1, -2, 0.5, 3, -1])
    let (p, _) = try #require(
      dampedStep(r: r, c: c, diag: Vector(repeating: 1, count: 5), lambda: 0))
    let rp = r * p
    for i in 0..<5 { #expect(Swift.abs(rp[i] + c[i]) <= 1e-12) }
  }

  @Test func nonFiniteInputGivesNil() {
    var r = Self.triangular(3, seed: 5, diagonalShift: 0.5)
    r[1, 2] = .nan
    #expect(dampedStep(r: r, c: Vector([1, 1, 1]), diag: Vector([1, 1, 1]), lambda: 1) == nil)
    let singular = Matrix(rows: 2, columns: 2) { i, j in i == 0 && j == 0 ? 1 : 0 }
    #expect(dampedStep(r: singular, c: Vector([1, 1]), diag: Vector([1, 1]), lambda: 0) == nil)
  }
}
