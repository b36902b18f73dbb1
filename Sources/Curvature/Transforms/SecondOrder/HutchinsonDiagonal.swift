/// Hutchinson's estimator of the Hessian diagonal through Hessian-vector products:
/// diag(H) ≈ (1/s) Σⱼ zⱼ ⊙ (H zⱼ) with Rademacher probes zⱼ ∈ {−1, +1}ⁿ
/// (Hutchinson 1990; Bekas, Kokiopoulou & Saad 2007). The estimate is unbiased because
/// E[zzᵀ] = I, and exact for diagonal H with a single probe.
public struct HutchinsonDiagonal: Sendable, Hashable, Codable {
  /// The number of probes s per estimate.
  public var probes: Int

  /// An estimator with `probes` Rademacher probes.
  public init(probes: Int = 1) {
    precondition(probes >= 1, "Hutchinson needs at least one probe, got \(probes)")
    self.probes = probes
  }

  /// The estimate of diag(H) for the operator `hvp` (writes H·v into its second argument),
  /// drawing probes from `generator`.
  public func estimate(
    dimension n: Int, hvp: (Vector, inout Vector) -> Void, generator: inout SplitMix64
  ) -> Vector {
    var diagonal = Vector.zeros(n)
    var z = Vector.zeros(n)
    var hz = Vector.zeros(n)
    for _ in 0..<probes {
      for i in 0..<n { z[i] = generator.rademacher() }
      hvp(z, &hz)
      z.withUnsafeBufferPointer { pz in
        hz.withUnsafeBufferPointer { ph in
          diagonal.withUnsafeMutableBufferPointer { d in
            for i in 0..<n { d[i] += pz[i] * ph[i] }
          }
        }
      }
    }
    diagonal.scale(by: 1 / Double(probes))
    return diagonal
  }
}

extension SplitMix64 {
  /// A generator for step `step` of a run seeded with `seed`: the two are mixed so that each step
  /// draws fresh, reproducible numbers.
  public static func forStep(seed: UInt64, step: Int) -> SplitMix64 {
    var g = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: step) &* 0xD1B5_4A32_D192_ED03))
    _ = g.next()
    return g
  }
}
