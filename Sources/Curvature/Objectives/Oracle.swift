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
  /// The check of the objective's output sizes (``OutputSizeCheck``).
  public private(set) var sizes = OutputSizeCheck()
  /// The first output of the wrong size that the objective produced, as a sentence naming it and
  /// both sizes (nil while every output had its size).
  public var fault: String? { sizes.fault }
  @usableFromInline var workspace: FiniteDifferenceWorkspace
  /// The factor c, a power of two, by which every output is multiplied: the oracle evaluates
  /// c·f, c·∇f, c·∇²f·v and c·∇²f (1 unless set by ``scaleOutputs(forGradientNorm:)``). A power
  /// of two changes no digit of a normal number, so a method on c·f takes the steps it would
  /// take on a problem of ordinary size.
  public private(set) var scale = 1.0

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

  /// The gradient norms ‖∇f(x₀)‖∞ in [2⁻²⁰, 2⁴⁰] (about 10⁻⁶ to 10¹²) for which
  /// ``scaleOutputs(forGradientNorm:)`` leaves the objective as it is. Outside it the line
  /// searches' step bounds, which are absolute (α ∈ [10⁻²⁰, 10¹⁰]), no longer hold the steps of a
  /// problem of that size: f = 10⁻¹²·Rosenbrock needs α ≈ 10¹² and was reported unbounded, and
  /// f = 10²⁰·Rosenbrock needs α below 10⁻²⁰; further out, ‖∇f‖², ∇fᵀp, yᵀy and the rᵀr and
  /// pᵀ∇²f·p of CG overflow or underflow. Every problem of the mgh, large and bounded suites
  /// starts inside the range (‖∇f(x₀)‖∞ from 7·10⁻³ to 9·10¹⁰).
  public static let unscaledGradientRange = 0x1p-20...0x1p40

  /// Chooses ``scale`` from ‖∇f(x₀)‖∞ and returns it: c = 2⁻ᵉ with e the binary exponent of
  /// ‖∇f(x₀)‖∞ when that norm is finite, non-zero and outside ``unscaledGradientRange``, so that
  /// c·‖∇f(x₀)‖∞ lies in [1, 2); otherwise c = 1. Objective scaling after the gradient-based
  /// rule of Wächter & Biegler's IPOPT (Math. Programming 106, 2006, §3.8). The scale trades
  /// range at one end for the other: c·f near its minimum must stay above the underflow
  /// threshold, so a tolerance that asks ∇f to fall by more than about 10¹⁵⁰ from its start
  /// may not be reachable on the scaled objective.
  @discardableResult
  public mutating func scaleOutputs(forGradientNorm gInf: Double) -> Double {
    guard gInf.isFinite, gInf > 0, !Self.unscaledGradientRange.contains(gInf) else {
      return scale
    }
    scale = Double(sign: .plus, exponent: Swift.min(-gInf.exponent, 1020), significand: 1)
    return scale
  }

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
    return scale * objective.valueFunction(x)
  }

  /// f(x) and ∇f(x), counted as a gradient evaluation.
  public mutating func value(at x: Vector, gradient: inout Vector) -> Double {
    counts.gradients += 1
    if gradient.count != dimension { gradient = .zeros(dimension) }
    let f = objective.gradientFunction(x, &gradient)
    guard gradient.count == dimension else {
      sizes.record(Self.misSized("gradient", gradient.count, dimension))
      gradient = Vector(repeating: .nan, count: dimension)
      return .nan
    }
    if scale != 1 { gradient.scale(by: scale) }
    return scale * f
  }

  /// "The objective's `output` has `count` elements but the problem has `n`."
  static func misSized(_ output: String, _ count: Int, _ n: Int) -> String {
    "The objective's \(output) has \(count) elements but the problem has \(n)."
  }

  /// ∇²f(x)·v into `result`. `gradientAtX` is used by forward differences when given.
  public mutating func hessianVectorProduct(
    at x: Vector, gradientAtX: Vector? = nil, direction v: Vector, into result: inout Vector
  ) {
    counts.hessianVectorProducts += 1
    let c = scale
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
          if c != 1 { g.scale(by: c) }
          return c * f
        }, at: x, gradientAtX: gradientAtX, direction: v, into: &result, workspace: &workspace)
      if let count = misSized { sizes.record(Self.misSized("gradient", count, n)) }
    } else if let h = objective.hessianVectorProductFunction {
      if result.count != dimension { result = .zeros(dimension) }
      h(x, v, &result)
      let (n, count) = (dimension, result.count)
      result = sizes.vector(
        result, count: n, Self.misSized("Hessian-vector product", count, n))
      if c != 1 { result.scale(by: c) }
    } else {
      result = checkedHessian(objective.hessianFunction!(x)) * v
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

  /// c·`h`, or an n × n matrix of NaN (and a fault) when `h` is not n × n.
  mutating func checkedHessian(_ h: Matrix) -> Matrix {
    let n = dimension
    let checked = sizes.matrix(
      h, rows: n, columns: n,
      "The objective's Hessian is \(h.rows) × \(h.columns) but the problem has \(n) variables.")
    return scale == 1 ? checked : scale * checked
  }
}
