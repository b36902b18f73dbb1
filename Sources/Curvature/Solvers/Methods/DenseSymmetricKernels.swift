import RealModule

/// Small dense symmetric kernels used by the second-order methods: a Cholesky factorization of
/// A + σI with the separate triangular solves that Moré-Sorensen's Newton iteration on λ needs
/// (‖L⁻¹p‖), and an eigendecomposition in the shape those methods use.
///
/// They are private to the Newton and trust-region code; they are meant for the small dense
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

  /// The eigendecomposition A = Q·diag(λ)·Qᵀ of a symmetric matrix through the library's
  /// ``SymmetricEigendecomposition`` (Householder tridiagonalization and implicit QL).
  /// Eigenvalues are ascending; `vectors[i]` is the unit eigenvector of `values[i]`. Returns nil
  /// for a non-finite matrix or when the iteration does not converge.
  static func eigen(_ a: Matrix) -> (values: [Double], vectors: [Vector])? {
    guard let e = SymmetricEigendecomposition(of: a) else { return nil }
    return (Array(e.eigenvalues), (0..<a.rows).map { e.eigenvectors.column($0) })
  }

  /// gᵀp + ½·pᵀHp, the quadratic model of a step for a dense H.
  static func modelValue(hessian h: Matrix, gradient g: Vector, step p: Vector) -> Double {
    let hp = h * p
    return dot(g, p) + 0.5 * dot(p, hp)
  }
}
