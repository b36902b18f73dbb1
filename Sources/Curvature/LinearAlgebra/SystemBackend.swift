#if SystemLAPACK
  import CCurvatureLAPACK

  /// The system BLAS and LAPACK behind the `SystemLAPACK` package trait (off by default): CBLAS
  /// from OpenBLAS and LAPACKE, called on the same row-major buffers as the Swift kernels.
  ///
  /// Each entry point answers whether it handled the call; when it did not (an operand without a
  /// unit stride, a size beyond 32-bit BLAS integers) the caller runs its Swift kernel. Only
  /// Linux with Debian's `libopenblas-dev` and `liblapacke-dev` is supported; on other systems the
  /// trait does not build.
  enum SystemBackend {
    /// Applies `CURVATURE_DENSE_THREADS` to OpenBLAS's own thread pool when the variable is set
    /// (evaluated once, before the first call into the library).
    static let threadsConfigured: Bool = {
      if getenv("CURVATURE_DENSE_THREADS") != nil {
        openblas_set_num_threads(Int32(PackedProduct.threadCount))
      }
      return true
    }()

    /// Whether every size fits the 32-bit integers of the BLAS interface.
    @inline(__always)
    static func fits(_ values: Int...) -> Bool { values.allSatisfy { $0 <= Int(Int32.max) } }

    /// The CBLAS transpose flag and leading dimension of a strided operand of `rows` × `columns`
    /// in row-major order, or nil when neither stride is 1.
    static func layout(_ x: StridedMatrix, rows: Int, columns: Int) -> (CBLAS_TRANSPOSE, Int32)? {
      if x.columnStride == 1 && x.rowStride >= Swift.max(1, columns) {
        return (CblasNoTrans, Int32(x.rowStride))
      }
      if x.rowStride == 1 && x.columnStride >= Swift.max(1, rows) {
        return (CblasTrans, Int32(x.columnStride))
      }
      return nil
    }

    /// C += α·op(A)·op(B) by `cblas_dgemm` (β = 1), C row-major with row stride `cRowStride`.
    static func product(
      m: Int, n: Int, depth: Int, alpha: Double, a: StridedMatrix, b: StridedMatrix,
      c: UnsafeMutablePointer<Double>, cRowStride: Int
    ) -> Bool {
      _ = threadsConfigured
      guard fits(m, n, depth, cRowStride, a.rowStride, a.columnStride, b.rowStride, b.columnStride),
        cRowStride >= Swift.max(1, n),
        let (ta, lda) = layout(a, rows: m, columns: depth),
        let (tb, ldb) = layout(b, rows: depth, columns: n)
      else { return false }
      cblas_dgemm(
        CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(depth), alpha, a.base, lda, b.base, ldb,
        1, c, Int32(cRowStride))
      return true
    }

    /// The upper triangle of C ← α·AᵀA + β·C (`transposeTimesMatrix`) or α·AAᵀ + β·C by
    /// `cblas_dsyrk`, for the row-major m × k matrix A and the order × order matrix C.
    static func symmetricRankK(
      alpha: Double, a: UnsafePointer<Double>, rows m: Int, columns k: Int, beta: Double,
      c: UnsafeMutablePointer<Double>, order: Int, operation: SymmetricRankKOperation
    ) -> Bool {
      _ = threadsConfigured
      guard fits(m, k, order) else { return false }
      let (trans, depth) =
        operation == .transposeTimesMatrix ? (CblasTrans, m) : (CblasNoTrans, k)
      cblas_dsyrk(
        CblasRowMajor, CblasUpper, trans, Int32(order), Int32(depth), alpha, a,
        Int32(Swift.max(1, k)), beta, c, Int32(Swift.max(1, order)))
      return true
    }

    /// The lower Cholesky factor of the n × n row-major buffer in place by `LAPACKE_dpotrf`; false
    /// when a leading minor is not positive definite (or when n does not fit the interface).
    static func cholesky(_ w: UnsafeMutablePointer<Double>, n: Int) -> Bool? {
      _ = threadsConfigured
      guard fits(n) else { return nil }
      // The row-major lower triangle is the column-major upper one, so dpotrf's A = UᵀU in
      // column-major order writes L = Uᵀ in row-major order, with no transposing copies.
      if n == 0 { return true }
      let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), w, Int32(n))
      precondition(info >= 0, "LAPACKE_dpotrf rejected argument \(-info)")
      return info == 0
    }

    /// X ← L⁻¹X or L⁻ᵀX for the n × n lower-triangular L (row stride `lStride`) and the n × r
    /// matrix X (row stride `xStride`) by `cblas_dtrsm`.
    static func triangularSolve(
      _ l: UnsafePointer<Double>, n: Int, lStride: Int, x: UnsafeMutablePointer<Double>,
      columns r: Int, xStride: Int, transposed: Bool
    ) -> Bool {
      _ = threadsConfigured
      guard fits(n, r, lStride, xStride), lStride >= Swift.max(1, n), xStride >= Swift.max(1, r)
      else { return false }
      cblas_dtrsm(
        CblasRowMajor, CblasLeft, CblasLower, transposed ? CblasTrans : CblasNoTrans, CblasNonUnit,
        Int32(n), Int32(r), 1, l, Int32(lStride), x, Int32(xStride))
      return true
    }
  }
#endif
