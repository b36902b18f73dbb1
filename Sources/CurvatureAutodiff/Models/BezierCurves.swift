import Curvature

/// A synthetic data set of 2-D curves in the spirit of Martens' CURVES (Hinton & Salakhutdinov,
/// Science 313, 2006; Martens, ICML 2010), small enough to train in minutes: each sample is a
/// random cubic Bézier curve in the unit square "rendered" as the coordinates of k points along
/// it.
///
/// For each sample, draw the control points P₀, P₁, P₂, P₃ as eight successive SplitMix64
/// uniforms (P₀ₓ, P₀ᵧ, P₁ₓ, …), then for j = 0, …, k − 1 with tⱼ = j/(k − 1)
///
///     B(t) = (1 − t)³P₀ + 3(1 − t)²t P₁ + 3(1 − t)t² P₂ + t³P₃,
///
/// and the sample is (B(t₀)ₓ, B(t₀)ᵧ, …, B(t_{k−1})ₓ, B(t_{k−1})ᵧ) ∈ [0, 1]^{2k}. The data lie on
/// an 8-dimensional manifold, so an autoencoder with a narrower code must compress.
public struct BezierCurves: Sendable {
  /// The samples, `m × 2k`, row-major.
  public let samples: [Double]
  /// 2k, the width of a sample.
  public let width: Int

  /// Generates m curves of k points each.
  public init(count m: Int = 2000, pointsPerCurve k: Int = 12, seed: UInt64 = 11) {
    precondition(m > 0 && k >= 2, "need m > 0 curves of k ≥ 2 points, got \(m) and \(k)")
    var rng = SplitMix64(seed: seed)
    var out = [Double]()
    out.reserveCapacity(m * 2 * k)
    for _ in 0..<m {
      var p = [Double](repeating: 0, count: 8)
      for i in 0..<8 { p[i] = rng.uniform() }
      for j in 0..<k {
        let t = Double(j) / Double(k - 1)
        let s = 1 - t
        let (b0, b1, b2, b3) = (s * s * s, 3 * s * s * t, 3 * s * t * t, t * t * t)
        out.append(b0 * p[0] + b1 * p[2] + b2 * p[4] + b3 * p[6])
        out.append(b0 * p[1] + b1 * p[3] + b2 * p[5] + b3 * p[7])
      }
    }
    samples = out
    width = 2 * k
  }
}
