/// Where Hessian-vector products come from when a method asks for them.
public enum CurvatureSource: Sendable, Hashable, Codable {
  /// The objective's own products (user, analytic or autodiff), or its dense Hessian; falls back to
  /// central differences when it has neither.
  case automatic
  /// Differences of gradients even when exact products exist.
  case finiteDifference(FiniteDifferenceHessianVectorProduct)
}

/// A counting front end to a ``FunctionObjective``: every evaluation goes through it, so solvers
/// and transforms report exact evaluation counts, and it owns the finite-difference workspace so
/// that products by differences allocate nothing per call.
public struct Oracle: Sendable {
  /// The objective.
  public let objective: FunctionObjective
  /// How Hessian-vector products are obtained.
  public let curvatureSource: CurvatureSource
  /// Evaluation counts so far.
  public var counts = EvaluationCounts()
  /// The first output of the wrong size that the objective produced, as a sentence naming the
  /// oracle and both sizes (nil while every output had its size). Such an output is replaced by
  /// NaN of the right size, so the method stops as on a non-finite value, and the solve reports
  /// ``Termination/invalidProblem`` with this note.
  public private(set) var fault: String?
  @usableFromInline var workspace: FiniteDifferenceWorkspace

  /// An oracle for `objective`.
  public init(_ objective: FunctionObjective, curvature: CurvatureSource = .automatic) {
    self.objective = objective
    self.curvatureSource = curvature
    // The difference workspace (three vectors of length n) is allocated only when products
    // come from differences; with exact products it is never used.
    let differences: Bool
    switch curvature {
    case .automatic: differences = !objective.hasExactCurvature
    case .finiteDifference: differences = true
    }
    self.workspace = FiniteDifferenceWorkspace(dimension: differences ? objective.dimension : 0)
  }

  /// The number of variables n.
  public var dimension: Int { objective.dimension }

  /// The difference scheme in use, or nil when products are exact.
  public var differenceScheme: FiniteDifferenceHessianVectorProduct? {
    switch curvatureSource {
    case .automatic: return objective.hasExactCurvature ? nil : .central
    case .finiteDifference(let s): return s
    }
  }

  /// f(x), counted as a value evaluation.
  public mutating func value(at x: Vector) -> Double {
    counts.values += 1
    return objective.valueFunction(x)
  }

  /// f(x) and ∇f(x), counted as a gradient evaluation.
  public mutating func value(at x: Vector, gradient: inout Vector) -> Double {
    counts.gradients += 1
    if gradient.count != dimension { gradient = .zeros(dimension) }
    let f = objective.gradientFunction(x, &gradient)
    guard gradient.count == dimension else {
      reportSize("gradient", gradient.count)
      gradient = Vector(repeating: .nan, count: dimension)
      return .nan
    }
    return f
  }

  /// Records the first mis-sized output.
  mutating func reportSize(_ oracle: String, _ count: Int, expected: Int? = nil) {
    guard fault == nil else { return }
    fault =
      "The objective's \(oracle) has \(count) elements but the problem has "
      + "\(expected ?? dimension)."
  }

  /// ∇²f(x)·v into `result`. `gradientAtX` is used by forward differences when given.
  public mutating func hessianVectorProduct(
    at x: Vector, gradientAtX: Vector? = nil, direction v: Vector, into result: inout Vector
  ) {
    counts.hessianVectorProducts += 1
    if let scheme = differenceScheme {
      counts.differenceGradients +=
        scheme == .forward && gradientAtX != nil ? 1 : 2
      if workspace.point.count != dimension {
        workspace = FiniteDifferenceWorkspace(dimension: dimension)
      }
      let n = dimension
      var misSized: Int? = nil
      scheme.apply(
        gradient: { point, g in
          let f = objective.gradientFunction(point, &g)
          guard g.count == n else {
            misSized = misSized ?? g.count
            g = Vector(repeating: .nan, count: n)
            return .nan
          }
          return f
        }, at: x, gradientAtX: gradientAtX, direction: v, into: &result, workspace: &workspace)
      if let count = misSized { reportSize("gradient", count) }
    } else if let h = objective.hessianVectorProductFunction {
      if result.count != dimension { result = .zeros(dimension) }
      h(x, v, &result)
      if result.count != dimension {
        reportSize("Hessian-vector product", result.count)
        result = Vector(repeating: .nan, count: dimension)
      }
    } else {
      result = hessian(unchecked: x) * v
    }
  }

  /// The dense Hessian, counted as one Hessian evaluation (assembled from n products when the
  /// objective has no dense Hessian, and then also counted as n products).
  public mutating func hessian(at x: Vector) -> Matrix {
    counts.hessians += 1
    if let h = objective.hessianFunction { return checkedHessian(h(x)) }
    return assembleHessian(dimension: dimension) { v, hv in
      hessianVectorProduct(at: x, direction: v, into: &hv)
    }
  }

  /// The user's dense Hessian, uncounted, NaN in place of one of the wrong shape.
  mutating func hessian(unchecked x: Vector) -> Matrix {
    checkedHessian(objective.hessianFunction!(x))
  }

  /// `h`, or an n × n matrix of NaN (and a fault) when `h` is not n × n.
  mutating func checkedHessian(_ h: Matrix) -> Matrix {
    guard h.rows != dimension || h.columns != dimension else { return h }
    if fault == nil {
      fault =
        "The objective's Hessian is \(h.rows) × \(h.columns) but the problem has "
        + "\(dimension) variables."
    }
    return Matrix(rows: dimension, columns: dimension, repeating: .nan)
  }
}
