/// A method for square nonlinear systems F(x) = 0, F: ℝⁿ → ℝⁿ, driving a ``ResidualSolverRun``
/// (whose `residuals` are F) to a termination.
///
/// Methods are chosen through static factories: `.hybrid()` (Powell's hybrid dogleg method with
/// Broyden updates), `.newton()` (Newton with a line search), `.broyden()` (Broyden's good
/// method with a line search).
public protocol RootFindingMethod: Sendable {
  /// A short human name used in reports.
  var name: String { get }
  /// Runs the method. On entry `run.x` and `run.residuals` hold the finite starting point.
  func run(_ run: inout ResidualSolverRun) -> Termination
}

/// Solves the square system F(x) = 0 from x₀.
///
/// Success is ``Termination/residualTolerance`` (‖F(x)‖∞ ≤ `options.residualTolerance`). A
/// method that stalls at a stationary point of ½‖F‖² with F ≠ 0 (a local minimum of the residual
/// norm, where J(x)ᵀF(x) = 0 with J singular) returns ``Termination/stationaryNotRoot`` (see
/// ``RootFindingOptions`` for the test). Bad input never crashes: a system with m ≠ n or n = 0,
/// or a mis-sized x₀ gives ``Termination/invalidProblem``, a non-finite x₀
/// ``Termination/nonFiniteStartingPoint``, a non-finite F(x₀) ``Termination/nonFiniteValue``.
///
/// - Parameters:
///   - system: F with its Jacobian (dense, or products only: the Jacobian is then assembled from n
///     products).
///   - x0: the starting point.
///   - method: `.hybrid()` (default), `.newton()`, `.broyden()`.
///   - options: tolerances and limits.
///   - observer: called after every iteration with ½‖F‖²; may stop or abort.
@inlinable
public func findRoot<R: ResidualFunction>(
  _ system: R, from x0: Vector, using method: any RootFindingMethod = .hybrid(),
  options: RootFindingOptions = RootFindingOptions(), observer: Observer? = nil
) -> RootSolution {
  findRootFunction(
    FunctionResiduals(wrapping: system), from: x0, using: method, options: options,
    observer: observer)
}

/// The non-generic body of ``findRoot(_:from:using:options:observer:)``.
public func findRootFunction(
  _ system: FunctionResiduals, from x0: Vector, using method: any RootFindingMethod,
  options: RootFindingOptions, observer: Observer?
) -> RootSolution {
  var run = ResidualSolverRun(
    residualFunction: system, functionTolerance: 0, stepTolerance: options.stepTolerance,
    gradientTolerance: options.stationarityTolerance,
    residualTolerance: options.residualTolerance, maxIterations: options.maxIterations,
    maxEvaluations: options.maxEvaluations, verbosity: options.verbosity,
    recordHistory: options.recordHistory, observer: observer, method: method.name)
  let n = system.dimension
  let m = system.residualCount
  func finish(_ t: Termination, note: String? = nil) -> RootSolution {
    let (t, note) = run.sizes.outcome(t, note: note)
    var (x, r) = run.finalPoint(success: t == .residualTolerance, startingPoint: x0)
    if r.count != m { r = Vector(repeating: .nan, count: Swift.max(m, 0)) }
    let solution = RootSolution(
      x: x, residuals: r, termination: t, statistics: run.statistics, method: method.name,
      note: note, history: run.history)
    if options.verbosity >= .iterations {
      print(solution.fullReport)
    } else if options.verbosity >= .summary {
      print(solution.briefReport)
    }
    return solution
  }
  if n <= 0 || m != n || x0.count != n {
    let note =
      n <= 0
      ? "The system has no variables."
      : m != n
        ? "Root finding needs a square system, got \(m) equations in \(n) variables."
        : "The starting point has \(x0.count) elements but the system has \(n) variables."
    return finish(.invalidProblem, note: note)
  }
  if !x0.isFinite { return finish(.nonFiniteStartingPoint) }
  let f0 = run.evaluateResiduals(at: x0)
  run.x = x0
  run.residuals = f0
  guard f0.isFinite else {
    return finish(.nonFiniteValue, note: "F is not finite at the starting point.")
  }
  if f0.normInfinity <= options.residualTolerance { return finish(.residualTolerance) }
  if let note = overflowAtStart(residuals: f0, gradient: Vector()) {
    return finish(.nonFiniteValue, note: note)
  }
  if let t = run.start() { return finish(t) }
  return finish(method.run(&run))
}

/// The scale-free stationarity measure of ½‖F‖²: maxⱼ |(JᵀF)ⱼ| / (‖J eⱼ‖₂·‖F‖₂) over the
/// columns with ‖J eⱼ‖ > 0 (0 when F = 0 or J = 0).
func stationarityMeasure(jacobian j: Matrix, residuals f: Vector) -> Double {
  let fNorm = f.norm
  guard fNorm > 0 else { return 0 }
  let g = j.transposeMultiply(f)
  let norms = columnNorms(j)
  var c = 0.0
  for i in 0..<g.count where norms[i] > 0 {
    c = Swift.max(c, Swift.abs(g[i]) / (norms[i] * fNorm))
  }
  return c
}

extension ResidualSolverRun {
  /// The termination of a stalled root finder at the current iterate:
  /// ``Termination/residualTolerance`` if F is small enough after all;
  /// ``Termination/stationaryNotRoot`` if the stationarity measure at x (with a fresh Jacobian
  /// unless one is given) is within `gradientTolerance` (the options' `stationarityTolerance`);
  /// otherwise the iterate is polished by dense Levenberg-Marquardt on ½‖F‖² (at most 200
  /// iterations, its evaluations counted here), which either reaches a root
  /// (``Termination/residualTolerance``) or converges to a stationary point with F ≠ 0
  /// (``Termination/stationaryNotRoot``, at that point); if it does neither, `fallback`.
  mutating func stalled(_ fallback: Termination, jacobian given: Matrix? = nil) -> Termination {
    if residuals.normInfinity <= residualTolerance { return .residualTolerance }
    let j = given ?? jacobian(at: x)
    guard j.isFinite else { return fallback }
    if stationarityMeasure(jacobian: j, residuals: residuals) <= gradientTolerance {
      return .stationaryNotRoot
    }
    let budget = Swift.max(maxEvaluations - counts.residuals, 0)
    guard budget > 0 else { return .evaluationLimit }
    let polish = leastSquaresFunction(
      residualFunction, from: x, using: LevenbergMarquardt(),
      options: LeastSquaresOptions(
        functionTolerance: 1e-12, stepTolerance: 1e-12, gradientTolerance: 1e-12,
        maxIterations: 200, maxEvaluations: budget),
      observer: nil)
    counts += polish.statistics.evaluations
    statistics.iterations += polish.statistics.iterations
    statistics.rejectedSteps += polish.statistics.rejectedSteps
    guard polish.residuals.isFinite, polish.residuals.normSquared <= residuals.normSquared else {
      return fallback
    }
    x = polish.x
    residuals = polish.residuals
    if residuals.normInfinity <= residualTolerance { return .residualTolerance }
    return polish.isSuccess ? .stationaryNotRoot : fallback
  }

  /// Whether ‖F(x)‖∞ meets the root test.
  var isRoot: Bool { residuals.normInfinity <= residualTolerance }
}
