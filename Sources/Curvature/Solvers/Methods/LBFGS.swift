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
/// fails without decrease the memory is cleared and the iteration retried once from steepest
/// descent with ``recoverySearch`` (default Hager-Zhang, whose approximate Wolfe conditions still
/// accept a step when the decrease of f is at rounding level, as near a minimizer with a large
/// f*); a further retry is allowed only once ‖∇f‖∞ has halved since the previous one began, so a
/// method that makes no progress stops with ``Termination/lineSearchFailed`` instead of crawling.
/// Once a recovery has succeeded, the recovery search serves as the main search for the rest of
/// the solve: a main search that fails without decrease means the values of f have become
/// rounding noise along the directions (BDQRTIC, f* ≈ 4n), where Moré-Thuente brackets on that
/// noise and fails again, while Hager-Zhang brackets on φ' and treats changes of f within
/// ε·|f| as level.
/// When a search fails after some decrease, the point is taken and the memory cleared.
/// The vectors (m pairs, direction and trial point and gradient) are allocated once.
///
/// Two equivalent forms of the recursion are used, by dimension: for n < ``compactMinimumDimension``
/// the classic two-loop recursion over explicit pairs (``LBFGSHistory``), whose vectors stay in
/// cache at such sizes; for larger n the compact "vector-free" form of Chen, Wang, Zhou & Tsang
/// (NIPS 2014), which keeps the inner products of the stored vectors and builds each direction as
/// one linear combination (internal `LBFGSCompactHistory`): two passes over the 2m + 2 stored
/// vectors per iteration (about 4m + 4 vector words) instead of the two-loop's 10m + 6. Both give the same directions up to rounding. When the compact form yields
/// a non-finite or non-descent direction, the memory is cleared as in the classic form. From
/// n ≥ ``parallelMinimumDimension`` the compact form's two passes per iteration run on two threads,
/// each over a fixed half of the vectors, with bit-identical results. The compact form can store its
/// history in single precision (``historyPrecision``), which halves its memory and the bytes each
/// pass reads; the gradients and all arithmetic stay in Double.
public struct LBFGS: MinimizationMethod {
  /// The number of stored pairs m (default 10).
  public var memory: Int
  /// The line search (default: Moré-Thuente with c₁ = 1e-4, c₂ = 0.9, also accepting Hager and
  /// Zhang's approximate Wolfe conditions when |φ(α) − φ(0)| ≤ 1e-6·|φ(0)|; see
  /// ``MoreThuente/approximateWolfeTolerance``).
  public var lineSearch: any LineSearch
  /// Pairs with yᵀs ≤ curvatureThreshold·‖s‖‖y‖ are skipped (default 1e-10).
  public var curvatureThreshold: Double
  /// The smallest n for which the compact form of the recursion is used (default 4096: from about
  /// there the 2m history vectors outgrow the L2 cache and the iteration is bound by memory
  /// traffic); below it the classic two-loop recursion runs.
  public var compactMinimumDimension: Int
  /// The smallest n for which the compact form's blocked passes run on two threads (default
  /// 2¹⁸ = 262144; `Int.max` turns threading off). Each thread takes a fixed half of the blocks
  /// and the halves' sums are added in a fixed order, so the iterates, evaluation counts and
  /// results are bit-identical with and without threads and from run to run. Worth it where the
  /// passes are bound by one core's memory bandwidth (the vectors far outgrow the caches); when
  /// the second core is busy with other work, each pass waits for it and threading can be slower.
  public var parallelMinimumDimension: Int
  /// The line search of the one retry after a search that found no decrease, and of every search
  /// after a retry that succeeded (default ``HagerZhang``).
  public var recoverySearch: any LineSearch
  /// The precision in which the compact form stores its 2m + 2 history vectors (default
  /// ``HistoryPrecision/double``); the classic form below ``compactMinimumDimension`` always
  /// stores Double.
  public var historyPrecision: HistoryPrecision

