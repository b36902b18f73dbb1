import Dispatch

// Blocked multi-vector passes for the compact ("vector-free") L-BFGS of Chen, Wang, Zhou & Tsang
// ("Large-scale L-BFGS using MapReduce", NIPS 2014). Each pass streams every source vector from
// memory once: the index range is cut into blocks of `multiDotBlockLength` elements, the block of
// the new vector is built first and stays in cache, and the blocks it is dotted with are reused
// from cache instead of being read from memory a second time. Partial sums are combined
// block by block, so the results differ from whole-vector `dot` calls only by rounding.
//
// Two halves. Every pass splits its blocks at a fixed point that depends only on n
// (``multiDotSplit(_:)``): each half accumulates its own partial sums, block by block in index
// order, and the results are the first half's sums plus the second's. With `parallel` the two
// halves run on two threads (`DispatchQueue.concurrentPerform`), otherwise one after the other on
// the calling thread; the arithmetic is the same, so the results are bit-identical either way and
// from run to run. (One core cannot stream the vectors at the memory's full rate: a core has a
// bounded number of outstanding cache misses, so a second core nearly doubles the bandwidth.)

/// Elements per block of the blocked passes: 32768 doubles (256 KB) per vector, so the one or two
/// vectors a pass builds and dots against the sources stay in L2, while each source is read in
/// long sequential runs that the hardware prefetchers follow (on the benchmark machine, with 2048
/// elements per block the passes moved about 60% of the bytes per second of plain streaming dot
/// products, with 32768 about 90%).
let multiDotBlockLength = 32768

/// The element index at which the second half of a pass over n elements starts: the first
/// ⌊B/2⌋ of the B = ⌈n/L⌉ blocks of L = ``multiDotBlockLength`` elements form the first half. It
/// depends on n only, which makes the order of the additions independent of the threading.
@inline(__always)
func multiDotSplit(_ n: Int) -> Int {
  let blocks = (n + multiDotBlockLength - 1) / multiDotBlockLength
  return (blocks / 2) * multiDotBlockLength
}

/// The pointers of one pass, handed to the workers of ``forBothHalves(parallel:_:)``.
///
/// Pointers are not `Sendable`; sharing them is safe here because during a pass every input vector
/// is only read, each worker writes only the elements of its own half of the output vector and its
/// own accumulator slots, and the caller reads the results only after both workers have finished
/// (`concurrentPerform` returns after all iterations complete, a barrier).
struct MultiDotShared<Value>: @unchecked Sendable {
  let value: Value
}

/// Runs `body(0)` and `body(1)` (the two halves of a pass), on two threads when `parallel`, else in
/// order on the calling thread.
@inline(__always)
func forBothHalves(parallel: Bool, _ body: @Sendable (Int) -> Void) {
  if parallel {
    DispatchQueue.concurrentPerform(iterations: 2, execute: body)
  } else {
    body(0)
    body(1)
  }
}

@inline(__always)
private func load4(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD4<Double> {
  UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
}

@inline(__always)
private func store4(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>, _ i: Int) {
  UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD4<Double>.self)
}

/// (aᵀv, bᵀv) over `n` elements, reading v once; eight partial sums per result.
@inline(__always)
private func dot2(
  _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ v: UnsafePointer<Double>, _ n: Int
) -> (Double, Double) {
  var a0 = SIMD4<Double>()
  var a1 = SIMD4<Double>()
  var b0 = SIMD4<Double>()
  var b1 = SIMD4<Double>()
  var i = 0
  while i + 8 <= n {
    let v0 = load4(v, i)
    let v1 = load4(v, i + 4)
    a0 += load4(a, i) * v0
    a1 += load4(a, i + 4) * v1
    b0 += load4(b, i) * v0
    b1 += load4(b, i + 4) * v1
    i += 8
  }
  var sa = (a0 + a1).sum()
  var sb = (b0 + b1).sum()
  while i < n {
    sa += a[i] * v[i]
    sb += b[i] * v[i]
    i += 1
  }
  return (sa, sb)
}

