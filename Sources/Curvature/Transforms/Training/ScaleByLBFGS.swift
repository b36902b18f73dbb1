/// Limited-memory BFGS as a gradient transformation: the incoming gradient gₖ is replaced by the
/// quasi-Newton direction pₖ = −Hₖgₖ, where Hₖ is the L-BFGS inverse-Hessian approximation built
/// from the last m pairs
///
///     sᵢ = xᵢ₊₁ − xᵢ,   yᵢ = ∇f(xᵢ₊₁) − ∇f(xᵢ),   ρᵢ = 1/(yᵢᵀsᵢ),
///
/// applied by the two-loop recursion (Nocedal & Wright, *Numerical Optimization*, 2nd ed.,
/// Algorithm 7.4): q ← g; for i = k−1 … k−m: αᵢ = ρᵢsᵢᵀq, q ← q − αᵢyᵢ; r ← γₖq with the scaling
/// γₖ = sₖ₋₁ᵀyₖ₋₁ / yₖ₋₁ᵀyₖ₋₁ (eq. 7.20); for i = k−m … k−1: β = ρᵢyᵢᵀr, r ← r + (αᵢ − β)sᵢ;
/// p = −r. This is Hₖ = Vₖ₋₁ᵀHₖ₋₁Vₖ₋₁ + ρₖ₋₁sₖ₋₁sₖ₋₁ᵀ with Vᵢ = I − ρᵢyᵢsᵢᵀ, unrolled from
/// Hₖ⁰ = γₖI (Nocedal & Wright, eq. 7.19).
///
/// The pairs are formed from the parameters of consecutive updates (``UpdateContext/parameters``)
/// and the incoming gradients, so the caller must apply each returned step (usually after a line
/// search, see ``ScaleByLineSearch`` and ``Optimizers/lbfgs(memory:lineSearch:)``). A pair is kept
/// only when the curvature condition yᵀs > ``curvatureTolerance``·‖s‖‖y‖ holds, which keeps Hₖ
/// positive definite; otherwise it is skipped (counted in the state). Without pairs (the first
/// update), Hₖ = I and p = −g.
///
/// With a full-batch objective and a Wolfe line search this is the classical L-BFGS method
/// (Liu & Nocedal, Mathematical Programming 45, 1989).
public struct ScaleByLBFGS: GradientTransformation {
  /// The memory, the previous point and the counters.
  public struct State: Sendable, Codable, Equatable {
    /// sᵢ, oldest first (at most m).
    public var steps: [Vector]
    /// yᵢ, oldest first.
    public var gradientChanges: [Vector]
    /// ρᵢ = 1/(yᵢᵀsᵢ), oldest first.
    public var inverseCurvatures: [Double]
    /// xₖ₋₁ (nil before the first update).
    public var previousParameters: Vector?
    /// gₖ₋₁ (nil before the first update).
    public var previousGradient: Vector?
    /// Updates so far.
    public var count: Int
    /// Pairs rejected by the curvature condition.
    public var skippedPairs: Int
  }

  /// m, the number of pairs kept.
  public var memory: Int
  /// The relative tolerance of the curvature condition yᵀs > tol·‖s‖‖y‖.
  public var curvatureTolerance: Double

  /// L-BFGS with memory m (default 10).
  public init(memory: Int = 10, curvatureTolerance: Double = 1e-10) {
    precondition(memory >= 1, "L-BFGS memory must be positive, got \(memory)")
    precondition(curvatureTolerance >= 0, "curvatureTolerance must be non-negative")
    self.memory = memory
    self.curvatureTolerance = curvatureTolerance
  }

  /// No pairs yet.
  public func initialState(for parameters: Vector) -> State {
    State(
      steps: [], gradientChanges: [], inverseCurvatures: [], previousParameters: nil,
      previousGradient: nil, count: 0, skippedPairs: 0)
  }

  /// Stores the new pair (sₖ₋₁, yₖ₋₁) and writes −Hₖgₖ.
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    let n = updates.count
    checkSameCount(n, context.parameters.count)
    state.count += 1
    let g = updates
    guard g.isFinite else {
      updates.fill(0)
      return
    }
    let x = context.parameters
    if let xp = state.previousParameters, let gp = state.previousGradient {
      var s = x
      axpy(-1, xp, &s)
      var y = g
      axpy(-1, gp, &y)
      let sy = dot(s, y)
      if sy.isFinite && sy > curvatureTolerance * s.norm * y.norm && sy > 0 {
        if state.steps.count == memory {
          state.steps.removeFirst()
          state.gradientChanges.removeFirst()
          state.inverseCurvatures.removeFirst()
        }
        state.steps.append(s)
        state.gradientChanges.append(y)
        state.inverseCurvatures.append(1 / sy)
      } else {
        state.skippedPairs += 1
      }
    }
    state.previousParameters = x
    state.previousGradient = g

    // Two-loop recursion.
    let k = state.steps.count
    var q = g
    var alphas = [Double](repeating: 0, count: k)
    for i in stride(from: k - 1, through: 0, by: -1) {
      let a = state.inverseCurvatures[i] * dot(state.steps[i], q)
      alphas[i] = a
      axpy(-a, state.gradientChanges[i], &q)
    }
    if k > 0 {
      let y = state.gradientChanges[k - 1]
      q.scale(by: 1 / (state.inverseCurvatures[k - 1] * y.normSquared))
    }
    for i in 0..<k {
      let b = state.inverseCurvatures[i] * dot(state.gradientChanges[i], q)
      axpy(alphas[i] - b, state.steps[i], &q)
    }
    q.scale(by: -1)
    updates = q
  }
}
