extension SteihaugCG {
  /// Why a Steihaug-Toint CG solve stopped.
  public enum Termination: Sendable, Hashable {
    /// The step is interior and the residual met the tolerance: ‖g + Bp‖ ≤ max(η‖g‖, τₐ).
    case interiorConverged
    /// The next CG iterate would have left the region; the step stops on the boundary ‖p‖ = Δ.
    case boundary
    /// A direction d with dᵀBd ≤ 0 appeared; the step follows it to the boundary (or, with an
    /// infinite radius, stays at the last iterate).
    case negativeCurvature
    /// The iteration limit was reached inside the region.
    case maxIterations
    /// The gradient, the radius, an operator output or a recurrence value was NaN or infinite.
    /// The step is the last finite iterate.
    case nonFinite
    /// The preconditioner gave rᵀM⁻¹r ≤ 0 for r ≠ 0.
    case preconditionerNotPositive

    /// Whether the step lies on the trust-region boundary.
    public var hitsBoundary: Bool { self == .boundary || self == .negativeCurvature }
  }

  /// The outcome of a Steihaug-Toint CG solve.
  public struct Result: Sendable {
    /// The step p with ‖p‖ ≤ Δ (in the M-norm when preconditioned).
    public var step: Vector
    /// Why the solve stopped.
    public var termination: Termination
    /// −m(p) = −(gᵀp + ½pᵀBp) ≥ 0, from the CG recurrences (m decreases by ½αₖrₖᵀzₖ per interior
    /// step and by τ·rᵀz − ½τ²dᵀBd on the final boundary step), without an extra product.
    public var modelDecrease: Double
    /// ‖p‖ (‖p‖_M = √(pᵀMp) when preconditioned, from the recurrences of Steihaug 1983).
    public var stepNorm: Double
    /// ‖g + Bp‖ of the last interior iterate (Euclidean), from the residual recurrence.
    public var residualNorm: Double
    /// The number of CG iterations, counting the final boundary step.
    public var iterations: Int
    /// The number of products with B.
    public var operatorApplications: Int
    /// The number of applications of M⁻¹.
    public var preconditionerApplications: Int

    /// Whether the step lies on the trust-region boundary.
    public var hitsBoundary: Bool { termination.hitsBoundary }
  }
}

/// The two roots τ₋ ≤ 0 ≤ τ₊ of ‖p + τd‖² = Δ², that is aτ² + 2bτ + c = 0 with a = ‖d‖² > 0,
/// b = pᵀd and c = ‖p‖² − Δ² ≤ 0, computed without cancellation: with s = √(b² − ac),
/// τ₊ = −c/(b + s) and τ₋ = −(b + s)/a when b ≥ 0, else τ₊ = (s − b)/a and τ₋ = c/(s − b).
func trustRegionBoundaryRoots(
  stepNormSquared pp: Double, stepDotDirection pd: Double, directionNormSquared dd: Double,
  radius: Double
) -> (negative: Double, positive: Double) {
  let c = Swift.min(pp - radius * radius, 0)
  let s = Swift.max(pd * pd - dd * c, 0).squareRoot()
  if pd >= 0 {
    let q = pd + s
    if q == 0 { return (0, 0) }
    return (-q / dd, -c / q)
  } else {
    let q = s - pd
    return (c / q, q / dd)
  }
}
