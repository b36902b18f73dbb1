import RealModule

/// Truncated Newton with a line search, "Newton-CG" (Nocedal & Wright, 2nd ed., Alg. 7.1):
/// each iteration solves ∇²f(xₖ)·p = −∇f(xₖ) inexactly by conjugate gradients using only
/// Hessian-vector products, then takes a backtracking Armijo step along p.
///
/// - Inner CG stops when ‖∇²f·p + g‖ ≤ ηₖ‖g‖ with the forcing term ηₖ of ``ForcingTerm``
///   (default N&W's ηₖ = min(0.5, √‖gₖ‖), which gives superlinear convergence, eq. 7.3, kept
///   above 0.9(‖gₖ‖/‖gₖ₋₁‖)² once CG has needed more than 5 products in an iteration, so that a
///   linearly converging outer iteration, as at a minimizer with a singular Hessian, does not ask
///   CG for accuracy it cannot use), or after ``maxCGIterations`` iterations (default 20n, as
///   SciPy).
/// - When CG meets a direction d with dᵀ∇²f·d ≤ 0 it stops: on the first iteration it returns the
///   steepest-descent direction −g scaled by ‖g‖²/|dᵀHd| (or −g when dᵀHd = 0); later it adds the
///   negative-curvature direction to the CG iterate so far, or returns the iterate alone (see
///   ``NegativeCurvatureStep``). The line search may then double the unit step while f decreases.
/// - CG can be preconditioned by a Jacobi preconditioner built from a user-supplied Hessian
///   diagonal (``hessianDiagonal``).
/// - The line search is backtracking Armijo with a unit initial step and quadratic interpolation
///   (`NewtonLineSearch`); trials evaluate values only and the gradient is evaluated at the
///   accepted point, so a typical iteration costs one value, one gradient and the CG products.
///   SciPy's `newton-cg` uses a Wolfe search that evaluates the gradient at every trial; since the
///   unit Newton step is accepted on almost every iteration, value-only Armijo trials cost fewer
///   gradients: on the 20 peer MGH problems this method solved all 20 with 615 gradients and 1,576
///   products, SciPy's `newton-cg` 19 with 1,840 gradients and 2,957 products (peer baseline).
///   With the library's strong Wolfe search (``lineSearch``) it solved 19 (Brown-Dennis failed at
///   rounding level) with 850 gradients and 1,262 products; with Moré-Thuente 19 with 865 and
///   1,474; with Hager-Zhang 20 with 1,161 and 1,287. The Newton search also accepts, once per
///   search, a rounding-level step that reduces the gradient norm (see `NewtonLineSearch`),
///   which is what solves Brown-Dennis (f* ≈ 8.6·10⁴).
/// - Second-order stationarity: when ‖∇f‖∞ ≤ `gradientTolerance`, a short Lanczos probe
///   (at most ``curvatureProbeIterations`` products; it stops after six once the smallest Ritz
///   value is positive and converged) checks for negative curvature; if found, the method
///   steps along it and continues, and it reports
///   ``Termination/negativeCurvatureAtStationaryPoint`` rather than success if it cannot leave
///   (no acceptable step along the direction, or 20 escapes in a row from points that all pass
///   the gradient test).
///   The check runs only when the gradient test passes (never on other iterations); the
///   function- and step-change tests (off by default) end the solve without it.
///
/// References: Nocedal & Wright, 2nd ed., sections 7.1 and 6.1; R. S. Dembo, S. C. Eisenstat,
/// T. Steihaug, "Inexact Newton methods" (1982); S. C. Eisenstat, H. F. Walker, "Choosing the
/// forcing terms in an inexact Newton method", SIAM J. Sci. Comput. 17 (1996).
public struct NewtonCG: MinimizationMethod {
  /// The forcing terms ηₖ of the inner CG stopping test ‖rₖ‖ ≤ ηₖ‖gₖ‖.
  public enum ForcingTerm: Sendable, Hashable {
    /// ηₖ = min(0.5, √‖gₖ‖₂) (Nocedal & Wright eq. 7.3; also SciPy's `newton-cg`).
    case nocedalWright
    /// ηₖ = min(0.5, max(√‖gₖ‖₂, γ(‖gₖ‖/‖gₖ₋₁‖)²)) with γ = 0.9 once an inner solve of the
    /// run has needed more than 5 products, ηₖ = min(0.5, √‖gₖ‖₂) before: Nocedal and Wright's
    /// term while CG is cheap or the outer iteration converges fast, kept from falling below
    /// Eisenstat and Walker's choice 2 when the outer iteration converges only linearly and CG's
    /// products outweigh the rest of its work. Near a minimizer with a singular Hessian Newton's method
    /// converges linearly whatever the accuracy of its steps (‖gₖ‖/‖gₖ₋₁‖ stays near a constant),
    /// while √‖gₖ‖ → 0 asks CG for ever more accurate solves of an ever worse conditioned system;
    /// the safeguard keeps ηₖ at the size of the progress the step buys. Where the ratio → 0
    /// (superlinear convergence) the two terms agree with ``nocedalWright``.
    case safeguardedNocedalWright
    /// Eisenstat-Walker choice 2: ηₖ = γ(‖gₖ‖/‖gₖ₋₁‖)^α with γ = 0.9, α = 2, η₀ = 0.5,
    /// safeguarded by ηₖ ← max(ηₖ, γη²ₖ₋₁) when γη²ₖ₋₁ > 0.1, then capped at 0.5 and kept above
    /// 0.5·gtol/‖gₖ‖ so that CG does not over-solve near the end.
    case eisenstatWalker
    /// A constant η in (0, 1).
    case constant(Double)
  }

