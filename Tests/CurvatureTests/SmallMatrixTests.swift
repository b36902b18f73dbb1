import Testing

@testable import Curvature

/// The small dense LU kernels of the compact L-BFGS-B representation: A·A⁻¹ = I and A·z = b on
/// seeded matrices that need row exchanges, and nil for singular input.
@Suite struct SmallMatrixTests {
  static func seeded(_ n: Int, seed: UInt64) -> SmallMatrix {
    var rng = SplitMix64(seed: seed)
    var a = SmallMatrix(size: n)
    for i in 0..<n { for j in 0..<n { a[i, j] = rng.normal() } }
    a[0, 0] = 1e-3  // forces a row exchange at the first step
    return a
  }

  @Test(arguments: [1, 4, 20])
  func inverseAndSolve(_ n: Int) throws {
    let a = Self.seeded(n, seed: UInt64(n))
    let inv = try #require(a.inverse())
    var worst = 0.0
    for i in 0..<n {
      for j in 0..<n {
        var s = 0.0
        for k in 0..<n { s += a[i, k] * inv[k, j] }
        worst = Swift.max(worst, Swift.abs(s - (i == j ? 1 : 0)))
      }
    }
    #expect(worst <= 1e-10)
    let b = (0..<n).map { Double($0) - 1.5 }
    let z = SmallMatrix.solve(try #require(a.luFactors()), b)
    let az = a.multiply(z)
    for i in 0..<n { #expect(Swift.abs(az[i] - b[i]) <= 1e-10) }
  }

  @Test func singularAndNonFiniteGiveNil() {
    var a = SmallMatrix(size: 3)
    for j in 0..<3 {
      a[0, j] = Double(j + 1)
      a[1, j] = 2 * Double(j + 1)
      a[2, j] = 1
    }
    #expect(a.inverse() == nil)
    var b = Self.seeded(3, seed: 2)
    b[1, 1] = .infinity
    #expect(b.luFactors() == nil)
  }
}
