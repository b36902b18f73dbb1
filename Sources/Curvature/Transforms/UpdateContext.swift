/// What a transformation may read during an update: the typed widening of Optax's
/// `extra_args`.
///
/// First-order transforms need nothing from it. Line searches need ``value``, ``gradient`` and a
/// re-evaluation closure; Hessian-free Newton needs a curvature product at the current parameters
/// for the current mini-batch. A transform that needs an oracle the context lacks stops with a
/// precondition that names the oracle and the transform.
public struct UpdateContext {
  /// The current parameters xₖ.
  public var parameters: Vector
  /// f(xₖ) on the current batch, when known.
  public var value: Double?
  /// ∇f(xₖ) on the current batch, when known (the incoming updates are usually this too).
  public var gradient: Vector?
  /// The step number k (0 for the first update).
  public var iteration: Int
  /// A seed for the transform's random draws this step (e.g. Hutchinson probes). Transforms mix it
  /// with their own state so that runs are reproducible.
  public var seed: UInt64
  /// x ↦ f(x) on the current batch.
  public var evaluateValue: ((Vector) -> Double)?
  /// (x, g) ↦ f(x), writing ∇f(x) into g, on the current batch.
  public var evaluateGradient: ((Vector, inout Vector) -> Double)?
  /// (v, Hv) ↦ writes ∇²f(xₖ)·v, on the current batch.
  public var hessianVectorProduct: ((Vector, inout Vector) -> Void)?
  /// (v, Gv) ↦ writes the (generalized) Gauss-Newton product G(xₖ)·v, on the current batch.
  public var gaussNewtonProduct: ((Vector, inout Vector) -> Void)?
  /// estimate ↦ the per-layer statistics (inputs and output gradients of each dense layer) at
  /// xₖ on the current batch, for layered models (K-FAC's Kronecker factors).
  public var layerStatistics: ((FisherEstimate) -> [LayerStatistics])?
  /// directions V ↦ VᵀG(xₖ)V, the Gauss-Newton quadratic forms of a few directions from forward
  /// tangents alone (cheaper than Gauss-Newton products when only the forms are needed, as in
  /// K-FAC's choice of learning rate and momentum).
  public var gaussNewtonForms: (([Vector]) -> Matrix)?
  /// The training budget left, read live, in ``PassCost`` weights of calls on the current batch:
  /// (budget − passes spent) ÷ (|B|/m), so each counted call lowers it by its weight (a value by
  /// 1/2, a curvature product by 2). Nil when no budget applies. A transform that can shorten its
  /// work (``HessianFreeNewton``'s CG) may plan with it; the calls always evaluate in full.
  public var budgetRemaining: (() -> Double)?

  /// Creates a context.
  public init(
    parameters: Vector, value: Double? = nil, gradient: Vector? = nil, iteration: Int = 0,
    seed: UInt64 = 0, evaluateValue: ((Vector) -> Double)? = nil,
    evaluateGradient: ((Vector, inout Vector) -> Double)? = nil,
    hessianVectorProduct: ((Vector, inout Vector) -> Void)? = nil,
    gaussNewtonProduct: ((Vector, inout Vector) -> Void)? = nil,
    layerStatistics: ((FisherEstimate) -> [LayerStatistics])? = nil,
    gaussNewtonForms: (([Vector]) -> Matrix)? = nil,
    budgetRemaining: (() -> Double)? = nil
  ) {
    self.budgetRemaining = budgetRemaining
    self.layerStatistics = layerStatistics
    self.gaussNewtonForms = gaussNewtonForms
    self.parameters = parameters
    self.value = value
    self.gradient = gradient
    self.iteration = iteration
    self.seed = seed
    self.evaluateValue = evaluateValue
    self.evaluateGradient = evaluateGradient
    self.hessianVectorProduct = hessianVectorProduct
    self.gaussNewtonProduct = gaussNewtonProduct
  }

  /// A context for parameters alone (enough for first-order transforms).
  public static func parameters(_ x: Vector, iteration: Int = 0) -> UpdateContext {
    UpdateContext(parameters: x, iteration: iteration)
  }

  /// The Hessian-vector product, or a precondition failure naming `transform`.
  public func requireHessianVectorProduct(for transform: String) -> (Vector, inout Vector) -> Void {
    guard let h = hessianVectorProduct else {
      preconditionFailure("\(transform) needs a Hessian-vector product oracle in the UpdateContext")
    }
    return h
  }

  /// The Gauss-Newton product, or a precondition failure naming `transform`.
  public func requireGaussNewtonProduct(for transform: String) -> (Vector, inout Vector) -> Void {
    guard let h = gaussNewtonProduct else {
      preconditionFailure("\(transform) needs a Gauss-Newton product oracle in the UpdateContext")
    }
    return h
  }

  /// The per-layer statistics, or a precondition failure naming `transform`.
  public func requireLayerStatistics(for transform: String) -> (FisherEstimate) -> [LayerStatistics]
  {
    guard let s = layerStatistics else {
      preconditionFailure(
        "\(transform) needs per-layer statistics in the UpdateContext (a layered model such as NetworkObjective)"
      )
    }
    return s
  }

  /// The value-and-gradient re-evaluation closure, or a precondition failure naming `transform`.
  public func requireGradientEvaluation(for transform: String) -> (Vector, inout Vector) -> Double {
    guard let e = evaluateGradient else {
      preconditionFailure(
        "\(transform) needs a value-and-gradient evaluation closure in the UpdateContext")
    }
    return e
  }

  /// The value re-evaluation closure (falling back to the gradient closure), or a precondition
  /// failure naming `transform`.
  public func requireValueEvaluation(for transform: String) -> (Vector) -> Double {
    if let e = evaluateValue { return e }
    if let e = evaluateGradient {
      return { x in
        var g = Vector.zeros(x.count)
        return e(x, &g)
      }
    }
    preconditionFailure("\(transform) needs a value evaluation closure in the UpdateContext")
  }
}
