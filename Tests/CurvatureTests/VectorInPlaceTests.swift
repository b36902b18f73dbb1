import Testing

@testable import Curvature

/// The in-place kernels give bit-for-bit the numbers of the allocating expressions they replace.
@Suite struct VectorInPlaceTests {
  static func sample(_ n: Int, seed: UInt64) -> Vector {
    var rng = SplitMix64(seed: seed)
    return Vector(count: n) { _ in rng.normal() * 10 }
  }

  @Test(arguments: [-1.0, 0.5, 1.0 / 3.0, 0, 1e300, -2.5e-7])
  func assignScaledMatchesScaled(_ a: Double) {
    for n in [0, 1, 7, 8, 33, 1000] {
      let x = Self.sample(n, seed: UInt64(n) + 11)
      var y = Vector(repeating: 5, count: n)
      y.assign(x, scaledBy: a)
      let expected = x.scaled(by: a)
      #expect(y.count == n)
      for i in 0..<n { #expect(y[i].bitPattern == expected[i].bitPattern, "n = \(n), i = \(i)") }
    }
  }

  @Test func assignScaledIsNegationForMinusOne() {
    let x = Self.sample(100, seed: 3)
    var y = Vector.zeros(100)
    y.assign(x, scaledBy: -1)
    #expect(y == -x)
  }

  @Test func assignScaledIgnoresOldContentsAndResizes() {
    let x = Self.sample(20, seed: 5)
    // A reused buffer may hold NaN or ∞: they must not leak into the result (0·NaN = NaN would).
    var y = Vector(repeating: .nan, count: 20)
    y[3] = .infinity
    y.assign(x, scaledBy: 2)
    #expect(y == x.scaled(by: 2))
    var short = Vector([1, 2])
    short.assign(x, scaledBy: 3)
    #expect(short == x.scaled(by: 3))
    var long = Vector.zeros(50)
    long.assign(x, scaledBy: -0.5)
    #expect(long == x.scaled(by: -0.5))
  }

  @Test func assignScaledWritesIntoTheExistingStorage() {
    let x = Self.sample(64, seed: 9)
    var y = Vector.zeros(64)
    let before = y.withUnsafeBufferPointer { $0.baseAddress }
    y.assign(x, scaledBy: 4)
    let after = y.withUnsafeBufferPointer { $0.baseAddress }
    #expect(before == after)
  }

  /// Lengths around the 8-wide blocks and pairs of the kernels.
  static let lengths = [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 1001]

  /// Vectors in the norm's fast range and outside it (overflow, underflow, non-finite).
  static func cases(_ n: Int) -> [Vector] {
    var huge = sample(n, seed: 21)
    huge.scale(by: 1e160)
    var tiny = sample(n, seed: 22)
    tiny.scale(by: 1e-160)
    var withNaN = sample(n, seed: 23)
    var withInfinity = sample(n, seed: 24)
    if n > 0 {
      withNaN[n / 2] = .nan
      withInfinity[n - 1] = -.infinity
    }
    return [sample(n, seed: 20), huge, tiny, withNaN, withInfinity, .zeros(n)]
  }

  static func same(_ a: Double, _ b: Double) -> Bool {
    a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
  }

  @Test(arguments: lengths)
  func dotAndNormMatchesDotThenNorm(_ n: Int) {
    let x = Self.sample(n, seed: 30)
    for y in Self.cases(n) {
      let (d, norm) = dotAndNorm(x, y)
      #expect(Self.same(d, dot(x, y)), "n = \(n): \(d) vs \(dot(x, y))")
      #expect(Self.same(norm, y.norm), "n = \(n): \(norm) vs \(y.norm)")
    }
  }

  @Test(arguments: lengths)
  func addScaledReturningNormMatchesAddScaledThenNorm(_ n: Int) {
    let x = Self.sample(n, seed: 31)
    for y in Self.cases(n) {
      for a in [1.0, -0.75] {
        var z = Vector(repeating: .nan, count: n)
        let norm = addScaledReturningNorm(x, a, y, into: &z)
        var expected = Vector.zeros(n)
        addScaled(x, a, y, into: &expected)
        #expect(Self.same(norm, y.norm), "n = \(n): \(norm) vs \(y.norm)")
        for i in 0..<n { #expect(Self.same(z[i], expected[i]), "n = \(n), i = \(i)") }
      }
    }
  }

  @Test(arguments: lengths)
  func maximumMagnitudeMatchesNormInfinity(_ n: Int) {
    var negativeZeros = Vector(repeating: -0.0, count: n)
    if n > 2 { negativeZeros[1] = -3 }
    for x in Self.cases(n) + [negativeZeros, Vector(repeating: .infinity, count: n)] {
      #expect(Self.same(maximumMagnitude(x), x.normInfinity), "n = \(n)")
    }
  }
}
