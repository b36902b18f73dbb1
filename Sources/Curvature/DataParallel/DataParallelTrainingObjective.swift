/// A training loss whose data set is split across ranks: each rank holds one shard (any
/// ``TrainingObjective``), and the wrapper is the ``TrainingObjective`` of the union, ready for
/// ``train(_:objective:from:options:)`` on every rank.
///
/// Samples are numbered globally: rank r owns the global indices oᵣ..<oᵣ + mᵣ with
/// oᵣ = Σ_{q<r} m_q. A mini-batch B of global indices (the training loop draws it from its seeded
/// permutation, the same on every rank) is evaluated as
///
///     f_B(θ) = Σᵣ (|Bᵣ|/|B|) f_{Bᵣ}(θ),   Bᵣ = B ∩ [oᵣ, oᵣ + mᵣ) shifted to the shard's indices,
///
/// which is the serial f_B up to the order of the sums, and likewise for the gradient, the
/// Hessian-vector product and the Gauss-Newton product. The full data set (`samples == nil`)
/// weighs each shard by mᵣ/M. So a data-parallel run trains on the same batches as the serial run
/// on the concatenated data (the only difference is rounding), and every rank computes only on
/// the samples it holds; a rank that owns none of a batch contributes zeros to the sums.
///
/// Each oracle call is one ``Collective/sum(_:)-(UnsafeMutableBufferPointer<Double>)``: 1 word for
/// a value, n + 1 for a value and gradient, n per Hessian-vector or Gauss-Newton product;
/// preparing a product at θ communicates nothing. The replicated-run contract of
/// ``DataParallelObjective`` applies: the same starting point, transform and options on every
/// rank.
public struct DataParallelTrainingObjective<Shard: TrainingObjective, Group: Collective>:
  TrainingObjective
{
  /// This rank's shard.
  public let shard: Shard
  /// The ranks.
  public let collective: Group
  /// The number of parameters n.
  public let dimension: Int
  /// M = Σᵣ mᵣ, the samples of all shards.
  public let sampleCount: Int
  /// oᵣ, the global index of this rank's first sample.
  public let sampleOffset: Int

  /// Wraps this rank's shard. Collective (2p words); throws when the ranks' dimensions differ or
  /// no rank holds a sample.
  public init(shard: Shard, over collective: Group) throws(DataParallelError) {
    let layout = ShardLayout(
      dimension: shard.dimension, sampleCount: shard.sampleCount, collective: collective)
    try layout.validate()
    guard layout.totalSamples > 0 else { throw .noSamples }
    self.shard = shard
    self.collective = collective
    self.dimension = shard.dimension
    self.sampleCount = layout.totalSamples
    self.sampleOffset = layout.offset(of: collective.rank)
  }

  /// The oracle of the global batch `samples` (global indices into 0..<M), or of all samples.
  public func oracle(samples: [Int]?) -> MiniBatchOracle {
    let local: [Int]?
    let weight: Double
    let batchSize: Int
    if let samples {
      let owned = sampleOffset..<(sampleOffset + shard.sampleCount)
      var mine: [Int] = []
      for i in samples {
        precondition(i >= 0 && i < sampleCount, "sample \(i) out of range 0..<\(sampleCount)")
        if owned.contains(i) { mine.append(i - sampleOffset) }
      }
      local = mine
      batchSize = samples.count
      // An empty batch is the shard's own empty batch on rank 0 alone (the serial meaning).
      weight =
        samples.isEmpty
        ? (collective.rank == 0 ? 1 : 0) : Double(mine.count) / Double(samples.count)
    } else {
      local = nil
      batchSize = sampleCount
      weight = Double(shard.sampleCount) / Double(sampleCount)
    }
    let inner = shard.oracle(samples: local)
    let reduce = WeightedReduction(collective: collective, weight: weight, dimension: dimension)
    return MiniBatchOracle(
      sampleCount: batchSize,
      value: { x in reduce.value(reduce.active ? inner.value(x) : 0) },
      valueAndGradient: { x, g in
        let f = reduce.active ? inner.valueAndGradient(x, &g) : 0
        return reduce.packed(value: f, vector: &g)
      },
      hessianVectorProduct: inner.hessianVectorProduct.map { reduce.product($0) },
      gaussNewtonProduct: inner.gaussNewtonProduct.map { reduce.product($0) })
  }
}
