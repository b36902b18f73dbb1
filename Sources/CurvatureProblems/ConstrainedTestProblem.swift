import Curvature

/// A constrained test problem: objective, constraints cₑ(x) = 0 and cᵢ(x) ≥ 0, bounds, a
/// starting point (not necessarily feasible) and the published optimum.
public struct ConstrainedTestProblem: Sendable, Identifiable {
  /// The name, e.g. `hs071`.
  public let name: String
  /// The bibliographic source.
  public let source: String
  /// The objective with its gradient.
  public let objective: FunctionObjective
  /// The constraints with their Jacobians.
  public let constraints: FunctionConstraints
  /// The bounds (unbounded where the problem has none).
  public let bounds: Bounds
  /// The standard starting point.
  public let startingPoint: Vector
  /// The published optimal value f*.
  public let optimalValue: Double
  /// The published minimizer x*.
  public let minimizer: Vector

  /// Creates a problem.
  public init(
    name: String, source: String, objective: FunctionObjective, constraints: FunctionConstraints,
    bounds: Bounds? = nil, startingPoint: Vector, optimalValue: Double, minimizer: Vector
  ) {
    let n = objective.dimension
    precondition(
      constraints.dimension == n && startingPoint.count == n && minimizer.count == n,
      "dimension mismatch in \(name): objective \(n), constraints \(constraints.dimension), x0 \(startingPoint.count), x* \(minimizer.count)"
    )
    self.name = name
    self.source = source
    self.objective = objective
    self.constraints = constraints
    self.bounds = bounds ?? .unbounded(n)
    self.startingPoint = startingPoint
    self.optimalValue = optimalValue
    self.minimizer = minimizer
  }

  /// The identifier (the name).
  public var id: String { name }
  /// The number of variables n.
  public var dimension: Int { objective.dimension }

  /// The violation of constraints and bounds at x (0 when feasible).
  public func violation(at x: Vector) -> Double {
    var v = constraints.violation(at: x)
    for i in 0..<x.count {
      v = Swift.max(v, bounds.lower[i] - x[i], x[i] - bounds.upper[i])
    }
    return v
  }
}
