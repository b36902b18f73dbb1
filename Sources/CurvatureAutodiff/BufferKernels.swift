import Curvature

// Internal loops shared by the differentiable and dual vector types. Every kernel takes its
// element rule as a closure and is `@inlinable @inline(__always)` so that the closure is inlined
// into the loop and the loop vectorizes; the loops run over raw pointers, without bounds checks.

/// Returns `[body(a[i])]`; an empty input gives an empty output.
@inlinable @inline(__always)
func mapElements(_ a: [Double], _ body: (Double) -> Double) -> [Double] {
  let n = a.count
  return [Double](unsafeUninitializedCapacity: n) { out, count in
    a.withUnsafeBufferPointer { pa in
      if n > 0, let s = pa.baseAddress, let d = out.baseAddress {
        for i in 0..<n { (d + i).initialize(to: body(s[i])) }
      }
    }
    count = n
  }
}

/// Returns `[body(a[i], b[i])]` for arrays of equal length.
@inlinable @inline(__always)
func mapElements(
  _ a: [Double], _ b: [Double], _ body: (Double, Double) -> Double
) -> [Double] {
  let n = a.count
  precondition(n == b.count, "dimension mismatch: vector sizes \(n) and \(b.count)")
  return [Double](unsafeUninitializedCapacity: n) { out, count in
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        if n > 0, let s = pa.baseAddress, let t = pb.baseAddress, let d = out.baseAddress {
          for i in 0..<n { (d + i).initialize(to: body(s[i], t[i])) }
        }
      }
    }
    count = n
  }
}

/// Σᵢ body(a[i], b[i]) with four accumulators.
@inlinable @inline(__always)
func sumElements(_ a: [Double], _ b: [Double], _ body: (Double, Double) -> Double) -> Double {
  let n = a.count
  precondition(n == b.count, "dimension mismatch: vector sizes \(n) and \(b.count)")
  return a.withUnsafeBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in
      guard n > 0, let s = pa.baseAddress, let t = pb.baseAddress else { return 0 }
      return fourLaneSum(n) { i in body(s[i], t[i]) }
    }
  }
}

/// Σᵢ a[i] with four accumulators.
@inlinable @inline(__always)
func sumElements(_ a: [Double]) -> Double {
  a.withUnsafeBufferPointer { pa in
    guard let s = pa.baseAddress, pa.count > 0 else { return 0 }
    return fourLaneSum(pa.count) { i in s[i] }
  }
}

/// Σₖ term(k) for k in 0..<n with four accumulators: over each block of four, lane j adds
/// term(i + j); the tail goes into lane 0; the total is (s₀ + s₁) + (s₂ + s₃). Every four-lane
/// reduction of this module sums in this order.
@inlinable @inline(__always)
func fourLaneSum(_ n: Int, _ term: (Int) -> Double) -> Double {
  var s0 = 0.0
  var s1 = 0.0
  var s2 = 0.0
  var s3 = 0.0
  var i = 0
  while i + 4 <= n {
    s0 += term(i)
    s1 += term(i + 1)
    s2 += term(i + 2)
    s3 += term(i + 3)
    i += 4
  }
  while i < n {
    s0 += term(i)
    i += 1
  }
  return (s0 + s1) + (s2 + s3)
}

/// y = W·x for the row-major `rows × columns` matrix stored in `w`.
@inlinable
func matrixVectorKernel(_ w: [Double], rows: Int, columns: Int, _ x: [Double]) -> [Double] {
  precondition(
    w.count == rows * columns,
    "dimension mismatch: matrix storage \(w.count) for \(rows) × \(columns)")
  precondition(
    x.count == columns, "dimension mismatch: matrix has \(columns) columns, vector \(x.count)")
  return [Double](unsafeUninitializedCapacity: rows) { out, count in
    w.withUnsafeBufferPointer { pw in
      x.withUnsafeBufferPointer { px in
        for i in 0..<rows {
          let row = UnsafeBufferPointer(rebasing: pw[(i * columns)..<((i + 1) * columns)])
          (out.baseAddress! + i).initialize(to: dotKernel(row, px))
        }
      }
    }
    count = rows
  }
}

/// y = Wᵀ·v for the row-major `rows × columns` matrix stored in `w` (v has `rows` elements).
@inlinable
func transposeMatrixVectorKernel(_ w: [Double], rows: Int, columns: Int, _ v: [Double])
  -> [Double]
{
  precondition(v.count == rows, "dimension mismatch: matrix has \(rows) rows, vector \(v.count)")
  var out = [Double](repeating: 0, count: columns)
  out.withUnsafeMutableBufferPointer { po in
    w.withUnsafeBufferPointer { pw in
      v.withUnsafeBufferPointer { pv in
        guard let d = po.baseAddress, let a = pw.baseAddress, let s = pv.baseAddress else {
          return
        }
        for i in 0..<rows {
          let vi = s[i]
          if vi == 0 { continue }
          let r = a + i * columns
          for j in 0..<columns { d[j] += vi * r[j] }
        }
      }
    }
  }
  return out
}

/// The outer product v·xᵀ as a row-major `v.count × x.count` array.
@inlinable
func outerProductKernel(_ v: [Double], _ x: [Double]) -> [Double] {
  let rows = v.count
  let columns = x.count
  return [Double](unsafeUninitializedCapacity: rows * columns) { out, count in
    v.withUnsafeBufferPointer { pv in
      x.withUnsafeBufferPointer { px in
        if let d = out.baseAddress, let a = pv.baseAddress, let b = px.baseAddress {
          for i in 0..<rows {
            let vi = a[i]
            for j in 0..<columns { (d + i * columns + j).initialize(to: vi * b[j]) }
          }
        }
      }
    }
    count = rows * columns
  }
}

/// C = A·B for row-major A (m × k) and B (k × n), as a row-major m × n array.
@inlinable
func matrixMultiplyKernel(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
  precondition(a.count == m * k, "dimension mismatch: left storage \(a.count) for \(m) × \(k)")
  precondition(b.count == k * n, "dimension mismatch: right storage \(b.count) for \(k) × \(n)")
  var c = [Double](repeating: 0, count: m * n)
  c.withUnsafeMutableBufferPointer { pc in
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        guard let cc = pc.baseAddress, let aa = pa.baseAddress, let bb = pb.baseAddress else {
          return
        }
        for i in 0..<m {
          let ci = cc + i * n
          for l in 0..<k {
            let ail = aa[i * k + l]
            if ail == 0 { continue }
            let bl = bb + l * n
            for j in 0..<n { ci[j] += ail * bl[j] }
          }
        }
      }
    }
  }
  return c
}

/// The transpose of a row-major rows × columns array.
@inlinable
func transposeKernel(_ a: [Double], rows: Int, columns: Int) -> [Double] {
  [Double](unsafeUninitializedCapacity: rows * columns) { out, count in
    a.withUnsafeBufferPointer { pa in
      if let d = out.baseAddress, let s = pa.baseAddress {
        for i in 0..<rows {
          for j in 0..<columns { (d + j * rows + i).initialize(to: s[i * columns + j]) }
        }
      }
    }
    count = rows * columns
  }
}
