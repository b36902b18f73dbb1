import RealModule

/// The eigendecomposition A = VΛVᵀ of a real symmetric matrix: Λ = diag(λ₁ ≤ … ≤ λₙ) and V
/// orthogonal with the eigenvector vⱼ of λⱼ in column j.
///
/// Two stages (Golub & Van Loan, Matrix Computations, 4th ed., §8.3):
///
/// 1. Householder tridiagonalization (Alg. 8.3.1): reflectors Pₖ = I − βₖvₖvₖᵀ that zero column k
///    below the subdiagonal give T = QᵀAQ with Q = P₁⋯Pₙ₋₂. Each trailing block is updated by
///    the symmetric rank-2 form B ← B − vwᵀ − wvᵀ, p = βBv, w = p − (βpᵀv/2)v (4n³/3 flops), and Q
///    is accumulated backwards (4n³/3 flops).
/// 2. Implicit symmetric QL iteration on T with a Wilkinson shift, the eigenvalue of the leading
///    2 × 2 block closest to its first diagonal element, chased by Givens rotations from the
///    bottom of the unreduced block up (the QL variant of §8.3.5; Bowdler, Martin, Reinsch and
///    Wilkinson, Numer. Math. 11, 1968). An off-diagonal |eₘ| ≤ ε(|dₘ| + |dₘ₊₁|) counts as zero.
///    Convergence is cubic in practice; the iteration is bounded by
///    ``maximumIterationsPerEigenvalue`` sweeps per eigenvalue and the initializer returns nil
///    if that bound is reached, so it never hangs.
///
/// The matrix is scaled by 1/maxᵢⱼ|aᵢⱼ| before the iteration and the eigenvalues scaled back, so
/// entries near the overflow or underflow thresholds are handled. **Only the lower triangle of A
/// (j ≤ i) is read.** Backward stable: the computed pairs are exact for A + E with
/// ‖E‖₂ ≈ ε‖A‖₂, so eigenvalues carry absolute errors of about ε‖A‖₂ (Golub & Van Loan §8.3.6).
public struct SymmetricEigendecomposition: Sendable, Hashable {
  /// The eigenvalues in ascending order.
  public let eigenvalues: Vector
  /// The orthonormal eigenvectors as the columns of an n × n matrix: column j belongs to
  /// `eigenvalues[j]`, and A·V = V·diag(eigenvalues).
  public let eigenvectors: Matrix

  /// The bound on implicit QL sweeps spent on any one eigenvalue before the decomposition gives up.
  public static let maximumIterationsPerEigenvalue = 50

  /// The order n of the matrix.
  public var dimension: Int { eigenvalues.count }

  /// The smallest eigenvalue λ₁ (+∞ for an empty matrix).
  public var minimumEigenvalue: Double { eigenvalues.first ?? .infinity }

  /// The largest eigenvalue λₙ (−∞ for an empty matrix).
  public var maximumEigenvalue: Double { eigenvalues.last ?? -.infinity }

  /// The eigenvector of the smallest eigenvalue (column 0 of ``eigenvectors``).
  ///
  /// - Precondition: the matrix is not empty.
  public var minimumEigenvector: Vector {
    precondition(dimension > 0, "an empty matrix has no eigenvectors")
    return eigenvectors.column(0)
  }

  /// Decomposes the symmetric matrix `a`, reading only its lower triangle.
  ///
  /// Returns nil when `a` is not square, contains NaN or ±∞, or the QL iteration does not
  /// converge within ``maximumIterationsPerEigenvalue`` sweeps per eigenvalue.
  public init?(of a: Matrix) {
    guard a.isSquare, a.isFinite else { return nil }
    guard let (values, vectors) = Self.decompose(a, wantVectors: true) else { return nil }
    eigenvalues = values
    eigenvectors = vectors
  }

  /// Decomposes the symmetric tridiagonal matrix T with diagonal `tridiagonalDiagonal` (n
  /// elements) and sub- and superdiagonal `offDiagonal` (n − 1 elements, tᵢ₊₁,ᵢ = tᵢ,ᵢ₊₁ = eᵢ), as
  /// Lanczos-based trust-region solvers need (the eigenvectors are those of T).
  ///
  /// Returns nil when an element is not finite or the QL iteration does not converge.
  /// - Precondition: `offDiagonal.count == tridiagonalDiagonal.count − 1` (or both empty).
  public init?(tridiagonalDiagonal diagonal: Vector, offDiagonal: Vector) {
    Self.checkTridiagonalShape(diagonal, offDiagonal)
    guard diagonal.isFinite, offDiagonal.isFinite else { return nil }
    guard
      let (values, vectors) = Self.decomposeTridiagonal(
        diagonal, offDiagonal, wantVectors: true)
    else { return nil }
    eigenvalues = values
    eigenvectors = vectors
  }

