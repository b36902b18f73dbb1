/// A line-search sequential quadratic programming method for
///
///     minimize f(x)  subject to  cₑ(x) = 0,  cᵢ(x) ≥ 0,  l ≤ x ≤ u
///
/// (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 18.3). Each iteration solves the
/// quadratic program
///
///     minimize ½pᵀBₖp + ∇fₖᵀp  s.t.  Jₑp + cₑ = 0,  Jᵢp + cᵢ ≥ 0,  l − xₖ ≤ p ≤ u − xₖ
///
/// with the dense active-set solver (``ActiveSetQPSolver``), whose multipliers λₖ₊₁ estimate the
/// Lagrange multipliers, and takes a step along p by Armijo backtracking on the ℓ₁ merit function
///
///     φ₁(x; μ) = f(x) + μ(‖cₑ(x)‖₁ + ‖cᵢ(x)⁻‖₁),   c⁻ = max(0, −c),
///
/// requiring φ₁(xₖ + αp) ≤ φ₁(xₖ) + ηαD (each rejected α is replaced by the minimizer of the
/// quadratic through φ₁(xₖ), D and φ₁(xₖ + αp), kept within [0.1α, τα]; N&W (3.57)), with the
/// directional-derivative bound
/// D = ∇fₖᵀp + μ(‖(cₖ + Jₖp)⁻‖₁ − ‖cₖ⁻‖₁) (N&W (18.29); D = ∇fₖᵀp − μ‖cₖ⁻‖₁ when the
/// linearization is satisfied). The penalty is raised when needed to
/// μ ≥ (∇fₖᵀp + ½pᵀBₖp)/((1 − ρ)‖cₖ⁻‖₁), ρ = ½ (N&W (18.36)), which makes D negative.
///
/// - **Hessian.** ``HessianApproximation-swift.enum/dampedBFGS`` (default): BFGS on the Lagrangian
///   with Powell's damping (Powell 1978; N&W Procedure 18.2): with s = xₖ₊₁ − xₖ and
///   y = ∇ₓL(xₖ₊₁, λₖ₊₁) − ∇ₓL(xₖ, λₖ₊₁), r = θy + (1 − θ)Bs where θ = 1 if sᵀy ≥ 0.2sᵀBs and
///   θ = 0.8sᵀBs/(sᵀBs − sᵀy) otherwise, so sᵀr ≥ 0.2sᵀBs > 0 and B stays positive definite.
///   ``HessianApproximation-swift.enum/exact``: ∇²ₓL(xₖ, λₖ) = ∇²f − Σλⱼ∇²cⱼ, with ∇²f from the
///   objective's dense Hessian when it has one (otherwise central differences of ∇f) and the
///   constraint curvature by central differences of Jₖᵀλ (2n Jacobian evaluations; none when
///   λ = 0, and a no-op in value for linear constraints); the result is made positive definite by
///   adding ρAᵀA over the equality and active-constraint rows (an augmented-Lagrangian term that
///   leaves the QP step unchanged when the active set is; N&W §17.3), or, when that fails, by the
///   modified Cholesky factorization (N&W Alg. 3.3), as the QP solver needs.
/// - **Second-order correction** (N&W §18.3.2, against the Maratos effect): when the full step is
///   rejected and it increased the ℓ₁ violation, one corrected step d is tried, from the QP with
///   the constraint values replaced by c(xₖ + p) − Jₖp (so that Jₖ(d − p) + c(xₖ + p) ⋈ 0); it
///   is accepted if
///   φ₁(xₖ + d) ≤ φ₁(xₖ) + ηD, otherwise backtracking along p goes on.
/// - **Elastic mode** (N&W §18.3.3; Gill, Murray & Saunders, SNOPT, SIAM Review 47 (2005)): when
///   the linearized constraints are inconsistent, the QP is replaced by its ℓ₁ relaxation
///   minimize ½pᵀBp + ∇fᵀp + γ(‖Jₑp + cₑ‖₁ + ‖(Jᵢp + cᵢ)⁻‖₁) over the bounds
///   (``ActiveSetQPSolver/solveElastic(_:penalty:)``), with γ = max(μ, γ₀·max(1, ‖∇f‖∞)) and
///   μ = γ. When the elastic step vanishes while the constraints are violated, γ grows tenfold;
///   past ``maximumElasticPenalty`` the point is a stationary point of the ℓ₁ violation and the
///   solve ends with ``Termination/infeasible``.
/// - **Bounds** are constraints of each QP, so every iterate stays in the box; a starting point
///   outside it is projected (and the solution's note says so).
///
/// Convergence (``Termination/residualTolerance``): the KKT residuals of ``KKTResiduals`` at
/// (xₖ, λₖ₊₁), namely stationarity, feasibility and complementarity, are all at most
/// ``MinimizeOptions/gradientTolerance`` (default 10⁻⁶).
public struct SQP: Sendable, Hashable {
  /// Where the Hessian of the Lagrangian comes from.
  public enum HessianApproximation: String, Sendable, Hashable, Codable, CaseIterable {
    /// Damped BFGS (Powell 1978), starting from B₀ = I (as N&W Alg. 18.3 and SLSQP; scaling B₀
    /// by yᵀy/sᵀy after the first step, N&W (6.20), did not help on the Hock-Schittkowski set).
    case dampedBFGS
    /// Finite differences of the Lagrangian gradient (or the objective's Hessian), modified to
    /// be positive definite.
    case exact
  }

