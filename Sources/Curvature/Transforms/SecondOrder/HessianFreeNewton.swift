import RealModule

/// Hessian-free Newton-CG (Martens 2010, "Deep learning via Hessian-free optimization", ICML) as
/// a gradient transformation: the incoming direction g is replaced by an approximate minimizer of
/// the damped quadratic model
///
///     q(p) = gᵀp + ½pᵀ(B + λI)p,
///
/// where B is the Gauss-Newton matrix or the Hessian of the current mini-batch, reached only
/// through products B·v from the ``UpdateContext``. The method has Martens' ingredients:
/// - CG on (B + λI)p = −g, warm-started from ζ times the previous solution (ζ = 0.95), with the
///   relative-progress stop (``ConjugateGradient/MartensStopping``) and a negative-curvature exit;
/// - CG backtracking: iterates are stored at iterations ⌈1.3ʲ⌉ and the true objective is
///   evaluated backwards from the last one while it keeps decreasing; the best one is kept;
/// - Levenberg-Marquardt damping from the reduction ratio ρ = (f(x + p) − f(x)) / (q₀(p)), with
///   q₀ the undamped model: λ ← 3λ/2 when ρ < 1/4 and λ ← 2λ/3 when ρ > 3/4;
/// - an Armijo backtracking line search on the chosen step as a safeguard
///   (f(x + αp) ≤ f(x) + c·α·gᵀp, c = 10⁻², α ← 0.8α), returning a zero step when no decrease is
///   found;
/// - an optional diagonal preconditioner (|diag B| + λ)^ξ estimated by Hutchinson probes.
///
/// Under a training budget (``UpdateContext/budgetRemaining``) the step is planned to fit the
/// passes left: CG runs at most ⌊(A − fixed)/w⌋ iterations, with A the budget left, w the weight
/// of a curvature product (``PassCost``) and fixed the weights of the step's other planned
/// calls (the Gauss-Newton preparation, the warm-start and preconditioner products, the value
/// at the chosen iterate and the product of the reduction ratio), but always at least one; CG
/// backtracking goes on only while a value and that last product fit, and the line search
/// only while a value fits (a search cut short returns a zero step, as one without decrease).
/// So the step stays within the budget whenever the budget covers the smallest step.
///
/// The output is the step to add to the parameters (no learning rate is needed). Gauss-Newton
/// and Levenberg-Marquardt are configurations of the same machinery, see
/// ``Optimizers/gaussNewton(damping:)`` and ``Optimizers/levenbergMarquardt(initialDamping:)``.
///
/// Needs ``UpdateContext/gaussNewtonProduct`` or ``UpdateContext/hessianVectorProduct`` (per
/// ``curvature``) and ``UpdateContext/evaluateValue`` (or ``UpdateContext/evaluateGradient``).
public struct HessianFreeNewton: GradientTransformation {
  /// Which curvature matrix B the model uses.
  public enum Curvature: String, Sendable, Hashable, Codable {
    /// The Gauss-Newton product (positive semidefinite for convex losses; Martens' choice).
    case gaussNewton
    /// The Hessian-vector product (may be indefinite; CG then stops on negative curvature).
    case hessian
  }

  /// The state carried between updates.
  public struct State: Sendable, Codable, Equatable {
    /// λ, the current damping.
    public var damping: Double
    /// The previous CG solution, for the warm start.
    public var previousStep: Vector
    /// Updates so far.
    public var count: Int
    /// The last reduction ratio ρ.
    public var lastRatio: Double
    /// The last line-search step length α (0 when no decrease was found).
    public var lastStepLength: Double
    /// Total CG iterations.
    public var cgIterations: Int
    /// Total curvature products (CG plus preconditioner probes).
    public var curvatureProducts: Int
    /// Total objective evaluations spent in backtracking and the line search.
    public var valueEvaluations: Int
    /// Times CG met negative curvature.
    public var negativeCurvatureEvents: Int
  }

