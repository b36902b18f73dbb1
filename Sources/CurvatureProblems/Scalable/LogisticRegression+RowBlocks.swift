import Curvature

// The row sweeps of LogisticRegression's value, gradient and Hessian-vector product, four rows at
// a time. Each row's inner products are summed in exactly the order of `dotKernel` (per lane
// k = 0…3: sₖ += aᵢ₊ₖbᵢ₊ₖ + aᵢ₊₄₊ₖbᵢ₊₄₊ₖ over blocks of 8, the tail into s₀, then
// (s₀ + s₁) + (s₂ + s₃)), and the rows are added to the output one after the other,
// out ← (((out + c₀a₀) + c₁a₁) + c₂a₂) + c₃a₃, so the results are bit-identical to a row-by-row
// loop. Blocking only shares the loads of x (and v) among four rows and makes one pass over the
// output per four rows instead of one per row (a register-blocked GEMV, as in Goto & van de
// Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008).

@inline(__always)
private func load4(_ p: UnsafePointer<Double>, _ i: Int) -> SIMD4<Double> {
  UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
}

/// Adds one block of eight elements of row a to the accumulators of aᵀx and aᵀv, in
/// `dotKernel`'s order: s += a[j…j+3]·x[j…j+3] + a[j+4…j+7]·x[j+4…j+7].
@inline(__always)
private func accumulatePair(
  _ a: UnsafePointer<Double>, _ j: Int, _ xl: SIMD4<Double>, _ xh: SIMD4<Double>,
  _ vl: SIMD4<Double>, _ vh: SIMD4<Double>, _ sx: inout SIMD4<Double>, _ sv: inout SIMD4<Double>
) {
  let l = load4(a, j)
  let h = load4(a, j + 4)
  sx += l * xl + h * xh
  sv += l * vl + h * vh
}

/// (s₀ + s₁) + (s₂ + s₃) of a four-lane accumulator, as `dotKernel` finishes.
@inline(__always)
private func finish(_ s: SIMD4<Double>) -> Double { (s[0] + s[1]) + (s[2] + s[3]) }

extension LogisticRegression {
  /// Visits the selected rows aᵢ (of `d` features, row-major in `features`) in order: for each,
  /// `coefficient(i, aᵢᵀx, aᵢᵀv)` (aᵢᵀv = 0 without `v`) gives cᵢ, and with `out` the sweep adds
  /// cᵢaᵢ to it. Four rows share one pass over x and v and one pass over `out`.
  @inline(__always)
  func sweepRows<Rows: Collection<Int>>(
    _ selected: Rows, features: UnsafeBufferPointer<Double>, columns d: Int,
    x xs: UnsafeBufferPointer<Double>, v vs: UnsafeBufferPointer<Double>?,
    out outs: UnsafeMutableBufferPointer<Double>?,
    coefficient: (_ row: Int, _ ax: Double, _ av: Double) -> Double
  ) {
    guard d > 0, let pa = features.baseAddress, let x = xs.baseAddress else {
      // No features: every inner product is 0.
      for i in selected { _ = coefficient(i, 0, 0) }
      return
    }
    let v = vs?.baseAddress
    let out = outs?.baseAddress
    var iterator = selected.makeIterator()
    var block = (0, 0, 0, 0)
    while true {
      // The next four rows, or the plain row-by-row loop (the same arithmetic) for fewer.
      var taken = 0
      while taken < 4, let i = iterator.next() {
        switch taken {
        case 0: block.0 = i
        case 1: block.1 = i
        case 2: block.2 = i
        default: block.3 = i
        }
        taken += 1
      }
      if taken < 4 {
        for i in [block.0, block.1, block.2].prefix(taken) {
          sweepOneRow(i, features: pa, columns: d, x: x, v: v, out: out, coefficient)
        }
        return
      }
      let (i0, i1, i2, i3) = block
      let a0 = pa + i0 * d
      let a1 = pa + i1 * d
      let a2 = pa + i2 * d
      let a3 = pa + i3 * d
      var sx0 = SIMD4<Double>()
      var sx1 = SIMD4<Double>()
      var sx2 = SIMD4<Double>()
      var sx3 = SIMD4<Double>()
      var sv0 = SIMD4<Double>()
      var sv1 = SIMD4<Double>()
      var sv2 = SIMD4<Double>()
      var sv3 = SIMD4<Double>()
      var j = 0
      if let v {
        while j + 8 <= d {
          let xl = load4(x, j)
          let xh = load4(x, j + 4)
          let vl = load4(v, j)
          let vh = load4(v, j + 4)
          accumulatePair(a0, j, xl, xh, vl, vh, &sx0, &sv0)
          accumulatePair(a1, j, xl, xh, vl, vh, &sx1, &sv1)
          accumulatePair(a2, j, xl, xh, vl, vh, &sx2, &sv2)
          accumulatePair(a3, j, xl, xh, vl, vh, &sx3, &sv3)
          j += 8
        }
      } else {
        while j + 8 <= d {
          let xl = load4(x, j)
          let xh = load4(x, j + 4)
          sx0 += load4(a0, j) * xl + load4(a0, j + 4) * xh
          sx1 += load4(a1, j) * xl + load4(a1, j + 4) * xh
          sx2 += load4(a2, j) * xl + load4(a2, j + 4) * xh
          sx3 += load4(a3, j) * xl + load4(a3, j + 4) * xh
          j += 8
        }
      }
      while j < d {
        sx0[0] += a0[j] * x[j]
        sx1[0] += a1[j] * x[j]
        sx2[0] += a2[j] * x[j]
        sx3[0] += a3[j] * x[j]
        if let v {
          sv0[0] += a0[j] * v[j]
          sv1[0] += a1[j] * v[j]
          sv2[0] += a2[j] * v[j]
          sv3[0] += a3[j] * v[j]
        }
        j += 1
      }
      let c0 = coefficient(i0, finish(sx0), finish(sv0))
      let c1 = coefficient(i1, finish(sx1), finish(sv1))
      let c2 = coefficient(i2, finish(sx2), finish(sv2))
      let c3 = coefficient(i3, finish(sx3), finish(sv3))
      guard let out else { continue }
      for k in 0..<d {
        out[k] = (((out[k] + c0 * a0[k]) + c1 * a1[k]) + c2 * a2[k]) + c3 * a3[k]
      }
    }
  }

  /// One row of ``sweepRows(_:features:columns:x:v:out:coefficient:)``, with `dotKernel`.
  @inline(__always)
  private func sweepOneRow(
    _ i: Int, features pa: UnsafePointer<Double>, columns d: Int, x: UnsafePointer<Double>,
    v: UnsafePointer<Double>?, out: UnsafeMutablePointer<Double>?,
    _ coefficient: (_ row: Int, _ ax: Double, _ av: Double) -> Double
  ) {
    let a = pa + i * d
    let row = UnsafeBufferPointer(start: a, count: d)
    let ax = dotKernel(row, UnsafeBufferPointer(start: x, count: d))
    let av = v.map { dotKernel(row, UnsafeBufferPointer(start: $0, count: d)) } ?? 0
    let c = coefficient(i, ax, av)
    guard let out else { return }
    for k in 0..<d { out[k] += c * a[k] }
  }
}
