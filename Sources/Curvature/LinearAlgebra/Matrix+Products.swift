// Level-3 kernels: matrix-matrix products, Gram matrices and symmetric rank-k updates. Every
// product funnels into one packed, register-blocked kernel (`PackedProduct`, Goto & van de Geijn
// 2008), which absorbs transposes and strides while packing; the blocked Cholesky, QR and
// eigendecomposition use the same kernel for their level-3 updates.

/// Which entries of C the blocked product kernel forms.
@usableFromInline
enum ProductTriangle: Sendable {
  /// Every entry.
  case full
  /// Only entries with j ≥ i.
  case upper
  /// Only entries with j ≤ i.
  case lower
}

/// C[i, j] += α Σₖ op(A)[i, k]·op(B)[k, j] for i < m, j < n, k < p, on raw row-major buffers.
///
/// op(A)[i, k] lives at `a[i * aRowStride + k * aColumnStride]`, which covers A (strides p, 1) and
/// Aᵀ (strides 1, m) without copying; op(B)[k, j] at `b[k * bRowStride + j * bColumnStride]`; and
/// C[i, j] at `c[i * cRowStride + j]`, so submatrices of larger matrices can be used in place.
/// `triangle` restricts the update to the upper (j ≥ i) or lower (j ≤ i) part for symmetric
/// results. Large products run on several threads with a result that does not depend on their
/// number (see `PackedProduct`). With the `SystemLAPACK` trait, full products whose operands have
/// a unit stride go to the system's `cblas_dgemm` instead.
@usableFromInline
func blockedProductKernel(
  m: Int, n: Int, p: Int, alpha: Double,
  a: UnsafePointer<Double>, aRowStride: Int, aColumnStride: Int,
  b: UnsafePointer<Double>, bRowStride: Int, bColumnStride: Int = 1,
  c: UnsafeMutablePointer<Double>, cRowStride: Int, triangle: ProductTriangle = .full
) {
  let a = StridedMatrix(a, rowStride: aRowStride, columnStride: aColumnStride)
  let b = StridedMatrix(b, rowStride: bRowStride, columnStride: bColumnStride)
  #if SystemLAPACK
    if triangle == .full, m > 0, n > 0, p > 0,
      SystemBackend.product(
        m: m, n: n, depth: p, alpha: alpha, a: a, b: b, c: c, cRowStride: cRowStride)
    {
      return
    }
  #endif
  PackedProduct.multiply(
    m: m, n: n, depth: p, alpha: alpha, a: a, b: b, c: c, cRowStride: cRowStride,
    triangle: triangle)
}

/// Copies the upper triangle of the n × n row-major buffer into its lower triangle.
@usableFromInline
func mirrorUpperTriangle(_ c: UnsafeMutablePointer<Double>, _ n: Int) {
  for i in 0..<n {
    for j in 0..<i { c[i * n + j] = c[j * n + i] }
  }
}

/// Which symmetric product a rank-k update adds: AᵀA (the Gram matrix of the columns of A, as in
/// Gauss-Newton JᵀJ) or AAᵀ (the Gram matrix of the rows of A).
public enum SymmetricRankKOperation: Sendable, Hashable, CaseIterable {
  /// C ← αAᵀA + βC; for an m × k matrix A, C is k × k (BLAS `dsyrk` with trans = 'T').
  case transposeTimesMatrix
  /// C ← αAAᵀ + βC; for an m × k matrix A, C is m × m (BLAS `dsyrk` with trans = 'N').
  case matrixTimesTranspose
}

extension Matrix {
  /// The product C = A·B, cᵢⱼ = Σₖ aᵢₖ bₖⱼ (Golub & Van Loan, 4th ed., Alg. 1.1.5 in i-k-j order,
  /// tiled for cache).
  ///
  /// - Precondition: `a.columns == b.rows`.
  public static func * (a: Matrix, b: Matrix) -> Matrix {
    precondition(
      a.columns == b.rows,
      "dimension mismatch: cannot multiply \(a.rows)x\(a.columns) by \(b.rows)x\(b.columns)")
    var c = Matrix(rows: a.rows, columns: b.columns)
    c.addProduct(alpha: 1, a, b)
    return c
  }

