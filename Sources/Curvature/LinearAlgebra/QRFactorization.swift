/// The Householder QR factorization A = QR of an m × n matrix with m ≥ n: Q has orthonormal
/// columns (thin Q, m × n) and R is n × n upper triangular (Golub & Van Loan, Matrix
/// Computations, 4th ed., Alg. 5.2.1).
///
/// Column k is reduced by the reflector Hₖ = I − βₖvₖvₖᵀ with vₖ = (1, v₂, …), chosen so that
/// Hₖx = αe₁ for x = A[k..<m, k] with α = −sign(x₁)‖x‖ (no cancellation in v₁ = x₁ − α), and
/// β = −v₁/α after normalizing v to a unit first element. Applying Hₖ to the trailing columns is
/// the row-oriented update w = vᵀA, A ← A − βvwᵀ, so all inner loops run along contiguous rows;
/// columns are processed in panels of 32 whose reflectors reach the rest of the matrix through
/// the compact WY form and the blocked product kernel. Cost: 2n²(m − n/3) flops. The reflectors are kept in compact form (R in the upper triangle,
/// vₖ below the diagonal); Q is formed only when ``q`` is read.
///
/// Least squares (Golub & Van Loan §5.3.3): x = argmin ‖Ax − b‖₂ solves Rx = (Qᵀb)[0..<n], and the
/// minimal residual norm is ‖(Qᵀb)[n..<m]‖₂. This is backward stable and, unlike the normal
/// equations AᵀAx = Aᵀb, does not square the condition number.
///
/// No column pivoting is done: ``rank(tolerance:)`` and ``conditionEstimate`` read |rᵢᵢ| and are
/// estimates, reliable when A is well conditioned or clearly rank deficient.
public struct QRFactorization: Sendable, Hashable {
  /// The number of rows m of A.
  public let rows: Int
  /// The number of columns n of A (n ≤ m).
  public let columns: Int
  /// R in the upper triangle, the essential part of vₖ below the diagonal of column k.
  let compact: Matrix
  /// βₖ of each reflector (0 when column k needed no reflection).
  let betas: [Double]

  /// Factors `a` (m × n, m ≥ n) by Householder reflections.
  ///
  /// Returns nil when an element of `a` is NaN or ±∞.
  /// - Precondition: `a.rows >= a.columns`.
  public init?(of a: Matrix) {
    precondition(
      a.rows >= a.columns,
      "QR factorization needs rows >= columns, got \(a.rows)x\(a.columns)")
    guard a.isFinite else { return nil }
    let m = a.rows
    let n = a.columns
    rows = m
    columns = n
    var work = a
    var betas = [Double](repeating: 0, count: n)
    work.storage.withUnsafeMutableBufferPointer { pa in
      guard let s = pa.baseAddress else { return }
      Self.factorInPlace(s, m: m, n: n, betas: &betas)
    }
    compact = work
    self.betas = betas
  }

  /// The number of columns per block of the blocked factorization.
  static let blockSize = 32

  /// Blocked Householder QR in place (Golub & Van Loan §5.2.3, the compact WY form of Schreiber
  /// and Van Loan). Each panel of `blockSize` columns is factored column by column; its
  /// reflectors are then combined as H₁⋯H_b = I − VTVᵀ (T upper triangular, built by
  /// T ← [T, −βⱼT(Vᵀvⱼ); 0, βⱼ]) and applied to the trailing columns with two matrix products,
  /// A ← A − V·(Tᵀ·(VᵀA)), so the trailing matrix is streamed twice per panel instead of twice
  /// per column.
  static func factorInPlace(
    _ s: UnsafeMutablePointer<Double>, m: Int, n: Int, betas: inout [Double]
  ) {
    var w = [Double](repeating: 0, count: n)
    var k0 = 0
    while k0 < n {
      let k1 = Swift.min(k0 + blockSize, n)
      w.withUnsafeMutableBufferPointer { pw in
        for k in k0..<k1 {
          betas[k] = reflectColumn(s, m: m, n: n, column: k, through: k1, scratch: pw.baseAddress!)
        }
      }
      if k1 < n {
        applyPanel(
          s, m: m, n: n, panel: k0..<k1, betas: betas, to: s + k0 * n + k1, rowStride: n,
          columns: n - k1, transposed: true)
      }
      k0 = k1
    }
  }

