import Testing

@testable import Curvature

/// The ranks' buffers of the reducer tests: element i of rank r is a value whose sums depend on
/// the order of the additions, so a wrong order shows in the bits.
private func rankBuffer(rank r: Int, count n: Int) -> Vector {
  Vector(count: n) { i in
    let scale = [1.0, 1e-16, -1.0, 3e-17, 0.5][r % 5]
    return scale * (1 + Double(i % 4) / 8)
  }
}

/// ((b⁽⁰⁾ + b⁽¹⁾) + b⁽²⁾) + … computed on one thread.
private func rankOrderedSum(ranks p: Int, count n: Int) -> Vector {
  var s = rankBuffer(rank: 0, count: n)
  for r in 1..<max(p, 1) {
    let b = rankBuffer(rank: r, count: n)
    for i in 0..<n { s[i] = s[i] + b[i] }
  }
  return s
}

@Suite("Thread collective")
struct ThreadCollectiveTests {
  @Test(
    "the sum is the rank-ordered sum, bit for bit on every rank",
    arguments: [1, 2, 3, 5], [0, 1, 7, 1000])
  func sumIsRankOrdered(ranks: Int, count: Int) {
    let expected = rankOrderedSum(ranks: ranks, count: count)
    let results = ThreadCollective.run(ranks: ranks) { c in
      var b = rankBuffer(rank: c.rank, count: count)
      c.sum(&b)
      return b
    }
    #expect(results.count == ranks)
    for b in results {
      #expect(b.count == count)
      #expect(zip(b, expected).allSatisfy { $0.bitPattern == $1.bitPattern })
    }
    // The order matters for these buffers: (1 + 1e-16) − 1 = 0, but (−1 + 1e-16) + 1 ≠ 0.
    if ranks >= 3 && count > 0 {
      let reversed = (0..<ranks).reversed().map { rankBuffer(rank: $0, count: count)[0] }
        .reduce(0, +)
      #expect(reversed.bitPattern != expected[0].bitPattern)
    }
  }

  @Test("many collectives in a row keep their order (the barrier is reusable)")
  func repeatedCollectives() {
    let results = ThreadCollective.run(ranks: 3) { c in
      var total = 0.0
      for k in 0..<200 { total += c.sum(Double(c.rank + k)) }
      return total
    }
    // Σₖ Σᵣ (r + k) = Σₖ (3 + 3k) over k < 200.
    let expected = (0..<200).reduce(0.0) { $0 + Double(3 + 3 * $1) }
    #expect(results == [expected, expected, expected])
  }

  @Test("broadcast copies the root's buffer to every rank", arguments: [0, 2])
  func broadcast(root: Int) {
    let results = ThreadCollective.run(ranks: 3) { c in
      var b = rankBuffer(rank: c.rank, count: 9)
      c.broadcast(&b, from: root)
      return b
    }
    let expected = rankBuffer(rank: root, count: 9)
    #expect(results == [expected, expected, expected])
  }

  @Test("anyRank, agreeBitwise and shard(of:) answer the same on every rank")
  func helpers() {
    let results = ThreadCollective.run(ranks: 4) { c in
      let any = c.anyRank(c.rank == 2)
      let none = c.anyRank(false)
      let same = c.agreeBitwise([1, 2, 3])
      let differ = c.agreeBitwise([1, 2, c.rank == 3 ? 3.0000000000000004 : 3])
      let shorter = c.agreeBitwise(c.rank == 1 ? [1, 2] : [1, 2, 3])
      return [any, none, same, differ, shorter]
    }
    for r in results { #expect(r == [true, false, true, false, false]) }
    let shards = ThreadCollective.run(ranks: 3) { $0.shard(of: 10) }
    #expect(shards == [0..<3, 3..<6, 6..<10])
  }
}