  /// The Hessian model (default damped BFGS).
  public var hessian: HessianApproximation
  /// Whether a second-order correction is tried when the full step is rejected (default true).
  public var secondOrderCorrection: Bool
  /// η of the Armijo condition (default 10⁻⁴).
  public var armijo: Double
  /// The largest backtracking factor τ: α ← at most τα (default ½).
  public var backtrackingFactor: Double
  /// The smallest step length tried before the line search fails (default 10⁻¹²).
  public var minimumStepLength: Double
  /// The initial merit penalty μ₀ (default 1).
  public var initialPenalty: Double
  /// γ₀ of elastic mode (default 100).
  public var elasticPenalty: Double
  /// The largest elastic penalty γ before the problem is declared infeasible (default 10¹⁰).
  public var maximumElasticPenalty: Double
  /// The QP solver.
  public var qpSolver: ActiveSetQPSolver

  /// Creates the method.
  public init(
    hessian: HessianApproximation = .dampedBFGS, secondOrderCorrection: Bool = true,
    armijo: Double = 1e-4, backtrackingFactor: Double = 0.5, minimumStepLength: Double = 1e-12,
    initialPenalty: Double = 1, elasticPenalty: Double = 100, maximumElasticPenalty: Double = 1e10,
    qpSolver: ActiveSetQPSolver = ActiveSetQPSolver()
  ) {
    self.hessian = hessian
    self.secondOrderCorrection = secondOrderCorrection
    self.armijo = armijo
    self.backtrackingFactor = backtrackingFactor
    self.minimumStepLength = minimumStepLength
    self.initialPenalty = initialPenalty
    self.elasticPenalty = elasticPenalty
    self.maximumElasticPenalty = maximumElasticPenalty
    self.qpSolver = qpSolver
  }

  /// The method with the given settings: `minimize(f, from: x0, subjectTo: c, using: .sqp())`.
  public static func sqp(
    hessian: HessianApproximation = .dampedBFGS, secondOrderCorrection: Bool = true
  ) -> SQP {
    SQP(hessian: hessian, secondOrderCorrection: secondOrderCorrection)
  }

  /// `SQP` or `SQP (exact Hessian)`, with `, no SOC` when the correction is off.
  public var name: String {
    var s = hessian == .exact ? "SQP (exact Hessian)" : "SQP"
    if !secondOrderCorrection { s += ", no SOC" }
    return s
  }
}