  /// Applies the panel's reflectors in compact WY form to the block B (rows `panel.lowerBound..<m`
  /// of some matrix, `columns` wide, row stride `rowStride`):
  /// B ← (I − VTVᵀ)ᵀB = H_b⋯H₁B when `transposed`, B ← (I − VTVᵀ)B = H₁⋯H_bB otherwise.
  static func applyPanel(
    _ s: UnsafePointer<Double>, m: Int, n: Int, panel: Range<Int>, betas: [Double],
    to target: UnsafeMutablePointer<Double>, rowStride: Int, columns: Int, transposed: Bool
  ) {
    let k0 = panel.lowerBound
    let width = panel.count
    let height = m - k0
    if width == 0 || columns == 0 || height == 0 { return }
    // V (height × width): unit diagonal, zeros above, the stored vectors below.
    var v = [Double](repeating: 0, count: height * width)
    for r in 0..<height {
      for j in 0..<Swift.min(r + 1, width) {
        v[r * width + j] = r == j ? 1 : s[(k0 + r) * n + k0 + j]
      }
    }
    // T (width × width, upper triangular) with H₁⋯H_b = I − VTVᵀ.
    var t = [Double](repeating: 0, count: width * width)
    var z = [Double](repeating: 0, count: width)
    for j in 0..<width {
      let beta = betas[k0 + j]
      t[j * width + j] = beta
      if beta == 0 || j == 0 { continue }
      // z = V[:, 0..<j]ᵀ vⱼ; only rows r ≥ j of vⱼ are nonzero.
      for i in 0..<j { z[i] = 0 }
      for r in j..<height {
        let vrj = v[r * width + j]
        if vrj == 0 { continue }
        for i in 0..<j { z[i] += v[r * width + i] * vrj }
      }
      // T[0..<j, j] = −βⱼ T[0..<j, 0..<j] z.
      for i in 0..<j {
        var acc = 0.0
        for l in i..<j { acc += t[i * width + l] * z[l] }
        t[i * width + j] = -beta * acc
      }
    }
    var w = [Double](repeating: 0, count: width * columns)
    v.withUnsafeBufferPointer { pv in
      w.withUnsafeMutableBufferPointer { pw in
        let vb = pv.baseAddress!
        let wb = pw.baseAddress!
        // W = VᵀB (width × columns).
        blockedProductKernel(
          m: width, n: columns, p: height, alpha: 1, a: vb, aRowStride: 1,
          aColumnStride: width, b: target, bRowStride: rowStride, c: wb, cRowStride: columns)
        if transposed {
          // W ← TᵀW (lower triangular), bottom row first so the rows still needed are intact.
          var i = width - 1
          while i >= 0 {
            let rowI = wb + i * columns
            let tii = t[i * width + i]
            for c in 0..<columns { rowI[c] *= tii }
            for l in 0..<i {
              let tli = t[l * width + i]
              if tli == 0 { continue }
              let rowL = wb + l * columns
              for c in 0..<columns { rowI[c] += tli * rowL[c] }
            }
            i -= 1
          }
        } else {
          // W ← TW (upper triangular), top row first.
          for i in 0..<width {
            let rowI = wb + i * columns
            let tii = t[i * width + i]
            for c in 0..<columns { rowI[c] *= tii }
            for l in (i + 1)..<width {
              let til = t[i * width + l]
              if til == 0 { continue }
              let rowL = wb + l * columns
              for c in 0..<columns { rowI[c] += til * rowL[c] }
            }
          }
        }
        // B ← B − V·W.
        blockedProductKernel(
          m: height, n: columns, p: width, alpha: -1, a: vb, aRowStride: width,
          aColumnStride: 1, b: wb, bRowStride: columns, c: target, cRowStride: rowStride)
      }
    }
  }