  /// C ← C + α·op(A)·op(B) in place, without allocating (BLAS `dgemm` with β = 1), where op(X)
  /// is X or, with `transposingA` / `transposingB`, Xᵀ; transposes are read in place, never formed.
  ///
  /// - Precondition: the inner dimensions agree and `self` is rows(op(A)) × columns(op(B)).
  public mutating func addProduct(
    alpha: Double = 1, _ a: Matrix, _ b: Matrix, transposingA: Bool = false,
    transposingB: Bool = false
  ) {
    let (m, p) = transposingA ? (a.columns, a.rows) : (a.rows, a.columns)
    let (q, n) = transposingB ? (b.columns, b.rows) : (b.rows, b.columns)
    precondition(
      p == q,
      "dimension mismatch: cannot multiply \(m)x\(p) by \(q)x\(n) (after transposes)")
    precondition(
      rows == m && columns == n,
      "dimension mismatch: product is \(m)x\(n), output is \(rows)x\(columns)")
    let (aRow, aColumn) = transposingA ? (1, a.columns) : (a.columns, 1)
    let (bRow, bColumn) = transposingB ? (1, b.columns) : (b.columns, 1)
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        storage.withUnsafeMutableBufferPointer { pc in
          guard let ra = pa.baseAddress, let rb = pb.baseAddress, let rc = pc.baseAddress else {
            return
          }
          blockedProductKernel(
            m: m, n: n, p: p, alpha: alpha, a: ra, aRowStride: aRow, aColumnStride: aColumn,
            b: rb, bRowStride: bRow, bColumnStride: bColumn, c: rc, cRowStride: n)
        }
      }
    }
  }

  /// The product C = Aᵀ·B, cᵢⱼ = Σₖ aₖᵢ bₖⱼ, without forming Aᵀ.
  ///
  /// - Precondition: `rows == b.rows` (A is p × m, B is p × n, the result is m × n).
  public func transposeMultiply(_ b: Matrix) -> Matrix {
    precondition(
      rows == b.rows,
      "dimension mismatch: cannot multiply the transpose of \(rows)x\(columns) by \(b.rows)x\(b.columns)"
    )
    var c = Matrix(rows: columns, columns: b.columns)
    c.addProduct(self, b, transposingA: true)
    return c
  }

  /// The product C = A·Bᵀ, cᵢⱼ = Σₖ aᵢₖ bⱼₖ, without forming Bᵀ.
  ///
  /// - Precondition: `columns == b.columns` (A is m × p, B is n × p, the result is m × n).
  public func multiplyTranspose(_ b: Matrix) -> Matrix {
    precondition(
      columns == b.columns,
      "dimension mismatch: cannot multiply \(rows)x\(columns) by the transpose of \(b.rows)x\(b.columns)"
    )
    var c = Matrix(rows: rows, columns: b.rows)
    c.addProduct(self, b, transposingB: true)
    return c
  }

  /// The Gram matrix of the columns, AᵀA (k × k for an m × k matrix), symmetric and positive
  /// semidefinite: (AᵀA)ᵢⱼ = Σₖ aₖᵢ aₖⱼ. Only the upper triangle is computed, then mirrored.
  public var gram: Matrix {
    var c = Matrix(rows: columns, columns: columns)
    Matrix.symmetricRankKUpdate(alpha: 1, a: self, beta: 0, c: &c)
    return c
  }

  /// The Gram matrix of the rows, AAᵀ (m × m for an m × k matrix): (AAᵀ)ᵢⱼ = (row i)·(row j).
  public var outerGram: Matrix {
    var c = Matrix(rows: rows, columns: rows)
    Matrix.symmetricRankKUpdate(
      alpha: 1, a: self, beta: 0, c: &c, operation: .matrixTimesTranspose)
    return c
  }

  /// The symmetric rank-k update C ← α·AᵀA + β·C (default) or C ← α·AAᵀ + β·C (BLAS `dsyrk`).
  ///
  /// C must be symmetric: only its upper triangle (j ≥ i) is read, and the full symmetric result
  /// is written to both triangles. As in the BLAS, β = 0 overwrites C without reading it (so NaN in
  /// C does not propagate). Costs about m·k² flops for AᵀA with A of shape m × k, half of a
  /// general product.
  ///
  /// - Precondition: C is k × k for `.transposeTimesMatrix` and m × m for `.matrixTimesTranspose`.
  public static func symmetricRankKUpdate(
    alpha: Double, a: Matrix, beta: Double, c: inout Matrix,
    operation: SymmetricRankKOperation = .transposeTimesMatrix
  ) {
    let order = operation == .transposeTimesMatrix ? a.columns : a.rows
    precondition(
      c.rows == order && c.columns == order,
      "dimension mismatch: rank-k update of \(a.rows)x\(a.columns) needs a \(order)x\(order) matrix, got \(c.rows)x\(c.columns)"
    )
    let n = order
    a.storage.withUnsafeBufferPointer { pa in
      c.storage.withUnsafeMutableBufferPointer { pc in
        guard let rc = pc.baseAddress else { return }
        #if SystemLAPACK
          if let ra = pa.baseAddress,
            SystemBackend.symmetricRankK(
              alpha: alpha, a: ra, rows: a.rows, columns: a.columns, beta: beta, c: rc,
              order: n, operation: operation)
          {
            mirrorUpperTriangle(rc, n)
            return
          }
        #endif
        for i in 0..<n {
          for j in i..<n { rc[i * n + j] = beta == 0 ? 0 : beta * rc[i * n + j] }
        }
        if let ra = pa.baseAddress, alpha != 0 {
          switch operation {
          case .transposeTimesMatrix:
            // C[i, j] += α Σₖ A[k, i] A[k, j]: op(A) = Aᵀ with strides (1, n), B = A.
            blockedProductKernel(
              m: n, n: n, p: a.rows, alpha: alpha, a: ra, aRowStride: 1, aColumnStride: n,
              b: ra, bRowStride: n, c: rc, cRowStride: n, triangle: .upper)
          case .matrixTimesTranspose:
            // C[i, j] += α Σₖ A[i, k] A[j, k]: op(A) = A, op(B) = Aᵀ with strides (1, p).
            let p = a.columns
            blockedProductKernel(
              m: n, n: n, p: p, alpha: alpha, a: ra, aRowStride: p, aColumnStride: 1,
              b: ra, bRowStride: 1, bColumnStride: p, c: rc, cRowStride: n, triangle: .upper)
          }
        }
        mirrorUpperTriangle(rc, n)
      }
    }
  }

  /// A + τI, the matrix with τ added to every diagonal element.
  ///
  /// - Precondition: the matrix is square.
  public func addingToDiagonal(_ tau: Double) -> Matrix {
    precondition(isSquare, "addingToDiagonal needs a square matrix, got \(rows)x\(columns)")
    var r = self
    for i in 0..<rows { r.storage[i * columns + i] += tau }
    return r
  }

  /// The largest absolute asymmetry maxᵢⱼ |aᵢⱼ − aⱼᵢ| of a square matrix (0 when symmetric).
  ///
  /// - Precondition: the matrix is square.
  public var asymmetry: Double {
    precondition(isSquare, "asymmetry needs a square matrix, got \(rows)x\(columns)")
    var worst = 0.0
    for i in 0..<rows {
      for j in 0..<i {
        let d = Swift.abs(storage[i * columns + j] - storage[j * columns + i])
        if d.isNaN { return .nan }
        worst = Swift.max(worst, d)
      }
    }
    return worst
  }
}
