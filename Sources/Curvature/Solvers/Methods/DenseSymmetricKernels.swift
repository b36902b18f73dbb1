import RealModule

/// Small dense symmetric kernels used by the second-order methods: a plain Cholesky factorization
/// with triangular solves and a cyclic Jacobi eigensolver.
///
/// They are private to the Newton and trust-region code so that those methods do not depend on the
/// order in which the library's general factorizations land; they are meant for the small dense
/// Hessians (n up to a few hundred) that ``ModifiedNewton``, ``MoreSorensen`` and ``Dogleg`` use,
/// and for the tridiagonal matrices of Lanczos runs.
enum DenseSymmetricKernels {
  /// The lower-triangular Cholesky factor L of A = L·Lᵀ (row-major n×n), or nil when a pivot is
  /// not positive and finite (A is not numerically positive definite).
  ///
  /// Algorithm: the column-by-column (Cholesky-Crout) recurrence
  /// Lⱼⱼ = √(Aⱼⱼ − Σₖ₍ⱼ Lⱼₖ²), Lᵢⱼ = (Aᵢⱼ − Σₖ₍ⱼ LᵢₖLⱼₖ)/Lⱼⱼ (Golub & Van Loan, 4th ed., Alg. 4.2.2).
  static func cholesky(_ a: Matrix, shift: Double = 0) -> [Double]? {
    let n = a.rows
    var l = [Double](repeating: 0, count: n * n)
    for j in 0..<n {
      var d = a[j, j] + shift
      for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
      guard d > 0, d.isFinite else { return nil }
      let ljj = d.squareRoot()
      l[j * n + j] = ljj
      for i in (j + 1)..<max(j + 1, n) {
        var s = a[i, j]
        for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
        l[i * n + j] = s / ljj
      }
    }
    return l
  }

  /// Solves L·y = b (forward substitution) for the factor of ``cholesky(_:shift:)``.
  static func solveLower(_ l: [Double], _ b: Vector) -> Vector {
    let n = b.count
    var y = b
    for i in 0..<n {
      var s = y[i]
      for k in 0..<i { s -= l[i * n + k] * y[k] }
      y[i] = s / l[i * n + i]
    }
    return y
  }

  /// Solves Lᵀ·x = y (back substitution).
  static func solveUpper(_ l: [Double], _ y: Vector) -> Vector {
    let n = y.count
    var x = y
    for i in stride(from: n - 1, through: 0, by: -1) {
      var s = x[i]
      for k in (i + 1)..<max(i + 1, n) { s -= l[k * n + i] * x[k] }
      x[i] = s / l[i * n + i]
    }
    return x
  }

  /// Solves (L·Lᵀ)·x = b.
  static func solve(_ l: [Double], _ b: Vector) -> Vector {
    solveUpper(l, solveLower(l, b))
  }

  /// The eigendecomposition A = Q·diag(λ)·Qᵀ of a symmetric matrix by the cyclic Jacobi method
  /// (Golub & Van Loan, 4th ed., section 8.5): rotations zero the off-diagonal entries in turn
  /// until their Frobenius norm falls below ε·‖A‖_F. Eigenvalues are sorted ascending;
  /// `vectors[i]` is the unit eigenvector of `values[i]`. Returns nil for a non-finite matrix.
  static func eigen(_ a: Matrix) -> (values: [Double], vectors: [Vector])? {
    let n = a.rows
    guard a.isFinite else { return nil }
    var m = a
    var q = Matrix.identity(n)
    let total = a.frobeniusNorm
    if n > 1 && total > 0 {
      for _ in 0..<100 {
        var off = 0.0
        for i in 0..<n { for j in 0..<n where i != j { off += m[i, j] * m[i, j] } }
        if off.squareRoot() <= 1e-15 * total { break }
        for p in 0..<(n - 1) {
          for r in (p + 1)..<n {
            let apq = m[p, r]
            if apq == 0 { continue }
            let theta = (m[r, r] - m[p, p]) / (2 * apq)
            let t =
              (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
            let c = 1 / (t * t + 1).squareRoot()
            let s = t * c
            for k in 0..<n {
              let mkp = m[k, p]
              let mkr = m[k, r]
              m[k, p] = c * mkp - s * mkr
              m[k, r] = s * mkp + c * mkr
            }
            for k in 0..<n {
              let mpk = m[p, k]
              let mrk = m[r, k]
              m[p, k] = c * mpk - s * mrk
              m[r, k] = s * mpk + c * mrk
            }
            for k in 0..<n {
              let qkp = q[k, p]
              let qkr = q[k, r]
              q[k, p] = c * qkp - s * qkr
              q[k, r] = s * qkp + c * qkr
            }
          }
        }
      }
    }
    let order = (0..<n).sorted { m[$0, $0] < m[$1, $1] }
    let values = order.map { m[$0, $0] }
    let vectors = order.map { q.column($0) }
    return (values, vectors)
  }

  /// gᵀp + ½·pᵀHp, the quadratic model of a step for a dense H.
  static func modelValue(hessian h: Matrix, gradient g: Vector, step p: Vector) -> Double {
    let hp = h * p
    return dot(g, p) + 0.5 * dot(p, hp)
  }
}
