import Testing

@testable import Curvature

/// The outputs of the three blocked passes on one set of inputs.
private struct PassOutputs: Equatable {
  var y: [Double]
  var differenceDots: [Double]
  var differenceScalars: [Double]
  var d: [Double]
  var combinationDots: [Double]
  var dd: Double
  var plainDots: [Double]
  var xx: Double

  /// Compares bit patterns, so that −0 ≠ +0 and equal NaNs would count as equal.
  static func == (l: PassOutputs, r: PassOutputs) -> Bool {
    func bits(_ v: [Double]) -> [UInt64] { v.map(\.bitPattern) }
    return bits(l.y) == bits(r.y) && bits(l.differenceDots) == bits(r.differenceDots)
      && bits(l.differenceScalars) == bits(r.differenceScalars) && bits(l.d) == bits(r.d)
      && bits(l.combinationDots) == bits(r.combinationDots)
      && l.dd.bitPattern == r.dd.bitPattern && bits(l.plainDots) == bits(r.plainDots)
      && l.xx.bitPattern == r.xx.bitPattern
  }
}

/// Runs the three passes on `a`, `b` and `sources` (k = sources.count, the combination with
/// coefficients `c` and dots against its first `dotCount` sources).
private func runPasses(
  _ a: [Double], _ b: [Double], _ sources: [[Double]], _ c: [Double], dotCount: Int,
  parallel: Bool
) -> PassOutputs {
  let n = a.count
  let k = sources.count
  let storage = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(1, (k + 2) * n))
  defer { storage.deallocate() }
  for (j, v) in ([a, b] + sources).enumerated() {
    for i in 0..<n { storage[j * n + i] = v[i] }
  }
  let base = UnsafePointer(storage.baseAddress!)
  let pointers = (0..<k).map { base + (2 + $0) * n }
  var out = PassOutputs(
    y: Array(repeating: .nan, count: n), differenceDots: Array(repeating: .nan, count: k),
    differenceScalars: [], d: Array(repeating: .nan, count: n),
    combinationDots: Array(repeating: .nan, count: dotCount), dd: .nan,
    plainDots: Array(repeating: .nan, count: k), xx: .nan)
  pointers.withUnsafeBufferPointer { sp in
    let r = out.y.withUnsafeMutableBufferPointer { y in
      out.differenceDots.withUnsafeMutableBufferPointer { dots in
        blockedDifferenceAndDots(
          count: n, newer: base, older: base + n, into: y.baseAddress!, sources: sp,
          newerDots: dots, parallel: parallel)
      }
    }
    out.differenceScalars = [r.aa, r.ay, r.yy, r.aMax]
    out.dd = out.d.withUnsafeMutableBufferPointer { d in
      out.combinationDots.withUnsafeMutableBufferPointer { dots in
        c.withUnsafeBufferPointer { cp in
          blockedCombinationAndDots(
            count: n, sources: sp, coefficients: cp, into: d.baseAddress!, dots: dots,
            dotCount: dotCount, parallel: parallel)
        }
      }
    }
    out.xx = out.plainDots.withUnsafeMutableBufferPointer { dots in
      blockedDots(count: n, base, sources: sp, dots: dots, parallel: parallel)
    }
  }
  return out
}

@Suite struct BlockedMultiDotThreadingTests {
  /// The split point depends only on n: the first ⌊B/2⌋ of B blocks.
  @Test func splitPoint() {
    let l = multiDotBlockLength
    #expect(multiDotSplit(0) == 0)
    #expect(multiDotSplit(l) == 0)
    #expect(multiDotSplit(l + 1) == l)
    #expect(multiDotSplit(2 * l) == l)
    #expect(multiDotSplit(3 * l) == l)
    #expect(multiDotSplit(3 * l + 1) == 2 * l)
    #expect(multiDotSplit(1_000_000) == 15 * l)
  }