  /// The element type of the stored history of the compact form.
  ///
  /// With ``single`` the directions and gradient differences are stored as `Float`: half the
  /// memory (8(m + 1)n bytes instead of 16(m + 1)n) and about half the bytes each iteration's two
  /// passes read, which is what bounds an iteration at large n. The gradients, the point and all
  /// arithmetic stay in Double, and each stored vector is rounded once when written; the search
  /// runs along the rounded direction, so the stored steps are exact, and the differences carry
  /// a relative perturbation of about 6e-8. The iterates then differ from the Double history's
  /// by rounding-level amounts that L-BFGS's own approximation of the Hessian dwarfs, but they
  /// are not bit-identical to them, and the two may take different numbers of iterations.
  /// `Float` covers magnitudes from about 1.2e-38 to 3.4e38: on a problem whose gradients or
  /// steps leave that range the stored vectors overflow or lose their digits. When even the
  /// steepest-descent direction no longer survives the rounding (a gradient beyond 3.4e38, or
  /// one that rounds to zero), the solve goes on from the current iterate with the Double history
  /// (its memory starts empty); a problem scaled near those limits is better rescaled.
  public enum HistoryPrecision: String, Sendable, Hashable, CaseIterable {
    /// 8-byte elements (the default).
    case double
    /// 4-byte elements.
    case single
  }

  /// Creates the method.
  public init(
    memory: Int = 10, lineSearch: any LineSearch = MoreThuente(approximateWolfeTolerance: 1e-6),
    curvatureThreshold: Double = 1e-10, compactMinimumDimension: Int = 4096,
    parallelMinimumDimension: Int = 1 << 18, recoverySearch: any LineSearch = HagerZhang(),
    historyPrecision: HistoryPrecision = .double
  ) {
    precondition(memory > 0, "L-BFGS memory must be positive, got \(memory)")
    self.memory = memory
    self.lineSearch = lineSearch
    self.curvatureThreshold = curvatureThreshold
    self.compactMinimumDimension = compactMinimumDimension
    self.parallelMinimumDimension = parallelMinimumDimension
    self.recoverySearch = recoverySearch
    self.historyPrecision = historyPrecision
  }

  /// `L-BFGS`.
  public var name: String { "L-BFGS" }

