import Curvature
import RealModule

extension LogisticRegression {
  /// The seeded synthetic data set of the peer harness (`logreg_m10000_d100` with the defaults),
  /// generated exactly as ../shared/peers/PROBLEMS.md specifies, so that it agrees bit for bit with
  /// the Python reference:
  ///
  /// 1. features, row-major: A[i][j] = 2·u − 1 for successive SplitMix64 uniforms u (seed `seed`);
  /// 2. true weights wⱼ = sin(j + 1), j = 0…d−1;
  /// 3. marginᵢ = Σⱼ A[i][j]·wⱼ summed in increasing j from 0; yᵢ = +1 if marginᵢ ≥ 0, else −1;
  /// 4. label noise: after all m·d feature draws, for each i draw u; if u < `labelNoise`, flip yᵢ.
  ///
  /// With the defaults, f* = 0.42477139791365287 (``ScalableProblems/logisticRegressionOptimalValue``).
  ///
  /// `rows` keeps only the samples i ∈ rows of that data set (a shard for a data-parallel run):
  /// the generator skips ahead (`SplitMix64.skip(_:)`) to row i's draws, so the shard's rows are
  /// bit for bit those of the full data set and cost only their own draws. The shard's loss
  /// averages over its own rows.
  ///
  /// - Parameters:
  ///   - m: the number of samples.
  ///   - d: the number of features (n = d).
  ///   - seed: the SplitMix64 seed.
  ///   - regularization: λ.
  ///   - labelNoise: the probability of flipping a label.
  ///   - rows: the samples to keep (all of 0..<m when nil).
  public static func synthetic(
    samples m: Int = 10_000, features d: Int = 100, seed: UInt64 = 42,
    regularization: Double = 1e-3, labelNoise: Double = 0.1, rows: Range<Int>? = nil
  ) -> LogisticRegression {
    precondition(m >= 0 && d >= 0, "sample and feature counts must be non-negative: \(m), \(d)")
    let kept = rows ?? 0..<m
    precondition(
      kept.lowerBound >= 0 && kept.upperBound <= m, "rows \(kept) out of range 0..<\(m)")
    let count = kept.count
    var rng = SplitMix64(seed: seed)
    rng.skip(kept.lowerBound * d)
    let storage = [Double](unsafeUninitializedCapacity: count * d) { buffer, initialized in
      for k in 0..<(count * d) { buffer[k] = 2 * rng.uniform() - 1 }
      initialized = count * d
    }
    let weights = (0..<d).map { Double.sin(Double($0 + 1)) }
    var labels = Vector.zeros(count)
    storage.withUnsafeBufferPointer { a in
      for i in 0..<count {
        var margin = 0.0
        for j in 0..<d { margin = margin + a[i * d + j] * weights[j] }
        labels[i] = margin >= 0 ? 1 : -1
      }
    }
    rng = SplitMix64(seed: seed)
    rng.skip(m * d + kept.lowerBound)
    for i in 0..<count {
      let u = rng.uniform()
      if u < labelNoise { labels[i] = -labels[i] }
    }
    return LogisticRegression(
      features: Matrix(rows: count, columns: d, storage: storage), labels: labels,
      regularization: regularization)
  }
}
