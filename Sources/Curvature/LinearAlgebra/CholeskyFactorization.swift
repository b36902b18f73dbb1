import RealModule

/// The Cholesky factorization A = LLᵀ of a symmetric positive definite matrix, L lower triangular
/// with a positive diagonal (Golub & Van Loan, Matrix Computations, 4th ed., §4.2).
///
/// The factor follows the row formulas (Golub & Van Loan Alg. 4.2.1, by rows)
///
///     lᵢⱼ = (aᵢⱼ − Σₖ₍ₖ<ⱼ₎ lᵢₖ lⱼₖ) / lⱼⱼ   for j < i,
///     lᵢᵢ = √(aᵢᵢ − Σₖ₍ₖ<ᵢ₎ lᵢₖ²),
///
/// organized in 64-column blocks: the diagonal block by dot products of contiguous row segments,
/// the panel below it by a blocked triangular solve, and the contribution of the finished block
/// to the rest of the matrix by the packed product kernel (a right-looking blocked Cholesky, Golub
/// & Van Loan §4.2.9). It costs n³/3 flops, nearly all of them in the product kernel.
/// **Only the lower triangle of A (j ≤ i) is read**; the strict upper triangle is ignored, so a
/// slightly asymmetric matrix is factored as if it were the symmetric matrix of its lower triangle.
///
/// The initializer fails (returns nil) when A is not square, has a non-finite element, or when a
/// pivot aᵢᵢ − Σ lᵢₖ² is not a finite positive number, that is, when A is not numerically positive
/// definite.
public struct CholeskyFactorization: Sendable, Hashable {
  /// The lower-triangular factor L with A = LLᵀ; its strict upper triangle is zero.
  public let lower: Matrix

  /// The order n of the factored matrix.
  public var dimension: Int { lower.rows }

  /// Factors the symmetric positive definite matrix `a`, reading only its lower triangle.
  ///
  /// Returns nil when `a` is not square, contains NaN or ±∞, or is not positive definite.
  public init?(of a: Matrix) {
    guard a.isSquare, a.isFinite else { return nil }
    let n = a.rows
    var l = Self.lowerTriangle(of: a)
    let ok = l.storage.withUnsafeMutableBufferPointer { pl -> Bool in
      guard let w = pl.baseAddress else { return true }
      return Self.factorInPlace(w, n: n)
    }
    guard ok else { return nil }
    lower = l
  }

  /// A working copy of the lower triangle of the square matrix `a` (j ≤ i), with a zero strict
  /// upper triangle: the input of ``factorInPlace(_:n:)``.
  static func lowerTriangle(of a: Matrix) -> Matrix {
    var l = Matrix(rows: a.rows, columns: a.rows)
    copyLowerTriangle(of: a, into: &l)
    return l
  }

  /// Writes the lower triangle of the square matrix `a` (j ≤ i) into the n × n matrix `l`, with
  /// σ added to the diagonal when given (aᵢᵢ + σ, as in forming A + σI); l's strict upper
  /// triangle is not touched.
  static func copyLowerTriangle(
    of a: Matrix, addingToDiagonal sigma: Double? = nil, into l: inout Matrix
  ) {
    let n = a.rows
    precondition(
      a.columns == n && l.rows == n && l.columns == n,
      "lower triangle: a \(a.rows)x\(a.columns) matrix into a \(l.rows)x\(l.columns) one")
    a.storage.withUnsafeBufferPointer { pa in
      l.storage.withUnsafeMutableBufferPointer { pl in
        for i in 0..<n {
          for j in 0..<i { pl[i * n + j] = pa[i * n + j] }
          pl[i * n + i] = sigma.map { pa[i * n + i] + $0 } ?? pa[i * n + i]
        }
      }
    }
  }

  /// The block size of the right-looking blocked factorization.
  static let blockSize = 64

  /// Overwrites the lower triangle of the n × n row-major buffer with its Cholesky factor.
  ///
  /// Right-looking blocked form (Golub & Van Loan Alg. 4.2.10 by rows): for each block column
  /// K = k₀..<k₁, the diagonal block is finished by the row formula restricted to k ∈ K, the
  /// panel below it by the triangular solve P·L_KKᵀ = W[k₁..<n, K], and then the trailing matrix
  /// is updated, W[i, j] −= Σₖ∈K lᵢₖ lⱼₖ for k₁ ≤ j ≤ i, by the packed product kernel applied to the
  /// panel and its transpose. Returns false at the first pivot that is not a finite positive number.
  /// With the `SystemLAPACK` trait the factor comes from `LAPACKE_dpotrf` instead.
  static func factorInPlace(_ w: UnsafeMutablePointer<Double>, n: Int) -> Bool {
    #if SystemLAPACK
      if let factored = SystemBackend.cholesky(w, n: n) { return factored }
    #endif
    return factorInPlaceReportingBreakdown(w, n: n) == nil
  }

