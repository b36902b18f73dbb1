import RealModule

/// Preconditioned conjugate gradients for A x = b with A symmetric, given as a closure, with a
/// negative-curvature exit for use inside Newton-CG and Hessian-free methods.
///
/// The iteration is Hestenes-Stiefel CG with preconditioner M⁻¹ (Nocedal & Wright, *Numerical
/// Optimization*, 2nd ed., Algorithm 5.3), written with r = b − Ax:
///
///     r₀ = b − Ax₀,  z₀ = M⁻¹r₀,  p₀ = z₀
///     κₖ = pₖᵀApₖ;   stop if κₖ ≤ ε‖pₖ‖²                      (non-positive curvature)
///     αₖ = rₖᵀzₖ / κₖ
///     xₖ₊₁ = xₖ + αₖpₖ,   rₖ₊₁ = rₖ − αₖApₖ;   stop if ‖rₖ₊₁‖ ≤ max(η‖b‖, τₐ)
///     zₖ₊₁ = M⁻¹rₖ₊₁,   βₖ = rₖ₊₁ᵀzₖ₊₁ / rₖᵀzₖ,   pₖ₊₁ = zₖ₊₁ + βₖpₖ
///
/// η is ``relativeTolerance`` (the forcing term of inexact Newton, N&W §7.1), τₐ is
/// ``absoluteTolerance`` and ε is ``curvatureThreshold``. The residual test uses the Euclidean
/// norm of the recursive residual, also with a preconditioner.
///
/// When A is not positive definite CG can meet a direction with pᵀAp ≤ 0; it then stops and
/// reports that direction with its Rayleigh quotient, together with the iterate reached so far
/// (N&W Algorithm 7.1 uses that iterate, or −g at the first iteration, as the Newton-CG step).
///
/// Non-finite right-hand sides, initial guesses or operator outputs end the solve with
/// `.nonFinite`; the loop is always bounded by ``maxIterations``.
///
/// For Hessian-free training (Martens 2010, "Deep learning via Hessian-free optimization",
/// ICML) CG can warm start from a previous solution, track the quadratic model
/// q(x) = ½xᵀAx − bᵀx, stop on relative progress (``martensStopping``) and keep iterates at
/// geometrically spaced iterations for backtracking (``snapshotGrowth``).
public struct ConjugateGradient: Sendable {
  /// η: stop when ‖b − Ax‖ ≤ η‖b‖.
  public var relativeTolerance: Double
  /// τₐ: stop when ‖b − Ax‖ ≤ τₐ (whichever of the two tests is looser applies). Default 0.
  public var absoluteTolerance: Double
  /// The iteration limit; nil means 2n (CG needs at most n steps in exact arithmetic).
  public var maxIterations: Int?
  /// ε: CG stops on a direction p with pᵀAp ≤ ε‖p‖² (ε is a bound on the Rayleigh quotient,
  /// in the units of A's eigenvalues). The default 0 stops exactly on non-positive curvature;
  /// a small positive value also rejects nearly singular directions whose step αₖ would explode.
  public var curvatureThreshold: Double
  /// Martens' relative-progress stopping rule, or nil (the default) for none.
  public var martensStopping: MartensStopping?
  /// c of Nash and Sofer's quadratic test, or nil (the default) for none: CG stops at iteration
  /// k when the last step's share of the model decrease is small,
  ///
  ///     k·(qₖ − qₖ₋₁)/qₖ ≤ c,
  ///
  /// with q the quadratic model ½xᵀAx − bᵀx, updated without extra passes as
  /// qₖ = qₖ₋₁ − ½·αₖ₋₁·rₖ₋₁ᵀzₖ₋₁. It bounds the work of an inexact Newton solve by the
  /// progress it still buys: where A is nearly singular (a minimizer with a singular Hessian) the
  /// residual test of a small forcing term asks for thousands of iterations that barely lower q.
  /// Nash & Sofer, "Assessing a search direction within a truncated-Newton method", Oper. Res.
  /// Lett. 9 (1990); Nash, "A survey of truncated-Newton methods", J. Comput. Appl. Math. 124
  /// (2000), who use c = 0.5. The solve ends with ``Termination/relativeProgress``.
  public var quadraticTest: Double?
  /// γ > 1 to record iterates at iterations ⌈γʲ⌉ (j = 0, 1, …; Martens uses γ = 1.3) and at the
  /// end; nil (the default) records none. Each snapshot copies x once, so there are O(log_γ k)
  /// allocations for k iterations.
  public var snapshotGrowth: Double?
  /// Whether ``Result/modelValue`` is computed (two passes over n at the end); internal callers
  /// that do not read it (Newton-CG) turn it off and get NaN.
  var reportsModelValue = true
  /// Whether the `rhs` passed to a solve is −b rather than b (Newton-CG passes ∇f for the system
  /// ∇²f·p = −∇f, so that −∇f is never materialized). Needs a zero initial guess.
  var negatesRHS = false
  /// ‖b‖ when the caller already knows it (bit-for-bit `b.norm`), saving a pass.
  var knownRHSNorm: Double? = nil

