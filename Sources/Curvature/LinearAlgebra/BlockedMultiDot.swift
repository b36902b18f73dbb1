// Blocked multi-vector passes for the compact ("vector-free") L-BFGS of Chen, Wang, Zhou & Tsang
// ("Large-scale L-BFGS using MapReduce", NIPS 2014). Each pass streams every source vector from
// memory once: the index range is cut into blocks of `multiDotBlockLength` elements, the block of
// the new vector is built first and stays in L1, and the source blocks it is dotted with are
// reused from L1/L2 instead of being read from memory a second time. Partial sums are combined
// block by block, so the results differ from whole-vector `dot` calls only by rounding.

/// Elements per block of the blocked passes: 2048 doubles (16 KB) per vector, so the new vector's
/// block stays in L1 and the blocks of some twenty sources (about 340 KB) stay in L2.
let multiDotBlockLength = 2048

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

/// Adds aᵀvⱼ to `outA[j]` and bᵀvⱼ to `outB[j]` for four vectors vⱼ over `n` elements, reading
/// each once.
@inline(__always)
private func dot2x4(
  _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ v0: UnsafePointer<Double>,
  _ v1: UnsafePointer<Double>, _ v2: UnsafePointer<Double>, _ v3: UnsafePointer<Double>,
  _ n: Int, _ outA: UnsafeMutablePointer<Double>, _ outB: UnsafeMutablePointer<Double>
) {
  var a0 = SIMD2<Double>()
  var a1 = SIMD2<Double>()
  var a2 = SIMD2<Double>()
  var a3 = SIMD2<Double>()
  var b0 = SIMD2<Double>()
  var b1 = SIMD2<Double>()
  var b2 = SIMD2<Double>()
  var b3 = SIMD2<Double>()
  var i = 0
  while i + 2 <= n {
    let x = load2(a, i)
    let y = load2(b, i)
    let w0 = load2(v0, i)
    let w1 = load2(v1, i)
    let w2 = load2(v2, i)
    let w3 = load2(v3, i)
    a0 += x * w0
    b0 += y * w0
    a1 += x * w1
    b1 += y * w1
    a2 += x * w2
    b2 += y * w2
    a3 += x * w3
    b3 += y * w3
    i += 2
  }
  var sa = SIMD4(a0.sum(), a1.sum(), a2.sum(), a3.sum())
  var sb = SIMD4(b0.sum(), b1.sum(), b2.sum(), b3.sum())
  if i < n {
    sa += a[i] * SIMD4(v0[i], v1[i], v2[i], v3[i])
    sb += b[i] * SIMD4(v0[i], v1[i], v2[i], v3[i])
  }
  for j in 0..<4 {
    outA[j] += sa[j]
    outB[j] += sb[j]
  }
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

/// One blocked pass that forms y ← a − b and the inner products of a and of y with every source:
/// `newerDots[j] = aᵀvⱼ`, `differenceDots[j] = yᵀvⱼ`. Returns (aᵀa, aᵀy, yᵀy).
///
/// Reads a, b and each vⱼ once and writes y once: 3 + k words per element for k sources, where
/// separate calls would read a and y k times more. y may not alias a, b or a source.
func blockedDifferenceAndDots(
  count n: Int, newer a: UnsafePointer<Double>, older b: UnsafePointer<Double>,
  into y: UnsafeMutablePointer<Double>, sources: UnsafeBufferPointer<UnsafePointer<Double>>,
  newerDots: UnsafeMutableBufferPointer<Double>, differenceDots: UnsafeMutableBufferPointer<Double>
) -> (aa: Double, ay: Double, yy: Double) {
  precondition(
    newerDots.count >= sources.count && differenceDots.count >= sources.count,
    "blocked dots: \(sources.count) sources, \(newerDots.count) and \(differenceDots.count) outputs")
  for j in sources.indices {
    newerDots[j] = 0
    differenceDots[j] = 0
  }
  var aa = 0.0
  var ay = 0.0
  var yy = 0.0
  var lo = 0
  while lo < n {
    let len = Swift.min(multiDotBlockLength, n - lo)
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
    // Four sources at a time, so that four memory streams are in flight.
    var j = 0
    while j + 4 <= sources.count {
      dot2x4(
        ab, yr, sources[j] + lo, sources[j + 1] + lo, sources[j + 2] + lo, sources[j + 3] + lo,
        len, newerDots.baseAddress! + j, differenceDots.baseAddress! + j)
      j += 4
    }
    while j < sources.count {
      let (da, dy) = dot2(ab, yr, sources[j] + lo, len)
      newerDots[j] += da
      differenceDots[j] += dy
      j += 1
    }
    lo += len
  }
  return (aa, ay, yy)
}

/// One blocked pass that forms d ← Σⱼ cⱼvⱼ and its inner products with every source,
/// `dots[j] = dᵀvⱼ`. Returns dᵀd.
///
/// Reads each vⱼ once and writes d once: k + 1 words per element for k sources (a separate
/// combination and k dots would read the sources twice and d k times). d may not alias a source.
func blockedCombinationAndDots(
  count n: Int, sources: UnsafeBufferPointer<UnsafePointer<Double>>,
  coefficients c: UnsafeBufferPointer<Double>, into d: UnsafeMutablePointer<Double>,
  dots: UnsafeMutableBufferPointer<Double>
) -> Double {
  precondition(
    c.count >= sources.count && dots.count >= sources.count,
    "blocked combination: \(sources.count) sources, \(c.count) coefficients, \(dots.count) outputs")
  let k = sources.count
  for j in 0..<k { dots[j] = 0 }
  var dd = 0.0
  var lo = 0
  while lo < n {
    let len = Swift.min(multiDotBlockLength, n - lo)
    let db = d + lo
    // d = Σ cⱼ vⱼ on the block, up to four sources per sweep over the (L1-resident) block.
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
    dd += dot1(dr, dr, len)
    for j in 0..<k {
      dots[j] += dot1(dr, sources[j] + lo, len)
    }
    lo += len
  }
  return dd
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
func blockedDots(
  count n: Int, _ x: UnsafePointer<Double>, sources: UnsafeBufferPointer<UnsafePointer<Double>>,
  dots: UnsafeMutableBufferPointer<Double>
) -> Double {
  precondition(
    dots.count >= sources.count, "blocked dots: \(sources.count) sources, \(dots.count) outputs")
  for j in sources.indices { dots[j] = 0 }
  var xx = 0.0
  var lo = 0
  while lo < n {
    let len = Swift.min(multiDotBlockLength, n - lo)
    let xb = x + lo
    xx += dot1(xb, xb, len)
    for j in sources.indices {
      dots[j] += dot1(xb, sources[j] + lo, len)
    }
    lo += len
  }
  return xx
}
