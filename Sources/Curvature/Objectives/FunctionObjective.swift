/// A closure-based objective: the concrete form every solver and transform consumes.
///
/// Build one directly from closures for quick use, or from any type conforming to the objective
/// protocols with ``init(_:)``, which picks up Hessian-vector products and dense Hessians when the
/// type offers them.
public struct FunctionObjective: HessianVectorProductObjective, TwiceDifferentiableObjective {
  /// The number of variables n.
  public let dimension: Int
  /// x ↦ f(x).
  public let valueFunction: @Sendable (Vector) -> Double
  /// (x, g) ↦ f(x), writing ∇f(x) into g.
  public let gradientFunction: @Sendable (Vector, inout Vector) -> Double
  /// (x, v, Hv) ↦ writes ∇²f(x)·v into Hv, when the problem offers exact products.
  public let hessianVectorProductFunction: (@Sendable (Vector, Vector, inout Vector) -> Void)?
  /// x ↦ ∇²f(x), when the problem offers a dense Hessian.
  public let hessianFunction: (@Sendable (Vector) -> Matrix)?

  /// Creates an objective from closures.
  ///
  /// - Parameters:
  ///   - dimension: n.
  ///   - value: f(x); when nil, computed through `gradient`.
  ///   - gradient: returns f(x) and writes ∇f(x) into its second argument.
  ///   - hessianVectorProduct: exact ∇²f(x)·v, if available.
  ///   - hessian: the dense Hessian, if available.
  public init(
    dimension: Int,
    value: (@Sendable (Vector) -> Double)? = nil,
    gradient: @escaping @Sendable (Vector, inout Vector) -> Double,
    hessianVectorProduct: (@Sendable (Vector, Vector, inout Vector) -> Void)? = nil,
    hessian: (@Sendable (Vector) -> Matrix)? = nil
  ) {
    precondition(dimension >= 0, "dimension must be non-negative, got \(dimension)")
    self.dimension = dimension
    self.gradientFunction = gradient
    self.valueFunction =
      value ?? { x in
        var g = Vector.zeros(x.count)
        return gradient(x, &g)
      }
    self.hessianVectorProductFunction = hessianVectorProduct
    self.hessianFunction = hessian
  }

  /// Wraps any differentiable objective, keeping its Hessian-vector products and dense Hessian
  /// when it conforms to ``HessianVectorProductObjective`` or ``TwiceDifferentiableObjective``.
  @inlinable
  public init<P: DifferentiableObjective>(_ problem: P) {
    if let f = problem as? FunctionObjective {
      self = f
      return
    }
    var hvp: (@Sendable (Vector, Vector, inout Vector) -> Void)? = nil
    if let h = problem as? any HessianVectorProductObjective {
      hvp = { x, v, r in h.hessianVectorProduct(at: x, direction: v, into: &r) }
    }
    var hess: (@Sendable (Vector) -> Matrix)? = nil
    if let h = problem as? any TwiceDifferentiableObjective {
      hess = { x in h.hessian(at: x) }
    }
    self.init(
      dimension: problem.dimension,
      value: { problem.value(at: $0) },
      gradient: { x, g in problem.value(at: x, gradient: &g) },
      hessianVectorProduct: hvp,
      hessian: hess)
  }

  /// f(x).
  public func value(at x: Vector) -> Double { valueFunction(x) }

  /// f(x) and ∇f(x).
  public func value(at x: Vector, gradient: inout Vector) -> Double {
    if gradient.count != dimension { gradient = .zeros(dimension) }
    return gradientFunction(x, &gradient)
  }

  /// ∇²f(x)·v: exact when the objective has products or a Hessian, otherwise by central
  /// differences of gradients (see ``FiniteDifferenceHessianVectorProduct``).
  public func hessianVectorProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    if let h = hessianVectorProductFunction {
      if result.count != dimension { result = .zeros(dimension) }
      h(x, v, &result)
    } else if let h = hessianFunction {
      result = h(x) * v
    } else {
      var scratch = FiniteDifferenceWorkspace(dimension: dimension)
      FiniteDifferenceHessianVectorProduct.central.apply(
        gradient: gradientFunction, at: x, gradientAtX: nil, direction: v, into: &result,
        workspace: &scratch)
    }
  }

  /// The dense Hessian, exact when available, otherwise assembled column by column from
  /// Hessian-vector products (n products) and symmetrized.
  public func hessian(at x: Vector) -> Matrix {
    if let h = hessianFunction { return h(x) }
    return assembleHessian(dimension: dimension) { v, hv in
      hessianVectorProduct(at: x, direction: v, into: &hv)
    }
  }

  /// Whether exact (not finite-difference) Hessian-vector products are available.
  public var hasExactCurvature: Bool {
    hessianVectorProductFunction != nil || hessianFunction != nil
  }
}

/// The n × n Hessian assembled column by column from n products H·eⱼ, then symmetrized as
/// (H + Hᵀ)/2 (the products by differences are not exactly symmetric).
func assembleHessian(dimension n: Int, product: (Vector, inout Vector) -> Void) -> Matrix {
  var m = Matrix(rows: n, columns: n)
  var hv = Vector.zeros(n)
  for j in 0..<n {
    product(.basis(j, count: n), &hv)
    for i in 0..<n { m[i, j] = hv[i] }
  }
  for i in 0..<n {
    for j in (i + 1)..<Swift.max(i + 1, n) {
      let s = 0.5 * (m[i, j] + m[j, i])
      m[i, j] = s
      m[j, i] = s
    }
  }
  return m
}