  /// The eigenvalues of the symmetric matrix `a` in ascending order, without the eigenvectors
  /// (about a third of the work). Only the lower triangle is read.
  ///
  /// Returns nil when `a` is not square, not finite, or the iteration does not converge.
  public static func eigenvalues(of a: Matrix) -> Vector? {
    guard a.isSquare, a.isFinite else { return nil }
    return decompose(a, wantVectors: false)?.0
  }

  /// The eigenvalues, ascending, of the symmetric tridiagonal matrix with the given diagonal (n
  /// elements) and off-diagonal (n − 1 elements).
  ///
  /// Returns nil when an element is not finite or the iteration does not converge.
  /// - Precondition: `offDiagonal.count == diagonal.count − 1` (or both empty).
  public static func eigenvalues(tridiagonalDiagonal diagonal: Vector, offDiagonal: Vector)
    -> Vector?
  {
    checkTridiagonalShape(diagonal, offDiagonal)
    guard diagonal.isFinite, offDiagonal.isFinite else { return nil }
    return decomposeTridiagonal(diagonal, offDiagonal, wantVectors: false)?.0
  }

  // MARK: - Implementation

  static func checkTridiagonalShape(_ diagonal: Vector, _ offDiagonal: Vector) {
    precondition(
      offDiagonal.count == Swift.max(diagonal.count - 1, 0),
      "dimension mismatch: tridiagonal with \(diagonal.count) diagonal elements needs \(Swift.max(diagonal.count - 1, 0)) off-diagonal elements, got \(offDiagonal.count)"
    )
  }

  /// Tridiagonal input: scale, run QL with W = I, sort.
  static func decomposeTridiagonal(_ diagonal: Vector, _ offDiagonal: Vector, wantVectors: Bool)
    -> (Vector, Matrix)?
  {
    let n = diagonal.count
    let scale = Swift.max(diagonal.normInfinity, offDiagonal.normInfinity)
    if n == 0 || scale == 0 {
      return (Vector.zeros(n), wantVectors ? Matrix.identity(n) : Matrix(rows: 0, columns: 0))
    }
    var d = diagonal.storage.map { $0 / scale }
    var e = offDiagonal.storage.map { $0 / scale } + [0]
    var w = wantVectors ? Matrix.identity(n).storage : []
    let converged = w.withUnsafeMutableBufferPointer { pw in
      implicitQL(d: &d, e: &e, rotating: wantVectors ? pw.baseAddress : nil)
    }
    guard converged else { return nil }
    return sorted(d, scale: scale, rowsOfVectors: w, wantVectors: wantVectors)
  }