  /// Creates a solver configuration; see the properties for the meaning of each setting.
  public init(
    relativeTolerance: Double = 1e-10, absoluteTolerance: Double = 0, maxIterations: Int? = nil,
    curvatureThreshold: Double = 0, martensStopping: MartensStopping? = nil,
    snapshotGrowth: Double? = nil
  ) {
    precondition(
      relativeTolerance >= 0, "relative tolerance must be >= 0, got \(relativeTolerance)")
    precondition(
      absoluteTolerance >= 0, "absolute tolerance must be >= 0, got \(absoluteTolerance)")
    precondition((maxIterations ?? 0) >= 0, "maxIterations must be >= 0")
    if let g = snapshotGrowth { precondition(g > 1, "snapshot growth must exceed 1, got \(g)") }
    self.relativeTolerance = relativeTolerance
    self.absoluteTolerance = absoluteTolerance
    self.maxIterations = maxIterations
    self.curvatureThreshold = curvatureThreshold
    self.martensStopping = martensStopping
    self.snapshotGrowth = snapshotGrowth
  }

  /// Solves A x = b without a preconditioner, reusing `workspace`.
  ///
  /// - Parameters:
  ///   - applyA: writes A·v into its second argument.
  ///   - rhs: b.
  ///   - initialGuess: x₀ (warm start); nil means x₀ = 0, which saves one product.
  ///   - workspace: storage reused across solves.
  public func solve(
    _ applyA: LinearOperator, rhs: Vector, initialGuess: Vector? = nil,
    workspace: inout KrylovWorkspace
  ) -> Result {
    run(
      applyA, rhs: rhs, preconditioner: { _, _ in }, hasPreconditioner: false,
      initialGuess: initialGuess, workspace: &workspace)
  }

  /// Solves A x = b with preconditioner M⁻¹ (`preconditioner(r, &z)` writes z = M⁻¹r), reusing
  /// `workspace`.
  public func solve(
    _ applyA: LinearOperator, rhs: Vector, preconditioner: LinearOperator,
    initialGuess: Vector? = nil, workspace: inout KrylovWorkspace
  ) -> Result {
    run(
      applyA, rhs: rhs, preconditioner: preconditioner, hasPreconditioner: true,
      initialGuess: initialGuess, workspace: &workspace)
  }

  /// Solves A x = b without a preconditioner, with a fresh workspace.
  public func solve(_ applyA: LinearOperator, rhs: Vector, initialGuess: Vector? = nil)
    -> Result
  {
    var workspace = KrylovWorkspace(dimension: rhs.count)
    return solve(applyA, rhs: rhs, initialGuess: initialGuess, workspace: &workspace)
  }

  /// Solves A x = b with preconditioner M⁻¹, with a fresh workspace.
  public func solve(
    _ applyA: LinearOperator, rhs: Vector, preconditioner: LinearOperator,
    initialGuess: Vector? = nil
  ) -> Result {
    var workspace = KrylovWorkspace(dimension: rhs.count)
    return solve(
      applyA, rhs: rhs, preconditioner: preconditioner, initialGuess: initialGuess,
      workspace: &workspace)
  }
}

