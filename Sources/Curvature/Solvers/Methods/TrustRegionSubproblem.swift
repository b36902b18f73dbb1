/// How ``TrustRegion`` solves its subproblem min m(p) = gᵀp + ½·pᵀHp subject to ‖p‖ ≤ Δ.
public enum TrustRegionSubproblem: String, Sendable, Hashable, Codable, CaseIterable {
  /// Steihaug-Toint truncated CG (Hessian-vector products only; SciPy's `trust-ncg`); see
  /// ``SteihaugCG``.
  case steihaug
  /// The generalized Lanczos trust-region method (products only; SciPy's `trust-krylov`); see
  /// ``GLTR``.
  case gltr
  /// The nearly exact solution by the Moré-Sorensen iteration with its original termination tests
  /// (dense Hessian; SciPy's `trust-exact`); see
  /// ``MoreSorensen/solveApproximately(hessian:gradient:radius:boundaryTolerance:hardCaseTolerance:maxIterations:)``.
  case exact
  /// Powell's dogleg (dense Hessian; Cauchy point when the Hessian is not positive definite;
  /// SciPy's `dogleg`); see ``Dogleg``.
  case dogleg

  /// Whether the solver needs the dense Hessian (otherwise Hessian-vector products suffice).
  public var needsDenseHessian: Bool { self == .exact || self == .dogleg }

  /// A short name for reports: `Steihaug-CG`, `GLTR`, `exact`, `dogleg`.
  public var displayName: String {
    switch self {
    case .steihaug: return "Steihaug-CG"
    case .gltr: return "GLTR"
    case .exact: return "exact"
    case .dogleg: return "dogleg"
    }
  }
}