  /// Dense input: scale, tridiagonalize, accumulate Q, run QL on the rows of Qᵀ, sort.
  static func decompose(_ a: Matrix, wantVectors: Bool) -> (Vector, Matrix)? {
    let n = a.rows
    // Symmetric working copy built from the lower triangle, scaled so that max|aᵢⱼ| = 1.
    var scale = 0.0
    for i in 0..<n {
      for j in 0...i { scale = Swift.max(scale, Swift.abs(a[i, j])) }
    }
    if n == 0 || scale == 0 {
      return (Vector.zeros(n), wantVectors ? Matrix.identity(n) : Matrix(rows: 0, columns: 0))
    }
    var work = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0...i {
        let v = a[i, j] / scale
        work[i * n + j] = v
        work[j * n + i] = v
      }
    }
    var d = [Double](repeating: 0, count: n)
    var e = [Double](repeating: 0, count: n)
    var betas = [Double](repeating: 0, count: n)
    work.withUnsafeMutableBufferPointer { pa in
      tridiagonalize(pa.baseAddress!, n: n, d: &d, e: &e, betas: &betas)
    }
    var w: [Double] = []
    if wantVectors {
      var q = Matrix.identity(n).storage
      work.withUnsafeBufferPointer { pa in
        q.withUnsafeMutableBufferPointer { pq in
          accumulateReflectors(pa.baseAddress!, n: n, betas: betas, q: pq.baseAddress!)
        }
      }
      // W = Qᵀ: the QL rotations then act on rows of W, which are contiguous.
      w = [Double](repeating: 0, count: n * n)
      for i in 0..<n {
        for j in 0..<n { w[j * n + i] = q[i * n + j] }
      }
    }
    let converged = w.withUnsafeMutableBufferPointer { pw in
      implicitQL(d: &d, e: &e, rotating: wantVectors ? pw.baseAddress : nil)
    }
    guard converged else { return nil }
    return sorted(d, scale: scale, rowsOfVectors: w, wantVectors: wantVectors)
  }

  /// Householder reduction of the full symmetric n × n buffer `a` to tridiagonal form.
  ///
  /// On return d holds the diagonal, e[k] the element (k + 1, k) (e[n − 1] = 0), and column k of
  /// `a` below the subdiagonal position holds vₖ (including its first element, in row k + 1) for
  /// every k with `betas[k] != 0`.
  static func tridiagonalize(
    _ a: UnsafeMutablePointer<Double>, n: Int, d: inout [Double], e: inout [Double],
    betas: inout [Double]
  ) {
    var v = [Double](repeating: 0, count: n)
    var p = [Double](repeating: 0, count: n)
    v.withUnsafeMutableBufferPointer { pv in
      p.withUnsafeMutableBufferPointer { pp in
        let vb = pv.baseAddress!
        let pb = pp.baseAddress!
        var k = 0
        while k + 2 < n {
          let m = n - k - 1
          // x = A[k+1..<n, k]; find the reflector with Px = αe₁, α = −sign(x₀)‖x‖.
          var maxAbs = 0.0
          var tailIsZero = true
          for i in 0..<m {
            let xi = a[(k + 1 + i) * n + k]
            vb[i] = xi
            maxAbs = Swift.max(maxAbs, Swift.abs(xi))
            if i > 0 && xi != 0 { tailIsZero = false }
          }
          let x0 = vb[0]
          if tailIsZero {
            e[k] = x0
            betas[k] = 0
            k += 1
            continue
          }
          var sum = 0.0
          for i in 0..<m {
            let t = vb[i] / maxAbs
            sum += t * t
          }
          let norm = maxAbs * sum.squareRoot()
          let alpha = x0 >= 0 ? -norm : norm
          let v0 = x0 - alpha
          // vᵀv = −2αv₀, so β = 2/(vᵀv) = −1/(αv₀).
          let beta = -1 / (alpha * v0)
          vb[0] = v0
          a[(k + 1) * n + k] = v0
          e[k] = alpha
          betas[k] = beta
          // Trailing block B = A[k+1..<n, k+1..<n]: p = βBv, w = p − (βpᵀv/2)v.
          let b = a + (k + 1) * n + (k + 1)
          let vBuffer = UnsafeBufferPointer(start: vb, count: m)
          for i in 0..<m {
            pb[i] = beta * dotKernel(UnsafeBufferPointer(start: b + i * n, count: m), vBuffer)
          }
          let half = 0.5 * beta * dotKernel(UnsafeBufferPointer(start: pb, count: m), vBuffer)
          for i in 0..<m { pb[i] -= half * vb[i] }
          // B ← B − vwᵀ − wvᵀ (w stored in p).
          for i in 0..<m {
            let row = b + i * n
            let vi = vb[i]
            let wi = pb[i]
            for j in 0..<m { row[j] -= vi * pb[j] + wi * vb[j] }
          }
          k += 1
        }
      }
    }
    if n >= 2 { e[n - 2] = a[(n - 1) * n + (n - 2)] }
    if n >= 1 { e[n - 1] = 0 }
    for i in 0..<n { d[i] = a[i * n + i] }
  }

  /// Q = P₀P₁⋯Pₙ₋₃ accumulated backwards into `q` (which holds I on entry):
  /// Q[k+1..<n, k+1..<n] ← (I − βₖvₖvₖᵀ)·Q[k+1..<n, k+1..<n] for k = n − 3, …, 0.
  static func accumulateReflectors(
    _ a: UnsafePointer<Double>, n: Int, betas: [Double], q: UnsafeMutablePointer<Double>
  ) {
    var z = [Double](repeating: 0, count: n)
    z.withUnsafeMutableBufferPointer { pz in
      let zb = pz.baseAddress!
      var k = n - 3
      while k >= 0 {
        let beta = betas[k]
        if beta != 0 {
          let m = n - k - 1
          let block = q + (k + 1) * n + (k + 1)
          // z = vᵀQ_block, a combination of rows.
          for j in 0..<m { zb[j] = 0 }
          for i in 0..<m {
            let vi = a[(k + 1 + i) * n + k]
            if vi == 0 { continue }
            let row = block + i * n
            for j in 0..<m { zb[j] += vi * row[j] }
          }
          for i in 0..<m {
            let s = beta * a[(k + 1 + i) * n + k]
            if s == 0 { continue }
            let row = block + i * n
            for j in 0..<m { row[j] -= s * zb[j] }
          }
        }
        k -= 1
      }
    }
  }

  /// Implicit QL with Wilkinson shifts on the symmetric tridiagonal (d, e), e[i] coupling i and
  /// i + 1 and e[n − 1] = 0. On success d holds the eigenvalues (unsorted). If `w` is given, every
  /// rotation G acting on indices (i, i + 1) is applied to rows i and i + 1 of the n × n buffer,
  /// so that W ← GᵀW accumulates the transposed eigenvector matrix. Returns false if some
  /// eigenvalue needs more than ``maximumIterationsPerEigenvalue`` sweeps.
  static func implicitQL(
    d: inout [Double], e: inout [Double], rotating w: UnsafeMutablePointer<Double>?
  ) -> Bool {
    let n = d.count
    let eps = Double.ulpOfOne
    for l in 0..<n {
      var sweeps = 0
      while true {
        // The first negligible coupling e[m], m ≥ l, splits off the unreduced block l...m.
        var m = l
        while m < n - 1 {
          if Swift.abs(e[m]) <= eps * (Swift.abs(d[m]) + Swift.abs(d[m + 1])) { break }
          m += 1
        }
        if m == l { break }
        sweeps += 1
        if sweeps > maximumIterationsPerEigenvalue { return false }
        // Shift σ: the eigenvalue of [dₗ eₗ; eₗ dₗ₊₁] closest to dₗ, σ = dₗ − eₗ/(θ ± √(θ²+1))
        // with θ = (dₗ₊₁ − dₗ)/(2eₗ). g starts as dₘ − σ, the first element to annihilate.
        let theta = (d[l + 1] - d[l]) / (2 * e[l])
        let root = Double.hypot(theta, 1)
        var g = d[m] - d[l] + e[l] / (theta + (theta >= 0 ? root : -root))
        var s = 1.0
        var c = 1.0
        var p = 0.0
        var i = m - 1
        var deflatedEarly = false
        while i >= l {
          // Rotation in the (i, i+1) plane chasing the bulge upwards.
          let f = s * e[i]
          let b = c * e[i]
          let r = Double.hypot(f, g)
          e[i + 1] = r
          if r == 0 {
            // Underflow: the block splits at i; restart on the smaller block.
            d[i + 1] -= p
            e[m] = 0
            deflatedEarly = true
            break
          }
          s = f / r
          c = g / r
          g = d[i + 1] - p
          let t = (d[i] - g) * s + 2 * c * b
          p = s * t
          d[i + 1] = g + p
          g = c * t - b
          if let w {
            let ri = w + i * n
            let rj = ri + n
            for k in 0..<n {
              let zi = ri[k]
              let zj = rj[k]
              rj[k] = s * zi + c * zj
              ri[k] = c * zi - s * zj
            }
          }
          i -= 1
        }
        if deflatedEarly { continue }
        d[l] -= p
        e[l] = g
        e[m] = 0
      }
    }
    return true
  }

  /// Sorts the eigenvalues ascending (undoing the scaling) and gathers the eigenvectors, stored
  /// as the rows of `w`, into the columns of V.
  static func sorted(_ d: [Double], scale: Double, rowsOfVectors w: [Double], wantVectors: Bool)
    -> (Vector, Matrix)
  {
    let n = d.count
    let order = (0..<n).sorted { d[$0] < d[$1] }
    let values = Vector(count: n) { d[order[$0]] * scale }
    guard wantVectors else { return (values, Matrix(rows: 0, columns: 0)) }
    var v = Matrix(rows: n, columns: n)
    for (j, source) in order.enumerated() {
      for i in 0..<n { v.storage[i * n + j] = w[source * n + i] }
    }
    return (values, v)
  }
}
