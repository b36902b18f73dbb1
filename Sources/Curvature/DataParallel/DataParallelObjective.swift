/// The global objective of a data-parallel program: each rank holds one shard of the data, and
/// every oracle call returns the weighted sum over the ranks,
///
///     f(x) = Σᵣ wᵣ fᵣ(x),   ∇f(x) = Σᵣ wᵣ ∇fᵣ(x),   ∇²f(x)·v = Σᵣ wᵣ ∇²fᵣ(x)·v,
///
/// with exactly one ``Collective/sum(_:)-(UnsafeMutableBufferPointer<Double>)`` per call: 1 word
/// for a value, n + 1 for a value and gradient (f packed after ∇f), n for a Hessian-vector
/// product, n² for a dense Hessian. For a mean loss over the union of the shards, fᵣ is the
/// shard's own mean over its mᵣ samples and wᵣ = mᵣ/Σ_q m_q (``init(meanOf:samples:over:)``);
/// for a sum, wᵣ = 1 (``init(sumOf:over:)``). A regularizer (λ/2)‖x‖² inside every shard's mean
/// is then counted once, since Σᵣ wᵣ = 1.
///
/// Hand it to any solver: `minimize(objective, from: x0, using: .lbfgs())` on every rank runs a
/// replicated solve. The contract (see ``Collective``):
/// - every rank starts from the same x₀ (broadcast it with ``Collective/broadcast(_:from:)`` when
///   it is computed on one rank) and passes the same method and options;
/// - oracle calls are collective, so nothing may make one rank's solve differ from another's: no
///   observer that decides on one rank alone (reduce its decision with
///   ``Collective/anyRank(_:)``), no rank-local randomness;
/// - since the sums carry identical bits to every rank, every rank then ends with the same
///   parameters, termination and counts;
/// - a NaN or infinity on one rank is summed into every rank's result, so all ranks stop with the
///   same non-finite termination. A shard that writes a gradient or product of the wrong length
///   contributes NaN in its place (all ranks stop with a non-finite value rather than one rank
///   trapping in a collective).
///
/// Curvature products are offered when the shard offers them (conditional conformances to
/// ``HessianVectorProductObjective`` and ``TwiceDifferentiableObjective``); otherwise solvers fall
/// back to differences of the (collective) gradient, which stay consistent across ranks.
public struct DataParallelObjective<Shard: DifferentiableObjective, Group: Collective>:
  DifferentiableObjective
{
  /// This rank's shard.
  public let shard: Shard
  /// The ranks.
  public let collective: Group
  /// This rank's weight wᵣ.
  public var weight: Double { reduction.weight }
  /// The number of variables n (the same on every rank).
  public let dimension: Int
  let reduction: WeightedReduction<Group>

  /// f = Σᵣ fᵣ over the ranks' shards. Collective (2p words, to check that every rank has the
  /// same dimension).
  public init(sumOf shard: Shard, over collective: Group) throws(DataParallelError) {
    let layout = ShardLayout(dimension: shard.dimension, sampleCount: 0, collective: collective)
    try layout.validate()
    self.shard = shard
    self.collective = collective
    self.dimension = shard.dimension
    reduction = WeightedReduction(collective: collective, weight: 1, dimension: shard.dimension)
  }

  /// f = Σᵣ (mᵣ/M) fᵣ with M = Σᵣ mᵣ: the mean over all samples when each shard is the mean over
  /// its own `samples` = mᵣ. A rank with mᵣ = 0 evaluates nothing and contributes zeros.
  /// Collective (2p words); throws when the dimensions differ, a count is negative, or M = 0.
  public init(meanOf shard: Shard, samples: Int, over collective: Group) throws(DataParallelError) {
    let layout = ShardLayout(
      dimension: shard.dimension, sampleCount: samples, collective: collective)
    try layout.validate()
    let total = layout.totalSamples
    guard total > 0 else { throw .noSamples }
    self.shard = shard
    self.collective = collective
    self.dimension = shard.dimension
    reduction = WeightedReduction(
      collective: collective, weight: Double(samples) / Double(total), dimension: shard.dimension)
  }

  /// f(x) = Σᵣ wᵣ fᵣ(x). Collective (1 word).
  public func value(at x: Vector) -> Double {
    reduction.value(reduction.active ? shard.value(at: x) : 0)
  }

  /// f(x) and ∇f(x), reduced together in one sum of n + 1 words. Collective.
  public func value(at x: Vector, gradient: inout Vector) -> Double {
    let f = reduction.active ? shard.value(at: x, gradient: &gradient) : 0
    return reduction.packed(value: f, vector: &gradient)
  }
}

extension DataParallelObjective: HessianVectorProductObjective
where Shard: HessianVectorProductObjective {
  /// ∇²f(x)·v = Σᵣ wᵣ ∇²fᵣ(x)·v. Collective (n words).
  public func hessianVectorProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    if reduction.active { shard.hessianVectorProduct(at: x, direction: v, into: &result) }
    reduction.sum(&result)
  }
}

extension DataParallelObjective: TwiceDifferentiableObjective
where Shard: TwiceDifferentiableObjective {
  /// ∇²f(x) = Σᵣ wᵣ ∇²fᵣ(x). Collective (n² words; for small n).
  public func hessian(at x: Vector) -> Matrix {
    let n = dimension
    var words = Vector()
    if reduction.active {
      let h = shard.hessian(at: x)
      if h.rows == n && h.columns == n { words = Vector(h.storage) }
    }
    let square = WeightedReduction(collective: collective, weight: weight, dimension: n * n)
    square.sum(&words)
    return Matrix(rows: n, columns: n, storage: words.storage)
  }
}
