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

/// The element type of the stored vectors of a blocked pass: `Double`, or `Float` for half the
/// bytes per element (a compact L-BFGS history in single precision). The arithmetic is always in
/// Double: elements are widened exactly when loaded and rounded once when stored.
protocol BlockedPassScalar: BinaryFloatingPoint, Sendable {
  /// Elements i ..< i + 4 of p, widened.
  static func load4(_ p: UnsafePointer<Self>, _ i: Int) -> SIMD4<Double>
  /// Stores v, rounded to nearest, as elements i ..< i + 4 of p.
  static func store4(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Self>, _ i: Int)
  /// The element, widened.
  var widened: Double { get }
  /// The element nearest to x.
  init(nearest x: Double)
}

extension Double: BlockedPassScalar {
  @inline(__always)
  static func load4(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD4<Double> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
  }

  @inline(__always)
  static func store4(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD4<Double>.self)
  }

  @inline(__always)
  var widened: Double { self }

  @inline(__always)
  init(nearest x: Double) { self = x }
}

extension Float: BlockedPassScalar {
  @inline(__always)
  static func load4(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD4<Double> {
    let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Float>.self)
    return SIMD4<Double>(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3]))
  }

  @inline(__always)
  static func store4(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
    let r = SIMD4<Float>(Float(v[0]), Float(v[1]), Float(v[2]), Float(v[3]))
    UnsafeMutableRawPointer(p + i).storeBytes(of: r, as: SIMD4<Float>.self)
  }

  @inline(__always)
  var widened: Double { Double(self) }

  @inline(__always)
  init(nearest x: Double) { self = Float(x) }
}

