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
    var r = Array(repeating: 0.0, count: size)
    for i in 0..<size {
      var s = 0.0
      for j in 0..<size { s += entries[i * size + j] * v[j] }
      r[i] = s
    }
    return r
  }

  /// The LU factors with partial pivoting (Golub & Van Loan, *Matrix Computations*, Alg. 3.4.1),
  /// or nil when a pivot is zero or not finite relative to the largest entry.
  func luFactors() -> (lu: SmallMatrix, pivots: [Int])? {
    var a = self
    var pivots = Array(0..<size)
    var scale = 0.0
    for e in entries { scale = Swift.max(scale, Swift.abs(e)) }
    guard scale.isFinite else { return nil }
    for k in 0..<size {
      var p = k
      var best = Swift.abs(a[k, k])
      for i in (k + 1)..<Swift.max(k + 1, size) where Swift.abs(a[i, k]) > best {
        best = Swift.abs(a[i, k])
        p = i
      }
      if !(best > 1e-14 * scale) { return nil }
      if p != k {
        for j in 0..<size {
          let t = a[k, j]
          a[k, j] = a[p, j]
          a[p, j] = t
        }
        pivots.swapAt(k, p)
      }
      let pivot = a[k, k]
      for i in (k + 1)..<Swift.max(k + 1, size) {
        let factor = a[i, k] / pivot
        a[i, k] = factor
        if factor != 0 {
          for j in (k + 1)..<size { a[i, j] -= factor * a[k, j] }
        }
      }
    }
    return (a, pivots)
  }

  /// Solves A·z = b from the factors of ``luFactors()``.
  static func solve(_ factors: (lu: SmallMatrix, pivots: [Int]), _ b: [Double]) -> [Double] {
    let a = factors.lu
    let n = a.size
    var z = factors.pivots.map { b[$0] }
    for i in 0..<n {
      var s = z[i]
      for j in 0..<i { s -= a[i, j] * z[j] }
      z[i] = s
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
      var s = z[i]
      for j in (i + 1)..<n { s -= a[i, j] * z[j] }
      z[i] = s / a[i, i]
    }
    return z
  }

  /// A⁻¹, or nil when A is (numerically) singular.
  func inverse() -> SmallMatrix? {
    guard let f = luFactors() else { return nil }
    var inv = SmallMatrix(size: size)
    for j in 0..<size {
      var e = Array(repeating: 0.0, count: size)
      e[j] = 1
      let col = SmallMatrix.solve(f, e)
      for i in 0..<size { inv[i, j] = col[i] }
    }
    return inv
  }
}