@inline(__always)
private func load2(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD2<Double> {
  UnsafeRawPointer(p + i).loadUnaligned(as: SIMD2<Double>.self)
}

/// Adds aᵀvⱼ to `out[j]` for four vectors vⱼ over `n` elements, reading each once.
@inline(__always)
private func dot1x4(
  _ a: UnsafePointer<Double>, _ v0: UnsafePointer<Double>, _ v1: UnsafePointer<Double>,
  _ v2: UnsafePointer<Double>, _ v3: UnsafePointer<Double>, _ n: Int,
  _ out: UnsafeMutablePointer<Double>
) {
  var s0 = SIMD4<Double>()
  var s1 = SIMD4<Double>()
  var s2 = SIMD4<Double>()
  var s3 = SIMD4<Double>()
  var i = 0
  while i + 4 <= n {
    let x = load4(a, i)
    s0 += x * load4(v0, i)
    s1 += x * load4(v1, i)
    s2 += x * load4(v2, i)
    s3 += x * load4(v3, i)
    i += 4
  }
  var s = SIMD4(s0.sum(), s1.sum(), s2.sum(), s3.sum())
  while i < n {
    s += a[i] * SIMD4(v0[i], v1[i], v2[i], v3[i])
    i += 1
  }
  for j in 0..<4 { out[j] += s[j] }
}

/// aᵀv over `n` elements with eight partial sums.
@inline(__always)
private func dot1(_ a: UnsafePointer<Double>, _ v: UnsafePointer<Double>, _ n: Int) -> Double {
  var s0 = SIMD4<Double>()
  var s1 = SIMD4<Double>()
  var i = 0
  while i + 8 <= n {
    s0 += load4(a, i) * load4(v, i)
    s1 += load4(a, i + 4) * load4(v, i + 4)
    i += 8
  }
  var s = (s0 + s1).sum()
  while i < n {
    s += a[i] * v[i]
    i += 1
  }
  return s
}

/// One blocked pass that forms y ← a − b and the inner products of a with every source,
/// `newerDots[j] = aᵀvⱼ`. Returns (aᵀa, aᵀy, yᵀy) and ‖a‖∞ (NaN when an element of a is NaN, as
/// ``maximumMagnitude(_:)``), which the blocks give for free while they are in cache.
///
/// Reads a, b and each vⱼ once and writes y once: 3 + k words per element for k sources, where
/// separate calls would read a k times more. (The products yᵀvⱼ = aᵀvⱼ − bᵀvⱼ follow when the
/// bᵀvⱼ are known.) y may not alias a, b or a source. With `parallel` the two halves of the
/// blocks run on two threads; the results are bit-identical to those without.
func blockedDifferenceAndDots(
  count n: Int, newer a: UnsafePointer<Double>, older b: UnsafePointer<Double>,
  into y: UnsafeMutablePointer<Double>, sources: UnsafeBufferPointer<UnsafePointer<Double>>,
  newerDots: UnsafeMutableBufferPointer<Double>, parallel: Bool = false
) -> (aa: Double, ay: Double, yy: Double, aMax: Double) {
  precondition(
    newerDots.count >= sources.count,
    "blocked dots: \(sources.count) sources, \(newerDots.count) outputs")
  let k = sources.count
  let mid = multiDotSplit(n)
  // scratch[0..<4]: the first half's (aᵀa, aᵀy, yᵀy, ‖a‖∞), [4..<8] the second half's,
  // [8..<8+k] the second half's aᵀvⱼ (the first half's go straight to `newerDots`).
  return withUnsafeTemporaryAllocation(of: Double.self, capacity: 8 + k) { scratch in
    let shared = MultiDotShared(value: (a, b, y, sources, newerDots, scratch))
    forBothHalves(parallel: parallel && mid > 0) { h in
      let (a, b, y, sources, newerDots, scratch) = shared.value
      let out =
        h == 0
        ? UnsafeMutableBufferPointer(rebasing: newerDots[0..<k])
        : UnsafeMutableBufferPointer(rebasing: scratch[8..<(8 + k)])
      let r = differenceAndDots(
        h == 0 ? 0 : mid, h == 0 ? mid : n, a, b, y, sources, out)
      scratch[4 * h] = r.aa
      scratch[4 * h + 1] = r.ay
      scratch[4 * h + 2] = r.yy
      scratch[4 * h + 3] = r.aMax
    }
    for j in 0..<k { newerDots[j] += scratch[8 + j] }
    let m0 = scratch[3]
    let m1 = scratch[7]
    let aMax = m0.isNaN || m1.isNaN ? Double.nan : Swift.max(m0, m1)
    return (scratch[0] + scratch[4], scratch[1] + scratch[5], scratch[2] + scratch[6], aMax)
  }
}

/// The work of ``blockedDifferenceAndDots(count:newer:older:into:sources:newerDots:parallel:)``
/// on the elements start ..< end (whole blocks from `start`): sets `out[j]` to the partial aᵀvⱼ.
private func differenceAndDots(
  _ start: Int, _ end: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
  _ y: UnsafeMutablePointer<Double>, _ sources: UnsafeBufferPointer<UnsafePointer<Double>>,
  _ out: UnsafeMutableBufferPointer<Double>
) -> (aa: Double, ay: Double, yy: Double, aMax: Double) {
  for j in out.indices { out[j] = 0 }
  var aMax = 0.0
  var aa = 0.0
  var ay = 0.0
  var yy = 0.0
  var lo = start
  while lo < end {
    let len = Swift.min(multiDotBlockLength, end - lo)
    let ab = a + lo
    let bb = b + lo
    let yb = y + lo
    var i = 0
    while i + 4 <= len {
      store4(load4(ab, i) - load4(bb, i), yb, i)
      i += 4
    }
    while i < len {
      yb[i] = ab[i] - bb[i]
      i += 1
    }
    let yr = UnsafePointer(yb)
    let (t0, t1) = dot2(ab, yr, ab, len)
    aa += t0
    ay += t1
    yy += dot1(yr, yr, len)
    let m = maximumMagnitude(ab, count: len)
    aMax = m.isNaN || aMax.isNaN ? .nan : Swift.max(aMax, m)
    dotsWithSources(ab, len, sources, offset: lo, into: out)
    lo += len
  }
  return (aa, ay, yy, aMax)
}

/// Adds xᵀvⱼ (over one block of `len` elements starting at `offset` in the sources) to `out[j]`,
/// four sources per sweep so that four memory streams are in flight.
@inline(__always)
private func dotsWithSources(
  _ x: UnsafePointer<Double>, _ len: Int, _ sources: UnsafeBufferPointer<UnsafePointer<Double>>,
  offset lo: Int, into out: UnsafeMutableBufferPointer<Double>
) {
  guard let out = out.baseAddress else { return }
  var j = 0
  while j + 4 <= sources.count {
    dot1x4(
      x, sources[j] + lo, sources[j + 1] + lo, sources[j + 2] + lo, sources[j + 3] + lo, len,
      out + j)
    j += 4
  }
  while j < sources.count {
    out[j] += dot1(x, sources[j] + lo, len)
    j += 1
  }
}

/// One blocked pass that forms d ← Σⱼ cⱼvⱼ and its inner products with the first `dotCount`
/// sources, `dots[j] = dᵀvⱼ` for j < dotCount. Returns dᵀd.
///
/// Reads each vⱼ once and writes d once: k + 1 words per element for k sources (a separate
/// combination and dots would read the sources twice and d once per dot); the dots reuse the
/// source blocks from cache. d may not alias a source. With `parallel` the two halves of the
/// blocks run on two threads; the results are bit-identical to those without.
func blockedCombinationAndDots(
  count n: Int, sources: UnsafeBufferPointer<UnsafePointer<Double>>,
  coefficients c: UnsafeBufferPointer<Double>, into d: UnsafeMutablePointer<Double>,
  dots: UnsafeMutableBufferPointer<Double>, dotCount: Int, parallel: Bool = false
) -> Double {
  precondition(
    c.count >= sources.count && dots.count >= dotCount && dotCount <= sources.count,
    "blocked combination: \(sources.count) sources, \(c.count) coefficients, \(dots.count) outputs")
  let mid = multiDotSplit(n)
  // scratch[0], scratch[1]: each half's dᵀd; [2..<2+dotCount] the second half's dᵀvⱼ.
  return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 + dotCount) { scratch in
    let shared = MultiDotShared(value: (sources, c, d, dots, scratch))
    forBothHalves(parallel: parallel && mid > 0) { h in
      let (sources, c, d, dots, scratch) = shared.value
      let out =
        h == 0
        ? UnsafeMutableBufferPointer(rebasing: dots[0..<dotCount])
        : UnsafeMutableBufferPointer(rebasing: scratch[2..<(2 + dotCount)])
      scratch[h] = combinationAndDots(h == 0 ? 0 : mid, h == 0 ? mid : n, sources, c, d, out)
    }
    for j in 0..<dotCount { dots[j] += scratch[2 + j] }
    return scratch[0] + scratch[1]
  }
}

