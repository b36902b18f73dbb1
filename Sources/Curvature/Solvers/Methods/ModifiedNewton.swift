import RealModule

/// Newton's method with Hessian modification and a line search, for small dense problems
/// (Nocedal & Wright, 2nd ed., section 3.4, Alg. 3.2): each iteration forms ∇²f(xₖ), replaces it
/// by a positive definite Bₖ = ∇²f(xₖ) + Eₖ, and takes a backtracking Armijo step along
/// pₖ = −Bₖ⁻¹∇f(xₖ) (`NewtonLineSearch`, unit initial step).
///
/// Modifications (``Modification``):
/// - eigenvalue modification: with ∇²f = QΛQᵀ, B = Q·diag(max(|λᵢ|, δ))·Qᵀ, δ = n·ε·maxᵢ|λᵢ|
///   (the numerical-rank threshold; δ = 1 when ∇²f = 0)
///   (the sign flip of N&W eq. 3.41 with a floor; directions of negative curvature become
///   directions of descent);
/// - added multiple of the identity (N&W Alg. 3.3): B = ∇²f + τI with τ₀ = 0 when min aᵢᵢ > 0,
///   else −min aᵢᵢ + β, and τ grown until the Cholesky factorization succeeds
///   (``ModifiedCholeskyFactorization``, strategy `addedIdentity`);
/// - Gill-Murray-Wright modified LDLᵀ (N&W Alg. 3.4; ``ModifiedCholeskyFactorization``, strategy
///   `gillMurrayWright`): one factorization that enlarges pivots as it goes.
///
/// Near a solution with a positive definite Hessian no modification happens and the convergence is
/// quadratic. When the gradient test passes, the smallest eigenpair of ∇²f(x) decides whether the
/// point is a minimizer; with negative curvature the method steps along the eigenvector (second-
/// order Armijo rule) and reports ``Termination/negativeCurvatureAtStationaryPoint`` if it cannot
/// (no acceptable step, or 20 escapes in a row from points that all pass the gradient test).
/// The check runs only when the gradient test passes; the function- and step-change tests (off by
/// default) end the solve without it.
/// Each iteration costs one dense Hessian (n products when the objective has none) and O(n³)
/// arithmetic, so the method is meant for n up to a few hundred.
public struct ModifiedNewton: MinimizationMethod {
  /// How the Hessian is made positive definite.
  public enum Modification: String, Sendable, Hashable, Codable, CaseIterable {
    /// Eigenvalues replaced by max(|λᵢ|, δ).
    case eigenvalue
    /// A multiple τI of the identity added until Cholesky succeeds (N&W Alg. 3.3).
    case addedIdentity
    /// The Gill-Murray-Wright modified Cholesky factorization (N&W Alg. 3.4).
    case gillMurrayWright
  }

  /// The modification (default ``Modification/eigenvalue``).
  public var modification: Modification
  /// Whether to check the Hessian's smallest eigenvalue when the gradient test passes (default
  /// true).
  public var secondOrderCheck: Bool
  /// The line search for Newton steps: nil (default) for the Newton Armijo search
  /// (`NewtonLineSearch`), or one of the library's searches.
  public var lineSearch: (any LineSearch)?

  /// Creates the method.
  public init(
    modification: Modification = .eigenvalue, secondOrderCheck: Bool = true,
    lineSearch: (any LineSearch)? = nil
  ) {
    self.lineSearch = lineSearch
    self.modification = modification
    self.secondOrderCheck = secondOrderCheck
  }

  /// "Modified Newton".
  public var name: String { "Modified Newton" }

  /// Runs the method (see the type's documentation).
  public func run(_ run: inout SolverRun) -> Termination {
    var buffers = NewtonLineSearch.Buffers()
    var escapes = SecondOrderEscape.ConsecutiveCount()
    while true {
      if run.gradientConverged {
        guard secondOrderCheck else { return .gradientTolerance }
        let h = run.hessian(at: run.x)
        let probe = NegativeCurvatureProbe.dense(hessian: h, gradient: run.gradient)
        run.recordProbe(smallestCurvature: probe.smallest)
        guard let d = probe.found else { return .gradientTolerance }
        if !escapes.admit() {
          return .negativeCurvatureAtStationaryPoint
        }
        switch SecondOrderEscape.lineSearchEscape(&run, along: d, buffers: &buffers) {
        case .stop(let t): return t
        case .continue: continue
        }
      }
      escapes.reset()
      let h = run.hessian(at: run.x)
      let (p, modified) = direction(hessian: h, gradient: run.gradient)
      switch NewtonLineSearch.step(
        &run, direction: p, expand: modified, using: lineSearch, buffers: &buffers)
      {
      case .failure(let e): return e.termination
      case .success(let o):
        let details = SolverRun.IterationDetails(stepLength: o.step, negativeCurvature: modified)
        if let t = run.acceptSwapping(
          x: &buffers.point, value: o.value, gradient: &buffers.gradient,
          gradientNormInfinity: o.gradientNormInfinity, details: details)
        {
          if t == .gradientTolerance { continue }
          return t
        }
      }
    }
  }

  /// The modified Newton direction −B⁻¹g and whether the Hessian needed a modification.
  func direction(hessian h: Matrix, gradient g: Vector) -> (Vector, Bool) {
    guard h.isFinite else { return (g.scaled(by: -1), true) }
    switch modification {
    case .eigenvalue:
      guard let eig = SymmetricEigendecomposition(of: h) else { return (g.scaled(by: -1), true) }
      let scale = Swift.max(Swift.abs(eig.minimumEigenvalue), Swift.abs(eig.maximumEigenvalue))
      let delta = scale > 0 ? Double(g.count) * Double.ulpOfOne * scale : 1
      var p = Vector.zeros(g.count)
      var modified = false
      for j in 0..<g.count {
        let value = eig.eigenvalues[j]
        let q = eig.eigenvectors.column(j)
        let b = Swift.max(Swift.abs(value), delta)
        if b != value { modified = true }
        axpy(-dot(q, g) / b, q, &p)
      }
      return (p, modified)
    case .addedIdentity, .gillMurrayWright:
      let strategy: ModifiedCholeskyFactorization.Strategy =
        modification == .addedIdentity ? .addedIdentity : .gillMurrayWright
      guard let factor = ModifiedCholeskyFactorization(of: h, strategy: strategy) else {
        return (g.scaled(by: -1), true)
      }
      var p = factor.solve(g)
      p.scale(by: -1)
      return (p, factor.shift > 0)
    }
  }
}

extension MinimizationMethod where Self == ModifiedNewton {
  /// Newton's method with Hessian modification and a line search; see ``ModifiedNewton``.
  public static func modifiedNewton(
    modification: ModifiedNewton.Modification = .eigenvalue, secondOrderCheck: Bool = true,
    lineSearch: (any LineSearch)? = nil
  ) -> ModifiedNewton {
    ModifiedNewton(
      modification: modification, secondOrderCheck: secondOrderCheck, lineSearch: lineSearch)
  }
}
