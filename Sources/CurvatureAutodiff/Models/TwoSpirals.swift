import Curvature
import RealModule

/// A deterministic two-interleaved-spirals classification data set (in the spirit of Lang &
/// Witbrock, "Learning to tell two spirals apart", 1988), generated from one SplitMix64 stream.
///
/// For class c ∈ {0, 1} and k = 0, …, n − 1 (n samples per class), in this order, draw
/// u, then ε₁, ε₂ (`SplitMix64.uniform()`, then two `SplitMix64.normal()`), and set
///
///     t = (k + u)/n,   r = t,   φ = 2π·turns·t + πc,
///     x = (r cos φ + σε₁,  r sin φ + σε₂).
///
/// The 2n samples are then shuffled by Fisher-Yates from the same stream: for i = 2n − 1 down
/// to 1, j = next() mod (i + 1), swap samples i and j. Targets are one-hot rows (t_c = 1).
public struct TwoSpirals: Sendable {
  /// The inputs, `2n × 2`, row-major.
  public let inputs: [Double]
  /// The class of each sample (0 or 1).
  public let labels: [Int]

  /// Generates 2n samples.
  public init(
    samplesPerClass n: Int = 1000, turns: Double = 1.5, noise sigma: Double = 0.02,
    seed: UInt64 = 7
  ) {
    precondition(n > 0, "samplesPerClass must be positive, got \(n)")
    var rng = SplitMix64(seed: seed)
    var points = [(Double, Double, Int)]()
    points.reserveCapacity(2 * n)
    for c in 0..<2 {
      for k in 0..<n {
        let u = rng.uniform()
        let e1 = rng.normal()
        let e2 = rng.normal()
        let t = (Double(k) + u) / Double(n)
        let phi = 2 * Double.pi * turns * t + Double.pi * Double(c)
        points.append((t * Double.cos(phi) + sigma * e1, t * Double.sin(phi) + sigma * e2, c))
      }
    }
    var i = 2 * n - 1
    while i > 0 {
      let j = Int(rng.next() % UInt64(i + 1))
      points.swapAt(i, j)
      i -= 1
    }
    inputs = points.flatMap { [$0.0, $0.1] }
    labels = points.map { $0.2 }
  }

  /// The one-hot targets, `2n × 2`, row-major.
  public var oneHotTargets: [Double] { labels.flatMap { $0 == 0 ? [1.0, 0.0] : [0.0, 1.0] } }
}