  /// Which curvature to use.
  public var curvature: Curvature
  /// λ₀.
  public var initialDamping: Double
  /// Whether λ adapts from ρ (false keeps λ fixed: plain damped Gauss-Newton).
  public var adaptiveDamping: Bool
  /// ζ, the warm-start decay (0 disables warm starts).
  public var warmStartDecay: Double
  /// The largest number of CG iterations per update.
  public var maxCGIterations: Int
  /// The relative residual tolerance of CG (a second stopping rule beside Martens').
  public var cgTolerance: Double
  /// Whether to use Martens' relative-progress stop.
  public var martensStopping: Bool
  /// Whether to backtrack over CG iterates.
  public var cgBacktracking: Bool
  /// ξ for the Hutchinson diagonal preconditioner (|diag B| + λ)^ξ, or nil for none.
  public var preconditionerExponent: Double?
  /// The Armijo constant c of the safeguarding line search.
  public var armijoConstant: Double
  /// The largest number of line-search reductions.
  public var maxLineSearchSteps: Int

  /// Creates the transformation; the defaults are Martens' settings.
  public init(
    curvature: Curvature = .gaussNewton, initialDamping: Double = 1, adaptiveDamping: Bool = true,
    warmStartDecay: Double = 0.95, maxCGIterations: Int = 250, cgTolerance: Double = 1e-10,
    martensStopping: Bool = true, cgBacktracking: Bool = true,
    preconditionerExponent: Double? = nil, armijoConstant: Double = 1e-2,
    maxLineSearchSteps: Int = 30
  ) {
    precondition(initialDamping >= 0, "damping must be non-negative, got \(initialDamping)")
    precondition(maxCGIterations >= 1, "maxCGIterations must be positive, got \(maxCGIterations)")
    self.curvature = curvature
    self.initialDamping = initialDamping
    self.adaptiveDamping = adaptiveDamping
    self.warmStartDecay = warmStartDecay
    self.maxCGIterations = maxCGIterations
    self.cgTolerance = cgTolerance
    self.martensStopping = martensStopping
    self.cgBacktracking = cgBacktracking
    self.preconditionerExponent = preconditionerExponent
    self.armijoConstant = armijoConstant
    self.maxLineSearchSteps = maxLineSearchSteps
  }

  /// λ = λ₀, no previous step.
  public func initialState(for parameters: Vector) -> State {
    State(
      damping: initialDamping, previousStep: .zeros(parameters.count), count: 0, lastRatio: .nan,
      lastStepLength: 0, cgIterations: 0, curvatureProducts: 0, valueEvaluations: 0,
      negativeCurvatureEvents: 0)
  }

  /// One Hessian-free step.
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    let n = updates.count
    checkSameCount(n, state.previousStep.count)
    checkSameCount(n, context.parameters.count)
    let name = "HessianFreeNewton"
    let product =
      curvature == .gaussNewton
      ? context.requireGaussNewtonProduct(for: name)
      : context.requireHessianVectorProduct(for: name)
    let valueAt = context.requireValueEvaluation(for: name)
    let g = updates
    let x = context.parameters
    let f0: Double
    if let v = context.value {
      f0 = v
    } else {
      f0 = valueAt(x)
      state.valueEvaluations += 1
    }
    state.count += 1
    guard g.isFinite, f0.isFinite, g.normInfinity > 0 else {
      updates.fill(0)
      state.lastStepLength = 0
      return
    }
    let lambda = state.damping
    var products = 0
    let damped: LinearOperator = { v, out in
      product(v, &out)
      axpy(lambda, v, &out)
      products += 1
    }
    var solver = ConjugateGradient(
      relativeTolerance: cgTolerance, maxIterations: maxCGIterations,
      martensStopping: martensStopping ? ConjugateGradient.MartensStopping() : nil,
      snapshotGrowth: cgBacktracking ? 1.3 : nil)
    solver.curvatureThreshold = 0
    let rhs = -g
    let guess: Vector? =
      warmStartDecay > 0 && state.previousStep.normInfinity > 0
      ? state.previousStep.scaled(by: warmStartDecay) : nil
    // Plan the step within the budget left, when there is one.
    let productWeight =
      curvature == .gaussNewton ? PassCost.gaussNewtonProduct : PassCost.hessianVectorProduct
    let budget = context.budgetRemaining
    func fits(_ weight: Double) -> Bool { budget.map { $0() >= weight } ?? true }
    if let budget {
      var fixed = PassCost.value + productWeight
      if curvature == .gaussNewton { fixed += PassCost.gaussNewtonPreparation }
      if guess != nil { fixed += productWeight }
      if preconditionerExponent != nil { fixed += productWeight }
      let room = ((budget() - fixed) / productWeight).rounded(.down)
      if room < Double(maxCGIterations) {
        solver.maxIterations = room >= 1 ? Int(room) : 1
      }
    }
    let result: ConjugateGradient.Result
    if let xi = preconditionerExponent {
      var generator = SplitMix64.forStep(seed: context.seed, step: state.count)
      let diagonal = HutchinsonDiagonal(probes: 1).estimate(
        dimension: n, hvp: { v, out in product(v, &out) }, generator: &generator)
      products += 1
      let m = diagonal.map { Double.pow(Swift.abs($0) + lambda, xi) }
      result = solver.solve(
        damped, rhs: rhs, preconditioner: { r, z in z.assign(r ./ m) }, initialGuess: guess)
    } else {
      result = solver.solve(damped, rhs: rhs, initialGuess: guess)
    }
    state.cgIterations += result.iterations
    if result.termination.isNonPositiveCurvature { state.negativeCurvatureEvents += 1 }