  /// Runs L-BFGS from the run's current iterate.
  public func run(_ run: inout SolverRun) -> Termination {
    if run.gradientConverged { return .gradientTolerance }
    if run.dimension >= compactMinimumDimension {
      if historyPrecision == .single, let t = runCompact(&run, storing: Float.self) { return t }
      // Double, or single precision that cannot represent this problem's vectors: the solve
      // goes on from the current iterate with an empty Double history.
      return runCompact(&run, storing: Double.self) ?? .lineSearchFailed
    }
    let n = run.dimension
    var history = LBFGSHistory(capacity: memory, dimension: n)
    var p = Vector.zeros(n)
    var xNew = Vector.zeros(n)
    var gNew = Vector.zeros(n)
    var s = Vector.zeros(n)
    var y = Vector.zeros(n)
    var state = LBFGSSearchState()

    while true {
      // p = −H g.
      p.assign(run.gradient)
      history.applyInPlace(&p)
      p.scale(by: -1)
      var slope = dot(run.gradient, p)
      if !(slope < 0) || !slope.isFinite {
        history.reset()
        state.freshStart = true
        p.assign(run.gradient)
        p.scale(by: -1)
        slope = -run.gradient.normSquared
      }
      let (result, decision) = state.search(
        &run, with: self, direction: p, slope: slope, point: &xNew, gradient: &gNew)
      switch decision {
      case .stop(let t): return t
      case .resetAndRetry:
        history.reset()
        continue
      case .accept, .acceptAndReset, .acceptThenUnbounded:
        break
      }
      if decision == .acceptAndReset {
        history.reset()
      } else {
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

extension LBFGS {
  /// The iteration of ``run(_:)`` with ``LBFGSCompactHistory``: the direction is written into the
  /// history's free slot and searched along from there, the line search writes its gradients into
  /// the history's trial slot, and a stored step is that direction slot with its step length. The
  /// accepted point is swapped into the run and its gradient shared with the history, whose pass
  /// also yields ‖∇f‖∞, so nothing is copied or allocated per iteration.
  ///
  /// Returns nil, for a history narrower than Double, when even the steepest-descent direction
  /// rounded to `S` is not a finite descent direction while ∇f is finite and non-zero: the
  /// gradient has left the range of `S` (beyond about 3.4e38, or below 1e-45 for `Float`).
  func runCompact<S: BlockedPassScalar>(_ run: inout SolverRun, storing: S.Type) -> Termination? {
    let n = run.dimension
    var history = LBFGSCompactHistory<S>(
      capacity: memory, gradient: run.gradient, parallel: n >= parallelMinimumDimension)
    var xNew = Vector.zeros(n)
    var state = LBFGSSearchState()
    var slope = history.computeDirection()

    while true {
      if !(slope < 0) || !slope.isFinite {
        history.reset()
        state.freshStart = true
        slope = history.computeDirection()
        if S.self != Double.self && !(slope < 0 && slope.isFinite) {
          let g = maximumMagnitude(run.gradient)
          if g.isFinite && g > 0 { return nil }
        }
      }
      var gNew = history.takeTrialGradient()
      let (result, decision) = state.search(
        &run, with: self, direction: history.direction, slope: slope, point: &xNew,
        gradient: &gNew)
      history.restoreTrialGradient(&gNew)
      switch decision {
      case .stop(let t): return t
      case .resetAndRetry:
        history.reset()
        slope = history.computeDirection()
        continue
      case .accept, .acceptAndReset, .acceptThenUnbounded:
        break
      }
      // Update the memory first: the pass over gₖ₊₁ also gives ‖gₖ₊₁‖∞ for the tests.
      if decision == .acceptAndReset {
        history.reset()
        history.adoptTrialGradient()
      } else {
        history.push(
          step: result.step, derivative: result.derivative, threshold: curvatureThreshold)
      }
      // Hand the run the point by swapping and the gradient by sharing the history's storage
      // (the run's previous gradient storage is released, leaving the history's trial slot,
      // which holds the same old gradient, uniquely referenced for the next search).
      var gradient = history.gradient
      if let t = run.acceptSwapping(
        x: &xNew, value: result.value, gradient: &gradient,
        gradientNormInfinity: history.gradientNormInfinity,
        details: .init(stepLength: result.step))
      {
        return t
      }
      if decision == .acceptThenUnbounded { return .unboundedBelow }
      slope = history.computeDirection()
    }
  }
}

/// The line-search step and recovery bookkeeping shared by the two forms of ``LBFGS``: the first
/// trial, the choice of the main or the recovery search, the package's decision on the outcome,
/// and when a further recovery is allowed.
struct LBFGSSearchState {
  /// Whether the next search starts without curvature information (first step or after a reset):
  /// it then tries α₀ = min(1, 1/‖∇f‖₂) instead of 1.
  var freshStart = true
  /// Whether the next search is the retry of a recovery.
  var recovering = false
  /// ‖∇f‖∞ where the last recovery began; another recovery is allowed only after it has halved.
  var recoveryStartNorm = Double.infinity
  /// Whether a recovery has succeeded: the recovery search then serves as the main search for the
  /// rest of the solve.
  var keepsRecoverySearch = false

  /// Searches along `p` from the run's iterate (with `method`'s recovery search during a
  /// recovery) and returns the result with the shared decision. On
  /// ``LineSearchDecision/resetAndRetry`` a recovery has begun: the caller clears its memory and
  /// searches again; on acceptance the state records whether the memory is kept.
  mutating func search(
    _ run: inout SolverRun, with method: LBFGS, direction p: Vector, slope: Double,
    point: inout Vector, gradient: inout Vector
  ) -> (LineSearchResult, LineSearchDecision) {
    let alpha0 = freshStart ? Swift.min(1, 1 / run.gradient.norm) : 1
    let result = run.searchLine(
      recovering || keepsRecoverySearch ? method.recoverySearch : method.lineSearch, direction: p,
      slope: slope,
      initialStep: alpha0, point: &point, gradient: &gradient)
    let decision = LineSearchDecision.decide(
      result, value0: run.value,
      canReset: !recovering && maximumMagnitude(run.gradient) <= 0.5 * recoveryStartNorm)
    switch decision {
    case .stop: break
    case .resetAndRetry:
      freshStart = true
      recovering = true
      recoveryStartNorm = maximumMagnitude(run.gradient)
    case .accept, .acceptThenUnbounded:
      if recovering { keepsRecoverySearch = true }
      recovering = false
      freshStart = false
    case .acceptAndReset:
      if recovering { keepsRecoverySearch = true }
      recovering = false
      freshStart = true
    }
    return (result, decision)
  }
}

extension MinimizationMethod where Self == LBFGS {
  /// L-BFGS with memory m (default 10) and a strong Wolfe line search (Moré-Thuente, by default
  /// also accepting Hager and Zhang's approximate Wolfe conditions when
  /// |φ(α) − φ(0)| ≤ 1e-6·|φ(0)|).
  public static func lbfgs(
    memory: Int = 10, lineSearch: any LineSearch = MoreThuente(approximateWolfeTolerance: 1e-6),
    historyPrecision: LBFGS.HistoryPrecision = .double
  ) -> LBFGS {
    LBFGS(memory: memory, lineSearch: lineSearch, historyPrecision: historyPrecision)
  }
}
