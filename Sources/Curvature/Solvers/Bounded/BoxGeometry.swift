/// Geometry of the box l ≤ x ≤ u shared by the bound-constrained methods.
enum BoxGeometry {
  /// The largest α ≥ 0 with l ≤ x + α·d ≤ u (+∞ when d never meets a finite bound):
  ///
  ///     α_max = min( min_{dᵢ>0} (uᵢ − xᵢ)/dᵢ , min_{dᵢ<0} (lᵢ − xᵢ)/dᵢ ).
  static func maximumStep(from x: Vector, along d: Vector, bounds: Bounds) -> Double {
    var alpha = Double.infinity
    let l = bounds.lower
    let u = bounds.upper
    for i in 0..<x.count {
      let di = d[i]
      if di > 0 && u[i] < .infinity {
        alpha = Swift.min(alpha, Swift.max(0, u[i] - x[i]) / di)
      } else if di < 0 && l[i] > -.infinity {
        alpha = Swift.min(alpha, Swift.max(0, l[i] - x[i]) / di)
      }
    }
    return alpha
  }

  /// z ← P(x + α·d), elementwise min(max(xᵢ + α·dᵢ, lᵢ), uᵢ): a point that is in the box even when
  /// α·d overshoots by rounding.
  static func projectedStep(
    _ x: Vector, _ alpha: Double, _ d: Vector, bounds: Bounds, into z: inout Vector
  ) {
    let l = bounds.lower
    let u = bounds.upper
    if z.count != x.count { z = .zeros(x.count) }
    for i in 0..<x.count {
      z[i] = Swift.min(Swift.max(x[i] + alpha * d[i], l[i]), u[i])
    }
  }
}

/// A small dense square matrix (row-major) with an LU solve with partial pivoting, for the
/// 2m × 2m systems of the compact limited-memory representation (m ≤ a few tens).
struct SmallMatrix {
  var size: Int
  var entries: [Double]

  init(size: Int) {
    self.size = size
    entries = Array(repeating: 0, count: size * size)
  }

  subscript(i: Int, j: Int) -> Double {
    get { entries[i * size + j] }
    set { entries[i * size + j] = newValue }
  }

  /// A·v.
  func multiply(_ v: [Double]) -> [Double] {
    precondition(
      v.count == size, "SmallMatrix.multiply: matrix is \(size)x\(size), v has \(v.count)")
    let n = size
    return [Double](unsafeUninitializedCapacity: n) { out, count in
      entries.withUnsafeBufferPointer { pa in
        v.withUnsafeBufferPointer { pv in
          for i in 0..<n {
            var s = 0.0
            for j in 0..<n { s += pa[i * n + j] * pv[j] }
            out[i] = s
          }
        }
      }
      count = n
    }
  }

  /// The product A·B of two matrices of the same size.
  static func product(_ a: SmallMatrix, _ b: SmallMatrix) -> SmallMatrix {
    precondition(a.size == b.size, "SmallMatrix.product: sizes \(a.size) and \(b.size)")
    let n = a.size
    var c = SmallMatrix(size: n)
    a.entries.withUnsafeBufferPointer { pa in
      b.entries.withUnsafeBufferPointer { pb in
        c.entries.withUnsafeMutableBufferPointer { pc in
          for i in 0..<n {
            for q in 0..<n {
              let aiq = pa[i * n + q]
              if aiq == 0 { continue }
              for j in 0..<n { pc[i * n + j] += aiq * pb[q * n + j] }
            }
          }
        }
      }
    }
    return c
  }

  /// The LU factors with partial pivoting (Golub & Van Loan, *Matrix Computations*, Alg. 3.4.1),
  /// or nil when a pivot is zero or not finite relative to the largest entry.
  func luFactors() -> (lu: SmallMatrix, pivots: [Int])? {
    var a = self
    var pivots = Array(0..<size)
    var scale = 0.0
    for e in entries { scale = Swift.max(scale, Swift.abs(e)) }
    guard scale.isFinite else { return nil }
    let n = size
    let ok = a.entries.withUnsafeMutableBufferPointer { pa -> Bool in
      for k in 0..<n {
        var p = k
        var best = Swift.abs(pa[k * n + k])
        for i in (k + 1)..<Swift.max(k + 1, n) where Swift.abs(pa[i * n + k]) > best {
          best = Swift.abs(pa[i * n + k])
          p = i
        }
        if !(best > 1e-14 * scale) { return false }
        if p != k {
          for j in 0..<n { pa.swapAt(k * n + j, p * n + j) }
          pivots.swapAt(k, p)
        }
        let pivot = pa[k * n + k]
        for i in (k + 1)..<Swift.max(k + 1, n) {
          let factor = pa[i * n + k] / pivot
          pa[i * n + k] = factor
          if factor != 0 {
            for j in (k + 1)..<n { pa[i * n + j] -= factor * pa[k * n + j] }
          }
        }
      }
      return true
    }
    return ok ? (a, pivots) : nil
  }

  /// Solves A·z = b from the factors of ``luFactors()``.
  static func solve(_ factors: (lu: SmallMatrix, pivots: [Int]), _ b: [Double]) -> [Double] {
    var z = factors.pivots.map { b[$0] }
    substitute(factors.lu, &z, stride: 1, offset: 0)
    return z
  }

  /// Forward then back substitution with the packed LU factors on the entries
  /// z[offset + i·stride], i = 0..<n (a column of a row-major n × n block when stride = n).
  private static func substitute(_ lu: SmallMatrix, _ z: inout [Double], stride: Int, offset: Int) {
    let n = lu.size
    lu.entries.withUnsafeBufferPointer { pa in
      z.withUnsafeMutableBufferPointer { pz in
        for i in 0..<n {
          var s = pz[offset + i * stride]
          for j in 0..<i { s -= pa[i * n + j] * pz[offset + j * stride] }
          pz[offset + i * stride] = s
        }
        var i = n - 1
        while i >= 0 {
          var s = pz[offset + i * stride]
          for j in (i + 1)..<n { s -= pa[i * n + j] * pz[offset + j * stride] }
          pz[offset + i * stride] = s / pa[i * n + i]
          i -= 1
        }
      }
    }
  }

  /// A⁻¹, or nil when A is (numerically) singular: the columns of P·I solved in place.
  func inverse() -> SmallMatrix? {
    guard let f = luFactors() else { return nil }
    var inv = SmallMatrix(size: size)
    // Column j of A⁻¹ solves LU·z = P·eⱼ: row i of P·eⱼ is 1 where pivots[i] == j.
    for (i, j) in f.pivots.enumerated() { inv.entries[i * size + j] = 1 }
    for j in 0..<size { Self.substitute(f.lu, &inv.entries, stride: size, offset: j) }
    return inv
  }
}