  /// Computes the reflector of column k (rows k..<m), stores R[k, k] = α and the essential part of
  /// v below the diagonal, applies the reflector to columns k + 1..<end, and returns β (0 when the
  /// column is already zero below the diagonal).
  static func reflectColumn(
    _ s: UnsafeMutablePointer<Double>, m: Int, n: Int, column k: Int, through end: Int,
    scratch wb: UnsafeMutablePointer<Double>
  ) -> Double {
    var maxAbs = 0.0
    var tailIsZero = true
    for i in k..<m {
      let xi = s[i * n + k]
      maxAbs = Swift.max(maxAbs, Swift.abs(xi))
      if i > k && xi != 0 { tailIsZero = false }
    }
    if tailIsZero { return 0 }
    var sum = 0.0
    for i in k..<m {
      let t = s[i * n + k] / maxAbs
      sum += t * t
    }
    let norm = maxAbs * sum.squareRoot()
    let x0 = s[k * n + k]
    let alpha = x0 >= 0 ? -norm : norm
    let v0 = x0 - alpha
    let beta = -v0 / alpha
    s[k * n + k] = alpha
    let inverseV0 = 1 / v0
    for i in (k + 1)..<m { s[i * n + k] *= inverseV0 }
    // Columns k+1..<end: w = vᵀA[k..<m, k+1..<end], then A ← A − βvwᵀ.
    let width = end - k - 1
    if width <= 0 { return beta }
    let c0 = k + 1
    for j in 0..<width { wb[j] = s[k * n + c0 + j] }
    for i in (k + 1)..<m {
      let vi = s[i * n + k]
      if vi == 0 { continue }
      let row = s + i * n + c0
      for j in 0..<width { wb[j] += vi * row[j] }
    }
    for j in 0..<width { wb[j] *= beta }
    let top = s + k * n + c0
    for j in 0..<width { top[j] -= wb[j] }
    for i in (k + 1)..<m {
      let vi = s[i * n + k]
      if vi == 0 { continue }
      let row = s + i * n + c0
      for j in 0..<width { row[j] -= vi * wb[j] }
    }
    return beta
  }

  /// The n × n upper-triangular factor R.
  public var r: Matrix {
    Matrix(rows: columns, columns: columns) { i, j in j >= i ? compact[i, j] : 0 }
  }

  /// The diagonal r₁₁, …, rₙₙ of R (signs are those of the reflections, not necessarily positive).
  public var diagonalOfR: Vector { compact.diagonal }

  /// The thin factor Q (m × n, QᵀQ = I), accumulated backwards from the reflectors:
  /// Q = H₁⋯Hₙ[Iₙ; 0] (Golub & Van Loan §5.1.6).
  public var q: Matrix {
    let m = rows
    let n = columns
    var q = Matrix(rows: m, columns: n)
    for i in 0..<n { q[i, i] = 1 }
    compact.storage.withUnsafeBufferPointer { pc in
      q.storage.withUnsafeMutableBufferPointer { pq in
        guard let c = pc.baseAddress, let s = pq.baseAddress else { return }
        // Backwards over panels: Q[k₀..<m, k₀..<n] ← (I − VTVᵀ)·Q[k₀..<m, k₀..<n]; the columns
        // left of k₀ are still unit vectors that the panel's reflectors leave unchanged.
        var k0 = ((n - 1) / Self.blockSize) * Self.blockSize
        while k0 >= 0 && n > 0 {
          let k1 = Swift.min(k0 + Self.blockSize, n)
          Self.applyPanel(
            c, m: m, n: n, panel: k0..<k1, betas: betas, to: s + k0 * n + k0, rowStride: n,
            columns: n - k0, transposed: false)
          k0 -= Self.blockSize
        }
      }
    }
    return q
  }

  /// Qᵀb for the full m × m orthogonal Q = H₁⋯Hₙ, applied reflector by reflector (4mn flops):
  /// the first n elements feed the least-squares solve, the last m − n are the residual.
  ///
  /// - Precondition: `b.count == rows`.
  public func multiplyQTranspose(_ b: Vector) -> Vector {
    precondition(
      b.count == rows,
      "dimension mismatch: QR of \(rows)x\(columns) needs a vector of \(rows) elements, got \(b.count)"
    )
    var y = b
    let m = rows
    let n = columns
    compact.storage.withUnsafeBufferPointer { pc in
      y.withUnsafeMutableBufferPointer { py in
        guard let c = pc.baseAddress, let x = py.baseAddress else { return }
        for k in 0..<n {
          let beta = betas[k]
          if beta == 0 { continue }
          var t = x[k]
          for i in (k + 1)..<m { t += c[i * n + k] * x[i] }
          t *= beta
          x[k] -= t
          for i in (k + 1)..<m { x[i] -= t * c[i * n + k] }
        }
      }
    }
    return y
  }

