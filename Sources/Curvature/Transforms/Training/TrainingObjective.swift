/// The derivatives of a training loss on one mini-batch, as closures: what a training loop
/// needs to fill an ``UpdateContext``.
///
/// For a loss f_B(θ) = (1/|B|) Σ_{i∈B} ℓ(h(θ; xᵢ), tᵢ) + (λ/2)‖θ‖² on the batch B:
/// - ``value``: θ ↦ f_B(θ);
/// - ``valueAndGradient``: (θ, g) ↦ f_B(θ), writing ∇f_B(θ) into g;
/// - ``hessianVectorProduct``: θ ↦ (v ↦ ∇²f_B(θ)·v), prepared once at θ and then applied to
///   many directions (the Krylov solves of Hessian-free Newton reuse it);
/// - ``gaussNewtonProduct``: θ ↦ (v ↦ G_B(θ)·v) with the generalized Gauss-Newton matrix
///   G = Jᵀ H_ℓ J + λI (Schraudolph, "Fast curvature matrix-vector products for second-order
///   gradient descent", Neural Computation 14(7), 2002).
public struct MiniBatchOracle {
  /// The number of samples |B| the batch averages over.
  public var sampleCount: Int
  /// θ ↦ f_B(θ).
  public var value: (Vector) -> Double
  /// (θ, g) ↦ f_B(θ), writing ∇f_B(θ) into g.
  public var valueAndGradient: (Vector, inout Vector) -> Double
  /// θ ↦ the exact Hessian-vector product at θ, when available.
  public var hessianVectorProduct: ((Vector) -> (Vector, inout Vector) -> Void)?
  /// θ ↦ the generalized Gauss-Newton product at θ, when available.
  public var gaussNewtonProduct: ((Vector) -> (Vector, inout Vector) -> Void)?
  /// (θ, estimate, seed) ↦ the per-layer statistics of a layered model at θ on the batch
  /// (``LayerStatistics``), when the model has layers.
  public var layerStatistics: ((Vector, FisherEstimate, UInt64) -> [LayerStatistics])?
  /// θ ↦ (directions V ↦ the Gram matrix VᵀG V of the generalized Gauss-Newton matrix at θ),
  /// from forward tangents J·vᵢ alone: (VᵀGV)ᵢⱼ = (Jvᵢ)ᵀH_ℓ(Jvⱼ) + λ vᵢᵀvⱼ (masked), when the
  /// model can.
  public var gaussNewtonForms: ((Vector) -> ([Vector]) -> Matrix)?

  /// Creates an oracle from closures.
  public init(
    sampleCount: Int, value: @escaping (Vector) -> Double,
    valueAndGradient: @escaping (Vector, inout Vector) -> Double,
    hessianVectorProduct: ((Vector) -> (Vector, inout Vector) -> Void)? = nil,
    gaussNewtonProduct: ((Vector) -> (Vector, inout Vector) -> Void)? = nil,
    layerStatistics: ((Vector, FisherEstimate, UInt64) -> [LayerStatistics])? = nil,
    gaussNewtonForms: ((Vector) -> ([Vector]) -> Matrix)? = nil
  ) {
    self.layerStatistics = layerStatistics
    self.gaussNewtonForms = gaussNewtonForms
    self.sampleCount = sampleCount
    self.value = value
    self.valueAndGradient = valueAndGradient
    self.hessianVectorProduct = hessianVectorProduct
    self.gaussNewtonProduct = gaussNewtonProduct
  }
}

/// A training loss over a fixed data set of ``sampleCount`` samples that can be restricted to
/// mini-batches: the input of ``train(_:objective:from:options:)``.
public protocol TrainingObjective: Sendable {
  /// The number of parameters n.
  var dimension: Int { get }
  /// The number of samples m in the data set.
  var sampleCount: Int { get }
  /// The oracle of the loss averaged over the samples with the given indices (into 0..<m), or
  /// over all samples when `samples` is nil.
  func oracle(samples: [Int]?) -> MiniBatchOracle
}

/// A deterministic objective (no data set) as a ``TrainingObjective`` with one sample: every
/// batch is the full objective. Curvature products come from the objective when it has them.
public struct DeterministicTrainingObjective: TrainingObjective {
  /// n.
  public let dimension: Int
  /// 1.
  public var sampleCount: Int { 1 }
  let oracleBody: @Sendable () -> MiniBatchOracle

  /// Wraps a gradient objective; its Hessian-vector products (when it has them) serve as both
  /// the Hessian and the Gauss-Newton product.
  public init<F: DifferentiableObjective>(_ objective: F) {
    dimension = objective.dimension
    oracleBody = {
      var hvp: ((Vector) -> (Vector, inout Vector) -> Void)? = nil
      if let h = objective as? any HessianVectorProductObjective {
        hvp = { x in { v, out in h.hessianVectorProduct(at: x, direction: v, into: &out) } }
      }
      return MiniBatchOracle(
        sampleCount: 1, value: { objective.value(at: $0) },
        valueAndGradient: { objective.value(at: $0, gradient: &$1) },
        hessianVectorProduct: hvp, gaussNewtonProduct: hvp)
    }
  }

  /// The full objective.
  public func oracle(samples: [Int]?) -> MiniBatchOracle { oracleBody() }
}
