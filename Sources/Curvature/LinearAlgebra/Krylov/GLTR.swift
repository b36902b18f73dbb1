/// The generalized Lanczos trust-region method (GLTR) of Gould, Lucidi, Roma & Toint 1999
/// ("Solving the trust-region subproblem using the Lanczos method", SIAM J. Optim. 9) for
///
///     minimize m(p) = gᵀp + ½pᵀBp   subject to ‖p‖_M ≤ Δ,
///
/// with B symmetric (possibly indefinite) given as a closure and an optional SPD preconditioner
/// M⁻¹ (‖p‖_M = √(pᵀMp); Euclidean without one).
///
/// GLTR runs the preconditioned Lanczos process from g, which builds an M-orthonormal basis
/// Qₖ of the Krylov space span{M⁻¹g, (M⁻¹B)M⁻¹g, …} with QₖᵀBQₖ = Tₖ tridiagonal and
/// Qₖᵀg = γ₀e₁, γ₀ = ‖g‖_{M⁻¹}. On that space the subproblem becomes
///
///     minimize γ₀h₀ + ½hᵀTₖh   subject to ‖h‖ ≤ Δ,   p = Qₖh,
///
/// solved each iteration by a Moré-Sorensen iteration on the tridiagonal T + λI (see
/// `TridiagonalTrustRegion`). While T is positive definite and the solution is interior,
/// h = −γ₀Tₖ⁻¹e₁ is exactly the CG iterate (so GLTR behaves like CG and like Steihaug before the
/// boundary); unlike Steihaug-Toint CG it continues after reaching the boundary or meeting
/// negative curvature, improving the boundary solution within ever larger Krylov spaces.
///
/// Stopping: the residual of the Krylov solution has the free estimate
/// ‖g + (B + λM)p‖_{M⁻¹} = βₖ|eₖᵀhₖ| (Gould et al. 1999), and GLTR stops when it is
/// ≤ max(η·γ₀, τₐ). Lanczos breakdown (βₖ ≈ 0) means the Krylov space is invariant and the
/// solution is the exact subproblem solution, barring the hard case.
///
/// Hard case: when g has no component along the eigenvectors of B's smallest eigenvalue (the
/// "hard case" of Moré & Sorensen), no Krylov space built from g contains them; Lanczos then
/// breaks down and GLTR returns the best step in the invariant subspace it found, which is not the
/// global solution (Gould et al. 1999). The tridiagonal solver's own hard-case branch only
/// handles nearly-hard cases approximately.
///
/// Storage choice: the Lanczos vectors q₀ … qₖ are stored (in the reusable ``Workspace``) and
/// p = Σ hᵢqᵢ is formed once at the end, instead of a second Lanczos pass; memory is
/// (k + 1)·n numbers, so cap ``maxIterations`` for large n. The vectors are not reorthogonalized
/// (as in GALAHAD's GLTR); with loss of orthogonality ‖p‖_M and m(p) can drift from ‖h‖ and the
/// reported model value, by amounts that grow with the iteration count.
public struct GLTR: Sendable {
  /// η: stop when ‖g + (B + λM)p‖_{M⁻¹} ≤ η‖g‖_{M⁻¹}.
  public var relativeTolerance: Double
  /// τₐ: stop when the residual estimate is ≤ τₐ. Default 0.
  public var absoluteTolerance: Double
  /// The iteration (Lanczos step) limit; nil means n.
  public var maxIterations: Int?
  /// τ in the breakdown test βₖ ≤ τ·max ‖Bqᵢ‖.
  public var breakdownTolerance: Double
  /// ‖g‖ when the caller already knows it (bit-for-bit `g.norm`), saving a pass.
  var knownGradientNorm: Double? = nil

  /// Creates a configuration; see the properties.
  public init(
    relativeTolerance: Double = 1e-8, absoluteTolerance: Double = 0, maxIterations: Int? = nil,
    breakdownTolerance: Double = 1e-12
  ) {
    precondition(
      relativeTolerance >= 0, "relative tolerance must be >= 0, got \(relativeTolerance)")
    precondition(
      absoluteTolerance >= 0, "absolute tolerance must be >= 0, got \(absoluteTolerance)")
    precondition((maxIterations ?? 0) >= 0, "maxIterations must be >= 0")
    self.relativeTolerance = relativeTolerance
    self.absoluteTolerance = absoluteTolerance
    self.maxIterations = maxIterations
    self.breakdownTolerance = breakdownTolerance
  }

