/// The mini-batches of ``train(_:objective:from:options:)``: each epoch walks a fresh
/// permutation of the m samples (Fisher-Yates with SplitMix64 draws from the seed) in batches of
/// `size`; the last batch of an epoch holds what is left, so an epoch never mixes samples of two
/// permutations. Exposed so that a peer implementation can be fed the very same batches.
public struct MiniBatchSchedule: Sendable {
  /// m.
  public let sampleCount: Int
  /// |B|.
  public let size: Int
  var generator: SplitMix64
  var permutation: [Int] = []
  var position = 0

  /// The schedule of `size`-sample batches of m samples from `seed`.
  ///
  /// - Precondition: m > 0 and size > 0.
  public init(sampleCount: Int, size: Int, seed: UInt64) {
    precondition(sampleCount > 0 && size > 0, "a schedule needs samples and a positive size")
    self.sampleCount = sampleCount
    self.size = size
    generator = SplitMix64(seed: seed)
  }

  /// The sample indices of the next batch.
  public mutating func next() -> [Int] {
    if position >= permutation.count {
      permutation = Array(0..<sampleCount)
      var i = sampleCount - 1
      while i > 0 {
        permutation.swapAt(i, Int(generator.next() % UInt64(i + 1)))
        i -= 1
      }
      position = 0
    }
    let end = Swift.min(position + size, sampleCount)
    defer { position = end }
    return Array(permutation[position..<end])
  }
}
