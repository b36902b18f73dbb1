#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  /// An objective written once over ``DifferentiableVectorProtocol`` and differentiated by Swift:
  /// value and gradient by reverse mode on ``DVector``, exact Hessian-vector products by one
  /// forward-over-reverse pass on ``DualVector``.
  ///
  /// For f: ℝⁿ → ℝ, the product is read off the dual gradient at x + εv,
  /// ∇f(x + εv) = ∇f(x) + ε∇²f(x)v (Pearlmutter, "Fast exact multiplication by the Hessian",
  /// Neural Computation 6(1), 1994; Griewank & Walther, *Evaluating Derivatives*, 2nd ed., SIAM
  /// 2008, chapter 5). It is exact to rounding and costs a small multiple of one gradient.
  ///
  /// Hand the same generic function over twice, each time wrapped in a closure; Swift
  /// specializes it once per vector type:
  ///
  /// ```swift
  /// @differentiable(reverse)
  /// func f<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  ///   x.squared().sum().scaled(by: 0.5) + x.exp().sum()
  /// }
  /// let objective = AutodiffObjective(dimension: 3, { f($0) }, { f($0) })
  /// let solverInput = FunctionObjective(objective)  // keeps the exact products
  /// ```
  ///
  /// Or, for objectives that carry data, conform a type to ``AutodiffObjectiveFunction`` with
  /// one generic `callAsFunction` and use ``init(_:)``.
  ///
  /// Swift 6.3.1 hazards this shape avoids: a generic `@differentiable` protocol requirement
  /// (a requirement with its own generic parameter) compiles and then crashes at run time; an
  /// `@inlinable` generic differentiable function crashes the compiler when used from another
  /// module at -O; differentiating a protocol method reference inside an `@inlinable` generic
  /// function crashes the compiler. So the two concrete closures are stored and differentiated
  /// here, in non-inlinable code. Wrap generic function references in closures (`{ f($0) }`):
  /// passing a bare reference such as `AutodiffObjective(dimension: n, f, f)` from two files of
  /// one module fails to link, because each file emits the autodiff branch-trace enum of the
  /// same reabstraction thunk with strong linkage.
  public struct AutodiffObjective: HessianVectorProductObjective {
    /// The number of variables n.
    public let dimension: Int
    /// f on real vectors.
    public let realFunction: @Sendable @differentiable(reverse) (DVector) -> Double
    /// f on dual vectors (the same function, specialized to ``DualVector``).
    public let dualFunction: @Sendable @differentiable(reverse) (DualVector) -> DualScalar

    /// Creates an objective from the real and the dual specialization of one function.
    public init(
      dimension: Int,
      _ real: @escaping @Sendable @differentiable(reverse) (DVector) -> Double,
      _ dual: @escaping @Sendable @differentiable(reverse) (DualVector) -> DualScalar
    ) {
      precondition(dimension >= 0, "dimension must be non-negative, got \(dimension)")
      self.dimension = dimension
      self.realFunction = real
      self.dualFunction = dual
    }

    /// Creates an objective from a type implementing both specializations.
    public init<F: AutodiffObjectiveFunction>(_ function: F) {
      self.init(
        dimension: function.dimension,
        { x in function.callAsFunction(x) },
        { x in function.callAsFunction(x) })
    }

    /// f(x).
    public func value(at x: Vector) -> Double {
      checkDimension(x.count)
      return realFunction(DVector(x))
    }

    /// f(x), writing ∇f(x) into `gradient` (one reverse pass).
    public func value(at x: Vector, gradient: inout Vector) -> Double {
      checkDimension(x.count)
      let (value, pullback) = valueWithPullback(at: DVector(x), of: realFunction)
      let g = pullback(1)
      gradient.storage = g.isEmpty ? [Double](repeating: 0, count: dimension) : g.storage
      return value
    }

    /// Writes the exact ∇²f(x)·v into `result` (one forward-over-reverse pass).
    ///
    /// Only the tangent part of the dual gradient is read; where the last pullback defers its
    /// output (the interleave of even and odd gather cotangents), the gradient is never
    /// written out.
    public func hessianVectorProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
      let g = dualGradient(at: x, direction: v).gradient
      result.storage = g.isEmpty ? [Double](repeating: 0, count: dimension) : g.tangent
    }

    /// f(x), ∇f(x) and the exact ∇²f(x)·v from one dual reverse pass at x + εv.
    public func valueGradientAndHessianVectorProduct(at x: Vector, direction v: Vector)
      -> (value: Double, gradient: Vector, hessianVectorProduct: Vector)
    {
      let (value, g) = dualGradient(at: x, direction: v)
      if g.isEmpty { return (value, .zeros(dimension), .zeros(dimension)) }
      return (value, Vector(g.value), Vector(g.tangent))
    }

    /// f(x) and the dual gradient ∇f(x + εv) = ∇f(x) + ε∇²f(x)v (empty when f ignores x).
    private func dualGradient(at x: Vector, direction v: Vector) -> (
      value: Double, gradient: DualVector
    ) {
      checkDimension(x.count)
      precondition(
        v.count == x.count,
        "dimension mismatch: point has \(x.count) elements, direction \(v.count)")
      let (value, pullback) = valueWithPullback(
        at: DualVector(value: x, tangent: v), of: dualFunction)
      return (value.value, pullback(DualScalar(value: 1, tangent: 0)))
    }

    /// The objective as closures for the solvers, with exact products.
    public var functionObjective: FunctionObjective { FunctionObjective(self) }

    private func checkDimension(_ n: Int) {
      precondition(
        n == dimension, "dimension mismatch: objective has \(dimension) variables, point \(n)")
    }
  }

  /// A type that evaluates one objective on both ``DVector`` and ``DualVector``, usually through
  /// a single generic method:
  ///
  /// ```swift
  /// struct LeastSquares: AutodiffObjectiveFunction {
  ///   let a: Matrix
  ///   let b: Vector
  ///   var dimension: Int { a.columns }
  ///   @differentiable(reverse, wrt: x)
  ///   func callAsFunction<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  ///     let r = x.leftMultiplied(by: a) - V(constant: b.storage)
  ///     return r.squared().sum().scaled(by: 0.5)
  ///   }
  /// }
  /// ```
  ///
  /// The two requirements are concrete on purpose: a generic `@differentiable` requirement
  /// crashes at run time in Swift 6.3.1, while one generic method witnessing two concrete
  /// requirements works.
  public protocol AutodiffObjectiveFunction: Sendable {
    /// The number of variables n.
    var dimension: Int { get }
    /// f on real vectors.
    @differentiable(reverse,wrt: x)
    func callAsFunction(_ x: DVector) -> Double
    /// f on dual vectors.
    @differentiable(reverse,wrt: x)
    func callAsFunction(_ x: DualVector) -> DualScalar
  }
#endif