  /// Q·x for the full m × m orthogonal Q (x has m elements), the reflectors applied in reverse.
  ///
  /// - Precondition: `x.count == rows`.
  public func multiplyQ(_ x: Vector) -> Vector {
    precondition(
      x.count == rows,
      "dimension mismatch: QR of \(rows)x\(columns) needs a vector of \(rows) elements, got \(x.count)"
    )
    var y = x
    let m = rows
    let n = columns
    compact.storage.withUnsafeBufferPointer { pc in
      y.withUnsafeMutableBufferPointer { py in
        guard let c = pc.baseAddress, let s = py.baseAddress else { return }
        var k = n - 1
        while k >= 0 {
          let beta = betas[k]
          if beta != 0 {
            var t = s[k]
            for i in (k + 1)..<m { t += c[i * n + k] * s[i] }
            t *= beta
            s[k] -= t
            for i in (k + 1)..<m { s[i] -= t * c[i * n + k] }
          }
          k -= 1
        }
      }
    }
    return y
  }

  /// The least-squares solution x = argminₓ ‖Ax − b‖₂, from Rx = (Qᵀb)[0..<n] by back
  /// substitution. For square nonsingular A this is the solution of Ax = b.
  ///
  /// When A is rank deficient (some rᵢᵢ = 0) the result contains ±∞ or NaN; check
  /// ``rank(tolerance:)`` first when that can happen.
  /// - Precondition: `b.count == rows`.
  public func leastSquaresSolution(_ b: Vector) -> Vector {
    let c = multiplyQTranspose(b)
    let n = columns
    var x = Vector(c.storage[0..<n])
    compact.storage.withUnsafeBufferPointer { pc in
      x.withUnsafeMutableBufferPointer { px in
        guard let r = pc.baseAddress, let s = px.baseAddress else { return }
        var i = n - 1
        while i >= 0 {
          let row = r + i * n
          let tail = dotKernel(
            UnsafeBufferPointer(start: row + i + 1, count: n - i - 1),
            UnsafeBufferPointer(start: s + i + 1, count: n - i - 1))
          s[i] = (s[i] - tail) / row[i]
          i -= 1
        }
      }
    }
    return x
  }

  /// The same as ``leastSquaresSolution(_:)``: the minimizer of ‖Ax − b‖₂ (the solution of Ax = b
  /// when A is square and nonsingular).
  ///
  /// - Precondition: `b.count == rows`.
  public func solve(_ b: Vector) -> Vector { leastSquaresSolution(b) }

  /// The minimal residual norm minₓ ‖Ax − b‖₂ = ‖(Qᵀb)[n..<m]‖₂, without forming x.
  ///
  /// - Precondition: `b.count == rows`.
  public func leastSquaresResidualNorm(_ b: Vector) -> Double {
    let c = multiplyQTranspose(b)
    return Vector(c.storage[columns..<rows]).norm
  }

  /// The numerical rank estimate #{i : |rᵢᵢ| > tolerance·maxⱼ|rⱼⱼ|}.
  ///
  /// - Parameter tolerance: relative threshold; nil means max(m, n)·ε (ε = 2⁻⁵²). Without column
  ///   pivoting this is an estimate (exact for clearly separated singular values).
  public func rank(tolerance: Double? = nil) -> Int {
    let tol = tolerance ?? Double(Swift.max(rows, columns)) * Double.ulpOfOne
    let d = diagonalOfR.map { Swift.abs($0) }
    let largest = d.normInfinity
    if largest == 0 { return 0 }
    return d.storage.filter { $0 > tol * largest }.count
  }

  /// A cheap estimate of the 2-norm condition number κ₂(A) = κ₂(R): maxᵢ|rᵢᵢ| / minᵢ|rᵢᵢ|
  /// (+∞ when some rᵢᵢ = 0, 1 for an empty matrix). It is a lower bound on κ₂(R), since the
  /// diagonal of a triangular matrix holds its eigenvalues, which lie between its extreme singular
  /// values; it can underestimate badly for matrices like Kahan's (Golub & Van Loan §5.4.1).
  public var conditionEstimate: Double {
    guard columns > 0 else { return 1 }
    let d = diagonalOfR.map { Swift.abs($0) }
    let smallest = d.storage.min() ?? 0
    let largest = d.normInfinity
    if smallest == 0 { return .infinity }
    return largest / smallest
  }
}