    // Candidates: the snapshots (in order) ending with the final iterate.
    var candidates: [(x: Vector, q: Double)] = result.snapshots.map { ($0.x, $0.modelValue) }
    if candidates.last?.x != result.solution {
      candidates.append((result.solution, result.modelValue))
    }
    if candidates.isEmpty || result.solution.normInfinity == 0 {
      candidates = [(rhs.scaled(by: 1 / Swift.max(1, lambda)), .nan)]
    }
    // CG backtracking: walk back from the last iterate while f keeps decreasing.
    var trial = x
    var bestIndex = candidates.count - 1
    addScaled(x, 1, candidates[bestIndex].x, into: &trial)
    var bestValue = valueAt(trial)
    state.valueEvaluations += 1
    if cgBacktracking {
      var i = bestIndex - 1
      while i >= 0 && fits(PassCost.value + productWeight) {
        addScaled(x, 1, candidates[i].x, into: &trial)
        let v = valueAt(trial)
        state.valueEvaluations += 1
        if v.isFinite && (v < bestValue || !bestValue.isFinite) {
          bestValue = v
          bestIndex = i
          i -= 1
        } else {
          break
        }
      }
    }
    var p = candidates[bestIndex].x
    state.previousStep = p

    // Reduction ratio with the undamped model q₀(p) = gᵀp + ½pᵀBp.
    var bp = Vector.zeros(n)
    product(p, &bp)
    products += 1
    let gp = dot(g, p)
    let q0 = gp + 0.5 * dot(p, bp)
    let rho = (bestValue - f0) / q0
    state.lastRatio = rho
    if adaptiveDamping {
      if !rho.isFinite || rho < 0.25 {
        state.damping = lambda * 1.5
      } else if rho > 0.75 {
        state.damping = lambda * (2.0 / 3.0)
      }
    }

    // Safeguard: Armijo backtracking along p (p is a descent direction: gᵀp < 0 for CG from 0).
    if gp >= 0 { p = rhs.scaled(by: 1 / Swift.max(1, lambda)) }
    let slope = dot(g, p)
    var alpha = 1.0
    var value = gp >= 0 ? Double.nan : bestValue
    var accepted = false
    for step in 0...maxLineSearchSteps {
      if step > 0 || !value.isFinite {
        if !fits(PassCost.value) { break }
        if step > 0 { alpha *= 0.8 }
        addScaled(x, alpha, p, into: &trial)
        value = valueAt(trial)
        state.valueEvaluations += 1
      }
      if value.isFinite && value <= f0 + armijoConstant * alpha * slope {
        accepted = true
        break
      }
    }
    state.curvatureProducts += products
    if accepted {
      updates = p.scaled(by: alpha)
      state.lastStepLength = alpha
    } else {
      updates.fill(0)
      state.lastStepLength = 0
      state.damping = lambda * 1.5
    }
  }
}
