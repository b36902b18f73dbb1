import RealModule

/// An approximate solution p of the trust-region subproblem
///
///     minimize m(p) = gᵀp + ½·pᵀHp  subject to ‖p‖₂ ≤ Δ
///
/// (Nocedal & Wright, 2nd ed., eq. 4.3), with what the trust-region driver needs to know about it.
public struct TrustRegionStep: Sendable {
  /// The step p.
  public var step: Vector
  /// The model value m(p) = gᵀp + ½·pᵀHp (the predicted reduction is −m(p)).
  public var modelValue: Double
  /// The Lagrange multiplier λ ≥ 0 of the constraint (0 for an interior step; only the
  /// Moré-Sorensen solvers and GLTR compute it, the others report 0).
  public var multiplier: Double
  /// Whether ‖p‖ = Δ (to rounding; for ``MoreSorensen/solveApproximately(hessian:gradient:radius:boundaryTolerance:hardCaseTolerance:maxIterations:)``
  /// Δ ≤ ‖p‖ ≤ (1 + boundary tolerance)·Δ).
  public var hitsBoundary: Bool
  /// Whether the solver met a direction d with dᵀHd ≤ 0.
  public var negativeCurvature: Bool
  /// Whether the exact solver met the hard case (g orthogonal to the eigenspace of λ₁(H)), or the
  /// nearly exact one ended with its hard-case test (a boundary step along an approximate
  /// near-singular vector of H + λI).
  public var hardCase: Bool
  /// Inner iterations: Krylov iterations (CG, Lanczos) or Newton iterations on λ.
  public var iterations: Int

  /// Creates a step.
  public init(
    step: Vector, modelValue: Double, multiplier: Double = 0, hitsBoundary: Bool = false,
    negativeCurvature: Bool = false, hardCase: Bool = false, iterations: Int = 0
  ) {
    self.step = step
    self.modelValue = modelValue
    self.multiplier = multiplier
    self.hitsBoundary = hitsBoundary
    self.negativeCurvature = negativeCurvature
    self.hardCase = hardCase
    self.iterations = iterations
  }

  /// gᵀp + ½·pᵀHp, the quadratic model of a step for a dense H.
  static func modelValue(hessian h: Matrix, gradient g: Vector, step p: Vector) -> Double {
    dot(g, p) + 0.5 * dot(p, h * p)
  }

  /// The roots τ₋ ≤ 0 ≤ τ₊ of ‖z + τ·d‖₂ = Δ for ‖z‖ ≤ Δ, d ≠ 0 (through the Krylov solvers'
  /// cancellation-free formula).
  static func boundaryRoots(z: Vector, d: Vector, radius: Double) -> (
    negative: Double, positive: Double
  ) {
    trustRegionBoundaryRoots(
      stepNormSquared: z.normSquared, stepDotDirection: dot(z, d),
      directionNormSquared: d.normSquared, radius: radius)
  }
}