  /// ``factorInPlace(_:n:)`` that says where it stopped: nil on success, otherwise the first
  /// row i whose pivot aᵢᵢ − Σₖ₍ₖ<ᵢ₎ lᵢₖ² is not a finite positive number, with that pivot. At
  /// that moment rows 0..<i of L and the entries lᵢₖ (k < i) are final, which is what a
  /// breakdown analysis (a negative-curvature direction, Moré & Sorensen 1983) needs.
  static func factorInPlaceReportingBreakdown(
    _ w: UnsafeMutablePointer<Double>, n: Int
  ) -> (row: Int, pivot: Double)? {
    var k0 = 0
    while k0 < n {
      let k1 = Swift.min(k0 + blockSize, n)
      // The diagonal block L_KK, row by row.
      for i in k0..<k1 {
        let rowI = w + i * n
        for j in k0..<i {
          let rowJ = w + j * n
          let s = dotKernel(
            UnsafeBufferPointer(start: rowI + k0, count: j - k0),
            UnsafeBufferPointer(start: rowJ + k0, count: j - k0))
          rowI[j] = (rowI[j] - s) / rowJ[j]
        }
        let s = dotKernel(
          UnsafeBufferPointer(start: rowI + k0, count: i - k0),
          UnsafeBufferPointer(start: rowI + k0, count: i - k0))
        let pivot = rowI[i] - s
        guard pivot > 0, pivot.isFinite else { return (i, pivot) }
        rowI[i] = pivot.squareRoot()
      }
      let m = n - k1
      if m > 0 {
        let width = k1 - k0
        let panel = w + k1 * n + k0
        // The panel P = L[k₁..<n, K] solves P·L_KKᵀ = W[k₁..<n, K].
        TriangularSolve.solveRightTransposeInPlace(
          w + k0 * n + k0, n: width, lStride: n, x: panel, rows: m, xStride: n)
        // The trailing lower triangle, W₂₂ −= P·Pᵀ (Pᵀ read in place).
        blockedProductKernel(
          m: m, n: m, p: width, alpha: -1, a: panel, aRowStride: n, aColumnStride: 1,
          b: panel, bRowStride: 1, bColumnStride: n, c: w + k1 * n + k1, cRowStride: n,
          triangle: .lower)
      }
      k0 = k1
    }
    return nil
  }

  /// Wraps a lower-triangular factor computed elsewhere (the caller guarantees a positive diagonal
  /// and a zero strict upper triangle).
  init(uncheckedLower: Matrix) {
    lower = uncheckedLower
  }

  /// The solution x of Ax = b, by forward substitution Ly = b then back substitution Lᵀx = y
  /// (2n² flops).
  ///
  /// - Precondition: `b.count == dimension`.
  public func solve(_ b: Vector) -> Vector {
    var x = b
    solveInPlace(&x)
    return x
  }

  /// Overwrites b with the solution of Ax = b, without allocating.
  ///
  /// - Precondition: `b.count == dimension`.
  public func solveInPlace(_ b: inout Vector) {
    let n = dimension
    precondition(
      b.count == n, "dimension mismatch: factorization is \(n)x\(n), right-hand side has \(b.count)"
    )
    lower.storage.withUnsafeBufferPointer { pl in
      b.withUnsafeMutableBufferPointer { pb in
        guard let l = pl.baseAddress, let x = pb.baseAddress else { return }
        // Ly = b: yᵢ = (bᵢ − Σₖ₍ₖ<ᵢ₎ lᵢₖ yₖ) / lᵢᵢ, a contiguous dot with row i.
        for i in 0..<n {
          let s = dotKernel(
            UnsafeBufferPointer(start: l + i * n, count: i), UnsafeBufferPointer(start: x, count: i)
          )
          x[i] = (x[i] - s) / l[i * n + i]
        }
        // Lᵀx = y, column-oriented: once xᵢ is known, remove lᵢₖ xᵢ from every yₖ with k < i.
        var i = n - 1
        while i >= 0 {
          let row = l + i * n
          let xi = x[i] / row[i]
          x[i] = xi
          for k in 0..<i { x[k] -= row[k] * xi }
          i -= 1
        }
      }
    }
  }

  /// L⁻¹b by forward substitution, yᵢ = (bᵢ − Σₖ₍ₖ<ᵢ₎ lᵢₖ yₖ)/lᵢᵢ (n² flops). With y = L⁻¹b,
  /// bᵀA⁻¹b = ‖y‖², the quantity the Moré-Sorensen trust-region iteration needs
  /// (Nocedal & Wright Alg. 4.3).
  ///
  /// - Precondition: `b.count == dimension`.
  public func solveLower(_ b: Vector) -> Vector {
    let n = dimension
    precondition(
      b.count == n, "dimension mismatch: factorization is \(n)x\(n), right-hand side has \(b.count)"
    )
    var y = b
    lower.storage.withUnsafeBufferPointer { pl in
      y.withUnsafeMutableBufferPointer { py in
        guard let l = pl.baseAddress, let x = py.baseAddress else { return }
        for i in 0..<n {
          let s = dotKernel(
            UnsafeBufferPointer(start: l + i * n, count: i), UnsafeBufferPointer(start: x, count: i)
          )
          x[i] = (x[i] - s) / l[i * n + i]
        }
      }
    }
    return y
  }