  /// What CG returns when it meets negative curvature after the first iteration.
  public enum NegativeCurvatureStep: Sendable, Hashable {
    /// The CG iterate so far (N&W Alg. 7.1); always a descent direction.
    case cgIterate
    /// The CG iterate plus the direction d scaled as a CG step with |dᵀHd|:
    /// p = z + (rᵀr/|dᵀHd|)·d (still a descent direction since gᵀd = −rᵀr < 0).
    case curvatureDirection
  }

  /// The forcing terms (default ``ForcingTerm/safeguardedNocedalWright``).
  public var forcing: ForcingTerm
  /// The step after negative curvature (default ``NegativeCurvatureStep/curvatureDirection``,
  /// which needed about 27% fewer gradients and products than ``NegativeCurvatureStep/cgIterate``
  /// over the 20 peer MGH problems).
  public var negativeCurvatureStep: NegativeCurvatureStep
  /// The bound on CG iterations per Newton iteration (nil: 20n).
  public var maxCGIterations: Int?
  /// c of the inner CG's quadratic test (``ConjugateGradient/quadraticTest``), or nil (the
  /// default) for none: CG also stops at iteration k when k·(qₖ − qₖ₋₁)/qₖ ≤ c. It cuts the
  /// products further where the Hessian is nearly singular (Nash's TN uses c = 0.5), but
  /// truncates well-conditioned solves too and so gives up the superlinear rate of the forcing
  /// terms.
  public var quadraticTest: Double?
  /// The most Lanczos steps of the second-order check at a point that passes the gradient test
  /// (k = min(n, this); fewer when the smallest Ritz value converges to a positive value first;
  /// 0 disables the check). Default 20.
  public var curvatureProbeIterations: Int
  /// An estimate x ↦ diag(∇²f(x)) for a Jacobi preconditioner of the inner CG, or nil (default)
  /// for plain CG. The preconditioner is M = diag(mᵢ), mᵢ = max(|dᵢ|, 10⁻⁸·maxⱼ|dⱼ|) (positive
  /// definite even where the Hessian is not), evaluated once per Newton iteration; a non-finite or
  /// zero diagonal falls back to plain CG.
  public var hessianDiagonal: (@Sendable (Vector) -> Vector)?
  /// The line search for Newton steps: nil (default) for the Newton Armijo search described above,
  /// or one of the library's searches (e.g. `.strongWolfe()`, `.armijo(valueOnly: true)`).
  /// Steps along negative curvature at stationary points always use the Newton search.
  public var lineSearch: (any LineSearch)?