extension ConjugateGradient {
  func run(
    _ applyA: LinearOperator, rhs b: Vector, preconditioner applyM: LinearOperator,
    hasPreconditioner: Bool, initialGuess: Vector?, workspace: inout KrylovWorkspace
  ) -> Result {
    let n = b.count
    if let x0 = initialGuess { checkSameCount(x0.count, n, "initial guess and rhs") }
    workspace.prepare(dimension: n)
    // Move the buffers out so the loop owns them uniquely (no copy-on-write, no overlapping
    // access to `workspace`), and put them back at the end.
    var x = Vector([])
    var r = Vector([])
    var z = Vector([])
    var p = Vector([])
    var ap = Vector([])
    var history: [Double] = []
    swap(&x, &workspace.x)
    swap(&r, &workspace.r)
    swap(&z, &workspace.z)
    swap(&p, &workspace.p)
    swap(&ap, &workspace.ap)
    swap(&history, &workspace.modelHistory)
    defer {
      swap(&x, &workspace.x)
      swap(&r, &workspace.r)
      swap(&z, &workspace.z)
      swap(&p, &workspace.p)
      swap(&ap, &workspace.ap)
      swap(&history, &workspace.modelHistory)
    }
    history.removeAll(keepingCapacity: true)
    // The preconditioned residual is allocated on the first preconditioned solve only.
    if hasPreconditioner && z.count != n { z = .zeros(n) }

    let limit = maxIterations ?? Swift.max(2 * n, 1)
    let tracksModel = martensStopping != nil || snapshotGrowth != nil
    if tracksModel && history.capacity < limit + 1 { history.reserveCapacity(limit + 1) }

    var products = 0
    var preconditionings = 0
    var snapshots: [Snapshot] = []
    var nextSnapshotPower = 1.0  // γʲ; the next snapshot is at iteration ⌈γʲ⌉
    var nextSnapshot = 0

    precondition(!negatesRHS || initialGuess == nil, "a negated right-hand side needs x₀ = 0")
    let bNorm = knownRHSNorm ?? b.norm
    // b = sign·rhs.
    let sign: Double = negatesRHS ? -1 : 1

    /// q(x) = ½xᵀAx − bᵀx = −½xᵀ(b + r), from the residual r = b − Ax.
    func modelValue() -> Double { -0.5 * (sign * dot(x, b) + dot(x, r)) }

    // Without an initial guess x₀ = 0 is not written: the first update writes x₁ = 0 + α₀p₀
    // directly, and whatever reads x before it (an early exit, the model history) fills it first.
    var xWritten = initialGuess != nil
    func ensureX() {
      if !xWritten {
        x.fill(0)
        xWritten = true
      }
    }

    func finish(
      _ t: Termination, _ k: Int, _ rNorm: Double, direction: Vector? = nil,
      curvature: Double? = nil
    ) -> Result {
      ensureX()
      let q = reportsModelValue || snapshotGrowth != nil ? modelValue() : .nan
      if snapshotGrowth != nil && snapshots.last?.iteration != k {
        snapshots.append(Snapshot(iteration: k, x: x, modelValue: q))
      }
      return Result(
        solution: x, termination: t, iterations: k, residualNorm: rNorm, rhsNorm: bNorm,
        negativeCurvatureDirection: direction, curvature: curvature, modelValue: q,
        snapshots: snapshots, operatorApplications: products,
        preconditionerApplications: preconditionings)
    }

    // r₀ = b − Ax₀.
    if let x0 = initialGuess {
      x.assign(x0)
      if !x0.isFinite || !bNorm.isFinite {
        x.fill(0)
        r.assign(b)
        return finish(.nonFinite, 0, bNorm.isFinite ? bNorm : .nan)
      }
      applyA(x, &ap)
      checkOperatorOutput(ap, n)
      products += 1
      addScaled(b, -1, ap, into: &r)
    } else {
      if hasPreconditioner {
        r.assign(b, scaledBy: sign)
      } else {
        // r₀ = b and p₀ = r₀ in one pass.
        krylovAssignTwice(b, scaledBy: sign, &r, &p)
      }
    }
    // Without an initial guess r is a copy of b, whose norm is known.
    var rNorm = initialGuess == nil ? bNorm : r.norm
    if !rNorm.isFinite {
      if initialGuess != nil {
        x.fill(0)
        r.assign(b)
      }
      return finish(.nonFinite, 0, .nan)
    }
    let tolerance = Swift.max(relativeTolerance * bNorm, absoluteTolerance)

    func recordModel(_ k: Int) -> Double {
      ensureX()
      let q = modelValue()
      history.append(q)
      if let gamma = snapshotGrowth, k >= nextSnapshot {
        snapshots.append(Snapshot(iteration: k, x: x, modelValue: q))
        if k == 0 { nextSnapshot = 1 }  // iteration 0 is the initial guess; γ⁰ = 1 comes next
        while nextSnapshot <= k {
          nextSnapshotPower *= gamma
          nextSnapshot = Int(nextSnapshotPower.rounded(.up))
        }
      }
      return q
    }
    if tracksModel { _ = recordModel(0) }
    if rNorm <= tolerance { return finish(.converged, 0, rNorm) }
    // The model value for the quadratic test, updated from each step's decrease.
    var quadraticModel = 0.0
    if quadraticTest != nil && initialGuess != nil { quadraticModel = modelValue() }

    // z₀ = M⁻¹r₀, ρ₀ = r₀ᵀz₀, p₀ = z₀.
    var rho: Double
    if hasPreconditioner {
      applyM(r, &z)
      checkOperatorOutput(z, n)
      preconditionings += 1
      rho = dot(r, z)
      if !rho.isFinite { return finish(.nonFinite, 0, rNorm) }
      if rho <= 0 { return finish(.preconditionerNotPositive, 0, rNorm) }
      p.assign(z)
    } else {
      rho = rNorm * rNorm
      if initialGuess != nil { p.assign(r) }  // otherwise written with r₀ above
    }

    var k = 0
    while k < limit {
      applyA(p, &ap)
      checkOperatorOutput(ap, n)
      products += 1
      let kappa = dot(p, ap)
      if !kappa.isFinite { return finish(.nonFinite, k, rNorm) }
      let threshold = curvatureThreshold
      var pp = 0.0
      let nonPositive: Bool
      if threshold == 0 {
        nonPositive = kappa <= 0
      } else {
        pp = p.normSquared
        nonPositive = kappa <= threshold * pp
      }
      if nonPositive {
        if threshold == 0 { pp = p.normSquared }
        let rayleigh = pp > 0 ? kappa / pp : 0
        return finish(
          kappa < 0 ? .negativeCurvature : .zeroCurvature, k, rNorm, direction: p,
          curvature: rayleigh)
      }
      let alpha = rho / kappa
      if !alpha.isFinite { return finish(.nonFinite, k, rNorm) }
      let rr = conjugateGradientUpdate(alpha, p, &x, -alpha, ap, &r, startsFromZero: !xWritten)
      xWritten = true
      k += 1
      rNorm = rr.isFinite && rr > 1e-280 ? rr.squareRoot() : r.norm
      if !rNorm.isFinite { return finish(.nonFinite, k, .nan) }

      if let c = quadraticTest {
        let decrease = 0.5 * alpha * rho
        quadraticModel -= decrease
        if quadraticModel < 0 && Double(k) * decrease <= -c * quadraticModel {
          return finish(.relativeProgress, k, rNorm)
        }
      }
      if tracksModel {
        let q = recordModel(k)
        if let rule = martensStopping {
          let window = rule.window(atIteration: k)
          if k > window && q < 0 && (q - history[k - window]) / q < Double(window) * rule.tolerance
          {
            return finish(.relativeProgress, k, rNorm)
          }
        }
      }
      if rNorm <= tolerance { return finish(.converged, k, rNorm) }

      let rhoNext: Double
      if hasPreconditioner {
        applyM(r, &z)
        checkOperatorOutput(z, n)
        preconditionings += 1
        rhoNext = dot(r, z)
        if !rhoNext.isFinite { return finish(.nonFinite, k, rNorm) }
        if rhoNext <= 0 { return finish(.preconditionerNotPositive, k, rNorm) }
        krylovCombine(1, z, rhoNext / rho, &p)
      } else {
        rhoNext = rr
        krylovCombine(1, r, rhoNext / rho, &p)
      }
      rho = rhoNext
    }
    return finish(.maxIterations, k, rNorm)
  }
}
