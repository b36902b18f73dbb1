import RealModule

/// A direction of negative curvature found at a point: a unit d with dᵀ∇²f(x)d = `curvature` < 0,
/// signed so that ∇f(x)ᵀd ≤ 0.
struct NegativeCurvatureDirection {
  /// The unit direction d.
  var direction: Vector
  /// dᵀHd (an eigenvalue or Ritz value of H), negative.
  var curvature: Double
  /// Krylov iterations (Hessian-vector products) the probe spent.
  var iterations: Int
}

/// The second-order check run when the gradient test passes, so that no method calls a saddle
/// point or a maximum a minimum.
///
/// - With products only: a short run of ``Lanczos`` (full reorthogonalization) from a fixed
///   pseudo-random vector (uniform entries in [−1, 1)), k = min(n, `iterations`) steps, gives Ritz values θ₁ ≤ … ≤ θ_k of
///   ∇²f(x); θ₁ ≥ λ₁(H)
///   and it is exact once k = n (in exact arithmetic). A random start avoids the blind spot of
///   Krylov spaces started from g, which at a stationary point is zero or nearly so.
/// - With a dense Hessian: its smallest eigenpair (``SymmetricEigendecomposition``).
///
/// Negative curvature is declared when θ₁ < −`relativeThreshold`·max|θᵢ| (default 1e-8), a
/// threshold above the error of finite-difference products (about 1e-9 relative). After six
/// steps the probe stops early once θ₁ is positive and its Ritz residual is below 0.1% of θ₁
/// (the smallest eigenvalue has converged), as eigensolvers such as ARPACK test convergence.
enum NegativeCurvatureProbe {
  /// The relative threshold on the smallest Ritz or eigenvalue.
  static let relativeThreshold = 1e-8
  /// Lanczos steps taken before the convergence test may end the probe.
  static let minimumStepsBeforeConvergence = 6
  /// The relative residual below which a positive smallest Ritz value counts as converged.
  static let convergedResidual = 1e-3

  /// Whether the smallest Ritz value θ₁ of Tⱼ = tridiag(β, α, β) is positive and converged: its
  /// Ritz pair's residual βⱼ|eⱼᵀs₁| (Golub & Van Loan, §10.1.4) is at most
  /// ``convergedResidual``·θ₁, so an eigenvalue of H lies within 0.1% of θ₁ > 0. Further steps
  /// would mostly refine that eigenvalue; the probe then stops (the Ritz value of a smaller,
  /// negative eigenvalue that the start vector barely touches may still be missed, as it may by
  /// any short Lanczos run).
  static func smallestRitzValueIsConvergedAndPositive(
    _ alphas: [Double], _ betas: [Double], _ nextBeta: Double
  ) -> Bool {
    guard
      let eig = SymmetricEigendecomposition(
        tridiagonalDiagonal: Vector(alphas), offDiagonal: Vector(betas))
    else { return false }
    let theta = eig.minimumEigenvalue
    guard theta > 0, theta.isFinite else { return false }
    let s = eig.minimumEigenvector
    let residual = Swift.abs(nextBeta * s[s.count - 1])
    return residual <= convergedResidual * theta
  }

  /// Probes with products. Returns nil when no negative curvature was found, and the smallest
  /// Ritz value θ₁ (nil when the probe failed).
  static func lanczos(
    dimension n: Int, gradient g: Vector, iterations: Int, apply: LinearOperator
  ) -> (found: NegativeCurvatureDirection?, iterations: Int, smallest: Double?) {
    // Uniform entries in [−1, 1): a continuous distribution (so the start is orthogonal to no
    // eigenvector except with probability zero) that costs no transcendental per entry, unlike
    // normal deviates (at n = 10⁶ those took longer than the probe's products).
    var rng = SplitMix64(seed: 0x5EED_C0DE_CAFE_F00D)
    let start = Vector(count: n) { _ in 2 * rng.uniform() - 1 }
    let k = Swift.min(n, Swift.max(iterations, 1))
    let minimumSteps = Swift.min(k, minimumStepsBeforeConvergence)
    let process = Lanczos(reorthogonalization: .full, returnsBasis: true).run(
      apply, start: start, steps: k
    ) { alphas, betas, nextBeta in
      alphas.count >= minimumSteps
        && smallestRitzValueIsConvergedAndPositive(alphas, betas, nextBeta)
    }
    let used = process.steps
    guard used > 0, process.termination != .nonFinite, let basis = process.basis,
      let eig = SymmetricEigendecomposition(
        tridiagonalDiagonal: Vector(process.alphas), offDiagonal: Vector(process.betas))
    else { return (nil, used, nil) }
    let scale = Swift.max(Swift.abs(eig.minimumEigenvalue), Swift.abs(eig.maximumEigenvalue))
    let theta = eig.minimumEigenvalue
    guard theta < -relativeThreshold * scale else { return (nil, used, theta) }
    // The Ritz vector Q·s, with the basis stored as the rows of a k × n matrix.
    var d = basis.transposeMultiply(eig.minimumEigenvector)
    let norm = d.norm
    guard norm > 0, norm.isFinite else { return (nil, used, theta) }
    d.scale(by: (dot(g, d) > 0 ? -1 : 1) / norm)
    return (
      NegativeCurvatureDirection(direction: d, curvature: theta, iterations: used), used, theta
    )
  }

  /// Probes a dense Hessian. Returns nil when no negative curvature was found (or H is not
  /// finite), and the smallest eigenvalue (nil when H is not finite).
  static func dense(hessian h: Matrix, gradient g: Vector)
    -> (found: NegativeCurvatureDirection?, smallest: Double?)
  {
    guard let eig = SymmetricEigendecomposition(of: h) else { return (nil, nil) }
    let scale = Swift.max(Swift.abs(eig.minimumEigenvalue), Swift.abs(eig.maximumEigenvalue))
    let theta = eig.minimumEigenvalue
    guard theta < -relativeThreshold * scale else { return (nil, theta) }
    var d = eig.minimumEigenvector
    d.scale(by: (dot(g, d) > 0 ? -1 : 1) / d.norm)
    return (NegativeCurvatureDirection(direction: d, curvature: theta, iterations: 0), theta)
  }
}