  /// Why a GLTR solve stopped.
  public enum Termination: Sendable, Hashable {
    /// The residual estimate met the tolerance (on the boundary or inside; see
    /// ``Result/hitsBoundary``).
    case converged
    /// The Lanczos process broke down: the Krylov space is invariant under M⁻¹B and the step
    /// solves the subproblem (exactly, unless in the hard case).
    case invariantSubspace
    /// The iteration limit was reached; the step is the best one in the last Krylov space.
    case maxIterations
    /// The gradient, the radius, an operator output or a recurrence value was NaN or infinite;
    /// the step is zero. GLTR needs a finite radius.
    case nonFinite
    /// The preconditioner gave wᵀM⁻¹w < 0.
    case preconditionerNotPositive
  }

  /// The outcome of a GLTR solve.
  public struct Result: Sendable {
    /// The step p = Qh.
    public var step: Vector
    /// Why the solve stopped.
    public var termination: Termination
    /// −m(p) = −(γ₀h₀ + ½hᵀTh), the decrease of the model on the Krylov space.
    public var modelDecrease: Double
    /// The multiplier λ ≥ 0 with (T + λI)h = −γ₀e₁; zero for interior steps.
    public var lambda: Double
    /// Whether the step lies on the boundary ‖p‖_M = Δ.
    public var hitsBoundary: Bool
    /// ‖h‖, equal to ‖p‖_M while the Lanczos vectors stay M-orthonormal.
    public var stepNorm: Double
    /// The residual estimate βₖ|eₖᵀh| of ‖g + (B + λM)p‖_{M⁻¹}.
    public var residualNorm: Double
    /// The number of Lanczos steps.
    public var iterations: Int
    /// The number of products with B.
    public var operatorApplications: Int
    /// The number of applications of M⁻¹.
    public var preconditionerApplications: Int
    /// Whether the approximate hard-case branch of the tridiagonal solver produced the step.
    public var hardCase: Bool
  }

  /// Reusable storage: the Lanczos vectors and the tridiagonal solver's buffers. Keep one across
  /// solves of the same size to avoid reallocating the basis.
  public struct Workspace: Sendable {
    var basis: [Vector] = []
    var t = Vector([])
    var tPrevious = Vector([])
    var w = Vector([])
    var y = Vector([])
    /// The step p = Σ hᵢqᵢ of the last solve (returned in its result).
    var step = Vector([])
    var diagonal: [Double] = []
    var offDiagonal: [Double] = []
    var subproblem = TridiagonalTrustRegion()
    /// The vector length n of the buffers.
    public private(set) var dimension: Int

    /// A workspace for vectors of length `dimension`.
    public init(dimension: Int) {
      precondition(
        dimension >= 0, "GLTR workspace dimension must be non-negative, got \(dimension)")
      self.dimension = dimension
      t = .zeros(dimension)
      tPrevious = .zeros(dimension)
      w = .zeros(dimension)
      y = .zeros(dimension)
      step = .zeros(dimension)
    }

    mutating func prepare(dimension n: Int) {
      if n != dimension { self = Workspace(dimension: n) }
    }
  }

  /// Solves the subproblem for B, g and a finite Δ > 0 (a NaN or infinite Δ gives `.nonFinite`),
  /// reusing `workspace`.
  public func solve(
    _ hessian: LinearOperator, gradient: Vector, radius: Double, workspace: inout Workspace
  ) -> Result {
    run(
      hessian, gradient: gradient, radius: radius, preconditioner: { _, _ in },
      hasPreconditioner: false, workspace: &workspace)
  }

  /// Solves the subproblem in the M-norm with preconditioner M⁻¹, reusing `workspace`.
  public func solve(
    _ hessian: LinearOperator, gradient: Vector, radius: Double, preconditioner: LinearOperator,
    workspace: inout Workspace
  ) -> Result {
    run(
      hessian, gradient: gradient, radius: radius, preconditioner: preconditioner,
      hasPreconditioner: true, workspace: &workspace)
  }

  /// Solves the subproblem with a fresh workspace.
  public func solve(_ hessian: LinearOperator, gradient: Vector, radius: Double) -> Result {
    var workspace = Workspace(dimension: gradient.count)
    return solve(hessian, gradient: gradient, radius: radius, workspace: &workspace)
  }

  /// Solves the preconditioned subproblem with a fresh workspace.
  public func solve(
    _ hessian: LinearOperator, gradient: Vector, radius: Double, preconditioner: LinearOperator
  ) -> Result {
    var workspace = Workspace(dimension: gradient.count)
    return solve(
      hessian, gradient: gradient, radius: radius, preconditioner: preconditioner,
      workspace: &workspace)
  }
}