  /// L⁻ᵀy by back substitution, xᵢ = (yᵢ − Σₖ₍ₖ>ᵢ₎ lₖᵢ xₖ)/lᵢᵢ (n² flops), so that
  /// `solveLowerTranspose(solveLower(b))` equals `solve(b)`.
  ///
  /// - Precondition: `y.count == dimension`.
  public func solveLowerTranspose(_ y: Vector) -> Vector {
    let n = dimension
    precondition(
      y.count == n, "dimension mismatch: factorization is \(n)x\(n), right-hand side has \(y.count)"
    )
    var x = y
    lower.storage.withUnsafeBufferPointer { pl in
      x.withUnsafeMutableBufferPointer { px in
        guard let l = pl.baseAddress, let s = px.baseAddress else { return }
        var i = n - 1
        while i >= 0 {
          let row = l + i * n
          let xi = s[i] / row[i]
          s[i] = xi
          for k in 0..<i { s[k] -= row[k] * xi }
          i -= 1
        }
      }
    }
    return x
  }

  /// The solution X of AX = B for several right-hand sides (the columns of B): LY = B, then
  /// LᵀX = Y, each a blocked triangular solve (BLAS `dtrsm`) with its level-3 part in the packed
  /// product kernel (2n²r flops for r columns).
  ///
  /// - Precondition: `b.rows == dimension`.
  public func solve(_ b: Matrix) -> Matrix {
    var x = b
    solveInPlace(&x, transposed: false)
    solveInPlace(&x, transposed: true)
    return x
  }

  /// L⁻¹B for several right-hand sides (the columns of B), by the blocked forward substitution of
  /// BLAS `dtrsm` (n²r flops for r columns).
  ///
  /// - Precondition: `b.rows == dimension`.
  public func solveLower(_ b: Matrix) -> Matrix {
    var x = b
    solveInPlace(&x, transposed: false)
    return x
  }

  /// L⁻ᵀY for several right-hand sides (the columns of Y), by blocked back substitution
  /// (n²r flops for r columns), so that `solveLowerTranspose(solveLower(b))` equals `solve(b)`.
  ///
  /// - Precondition: `y.rows == dimension`.
  public func solveLowerTranspose(_ y: Matrix) -> Matrix {
    var x = y
    solveInPlace(&x, transposed: true)
    return x
  }

  /// X ← L⁻¹X or, when `transposed`, X ← L⁻ᵀX.
  func solveInPlace(_ x: inout Matrix, transposed: Bool) {
    let n = dimension
    precondition(
      x.rows == n,
      "dimension mismatch: factorization is \(n)x\(n), right-hand side is \(x.rows)x\(x.columns)")
    let r = x.columns
    lower.storage.withUnsafeBufferPointer { pl in
      x.storage.withUnsafeMutableBufferPointer { px in
        guard let l = pl.baseAddress, let s = px.baseAddress else { return }
        if transposed {
          TriangularSolve.solveLowerTransposeInPlace(
            l, n: n, lStride: n, x: s, columns: r, xStride: r)
        } else {
          TriangularSolve.solveLowerInPlace(l, n: n, lStride: n, x: s, columns: r, xStride: r)
        }
      }
    }
  }

  /// log det A = 2 Σᵢ log lᵢᵢ, finite even when det A itself would overflow or underflow.
  public var logDeterminant: Double {
    var s = 0.0
    for i in 0..<dimension { s += Double.log(lower[i, i]) }
    return 2 * s
  }

  /// A⁻¹, by solving AX = I (n³ flops beyond the factorization). Prefer `solve(_:)`
  /// when only products with the inverse are needed.
  public var inverse: Matrix {
    solve(Matrix.identity(dimension))
  }

  /// A cheap lower bound on the 2-norm condition number κ₂(A) = κ₂(L)²:
  /// (maxᵢ lᵢᵢ / minᵢ lᵢᵢ)². It holds because the diagonal of a triangular matrix holds its
  /// eigenvalues, which lie between its extreme singular values (Golub & Van Loan §3.5.4).
  public var conditionLowerBound: Double {
    guard dimension > 0 else { return 1 }
    var lo = Double.infinity
    var hi = 0.0
    for i in 0..<dimension {
      lo = Swift.min(lo, lower[i, i])
      hi = Swift.max(hi, lower[i, i])
    }
    let ratio = hi / lo
    return ratio * ratio
  }
}