/// The work of
/// ``blockedCombinationAndDots(count:sources:coefficients:into:dots:dotCount:parallel:)`` on the
/// elements start ..< end (whole blocks from `start`): sets `out[j]` to the partial dᵀvⱼ for
/// j < out.count and returns the partial dᵀd.
private func combinationAndDots(
  _ start: Int, _ end: Int, _ sources: UnsafeBufferPointer<UnsafePointer<Double>>,
  _ c: UnsafeBufferPointer<Double>, _ d: UnsafeMutablePointer<Double>,
  _ out: UnsafeMutableBufferPointer<Double>
) -> Double {
  let dotSources = UnsafeBufferPointer(rebasing: sources[0..<out.count])
  let blocks = (end - start + multiDotBlockLength - 1) / multiDotBlockLength
  let width = 1 + out.count
  // The blocks run from last to first, so that the first ones read the sources that the pass
  // before (the difference pass, which runs forward) left in the last-level cache; each block's
  // partial sums are kept and added in index order afterwards, as a forward loop adds them.
  return withUnsafeTemporaryAllocation(of: Double.self, capacity: blocks * width) { partial in
    var block = blocks - 1
    while block >= 0 {
      let lo = start + block * multiDotBlockLength
      let row = UnsafeMutableBufferPointer(
        rebasing: partial[(block * width)..<((block + 1) * width)])
      row[0] = combinationBlockAndDots(
        lo, Swift.min(multiDotBlockLength, end - lo), sources, c, d, dotSources,
        into: UnsafeMutableBufferPointer(rebasing: row[1...]))
      block -= 1
    }
    for j in out.indices { out[j] = 0 }
    var dd = 0.0
    for block in 0..<blocks {
      dd += partial[block * width]
      for j in out.indices { out[j] += partial[block * width + 1 + j] }
    }
    return dd
  }
}

