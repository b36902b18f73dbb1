import Synchronization

/// A ``Collective`` that counts what passes through another: the sums, the words they carry and
/// the broadcasts. It measures a data-parallel method's communication (the words per iteration of
/// the cost model) without changing a bit of the results.
///
/// One instance per rank; the counters are atomic, so reading them from another thread is safe.
public final class CountingCollective<Base: Collective>: Collective {
  /// The collective that does the work.
  public let base: Base
  private let sumCount = Atomic<Int>(0)
  private let wordCount = Atomic<Int>(0)
  private let broadcastCount = Atomic<Int>(0)

  /// Counts the collectives of `base`.
  public init(_ base: Base) { self.base = base }

  /// The base's rank.
  public var rank: Int { base.rank }
  /// The base's size.
  public var size: Int { base.size }
  /// The sums so far.
  public var sums: Int { sumCount.load(ordering: .relaxed) }
  /// The words (elements) summed so far.
  public var words: Int { wordCount.load(ordering: .relaxed) }
  /// The broadcasts so far.
  public var broadcasts: Int { broadcastCount.load(ordering: .relaxed) }

  /// Counts one sum of `buffer.count` words, then sums through the base.
  public func sum(_ buffer: UnsafeMutableBufferPointer<Double>) {
    sumCount.add(1, ordering: .relaxed)
    wordCount.add(buffer.count, ordering: .relaxed)
    base.sum(buffer)
  }

  /// Counts one broadcast, then broadcasts through the base.
  public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, from root: Int) {
    broadcastCount.add(1, ordering: .relaxed)
    base.broadcast(buffer, from: root)
  }
}