/// (aᵀv, bᵀv) over `n` elements, reading v once; eight partial sums per result.
@inline(__always)
private func dot2<S: BlockedPassScalar>(
  _ a: UnsafePointer<Double>, _ b: UnsafePointer<S>, _ v: UnsafePointer<Double>, _ n: Int
) -> (Double, Double) {
  var a0 = SIMD4<Double>()
  var a1 = SIMD4<Double>()
  var b0 = SIMD4<Double>()
  var b1 = SIMD4<Double>()
  var i = 0
  while i + 8 <= n {
    let v0 = Double.load4(v, i)
    let v1 = Double.load4(v, i + 4)
    a0 += Double.load4(a, i) * v0
    a1 += Double.load4(a, i + 4) * v1
    b0 += S.load4(b, i) * v0
    b1 += S.load4(b, i + 4) * v1
    i += 8
  }
  var sa = (a0 + a1).sum()
  var sb = (b0 + b1).sum()
  while i < n {
    sa += a[i] * v[i]
    sb += b[i].widened * v[i]
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
private func dot1x4<S: BlockedPassScalar>(
  _ a: UnsafePointer<Double>, _ v0: UnsafePointer<S>, _ v1: UnsafePointer<S>,
  _ v2: UnsafePointer<S>, _ v3: UnsafePointer<S>, _ n: Int,
  _ out: UnsafeMutablePointer<Double>
) {
  var s0 = SIMD4<Double>()
  var s1 = SIMD4<Double>()
  var s2 = SIMD4<Double>()
  var s3 = SIMD4<Double>()
  var i = 0
  while i + 4 <= n {
    let x = Double.load4(a, i)
    s0 += x * S.load4(v0, i)
    s1 += x * S.load4(v1, i)
    s2 += x * S.load4(v2, i)
    s3 += x * S.load4(v3, i)
    i += 4
  }
  var s = SIMD4(s0.sum(), s1.sum(), s2.sum(), s3.sum())
  while i < n {
    s += a[i] * SIMD4(v0[i].widened, v1[i].widened, v2[i].widened, v3[i].widened)
    i += 1
  }
  for j in 0..<4 { out[j] += s[j] }
}

/// aᵀv over `n` elements with eight partial sums.
@inline(__always)
func dot1<A: BlockedPassScalar, B: BlockedPassScalar>(
  _ a: UnsafePointer<A>, _ v: UnsafePointer<B>, _ n: Int
) -> Double {
  var s0 = SIMD4<Double>()
  var s1 = SIMD4<Double>()
  var i = 0
  while i + 8 <= n {
    s0 += A.load4(a, i) * B.load4(v, i)
    s1 += A.load4(a, i + 4) * B.load4(v, i + 4)
    i += 8
  }
  var s = (s0 + s1).sum()
  while i < n {
    s += a[i].widened * v[i].widened
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
/// blocks run on two threads; the results are bit-identical to those without. With `Float`
/// storage y is a − b rounded to single precision, and aᵀy and yᵀy are those of the rounded y.
func blockedDifferenceAndDots<S: BlockedPassScalar>(
  count n: Int, newer a: UnsafePointer<Double>, older b: UnsafePointer<Double>,
  into y: UnsafeMutablePointer<S>, sources: UnsafeBufferPointer<UnsafePointer<S>>,
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
private func differenceAndDots<S: BlockedPassScalar>(
  _ start: Int, _ end: Int, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
  _ y: UnsafeMutablePointer<S>, _ sources: UnsafeBufferPointer<UnsafePointer<S>>,
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
      S.store4(Double.load4(ab, i) - Double.load4(bb, i), yb, i)
      i += 4
    }
    while i < len {
      yb[i] = S(nearest: ab[i] - bb[i])
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
private func dotsWithSources<S: BlockedPassScalar>(
  _ x: UnsafePointer<Double>, _ len: Int, _ sources: UnsafeBufferPointer<UnsafePointer<S>>,
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
/// The sources are `lead` (a Double vector, coefficient c₀, source 0), when given, followed by
/// `sources`. Reads each source once and writes d once: k + 1 words per element for k sources (a
/// separate combination and dots would read the sources twice and d once per dot); the dots reuse
/// the source blocks from cache. With `Float` storage d is rounded to single precision and
/// `widened` (required then) receives the rounded d in Double; the dots and dᵀd are those of the
/// rounded d. d may not alias a source. With `parallel` the two halves of the blocks run on two
/// threads; the results are bit-identical to those without.
func blockedCombinationAndDots<S: BlockedPassScalar>(
  count n: Int, lead: UnsafePointer<Double>? = nil,
  sources: UnsafeBufferPointer<UnsafePointer<S>>, coefficients c: UnsafeBufferPointer<Double>,
  into d: UnsafeMutablePointer<S>, widened: UnsafeMutablePointer<Double>? = nil,
  dots: UnsafeMutableBufferPointer<Double>, dotCount: Int, parallel: Bool = false
) -> Double {
  let k = sources.count + (lead == nil ? 0 : 1)
  precondition(
    c.count >= k && dots.count >= dotCount && dotCount <= k,
    "blocked combination: \(k) sources, \(c.count) coefficients, \(dots.count) outputs")
  precondition(
    widened != nil || S.self == Double.self, "blocked combination: rounded storage needs `widened`")
  let mid = multiDotSplit(n)
  // scratch[0], scratch[1]: each half's dᵀd; [2..<2+dotCount] the second half's dᵀvⱼ.
  return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 + dotCount) { scratch in
    let pass = CombinationPass(
      lead: lead, sources: sources, coefficients: c, d: d, widened: widened)
    let shared = MultiDotShared(value: (pass, dots, scratch))
    forBothHalves(parallel: parallel && mid > 0) { h in
      let (pass, dots, scratch) = shared.value
      let out =
        h == 0
        ? UnsafeMutableBufferPointer(rebasing: dots[0..<dotCount])
        : UnsafeMutableBufferPointer(rebasing: scratch[2..<(2 + dotCount)])
      scratch[h] = pass.run(h == 0 ? 0 : mid, h == 0 ? mid : n, into: out)
    }
    for j in 0..<dotCount { dots[j] += scratch[2 + j] }
    return scratch[0] + scratch[1]
  }
}

/// The operands of one
/// ``blockedCombinationAndDots(count:lead:sources:coefficients:into:widened:dots:dotCount:parallel:)``.
private struct CombinationPass<S: BlockedPassScalar> {
  let lead: UnsafePointer<Double>?
  let sources: UnsafeBufferPointer<UnsafePointer<S>>
  /// The coefficients of `lead` (when given) and then of `sources`.
  let coefficients: UnsafeBufferPointer<Double>
  let d: UnsafeMutablePointer<S>
  let widened: UnsafeMutablePointer<Double>?

  /// The work on the elements start ..< end (whole blocks from `start`): sets `out[j]` to the
  /// partial dᵀvⱼ for j < out.count and returns the partial dᵀd.
  ///
  /// The blocks run from last to first, so that the first ones read the sources that the pass
  /// before (the difference pass, which runs forward) left in the last-level cache; each block's
  /// partial sums are kept and added in index order afterwards, as a forward loop adds them.
  func run(_ start: Int, _ end: Int, into out: UnsafeMutableBufferPointer<Double>) -> Double {
    let blocks = (end - start + multiDotBlockLength - 1) / multiDotBlockLength
    let width = 1 + out.count
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: blocks * width) { partial in
      var block = blocks - 1
      while block >= 0 {
        let lo = start + block * multiDotBlockLength
        let row = UnsafeMutableBufferPointer(
          rebasing: partial[(block * width)..<((block + 1) * width)])
        row[0] = self.block(
          lo, Swift.min(multiDotBlockLength, end - lo),
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

  /// One block of ``run(_:_:into:)``: d ← Σⱼ cⱼvⱼ on the `len` elements from `lo`, `out[j]` set
  /// to the block's dᵀvⱼ; returns the block's dᵀd.
  @inline(__always)
  private func block(_ lo: Int, _ len: Int, into out: UnsafeMutableBufferPointer<Double>)
    -> Double
  {
    for j in out.indices { out[j] = 0 }
    // The sum builds up in Double: in d itself when it is Double, else in `widened`.
    let acc =
      widened.map { $0 + lo }
      ?? UnsafeMutableRawPointer(d + lo).assumingMemoryBound(to: Double.self)
    let k = sources.count
    var c = coefficients
    var assign = true
    if let lead {
      let c0 = c[0]
      let v = lead + lo
      for i in 0..<len { acc[i] = c0 * v[i] }
      c = UnsafeBufferPointer(rebasing: c[1...])
      assign = false
    } else if k == 0 {
      for i in 0..<len { acc[i] = 0 }
    }
    // Up to four sources per sweep over the (cache-resident) block.
    var j = 0
    while j < k {
      let m = Swift.min(4, k - j)
      combineBlock(acc, len, assign: assign && j == 0, c, sources, from: j, count: m, offset: lo)
      j += m
    }
    if widened != nil {
      // Round once into d and keep the rounded values, which the dots below then see.
      let db = d + lo
      var i = 0
      while i + 4 <= len {
        S.store4(Double.load4(acc, i), db, i)
        Double.store4(S.load4(db, i), acc, i)
        i += 4
      }
      while i < len {
        db[i] = S(nearest: acc[i])
        acc[i] = db[i].widened
        i += 1
      }
    }
    let dr = UnsafePointer(acc)
    var dotted = out
    if let lead, !out.isEmpty {
      out[0] = dot1(dr, lead + lo, len)
      dotted = UnsafeMutableBufferPointer(rebasing: out[1...])
    }
    dotsWithSources(
      dr, len, UnsafeBufferPointer(rebasing: sources[0..<dotted.count]), offset: lo, into: dotted)
    return dot1(dr, dr, len)
  }
}

/// d ← d + Σ cⱼvⱼ (or d ← Σ cⱼvⱼ when `assign`) over one block, for the 1 to 4 sources j₀ ..< j₀ + m.
@inline(__always)
private func combineBlock<S: BlockedPassScalar>(
  _ db: UnsafeMutablePointer<Double>, _ len: Int, assign: Bool, _ c: UnsafeBufferPointer<Double>,
  _ sources: UnsafeBufferPointer<UnsafePointer<S>>, from j: Int, count m: Int, offset lo: Int
) {
  let c0 = c[j]
  let v0 = sources[j] + lo
  switch m {
  case 1:
    if assign {
      for i in 0..<len { db[i] = c0 * v0[i].widened }
    } else {
      for i in 0..<len { db[i] += c0 * v0[i].widened }
    }
  case 2:
    let (c1, v1) = (c[j + 1], sources[j + 1] + lo)
    if assign {
      for i in 0..<len { db[i] = c0 * v0[i].widened + c1 * v1[i].widened }
    } else {
      for i in 0..<len { db[i] += c0 * v0[i].widened + c1 * v1[i].widened }
    }
  case 3:
    let (c1, v1) = (c[j + 1], sources[j + 1] + lo)
    let (c2, v2) = (c[j + 2], sources[j + 2] + lo)
    if assign {
      for i in 0..<len { db[i] = (c0 * v0[i].widened + c1 * v1[i].widened) + c2 * v2[i].widened }
    } else {
      for i in 0..<len { db[i] += (c0 * v0[i].widened + c1 * v1[i].widened) + c2 * v2[i].widened }
    }
  default:
    let (c1, v1) = (c[j + 1], sources[j + 1] + lo)
    let (c2, v2) = (c[j + 2], sources[j + 2] + lo)
    let (c3, v3) = (c[j + 3], sources[j + 3] + lo)
    if assign {
      for i in 0..<len {
        db[i] =
          (c0 * v0[i].widened + c1 * v1[i].widened) + (c2 * v2[i].widened + c3 * v3[i].widened)
      }
    } else {
      for i in 0..<len {
        db[i] +=
          (c0 * v0[i].widened + c1 * v1[i].widened) + (c2 * v2[i].widened + c3 * v3[i].widened)
      }
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