/// One block of ``combinationAndDots(_:_:_:_:_:_:)``: d ← Σⱼ cⱼvⱼ on the `len` elements from
/// `lo`, `out[j]` set to the block's dᵀvⱼ for the dot sources; returns the block's dᵀd.
@inline(__always)
private func combinationBlockAndDots(
  _ lo: Int, _ len: Int, _ sources: UnsafeBufferPointer<UnsafePointer<Double>>,
  _ c: UnsafeBufferPointer<Double>, _ d: UnsafeMutablePointer<Double>,
  _ dotSources: UnsafeBufferPointer<UnsafePointer<Double>>,
  into out: UnsafeMutableBufferPointer<Double>
) -> Double {
  let k = sources.count
  for j in out.indices { out[j] = 0 }
  let db = d + lo
  // d = Σ cⱼ vⱼ on the block, up to four sources per sweep over the (cache-resident) block.
  if k == 0 {
    for i in 0..<len { db[i] = 0 }
  }
  var j = 0
  while j < k {
    let m = Swift.min(4, k - j)
    combineBlock(
      db, len, assign: j == 0, c, sources, from: j, count: m, offset: lo)
    j += m
  }
  let dr = UnsafePointer(db)
  dotsWithSources(dr, len, dotSources, offset: lo, into: out)
  return dot1(dr, dr, len)
}

