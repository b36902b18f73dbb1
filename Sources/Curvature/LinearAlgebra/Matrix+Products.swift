// Level-3 kernels: matrix-matrix products, Gram matrices and symmetric rank-k updates.
//
// Every product funnels into one blocked kernel that forms C[i, j] += α Σₖ op(A)[i, k]·B[k, j]
// in i-k-j order: the innermost loop runs along a row of B and a row of C, both contiguous in
// row-major storage, so release builds vectorize it. The k and j loops are tiled so that a
// `productBlockRows` × `productBlockColumns` panel of B (256 KiB) stays in cache while every row of
// A streams past it. Each pass over j folds four rows of B into two rows of C at once, so every
// element of C loaded feeds four multiply-adds and every element of B two (Golub & Van Loan,
// Matrix Computations, 4th ed., §1.1 and §1.5). The blocked Cholesky and QR factorizations use
// the same kernel for their trailing updates.

/// The number of rows of B (the k tile) held in cache by the blocked product kernel.
@usableFromInline let productBlockRows = 128
/// The number of columns of B and C (the j tile) held in cache by the blocked product kernel.
@usableFromInline let productBlockColumns = 256

/// Which entries of C the blocked product kernel forms.
@usableFromInline
enum ProductTriangle {
  /// Every entry.
  case full
  /// Only entries with j ≥ i.
  case upper
  /// Only entries with j ≤ i.
  case lower
}

/// C[i, j] += α Σₖ op(A)[i, k]·B[k, j] for i < m, j < n, k < p, on raw row-major buffers.
///
/// op(A)[i, k] lives at `a[i * aRowStride + k * aColumnStride]`, which covers A (strides p, 1) and
/// Aᵀ (strides 1, m) without copying. B[k, j] lives at `b[k * bRowStride + j]` and C[i, j] at
/// `c[i * cRowStride + j]`, so submatrices of larger matrices can be used in place. `triangle`
/// restricts the update to the upper (j ≥ i) or lower (j ≤ i) part for symmetric results.
///
/// Rows of C are processed in pairs: each pass over j combines four rows of B into two rows of C,
/// so every loaded element of B feeds two multiply-adds.
@usableFromInline
func blockedProductKernel(
  m: Int, n: Int, p: Int, alpha: Double,
  a: UnsafePointer<Double>, aRowStride: Int, aColumnStride: Int,
  b: UnsafePointer<Double>, bRowStride: Int,
  c: UnsafeMutablePointer<Double>, cRowStride: Int, triangle: ProductTriangle = .full
) {
  if m == 0 || n == 0 || p == 0 { return }
  var j0 = 0
  while j0 < n {
    let j1 = Swift.min(j0 + productBlockColumns, n)
    // The j range of row i inside the current column tile.
    func range(_ i: Int) -> (Int, Int) {
      switch triangle {
      case .full: (j0, j1)
      case .upper: (Swift.max(j0, i), j1)
      case .lower: (j0, Swift.min(j1, i + 1))
      }
    }
    var k0 = 0
    while k0 < p {
      let k1 = Swift.min(k0 + productBlockRows, p)
      let tile = ProductTile(
        k0: k0, k1: k1, alpha: alpha, a: a, aRowStride: aRowStride,
        aColumnStride: aColumnStride, b: b, bRowStride: bRowStride, c: c, cRowStride: cRowStride)
      var i = 0
      while i + 2 <= m {
        let (s0, e0) = range(i)
        let (s1, e1) = range(i + 1)
        let cs = Swift.max(s0, s1)
        let ce = Swift.min(e0, e1)
        if cs < ce {
          tile.updatePair(i, cs, ce)
          tile.updateRow(i, s0, cs)
          tile.updateRow(i, ce, e0)
          tile.updateRow(i + 1, s1, cs)
          tile.updateRow(i + 1, ce, e1)
        } else {
          tile.updateRow(i, s0, e0)
          tile.updateRow(i + 1, s1, e1)
        }
        i += 2
      }
      if i < m {
        let (s0, e0) = range(i)
        tile.updateRow(i, s0, e0)
      }
      k0 = k1
    }
    j0 = j1
  }
}

/// One k tile of the blocked product: the operands and the k range k₀..<k₁.
@usableFromInline
struct ProductTile {
  let k0: Int
  let k1: Int
  let alpha: Double
  let a: UnsafePointer<Double>
  let aRowStride: Int
  let aColumnStride: Int
  let b: UnsafePointer<Double>
  let bRowStride: Int
  let c: UnsafeMutablePointer<Double>
  let cRowStride: Int