  /// Creates the method.
  public init(
    forcing: ForcingTerm = .safeguardedNocedalWright,
    negativeCurvatureStep: NegativeCurvatureStep = .curvatureDirection,
    maxCGIterations: Int? = nil, curvatureProbeIterations: Int = 20,
    hessianDiagonal: (@Sendable (Vector) -> Vector)? = nil, lineSearch: (any LineSearch)? = nil,
    quadraticTest: Double? = nil
  ) {
    self.quadraticTest = quadraticTest
    self.hessianDiagonal = hessianDiagonal
    self.lineSearch = lineSearch
    self.forcing = forcing
    self.negativeCurvatureStep = negativeCurvatureStep
    self.maxCGIterations = maxCGIterations
    self.curvatureProbeIterations = curvatureProbeIterations
  }

  /// "Newton-CG".
  public var name: String { "Newton-CG" }

  /// Runs the method (see the type's documentation).
  public func run(_ run: inout SolverRun) -> Termination {
    let n = run.dimension
    let cgLimit = Swift.max(maxCGIterations ?? 20 * n, 1)
    var previousGNorm = Double.nan
    var previousEta = 0.5
    var largestInnerProducts = 0
    // Vectors kept for the whole solve: the CG workspace and the trial point and gradient of the
    // line search, which are swapped with the iterate on acceptance.
    var workspace = KrylovWorkspace(dimension: n)
    var buffers = NewtonLineSearch.Buffers()
    buffers.prepare(dimension: n)
    // Set when an accepted step's gradient test failed: the test at the top of the loop would
    // compute the same norm of the same gradient again.
    var gradientTestFailed = false
    var escapes = SecondOrderEscape.ConsecutiveCount()
    while true {
      if !gradientTestFailed && run.gradientConverged {
        guard curvatureProbeIterations > 0 else { return .gradientTolerance }
        let probe = Self.probe(&run, iterations: curvatureProbeIterations)
        run.statistics.cgIterations += probe.iterations
        run.recordProbe(smallestCurvature: probe.smallest)
        guard let d = probe.found else { return .gradientTolerance }
        if !escapes.admit() {
          return .negativeCurvatureAtStationaryPoint
        }
        switch SecondOrderEscape.lineSearchEscape(&run, along: d, buffers: &buffers) {
        case .stop(let t): return t
        case .continue: continue
        }
      }
      gradientTestFailed = false
      escapes.reset()
      let gNorm = run.gradient.norm
      let eta = forcingTerm(
        gNorm: gNorm, previousGNorm: previousGNorm, previousEta: previousEta,
        largestInnerProducts: largestInnerProducts,
        gradientTolerance: run.gradientToleranceThreshold)
      previousGNorm = gNorm
      previousEta = eta
      let cg = newtonStep(
        &run, tolerance: eta, gradientNorm: gNorm, maxIterations: cgLimit, workspace: &workspace)
      largestInnerProducts = Swift.max(largestInnerProducts, cg.iterations)
      switch NewtonLineSearch.step(
        &run, direction: cg.step, expand: cg.negativeCurvature, using: lineSearch,
        buffers: &buffers)
      {
      case .failure(let e): return e.termination
      case .success(let o):
        let details = SolverRun.IterationDetails(
          stepLength: o.step, cgIterations: cg.iterations, negativeCurvature: cg.negativeCurvature)
        if let t = run.acceptSwapping(
          x: &buffers.point, value: o.value, gradient: &buffers.gradient,
          gradientNormInfinity: o.gradientNormInfinity, details: details)
        {
          if t == .gradientTolerance { continue }
          return t
        }
        gradientTestFailed = true
      }
    }
  }

