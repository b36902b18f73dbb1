/// A nonlinear least-squares method: minimizes F(x) = ½‖r(x)‖² by driving a
/// ``ResidualSolverRun`` from its evaluated starting point to a termination.
///
/// Methods are values chosen through static factories: `.levenbergMarquardt()`,
/// `.levenbergMarquardt(.matrixFree)`, `.gaussNewton()`, `.dogleg()`.
public protocol LeastSquaresMethod: Sendable {
  /// A short human name used in reports.
  var name: String { get }
  /// Runs the method. On entry `run.x` and `run.residuals` hold the finite starting point.
  func run(_ run: inout ResidualSolverRun) -> Termination
}

/// Minimizes the cost F(x) = ½‖r(x)‖² = ½Σᵢ rᵢ(x)² from x₀ (SciPy's `least_squares`).
///
/// The solver never crashes or hangs on bad input: an empty problem or a mis-sized x₀ ends with
/// ``Termination/invalidProblem``, a non-finite x₀ with ``Termination/nonFiniteStartingPoint``,
/// residuals that are not finite at x₀ with ``Termination/nonFiniteValue``; non-finite residuals
/// at a trial point reject the step and shrink it. The returned point is the last iterate on
/// success and otherwise the best finite point evaluated.
///
/// - Parameters:
///   - residuals: r: ℝⁿ → ℝᵐ with its Jacobian (dense, or products J·v and Jᵀ·w only).
///   - x0: the starting point.
///   - method: `.levenbergMarquardt()` (default), `.gaussNewton()`, `.dogleg()`, or
///     `.levenbergMarquardt(.matrixFree)` for residuals with Jacobian products only.
///   - options: tolerances (see ``LeastSquaresOptions`` for the formulas), limits, verbosity.
///   - observer: called after every iteration with the cost ½‖r‖²; may stop or abort.
@inlinable
public func leastSquares<R: ResidualFunction>(
  _ residuals: R, from x0: Vector,
  using method: any LeastSquaresMethod = .levenbergMarquardt(),
  options: LeastSquaresOptions = LeastSquaresOptions(), observer: Observer? = nil
) -> LeastSquaresSolution {
  leastSquaresFunction(
    FunctionResiduals(wrapping: residuals), from: x0, using: method, options: options,
    observer: observer)
}

/// The non-generic body of ``leastSquares(_:from:using:options:observer:)``.
public func leastSquaresFunction(
  _ residuals: FunctionResiduals, from x0: Vector, using method: any LeastSquaresMethod,
  options: LeastSquaresOptions, observer: Observer?
) -> LeastSquaresSolution {
  var run = ResidualSolverRun(
    residualFunction: residuals, functionTolerance: options.functionTolerance,
    stepTolerance: options.stepTolerance, gradientTolerance: options.gradientTolerance,
    residualTolerance: 0, maxIterations: options.maxIterations,
    maxEvaluations: options.maxEvaluations, verbosity: options.verbosity,
    recordHistory: options.recordHistory, observer: observer, method: method.name)
  let n = residuals.dimension
  let m = residuals.residualCount
  func finish(_ t: Termination, note: String? = nil) -> LeastSquaresSolution {
    let (t, note) = run.sizes.outcome(t, note: note)
    var (x, r) = run.finalPoint(success: t.isSuccess, startingPoint: x0)
    var g = run.gradient
    if x != run.x || g.count != n {
      if x.isFinite && r.isFinite && x.count == n && r.count == m {
        g = run.jacobianTransposeProduct(at: x, vector: r)
        run.statistics.evaluations = run.counts
      } else {
        g = Vector(repeating: .nan, count: Swift.max(x.count, 0))
        if r.count != m { r = Vector(repeating: .nan, count: Swift.max(m, 0)) }
      }
    }
    let solution = LeastSquaresSolution(
      x: x, residuals: r, gradient: g, termination: t, statistics: run.statistics,
      method: method.name, jacobianConditionEstimate: run.jacobianConditionEstimate, note: note,
      history: run.history)
    if options.verbosity >= .iterations {
      print(solution.fullReport)
    } else if options.verbosity >= .summary {
      print(solution.briefReport)
    }
    return solution
  }
  if n <= 0 || m <= 0 || x0.count != n {
    let note =
      n <= 0
      ? "The problem has no variables."
      : m <= 0
        ? "The problem has no residuals."
        : "The starting point has \(x0.count) elements but the problem has \(n) variables."
    return finish(.invalidProblem, note: note)
  }
  if !x0.isFinite { return finish(.nonFiniteStartingPoint) }
  let r0 = run.evaluateResiduals(at: x0)
  run.x = x0
  run.residuals = r0
  guard r0.isFinite else {
    return finish(.nonFiniteValue, note: "The residuals are not finite at the starting point.")
  }
  run.gradient = run.jacobianTransposeProduct(at: x0, vector: r0)
  if let note = overflowAtStart(residuals: r0, gradient: run.gradient) {
    return finish(.nonFiniteValue, note: note)
  }
  if let t = run.start() { return finish(t) }
  return finish(method.run(&run))
}

extension FunctionResiduals {
  /// Wraps any residual function: a ``FunctionResiduals`` is returned as is, a
  /// ``DenseJacobianResidualFunction`` keeps its dense Jacobian and products, and any other
  /// ``ResidualFunction`` offers its products J·v and Jᵀ·w (the dense Jacobian is then assembled
  /// from n products when a dense method asks for it).
  @inlinable
  public init<R: ResidualFunction>(wrapping residuals: R) {
    if let f = residuals as? FunctionResiduals {
      self = f
      return
    }
    let r = residuals
    let residualClosure: @Sendable (Vector, inout Vector) -> Void = { x, out in
      r.residuals(at: x, into: &out)
    }
    let product: @Sendable (Vector, Vector, inout Vector) -> Void = { x, v, out in
      r.jacobianProduct(at: x, direction: v, into: &out)
    }
    let transposeProduct: @Sendable (Vector, Vector, inout Vector) -> Void = { x, w, out in
      r.jacobianTransposeProduct(at: x, vector: w, into: &out)
    }
    if let dense = residuals as? any DenseJacobianResidualFunction {
      self.init(
        dimension: r.dimension, residualCount: r.residualCount, residuals: residualClosure,
        jacobian: { x in dense.jacobian(at: x) }, jacobianProduct: product,
        jacobianTransposeProduct: transposeProduct)
    } else {
      self.init(
        dimension: r.dimension, residualCount: r.residualCount, residuals: residualClosure,
        jacobianProduct: product, jacobianTransposeProduct: transposeProduct)
    }
  }
}

/// Why a solve cannot start from finite residuals r₀ whose cost ½‖r₀‖² or gradient J₀ᵀr₀
/// overflows (nil when both are finite): every method compares costs and gradients, so such a
/// problem needs its residuals scaled down first.
func overflowAtStart(residuals r: Vector, gradient g: Vector) -> String? {
  if !(0.5 * r.normSquared).isFinite {
    return "The residuals are finite at the starting point but their sum of squares overflows "
      + "(‖r‖ = \(formatScientific(r.norm))); scale the residuals down."
  }
  if !g.isFinite {
    return "The gradient Jᵀr overflows at the starting point; scale the residuals down."
  }
  return nil
}