  /// C[i, js..<je] += α Σₖ op(A)[i, k]·B[k, js..<je] over the tile's k range.
  @inline(__always)
  func updateRow(_ i: Int, _ js: Int, _ je: Int) {
    if js >= je { return }
    let ci = c + i * cRowStride
    let ai = a + i * aRowStride
    var k = k0
    while k + 4 <= k1 {
      let a0 = alpha * ai[k * aColumnStride]
      let a1 = alpha * ai[(k + 1) * aColumnStride]
      let a2 = alpha * ai[(k + 2) * aColumnStride]
      let a3 = alpha * ai[(k + 3) * aColumnStride]
      let b0 = b + k * bRowStride
      let b1 = b0 + bRowStride
      let b2 = b1 + bRowStride
      let b3 = b2 + bRowStride
      for j in js..<je {
        ci[j] += (a0 * b0[j] + a1 * b1[j]) + (a2 * b2[j] + a3 * b3[j])
      }
      k += 4
    }
    while k < k1 {
      let a0 = alpha * ai[k * aColumnStride]
      let b0 = b + k * bRowStride
      for j in js..<je { ci[j] += a0 * b0[j] }
      k += 1
    }
  }

  /// Rows i and i + 1 of C over the same j range, sharing every load of B.
  @inline(__always)
  func updatePair(_ i: Int, _ js: Int, _ je: Int) {
    let c0 = c + i * cRowStride
    let c1 = c0 + cRowStride
    let r0 = a + i * aRowStride
    let r1 = r0 + aRowStride
    var k = k0
    while k + 4 <= k1 {
      let o0 = k * aColumnStride
      let o1 = o0 + aColumnStride
      let o2 = o1 + aColumnStride
      let o3 = o2 + aColumnStride
      let x0 = alpha * r0[o0]
      let x1 = alpha * r0[o1]
      let x2 = alpha * r0[o2]
      let x3 = alpha * r0[o3]
      let y0 = alpha * r1[o0]
      let y1 = alpha * r1[o1]
      let y2 = alpha * r1[o2]
      let y3 = alpha * r1[o3]
      let b0 = b + k * bRowStride
      let b1 = b0 + bRowStride
      let b2 = b1 + bRowStride
      let b3 = b2 + bRowStride
      for j in js..<je {
        let u0 = b0[j]
        let u1 = b1[j]
        let u2 = b2[j]
        let u3 = b3[j]
        c0[j] += (x0 * u0 + x1 * u1) + (x2 * u2 + x3 * u3)
        c1[j] += (y0 * u0 + y1 * u1) + (y2 * u2 + y3 * u3)
      }
      k += 4
    }
    while k < k1 {
      let x0 = alpha * r0[k * aColumnStride]
      let y0 = alpha * r1[k * aColumnStride]
      let b0 = b + k * bRowStride
      for j in js..<je {
        let u0 = b0[j]
        c0[j] += x0 * u0
        c1[j] += y0 * u0
      }
      k += 1
    }
  }
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

  /// C ← C + α·A·B in place, without allocating (BLAS `dgemm` with β = 1).
  ///
  /// - Precondition: `a.columns == b.rows`, and `self` is `a.rows` × `b.columns`.
  public mutating func addProduct(alpha: Double = 1, _ a: Matrix, _ b: Matrix) {
    precondition(
      a.columns == b.rows,
      "dimension mismatch: cannot multiply \(a.rows)x\(a.columns) by \(b.rows)x\(b.columns)")
    precondition(
      rows == a.rows && columns == b.columns,
      "dimension mismatch: product is \(a.rows)x\(b.columns), output is \(rows)x\(columns)")
    let (m, n, p) = (a.rows, b.columns, a.columns)
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        storage.withUnsafeMutableBufferPointer { pc in
          guard let ra = pa.baseAddress, let rb = pb.baseAddress, let rc = pc.baseAddress else {
            return
          }
          blockedProductKernel(
            m: m, n: n, p: p, alpha: alpha, a: ra, aRowStride: p, aColumnStride: 1,
            b: rb, bRowStride: n, c: rc, cRowStride: n)
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
    let (m, n, p) = (columns, b.columns, rows)
    var c = Matrix(rows: m, columns: n)
    storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        c.storage.withUnsafeMutableBufferPointer { pc in
          guard let ra = pa.baseAddress, let rb = pb.baseAddress, let rc = pc.baseAddress else {
            return
          }
          blockedProductKernel(
            m: m, n: n, p: p, alpha: 1, a: ra, aRowStride: 1, aColumnStride: m,
            b: rb, bRowStride: n, c: rc, cRowStride: n)
        }
      }
    }
    return c
  }

  /// The product C = A·Bᵀ, cᵢⱼ = Σₖ aᵢₖ bⱼₖ. Bᵀ is formed once (O(np) copies) so that the
  /// blocked kernel streams along its contiguous rows.
  ///
  /// - Precondition: `columns == b.columns` (A is m × p, B is n × p, the result is m × n).
  public func multiplyTranspose(_ b: Matrix) -> Matrix {
    precondition(
      columns == b.columns,
      "dimension mismatch: cannot multiply \(rows)x\(columns) by the transpose of \(b.rows)x\(b.columns)"
    )
    return self * b.transposed
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
            let p = a.columns
            for i in 0..<n {
              let ai = UnsafeBufferPointer(start: ra + i * p, count: p)
              for j in i..<n {
                rc[i * n + j] +=
                  alpha * dotKernel(ai, UnsafeBufferPointer(start: ra + j * p, count: p))
              }
            }
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