  /// The second-order probe at the current iterate. (A separate function so that the references
  /// to run.x and run.gradient the product closure holds end with it: the iterate's storage must
  /// be uniquely referenced when it is swapped out and reused as the next trial point.)
  static func probe(_ run: inout SolverRun, iterations: Int)
    -> (found: NegativeCurvatureDirection?, iterations: Int, smallest: Double?)
  {
    let x = run.x
    let g = run.gradient
    return NegativeCurvatureProbe.lanczos(
      dimension: run.dimension, gradient: g, iterations: iterations
    ) { v, hv in
      run.hessianVectorProduct(at: x, gradientAtPoint: g, direction: v, into: &hv)
    }
  }

  /// The inexact Newton step at the current iterate: truncated CG on ∇²f·p = −∇f (see
  /// ``truncatedCG(gradient:gradientNorm:tolerance:maxIterations:step:preconditioner:workspace:apply:)``).
  func newtonStep(
    _ run: inout SolverRun, tolerance eta: Double, gradientNorm: Double, maxIterations: Int,
    workspace: inout KrylovWorkspace
  ) -> CGResult {
    let x = run.x
    let g = run.gradient
    return Self.truncatedCG(
      gradient: g, gradientNorm: gradientNorm, tolerance: eta, maxIterations: maxIterations,
      quadraticTest: quadraticTest, step: negativeCurvatureStep,
      preconditioner: jacobiPreconditioner(at: x), workspace: &workspace
    ) { v, hv in
      run.hessianVectorProduct(at: x, gradientAtPoint: g, direction: v, into: &hv)
    }
  }

  /// The Jacobi preconditioner z = M⁻¹r at x, when ``hessianDiagonal`` is set and usable.
  func jacobiPreconditioner(at x: Vector) -> LinearOperator? {
    guard let hessianDiagonal else { return nil }
    let d = hessianDiagonal(x)
    guard d.count == x.count, d.isFinite else { return nil }
    let largest = d.normInfinity
    guard largest > 0 else { return nil }
    let inverse = d.map { 1 / Swift.max(Swift.abs($0), 1e-8 * largest) }
    return { r, z in
      for i in 0..<r.count { z[i] = inverse[i] * r[i] }
    }
  }

  /// The inner solve's products above which ``ForcingTerm/safeguardedNocedalWright`` applies its
  /// safeguard, from the next iteration to the end of the solve (5: CG's products then outweigh
  /// the iteration's gradient and line search).
  static let safeguardProducts = 5

  /// ηₖ for the current iteration.
  func forcingTerm(
    gNorm: Double, previousGNorm: Double, previousEta: Double, largestInnerProducts: Int = 0,
    gradientTolerance: Double
  ) -> Double {
    switch forcing {
    case .nocedalWright:
      return Swift.min(0.5, gNorm.squareRoot())
    case .safeguardedNocedalWright:
      let nw = Swift.min(0.5, gNorm.squareRoot())
      guard largestInnerProducts > Self.safeguardProducts, previousGNorm.isFinite, previousGNorm > 0
      else { return nw }
      let ratio = gNorm / previousGNorm
      return Swift.min(0.5, Swift.max(gNorm.squareRoot(), 0.9 * ratio * ratio))
    case .constant(let eta):
      return Swift.min(Swift.max(eta, 0), 0.99)
    case .eisenstatWalker:
      guard previousGNorm.isFinite, previousGNorm > 0 else { return 0.5 }
      let gamma = 0.9
      let ratio = gNorm / previousGNorm
      var eta = gamma * ratio * ratio
      let safeguard = gamma * previousEta * previousEta
      if safeguard > 0.1 { eta = Swift.max(eta, safeguard) }
      eta = Swift.min(eta, 0.5)
      if gNorm > 0 { eta = Swift.max(eta, Swift.min(0.5, 0.5 * gradientTolerance / gNorm)) }
      return eta
    }
  }

  /// The result of the inner CG.
  struct CGResult {
    var step: Vector
    var iterations: Int
    var negativeCurvature: Bool
  }