  /// On two threads the passes give bit for bit the outputs of one thread (sizes at and across
  /// block boundaries, odd numbers of blocks, ragged tails; k = 6 sources exercises the
  /// four-at-a-time sweep and its remainder), and those outputs are the plain kernels' up to
  /// rounding.
  @Test(arguments: [
    0, 1, 7, multiDotBlockLength, multiDotBlockLength + 1, 2 * multiDotBlockLength,
    3 * multiDotBlockLength + 5,
  ])
  func threadedPassesAreBitIdentical(_ n: Int) {
    var rng = SplitMix64(seed: UInt64(n) &+ 11)
    let k = 6
    let a = (0..<n).map { _ in rng.normal() }
    let b = (0..<n).map { _ in rng.normal() }
    let sources = (0..<k).map { _ in (0..<n).map { _ in rng.normal() } }
    let c: [Double] = [0.5, -2, 3, 0.25, -1, 1.5]
    let serial = runPasses(a, b, sources, c, dotCount: 3, parallel: false)
    let threaded = runPasses(a, b, sources, c, dotCount: 3, parallel: true)
    let again = runPasses(a, b, sources, c, dotCount: 3, parallel: true)
    #expect(threaded == serial)
    #expect(again == threaded)
    // Against plain sums: y = a − b exactly, the products to rounding.
    let y = zip(a, b).map { $0 - $1 }
    #expect(threaded.y == y)
    func plainDot(_ u: [Double], _ v: [Double]) -> Double {
      zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
    }
    func close(_ x: Double, _ ref: Double, _ scale: Double) -> Bool {
      Swift.abs(x - ref) <= 1e-12 * Swift.max(scale, 1e-300)
    }
    let na = plainDot(a, a).squareRoot()
    let ny = plainDot(y, y).squareRoot()
    #expect(close(threaded.differenceScalars[0], plainDot(a, a), na * na))
    #expect(close(threaded.differenceScalars[1], plainDot(a, y), na * ny))
    #expect(close(threaded.differenceScalars[2], plainDot(y, y), ny * ny))
    #expect(close(threaded.xx, plainDot(a, a), na * na))
    var d = [Double](repeating: 0, count: n)
    for j in 0..<k { for i in 0..<n { d[i] += c[j] * sources[j][i] } }
    let nd = plainDot(d, d).squareRoot()
    #expect(close(threaded.dd, plainDot(d, d), nd * nd))
    for j in 0..<k {
      let nv = plainDot(sources[j], sources[j]).squareRoot()
      #expect(close(threaded.differenceDots[j], plainDot(a, sources[j]), na * nv))
      #expect(close(threaded.plainDots[j], plainDot(a, sources[j]), na * nv))
      if j < 3 { #expect(close(threaded.combinationDots[j], plainDot(d, sources[j]), nd * nv)) }
    }
    for i in 0..<n where Swift.abs(threaded.d[i] - d[i]) > 1e-13 * (Swift.abs(d[i]) + 1) {
      Issue.record("d[\(i)] = \(threaded.d[i]), expected \(d[i])")
      break
    }
  }

  /// A compact L-BFGS solve with its passes on two threads takes the same iterations and
  /// evaluations and reaches bit for bit the same point as on one thread (extended Rosenbrock on
  /// two blocks, the second of two elements; f* = 0 at x = 1).
  @Test func threadedSolveIsIdentical() {
    let n = multiDotBlockLength + 2
    let f = extendedRosenbrock(n)
    let x0 = Vector(count: n) { $0 % 2 == 0 ? -1.2 : 1 }
    let serial = minimizeFunction(
      f, from: x0, using: LBFGS(memory: 5, parallelMinimumDimension: .max),
      options: MinimizeOptions(), observer: nil)
    let threaded = minimizeFunction(
      f, from: x0, using: LBFGS(memory: 5, parallelMinimumDimension: 0),
      options: MinimizeOptions(), observer: nil)
    #expect(serial.termination == .gradientTolerance)
    #expect(threaded.termination == serial.termination)
    #expect(threaded.statistics.iterations == serial.statistics.iterations)
    #expect(threaded.statistics.evaluations == serial.statistics.evaluations)
    #expect(threaded.value.bitPattern == serial.value.bitPattern)
    #expect(threaded.x == serial.x)
    #expect(threaded.value <= 1e-10)
  }

  /// Threading starts at n = 2¹⁸ by default.
  @Test func defaultParallelThreshold() {
    #expect(LBFGS().parallelMinimumDimension == 1 << 18)
  }
}
