/// Why a solver stopped. Algorithmic outcomes are values, never thrown errors.
///
/// The convergence tests (see ``MinimizeOptions``) are
/// - gradient: ‖∇f(xₖ)‖∞ ≤ `gradientTolerance`;
/// - function change: |fₖ₋₁ − fₖ| ≤ `functionTolerance`·max(|fₖ₋₁|, |fₖ|, 1);
/// - step: ‖xₖ − xₖ₋₁‖₂ ≤ `stepTolerance`·(‖xₖ‖₂ + `stepTolerance`).
public enum Termination: String, Sendable, Hashable, Codable, CaseIterable {
  /// The gradient test passed (and, for curvature-aware methods, no negative curvature was seen).
  case gradientTolerance
  /// The relative change in the value fell below `functionTolerance`.
  case functionTolerance
  /// The step fell below `stepTolerance`.
  case stepTolerance
  /// `maxIterations` iterations were taken.
  case iterationLimit
  /// `maxEvaluations` objective evaluations were spent.
  case evaluationLimit
  /// The line search could not find an acceptable step.
  case lineSearchFailed
  /// The trust region radius shrank below its floor without an acceptable step.
  case trustRegionCollapsed
  /// The objective returned NaN or ±∞ and the method could not recover by shrinking the step.
  case nonFiniteValue
  /// The starting point has a NaN or infinite component.
  case nonFiniteStartingPoint
  /// The values decreased without bound (below `unboundedValue`).
  case unboundedBelow
  /// The problem has no variables, or the starting point does not match its dimension.
  case invalidProblem
  /// Stationary point with negative curvature that the method could not leave (a saddle point or a
  /// maximum); reported so that such a point is never called a minimum.
  case negativeCurvatureAtStationaryPoint
  /// The observer asked to stop; the current point is returned.
  case stoppedByObserver
  /// The observer aborted the solve.
  case abortedByObserver
  /// A subproblem solver failed (e.g. a factorization broke down).
  case numericalFailure
  /// Root finding and least squares: ‖F(x)‖∞ fell below the residual tolerance.
  case residualTolerance
  /// Root finding: the method stalled at a stationary point of ‖F‖² that is not a root.
  case stationaryNotRoot
  /// Constrained problems: no feasible point was found; the least-infeasible point is returned.
  case infeasible
  /// f and x stopped changing beyond rounding for ``MinimizeOptions/stagnationIterations``
  /// iterations in a row while the gradient test still failed: the solve has reached the
  /// precision of the arithmetic (not a success; the best point is returned).
  case stagnated

  /// Whether the outcome counts as convergence.
  public var isSuccess: Bool {
    switch self {
    case .gradientTolerance, .functionTolerance, .stepTolerance, .residualTolerance: return true
    default: return false
    }
  }

  /// A fixed, human-readable explanation.
  public var message: String {
    switch self {
    case .gradientTolerance: return "Converged: the gradient infinity norm is below the tolerance."
    case .functionTolerance:
      return "Converged: the relative change in the objective is below the tolerance."
    case .stepTolerance: return "Converged: the step is below the tolerance."
    case .iterationLimit: return "Stopped: the iteration limit was reached."
    case .evaluationLimit: return "Stopped: the evaluation limit was reached."
    case .lineSearchFailed: return "Failed: the line search found no acceptable step."
    case .trustRegionCollapsed:
      return "Failed: the trust region collapsed without an acceptable step."
    case .nonFiniteValue:
      return "Failed: the objective returned a non-finite value; the best finite point is returned."
    case .nonFiniteStartingPoint: return "Failed: the starting point is not finite."
    case .unboundedBelow: return "Failed: the objective appears to be unbounded below."
    case .invalidProblem: return "Failed: the problem is empty or its dimensions do not match."
    case .negativeCurvatureAtStationaryPoint:
      return "Failed: stationary point with negative curvature (saddle or maximum), not a minimum."
    case .stoppedByObserver: return "Stopped by the observer."
    case .abortedByObserver: return "Aborted by the observer."
    case .numericalFailure: return "Failed: a numerical subproblem broke down."
    case .residualTolerance: return "Converged: the residual infinity norm is below the tolerance."
    case .stationaryNotRoot:
      return "Failed: stalled at a stationary point of the squared residual that is not a root."
    case .infeasible:
      return "Failed: no feasible point was found; the least-infeasible point is returned."
    case .stagnated:
      return
        "Stopped: f and x no longer change beyond rounding, but the gradient test fails."
    }
  }
}