  /// The library's ``ConjugateGradient`` on Hp = −g from p = 0 (preconditioned by M⁻¹ when
  /// given), stopping when ‖Hp + g‖ ≤ `tolerance`·‖g‖, at `maxIterations`, or on curvature
  /// dᵀHd ≤ 0 (N&W Alg. 7.1), turned into a descent direction. With κ = dᵀHd < 0 the CG-like step
  /// along d is α = (−gᵀd)/|κ| (−gᵀd = rᵀM⁻¹r > 0 for every CG direction, so d descends):
  /// - curvature at the first direction (d = −M⁻¹g): p = α·d (d itself for zero curvature);
  /// - later: the iterate z so far, plus α·d with ``NegativeCurvatureStep/curvatureDirection``;
  /// - non-finite products: the last finite iterate, or −g when there is none.
  ///
  /// CG receives g itself as the negated right-hand side (−g is never formed) and `gradientNorm`
  /// = ‖g‖ = ‖−g‖ as the norm of b; the model value of the CG result is not computed (Newton-CG
  /// does not use it). That saves three passes over n per solve and gives the same iterates.
  static func truncatedCG(
    gradient g: Vector, gradientNorm: Double, tolerance: Double, maxIterations: Int,
    quadraticTest: Double? = nil, step: NegativeCurvatureStep, preconditioner: LinearOperator?,
    workspace: inout KrylovWorkspace, apply: LinearOperator
  ) -> CGResult {
    var cg = ConjugateGradient(relativeTolerance: tolerance, maxIterations: maxIterations)
    cg.quadraticTest = quadraticTest
    cg.reportsModelValue = false
    cg.negatesRHS = true
    cg.knownRHSNorm = gradientNorm
    let rhs = g
    let result =
      preconditioner.map { cg.solve(apply, rhs: rhs, preconditioner: $0, workspace: &workspace) }
      ?? cg.solve(apply, rhs: rhs, workspace: &workspace)
    var z = result.solution
    let products = result.operatorApplications
    switch result.termination {
    case .negativeCurvature, .zeroCurvature:
      let curvature = result.curvature ?? 0
      guard let d = result.negativeCurvatureDirection, d.isFinite else {
        return CGResult(step: g.scaled(by: -1), iterations: products, negativeCurvature: true)
      }
      let slope = -dot(g, d)
      let alpha = curvature < 0 ? slope / (-curvature * d.normSquared) : 1
      if result.iterations == 0 {
        return CGResult(step: d.scaled(by: alpha), iterations: products, negativeCurvature: true)
      }
      if step == .curvatureDirection, curvature < 0, slope > 0 { axpy(alpha, d, &z) }
      return CGResult(step: z, iterations: products, negativeCurvature: true)
    case .nonFinite, .preconditionerNotPositive:
      if z.normSquared == 0 || !z.isFinite { z = g.scaled(by: -1) }
      return CGResult(step: z, iterations: products, negativeCurvature: false)
    default:
      return CGResult(step: z, iterations: products, negativeCurvature: false)
    }
  }
}

extension MinimizationMethod where Self == NewtonCG {
  /// Truncated Newton (Newton-CG) with a backtracking Armijo line search; see ``NewtonCG``.
  public static func newtonCG(
    forcing: NewtonCG.ForcingTerm = .safeguardedNocedalWright,
    negativeCurvatureStep: NewtonCG.NegativeCurvatureStep = .curvatureDirection,
    maxCGIterations: Int? = nil, curvatureProbeIterations: Int = 20,
    hessianDiagonal: (@Sendable (Vector) -> Vector)? = nil, lineSearch: (any LineSearch)? = nil,
    quadraticTest: Double? = nil
  ) -> NewtonCG {
    NewtonCG(
      forcing: forcing, negativeCurvatureStep: negativeCurvatureStep,
      maxCGIterations: maxCGIterations, curvatureProbeIterations: curvatureProbeIterations,
      hessianDiagonal: hessianDiagonal, lineSearch: lineSearch, quadraticTest: quadraticTest)
  }
}
