import RealModule

/// The symmetric Lanczos process with full reorthogonalization, kept private to the Newton and
/// trust-region code (used by ``GLTR`` and by the negative-curvature probe).
///
/// From a unit q₁ it builds orthonormal q₁, …, q_k and the tridiagonal T_k = Q_kᵀHQ_k with
/// diagonal α_j = q_jᵀHq_j and off-diagonal β_{j+1} = ‖Hq_j − α_jq_j − β_jq_{j−1}‖, through
/// β_{j+1}q_{j+1} = Hq_j − α_jq_j − β_jq_{j−1} (Golub & Van Loan, 4th ed., section 10.1). Every
/// new vector is reorthogonalized against all previous ones, which keeps the Ritz values free of
/// ghost copies; the process is meant for short runs, so storing Q costs k·n numbers.
struct LanczosProcess {
  /// The Lanczos vectors q₁ … q_k.
  var basis: [Vector] = []
  /// The diagonal α₁ … α_k of T_k.
  var alphas: [Double] = []
  /// β₂ … β_{k+1}: `betas[j]` couples q_{j+1} and q_{j+2}; the last one is the residual norm.
  var betas: [Double] = []
  /// The next (unnormalized) vector r = Hq_k − α_kq_k − β_kq_{k−1} after reorthogonalization.
  var next: Vector
  /// Set when β_{k+1} is negligible (an invariant subspace was found) or the operator returned a
  /// non-finite product.
  var brokeDown = false
  /// Set when the operator returned a non-finite product.
  var nonFinite = false

  /// Starts from `start` (any non-zero vector; it is normalized).
  init(start: Vector) {
    next = start
  }

  /// Runs one step: normalizes the pending vector into q_{k+1}, applies H, and computes α, β.
  /// Returns false when the process cannot continue.
  mutating func step(_ apply: (Vector, inout Vector) -> Void) -> Bool {
    if brokeDown { return false }
    let beta = next.norm
    let scale = Swift.max(alphas.map { Swift.abs($0) }.max() ?? 0, betas.max() ?? 0)
    if !(beta > 1e-13 * scale) || !beta.isFinite {
      brokeDown = true
      return false
    }
    if !basis.isEmpty { betas.append(beta) }
    var q = next
    q.scale(by: 1 / beta)
    var hq = Vector.zeros(q.count)
    apply(q, &hq)
    guard hq.isFinite else {
      brokeDown = true
      nonFinite = true
      if !basis.isEmpty { betas.removeLast() }
      return false
    }
    let alpha = dot(q, hq)
    axpy(-alpha, q, &hq)
    if let previous = basis.last, let b = betas.last { axpy(-b, previous, &hq) }
    // Full reorthogonalization (one classical Gram-Schmidt pass against all vectors).
    for v in basis { axpy(-dot(v, hq), v, &hq) }
    axpy(-dot(q, hq), q, &hq)
    basis.append(q)
    alphas.append(alpha)
    next = hq
    return true
  }

  /// The current residual norm β_{k+1} = ‖r‖.
  var residualNorm: Double { next.norm }

  /// The k × k tridiagonal T_k.
  var tridiagonal: Matrix {
    let k = alphas.count
    var t = Matrix(rows: k, columns: k)
    for i in 0..<k {
      t[i, i] = alphas[i]
      if i + 1 < k {
        t[i, i + 1] = betas[i]
        t[i + 1, i] = betas[i]
      }
    }
    return t
  }

  /// Q_k·y, the vector of ℝⁿ with coordinates y in the Lanczos basis.
  func combine(_ y: Vector) -> Vector {
    var v = Vector.zeros(basis.first?.count ?? 0)
    for (i, q) in basis.enumerated() where i < y.count { axpy(y[i], q, &v) }
    return v
  }
}
