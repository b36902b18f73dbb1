// Triangular solves with many right-hand sides (BLAS `dtrsm`), blocked so that all but O(n²·b)
// of their n²r flops run in the packed product kernel (Golub & Van Loan, 4th ed., §3.1.4 and
// §1.3). The triangle is the lower factor L of a row-major buffer; the right-hand sides are the
// rows or columns of a row-major matrix with its own row stride. With the `SystemLAPACK` trait the
// left solves call the system's `cblas_dtrsm`.

/// Blocked triangular solves on raw row-major buffers with a lower-triangular L.
enum TriangularSolve {
  /// The number of rows (or columns) of L eliminated between two level-3 updates.
  static let blockSize = 64
  /// The width of the column strips of ``solveRightTransposeInPlace(_:n:lStride:x:rows:xStride:)``,
  /// solved by dot products before the rest of the strip is updated by the product kernel.
  static let stripWidth = 16

  /// Overwrites the n × r matrix X (row stride `xStride`) holding B with L⁻¹B: block row I of X
  /// is solved by substitution with the diagonal block L_II, row by row and vectorized along the
  /// rows of X, and then removed from the rows below, X_{>I} −= L_{>I,I}·X_I (right-looking).
  static func solveLowerInPlace(
    _ l: UnsafePointer<Double>, n: Int, lStride: Int, x: UnsafeMutablePointer<Double>,
    columns r: Int,
    xStride: Int
  ) {
    if n == 0 || r == 0 { return }
    #if SystemLAPACK
      if SystemBackend.triangularSolve(
        l, n: n, lStride: lStride, x: x, columns: r, xStride: xStride, transposed: false)
      {
        return
      }
    #endif
    var i0 = 0
    while i0 < n {
      let i1 = Swift.min(i0 + blockSize, n)
      for i in i0..<i1 {
        let xi = x + i * xStride
        let li = l + i * lStride
        for k in i0..<i {
          let lik = li[k]
          if lik == 0 { continue }
          let xk = x + k * xStride
          for j in 0..<r { xi[j] -= lik * xk[j] }
        }
        let d = 1 / li[i]
        for j in 0..<r { xi[j] *= d }
      }
      if i1 < n {
        blockedProductKernel(
          m: n - i1, n: r, p: i1 - i0, alpha: -1, a: l + i1 * lStride + i0, aRowStride: lStride,
          aColumnStride: 1, b: x + i0 * xStride, bRowStride: xStride,
          c: x + i1 * xStride, cRowStride: xStride)
      }
      i0 = i1
    }
  }

  /// Overwrites the n × r matrix X (row stride `xStride`) holding Y with L⁻ᵀY, block rows from
  /// the bottom: X_I = L_IIᵀ⁻¹(Y_I − (L_{>I,I})ᵀ X_{>I}) (left-looking, the update by the product
  /// kernel with the transpose read in place).
  static func solveLowerTransposeInPlace(
    _ l: UnsafePointer<Double>, n: Int, lStride: Int, x: UnsafeMutablePointer<Double>,
    columns r: Int,
    xStride: Int
  ) {
    if n == 0 || r == 0 { return }
    #if SystemLAPACK
      if SystemBackend.triangularSolve(
        l, n: n, lStride: lStride, x: x, columns: r, xStride: xStride, transposed: true)
      {
        return
      }
    #endif
    var i1 = n
    while i1 > 0 {
      let i0 = Swift.max(0, i1 - blockSize)
      if i1 < n {
        // op(A)[i, k] = L[i1 + k, i0 + i]: strides (1, lStride).
        blockedProductKernel(
          m: i1 - i0, n: r, p: n - i1, alpha: -1, a: l + i1 * lStride + i0, aRowStride: 1,
          aColumnStride: lStride, b: x + i1 * xStride, bRowStride: xStride,
          c: x + i0 * xStride, cRowStride: xStride)
      }
      var i = i1 - 1
      while i >= i0 {
        let xi = x + i * xStride
        let d = 1 / l[i * lStride + i]
        for j in 0..<r { xi[j] *= d }
        // Row i of X is final: remove lᵢₖ·xᵢ from the rows k of this block above it.
        let li = l + i * lStride
        for k in i0..<i {
          let lik = li[k]
          if lik == 0 { continue }
          let xk = x + k * xStride
          for j in 0..<r { xk[j] -= lik * xi[j] }
        }
        i -= 1
      }
      i1 = i0
    }
  }

  /// Overwrites the m × n matrix X (row stride `xStride`) holding B with B·L⁻ᵀ, the solution of
  /// X·Lᵀ = B: row i of X solves L xᵢᵀ = bᵢᵀ. Column strips J of ``stripWidth`` are solved by dot
  /// products within the strip, and then removed from the columns to their right,
  /// X_{:,>J} −= X_{:,J}·(L_{>J,J})ᵀ, by the product kernel (the panel of a blocked Cholesky).
  static func solveRightTransposeInPlace(
    _ l: UnsafePointer<Double>, n: Int, lStride: Int, x: UnsafeMutablePointer<Double>, rows m: Int,
    xStride: Int
  ) {
    if n == 0 || m == 0 { return }
    var j0 = 0
    while j0 < n {
      let j1 = Swift.min(j0 + stripWidth, n)
      // Four rows at a time, so that four independent sums hide the latency of each.
      var i = 0
      while i + 4 <= m {
        let x0 = x + i * xStride
        let x1 = x0 + xStride
        let x2 = x1 + xStride
        let x3 = x2 + xStride
        for j in j0..<j1 {
          let lj = l + j * lStride
          var s0 = x0[j]
          var s1 = x1[j]
          var s2 = x2[j]
          var s3 = x3[j]
          for k in j0..<j {
            let ljk = lj[k]
            s0 -= x0[k] * ljk
            s1 -= x1[k] * ljk
            s2 -= x2[k] * ljk
            s3 -= x3[k] * ljk
          }
          let d = lj[j]
          x0[j] = s0 / d
          x1[j] = s1 / d
          x2[j] = s2 / d
          x3[j] = s3 / d
        }
        i += 4
      }
      while i < m {
        let xi = x + i * xStride
        for j in j0..<j1 {
          let lj = l + j * lStride
          var s = xi[j]
          for k in j0..<j { s -= xi[k] * lj[k] }
          xi[j] = s / lj[j]
        }
        i += 1
      }
      if j1 < n {
        // op(B)[k, j] = L[j1 + j, j0 + k]: strides (1, lStride).
        blockedProductKernel(
          m: m, n: n - j1, p: j1 - j0, alpha: -1, a: x + j0, aRowStride: xStride, aColumnStride: 1,
          b: l + j1 * lStride + j0, bRowStride: 1, bColumnStride: lStride,
          c: x + j1, cRowStride: xStride)
      }
      j0 = j1
    }
  }
}
