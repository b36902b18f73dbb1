import RealModule

/// The SplitMix64 generator (Steele, Lea and Flood, 2014), the seeded source of every random
/// number in Curvature.
///
/// `next()`: state ← state + 0x9E3779B97F4A7C15; z ← (z ⊕ (z ≫ 30))·0xBF58476D1CE4E5B9;
/// z ← (z ⊕ (z ≫ 27))·0x94D049BB133111EB; return z ⊕ (z ≫ 31), all modulo 2⁶⁴.
/// `uniform()` returns (next() ≫ 11)·2⁻⁵³ in [0, 1), exact in `Double`. The same formulas generate
/// the peer harness's data, so problems built from it agree bit for bit across languages.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, Codable {
  /// The generator's state.
  public var state: UInt64

  /// Creates a generator with the given seed.
  @inlinable
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Skips `count` outputs in O(1): the state advances by count·0x9E3779B97F4A7C15 (mod 2⁶⁴),
  /// exactly as `count` calls of ``next()`` would leave it. Lets each rank of a data-parallel
  /// program generate its own rows of a seeded data set.
  @inlinable
  public mutating func skip(_ count: Int) {
    precondition(count >= 0, "cannot skip a negative number of outputs, got \(count)")
    state &+= UInt64(count) &* 0x9E37_79B9_7F4A_7C15
  }

  /// A uniform number in [0, 1): (next() ≫ 11)·2⁻⁵³.
  @inlinable
  public mutating func uniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal number by the Box-Muller transform of two uniforms.
  @inlinable
  public mutating func normal() -> Double {
    var u = uniform()
    while u <= 0 { u = uniform() }
    let v = uniform()
    return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
  }

  /// A Rademacher sign, +1 or -1 with equal probability.
  @inlinable
  public mutating func rademacher() -> Double {
    (next() >> 63) == 0 ? 1 : -1
  }
}

@usableFromInline func _log(_ x: Double) -> Double { Double.log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { Double.cos(x) }
