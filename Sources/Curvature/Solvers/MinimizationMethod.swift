/// An unconstrained minimization method: a strategy that drives a ``SolverRun`` from its
/// starting point to a termination.
///
/// Methods are values with their own options (`LBFGS(memory: 10)`) and are chosen through static
/// factories (`.lbfgs()`, `.newtonCG()`, `.trustRegion(.steihaug)`), in the spirit of Optimistix's
/// solver objects and SciPy's `method=` strings.
public protocol MinimizationMethod: Sendable {
  /// A short human name (`L-BFGS`, `Newton-CG`, ...), used in reports and benchmark tables.
  var name: String { get }

  /// Runs the method. On entry `run` holds the evaluated, finite starting point (`run.x`,
  /// `run.value`, `run.gradient`). The method iterates with `run.evaluate` and `run.accept`,
  /// and returns why it stopped; ``minimize(_:from:using:options:observer:)`` builds the
  /// ``Solution``.
  func run(_ run: inout SolverRun) -> Termination
}

/// Minimizes f from x₀ with the given method.
///
/// The solver never crashes or hangs on bad input: a non-finite or mis-sized starting point, an
/// empty problem, an objective that returns NaN or ±∞ midway, and limits of zero each end with a
/// ``Termination`` that says what happened, and the returned point is the best finite point the
/// solver evaluated (the last iterate on success).
///
/// - Parameters:
///   - problem: the objective (anything conforming to ``DifferentiableObjective``).
///   - x0: the starting point.
///   - method: the method, e.g. `.lbfgs()` or `.newtonCG()`.
///   - options: tolerances, limits, verbosity.
///   - observer: called after every iteration; may stop or abort the solve.
@inlinable
public func minimize<P: DifferentiableObjective>(
  _ problem: P, from x0: Vector, using method: any MinimizationMethod,
  options: MinimizeOptions = MinimizeOptions(), observer: Observer? = nil
) -> Solution {
  minimizeFunction(
    FunctionObjective(problem), from: x0, using: method, options: options, observer: observer)
}

/// The non-generic body of ``minimize(_:from:using:options:observer:)``.
public func minimizeFunction(
  _ objective: FunctionObjective, from x0: Vector, using method: any MinimizationMethod,
  options: MinimizeOptions, observer: Observer?
) -> Solution {
  var run = SolverRun(
    oracle: Oracle(objective, curvature: options.curvature), options: options, observer: observer,
    method: method.name)
  let n = objective.dimension
  if n == 0 || x0.count != n {
    let note =
      n == 0
      ? "The problem has no variables."
      : "The starting point has \(x0.count) elements but the problem has \(n) variables."
    return run.finish(.invalidProblem, startingPoint: x0, note: note)
  }
  if !x0.isFinite {
    return run.finish(.nonFiniteStartingPoint, startingPoint: x0)
  }
  var g = Vector.zeros(n)
  let f = run.evaluateStart(x0, gradient: &g)
  run.x = x0
  run.value = f
  run.gradient = g
  guard f.isFinite && g.isFinite else {
    return run.finish(
      .nonFiniteValue, startingPoint: x0, note: "The objective is not finite at the starting point."
    )
  }
  if let t = run.start() { return run.finish(t, startingPoint: x0) }
  let termination = method.run(&run)
  return run.finish(termination, startingPoint: x0)
}
