/// Limited-memory BFGS (Liu & Nocedal, "On the limited memory BFGS method for large scale
/// optimization", Math. Programming 45, 1989; Nocedal & Wright, 2nd ed., §7.2, Algorithm 7.5).
///
/// Each iteration takes pₖ = −Hₖ∇fₖ by the two-loop recursion over the last m pairs
/// sᵢ = xᵢ₊₁ − xᵢ, yᵢ = ∇fᵢ₊₁ − ∇fᵢ (see ``LBFGSHistory``) with H₀ = γₖI,
/// γₖ = sₖ₋₁ᵀyₖ₋₁/yₖ₋₁ᵀyₖ₋₁ (N&W eq. 7.20), and a line search satisfying the strong Wolfe
/// conditions (c₁ = 1e-4, c₂ = 0.9). The first step, and the first after a reset, tries
/// α₀ = min(1, 1/‖∇f‖₂), the steepest-descent scaling SciPy and N&W use when no curvature is
/// known; later steps try α₀ = 1.
///
/// A pair with yᵀs ≤ ``curvatureThreshold``·‖s‖‖y‖ (or non-finite) is not stored. When a search
/// fails without decrease the memory is cleared and the iteration retried once with steepest
/// descent; when it fails after some decrease, the point is taken and the memory cleared.
/// The vectors (m pairs, direction and trial point and gradient) are allocated once.
public struct LBFGS: MinimizationMethod {
  /// The number of stored pairs m (default 10).
  public var memory: Int
  /// The line search (default: Moré-Thuente with c₁ = 1e-4, c₂ = 0.9).
  public var lineSearch: any LineSearch
  /// Pairs with yᵀs ≤ curvatureThreshold·‖s‖‖y‖ are skipped (default 1e-10).
  public var curvatureThreshold: Double

  /// Creates the method.
  public init(
    memory: Int = 10, lineSearch: any LineSearch = MoreThuente(),
    curvatureThreshold: Double = 1e-10
  ) {
    precondition(memory > 0, "L-BFGS memory must be positive, got \(memory)")
    self.memory = memory
    self.lineSearch = lineSearch
    self.curvatureThreshold = curvatureThreshold
  }

  /// `L-BFGS`.
  public var name: String { "L-BFGS" }

  /// Runs L-BFGS from the run's current iterate.
  public func run(_ run: inout SolverRun) -> Termination {
    if run.gradientConverged { return .gradientTolerance }
    let n = run.dimension
    var history = LBFGSHistory(capacity: memory, dimension: n)
    var p = Vector.zeros(n)
    var xNew = Vector.zeros(n)
    var gNew = Vector.zeros(n)
    var s = Vector.zeros(n)
    var y = Vector.zeros(n)
    var freshStart = true

    while true {
      // p = −H g.
      p.assign(run.gradient)
      history.applyInPlace(&p)
      p.scale(by: -1)
      var slope = dot(run.gradient, p)
      if !(slope < 0) || !slope.isFinite {
        history.reset()
        freshStart = true
        p.assign(run.gradient)
        p.scale(by: -1)
        slope = -run.gradient.normSquared
      }
      let alpha0 = freshStart ? Swift.min(1, 1 / run.gradient.norm) : 1
      let result = run.searchLine(
        lineSearch, direction: p, slope: slope, initialStep: alpha0, point: &xNew,
        gradient: &gNew)
      let decision = LineSearchDecision.decide(
        result, value0: run.value, canReset: !history.isEmpty || !freshStart)
      switch decision {
      case .stop(let t): return t
      case .resetAndRetry:
        history.reset()
        freshStart = true
        continue
      case .accept, .acceptAndReset, .acceptThenUnbounded:
        break
      }
      if decision == .acceptAndReset {
        history.reset()
        freshStart = true
      } else {
        freshStart = false
        addScaled(xNew, -1, run.x, into: &s)
        addScaled(gNew, -1, run.gradient, into: &y)
        history.push(s: &s, y: &y, threshold: curvatureThreshold)
      }
      if let t = run.accept(
        x: xNew, value: result.value, gradient: gNew, details: .init(stepLength: result.step))
      {
        return t
      }
      if decision == .acceptThenUnbounded { return .unboundedBelow }
    }
  }
}

extension MinimizationMethod where Self == LBFGS {
  /// L-BFGS with memory m (default 10) and a strong Wolfe line search (Moré-Thuente).
  public static func lbfgs(memory: Int = 10, lineSearch: any LineSearch = MoreThuente()) -> LBFGS {
    LBFGS(memory: memory, lineSearch: lineSearch)
  }
}
