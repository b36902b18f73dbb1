/// Why a data-parallel objective could not be set up. Every rank throws the same error, since
/// the check is itself collective.
public enum DataParallelError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The ranks' shards have different numbers of variables (one entry per rank).
  case dimensionMismatch(dimensions: [Int])
  /// A shard reported a negative sample count (one entry per rank).
  case invalidSampleCounts(counts: [Int])
  /// The shards hold no samples at all, so a mean over them is undefined.
  case noSamples

  /// A sentence naming what disagreed.
  public var description: String {
    switch self {
    case .dimensionMismatch(let d):
      return "the shards' dimensions differ across ranks: \(d) (rank order)"
    case .invalidSampleCounts(let c):
      return "a shard reported a negative sample count: \(c) (rank order)"
    case .noSamples:
      return "the shards hold no samples on any rank"
    }
  }
}

/// The rank layout of a data-parallel objective: every rank's dimension and sample count,
/// gathered by one sum of 2p words (each rank fills its own entries, the others are zero).
struct ShardLayout: Sendable {
  let dimensions: [Int]
  let sampleCounts: [Int]

  init(dimension: Int, sampleCount: Int, collective: some Collective) {
    let p = collective.size
    var words = Vector.zeros(2 * p)
    words[collective.rank] = Double(dimension)
    words[p + collective.rank] = Double(sampleCount)
    collective.sum(&words)
    dimensions = (0..<p).map { Int(words[$0]) }
    sampleCounts = (0..<p).map { Int(words[p + $0]) }
  }

  /// Throws unless every rank has the same dimension and a non-negative sample count.
  func validate() throws(DataParallelError) {
    if let first = dimensions.first, dimensions.contains(where: { $0 != first }) {
      throw .dimensionMismatch(dimensions: dimensions)
    }
    if sampleCounts.contains(where: { $0 < 0 }) { throw .invalidSampleCounts(counts: sampleCounts) }
  }

  /// Σᵣ mᵣ.
  var totalSamples: Int { sampleCounts.reduce(0, +) }

  /// The global index of this rank's first sample: Σ_{q<r} m_q.
  func offset(of rank: Int) -> Int { sampleCounts[..<rank].reduce(0, +) }
}