/// d ← d + Σ cⱼvⱼ (or d ← Σ cⱼvⱼ when `assign`) over one block, for the 1 to 4 sources j₀ ..< j₀ + m.
@inline(__always)
private func combineBlock(
  _ db: UnsafeMutablePointer<Double>, _ len: Int, assign: Bool, _ c: UnsafeBufferPointer<Double>,
  _ sources: UnsafeBufferPointer<UnsafePointer<Double>>, from j: Int, count m: Int, offset lo: Int
) {
  let c0 = c[j]
  let v0 = sources[j] + lo
  switch m {
  case 1:
    if assign {
      for i in 0..<len { db[i] = c0 * v0[i] }
    } else {
      for i in 0..<len { db[i] += c0 * v0[i] }
    }
  case 2:
    let (c1, v1) = (c[j + 1], sources[j + 1] + lo)
    if assign {
      for i in 0..<len { db[i] = c0 * v0[i] + c1 * v1[i] }
    } else {
      for i in 0..<len { db[i] += c0 * v0[i] + c1 * v1[i] }
    }
  case 3:
    let (c1, v1) = (c[j + 1], sources[j + 1] + lo)
    let (c2, v2) = (c[j + 2], sources[j + 2] + lo)
    if assign {
      for i in 0..<len { db[i] = (c0 * v0[i] + c1 * v1[i]) + c2 * v2[i] }
    } else {
      for i in 0..<len { db[i] += (c0 * v0[i] + c1 * v1[i]) + c2 * v2[i] }
    }
  default:
    let (c1, v1) = (c[j + 1], sources[j + 1] + lo)
    let (c2, v2) = (c[j + 2], sources[j + 2] + lo)
    let (c3, v3) = (c[j + 3], sources[j + 3] + lo)
    if assign {
      for i in 0..<len { db[i] = (c0 * v0[i] + c1 * v1[i]) + (c2 * v2[i] + c3 * v3[i]) }
    } else {
      for i in 0..<len { db[i] += (c0 * v0[i] + c1 * v1[i]) + (c2 * v2[i] + c3 * v3[i]) }
    }
  }
}

/// `dots[j] = xᵀvⱼ` for every source in one blocked pass (reads x and each vⱼ once). Returns xᵀx.
/// With `parallel` the two halves of the blocks run on two threads; the results are
/// bit-identical to those without.
func blockedDots(
  count n: Int, _ x: UnsafePointer<Double>, sources: UnsafeBufferPointer<UnsafePointer<Double>>,
  dots: UnsafeMutableBufferPointer<Double>, parallel: Bool = false
) -> Double {
  precondition(
    dots.count >= sources.count, "blocked dots: \(sources.count) sources, \(dots.count) outputs")
  let k = sources.count
  let mid = multiDotSplit(n)
  // scratch[0], scratch[1]: each half's xᵀx; [2..<2+k] the second half's xᵀvⱼ.
  return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 + k) { scratch in
    let shared = MultiDotShared(value: (x, sources, dots, scratch))
    forBothHalves(parallel: parallel && mid > 0) { h in
      let (x, sources, dots, scratch) = shared.value
      let out =
        h == 0
        ? UnsafeMutableBufferPointer(rebasing: dots[0..<k])
        : UnsafeMutableBufferPointer(rebasing: scratch[2..<(2 + k)])
      for j in out.indices { out[j] = 0 }
      var xx = 0.0
      var lo = h == 0 ? 0 : mid
      let end = h == 0 ? mid : n
      while lo < end {
        let len = Swift.min(multiDotBlockLength, end - lo)
        let xb = x + lo
        xx += dot1(xb, xb, len)
        dotsWithSources(xb, len, sources, offset: lo, into: out)
        lo += len
      }
      scratch[h] = xx
    }
    for j in 0..<k { dots[j] += scratch[2 + j] }
    return scratch[0] + scratch[1]
  }
}
