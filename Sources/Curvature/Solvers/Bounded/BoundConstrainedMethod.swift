/// A method for bound-constrained minimization
///
///     minimize f(x)   subject to   l ≤ x ≤ u,
///
/// with lᵢ ∈ [−∞, ∞) and uᵢ ∈ (−∞, ∞]. Every point such a method evaluates lies in the box.
///
/// First-order optimality (Karush-Kuhn-Tucker) for bounds reads: ∂f/∂xᵢ ≥ 0 where xᵢ = lᵢ,
/// ∂f/∂xᵢ ≤ 0 where xᵢ = uᵢ and ∂f/∂xᵢ = 0 in between, which is exactly P(x − ∇f(x)) = x with
/// P the projection onto the box (Nocedal & Wright, *Numerical Optimization*, 2nd ed., §16.7 and
/// §18). Methods are values chosen through static factories, `.lbfgsb()` and
/// `.projectedNewtonCG()`.
public protocol BoundConstrainedMethod: Sendable {
  /// A short human name (`L-BFGS-B`, ...), used in reports.
  var name: String { get }

  /// Runs the method. On entry `run` holds the evaluated, finite starting point inside the box
  /// (`run.x`, `run.value`, `run.gradient`) and `run.bounds` is set, so that
  /// ``SolverRun/accept(x:value:gradient:details:)`` tests the projected gradient.
  func run(_ run: inout SolverRun, bounds: Bounds) -> Termination
}

/// Minimizes f over the box l ≤ x ≤ u.
///
/// Convergence is declared when the projected gradient is small,
///
///     ‖P(xₖ − ∇f(xₖ)) − xₖ‖∞ ≤ gradientTolerance,
///
/// the `pgtol` test of L-BFGS-B (Zhu, Byrd, Lu & Nocedal 1997); at a solution on a bound the
/// gradient itself need not be small (``Solution/gradient`` is the true gradient ∇f(x)). The
/// gradient norms in the iteration summaries are projected-gradient norms. The function and step
/// tests of ``MinimizeOptions`` apply as in the unconstrained case.
///
/// A starting point outside the box is projected onto it, P(x₀) = min(max(x₀, l), u), and
/// ``Solution/note`` says so. A starting point with a NaN or infinite component ends with
/// ``Termination/nonFiniteStartingPoint``; bounds or a starting point whose dimension differs
/// from the problem's end with ``Termination/invalidProblem``. An objective that becomes
/// non-finite midway makes the method shrink its step; the best finite point is returned.
///
/// - Parameters:
///   - problem: the objective.
///   - x0: the starting point (projected onto the box when outside).
///   - bounds: the box (see ``Bounds``; an empty box is rejected when the bounds are built).
///   - method: `.lbfgsb()` (default) or `.projectedNewtonCG()`.
///   - options: tolerances and limits.
///   - observer: called after every iteration; may stop or abort the solve.
@inlinable
public func minimize<P: DifferentiableObjective>(
  _ problem: P, from x0: Vector, bounds: Bounds,
  using method: any BoundConstrainedMethod = .lbfgsb(),
  options: MinimizeOptions = MinimizeOptions(), observer: Observer? = nil
) -> Solution {
  minimizeBoundedFunction(
    FunctionObjective(problem), from: x0, bounds: bounds, using: method, options: options,
    observer: observer)
}

/// The non-generic body of ``minimize(_:from:bounds:using:options:observer:)``.
public func minimizeBoundedFunction(
  _ objective: FunctionObjective, from x0: Vector, bounds: Bounds,
  using method: any BoundConstrainedMethod, options: MinimizeOptions, observer: Observer?
) -> Solution {
  var run = SolverRun(
    oracle: Oracle(objective, curvature: options.curvature), options: options, observer: observer,
    method: method.name)
  let n = objective.dimension
  if n == 0 || x0.count != n || bounds.dimension != n {
    let note: String
    if n == 0 {
      note = "The problem has no variables."
    } else if x0.count != n {
      note = "The starting point has \(x0.count) elements but the problem has \(n) variables."
    } else {
      note = "The bounds have \(bounds.dimension) elements but the problem has \(n) variables."
    }
    return run.finish(.invalidProblem, startingPoint: x0, note: note)
  }
  if !x0.isFinite {
    return run.finish(.nonFiniteStartingPoint, startingPoint: x0)
  }
  run.bounds = bounds
  var start = x0
  var note: String? = nil
  if !bounds.contains(x0) {
    start = bounds.project(x0)
    note = "The starting point was outside the bounds and was projected onto them."
  }
  var g = Vector.zeros(n)
  let f = run.evaluateStart(start, gradient: &g)
  run.x = start
  run.value = f
  run.gradient = g
  guard f.isFinite && g.isFinite else {
    let text = "The objective is not finite at the starting point."
    return run.finish(
      .nonFiniteValue, startingPoint: start, note: note.map { $0 + " " + text } ?? text)
  }
  if let t = run.start() { return run.finish(t, startingPoint: start, note: note) }
  let termination = method.run(&run, bounds: bounds)
  return run.finish(termination, startingPoint: start, note: note)
}

extension BoundConstrainedMethod where Self == LBFGSB {
  /// L-BFGS-B with memory m (Byrd, Lu, Nocedal & Zhu 1995); see ``LBFGSB``.
  public static func lbfgsb(memory: Int = 10, lineSearch: LBFGSB.LineSearchKind = .moreThuente)
    -> LBFGSB
  {
    LBFGSB(memory: memory, lineSearch: lineSearch)
  }
}

extension BoundConstrainedMethod where Self == ProjectedNewtonCG {
  /// The projected Newton-CG trust-region method (Lin & Moré 1999); see ``ProjectedNewtonCG``.
  public static func projectedNewtonCG() -> ProjectedNewtonCG { ProjectedNewtonCG() }
}
