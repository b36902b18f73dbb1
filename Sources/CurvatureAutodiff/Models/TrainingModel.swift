#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  /// A parametric model h(θ; X) evaluated on a whole mini-batch at once: `inputs` holds the
  /// constant batch X (`B × inputWidth`, one sample per row) and the result the outputs
  /// (`B × outputWidth`), both row-major.
  ///
  /// Bring the data in through `V(constant:)` or the `constant` operations of
  /// ``DifferentiableBatchVectorProtocol``, never as the constant operand of an operation
  /// differentiable in both operands (that protocol explains the Swift 6.3.1 hazard).
  ///
  /// Write the model once as a generic method over ``DifferentiableBatchVectorProtocol`` and
  /// let it witness both requirements. The ``DVector`` specialization gives the loss value and
  /// gradient by reverse mode and Jᵀu by the model's pullback; the ``DualVector``
  /// specialization gives exact Hessian-vector products (forward-over-reverse) and the forward
  /// tangent J·v, the two halves of the generalized Gauss-Newton product (see
  /// ``ModelObjective``).
  public protocol TrainingModel: Sendable {
    /// The number of parameters n = dim θ.
    var parameterCount: Int { get }
    /// The number of input features per sample.
    var inputWidth: Int { get }
    /// The number of outputs per sample.
    var outputWidth: Int { get }
    /// The index ranges of θ that hold biases or intercepts (constant offsets of the
    /// outputs of a layer), which weight decay and ridge penalties usually leave out; see
    /// ``RegularizationMask/excludingBiases``. Empty by default.
    var biasParameters: [Range<Int>] { get }
    /// The outputs on real vectors.
    @differentiable(reverse,wrt: parameters)
    func outputs(_ parameters: DVector, inputs: [Double]) -> DVector
    /// The outputs on dual vectors (the same function).
    @differentiable(reverse,wrt: parameters)
    func outputs(_ parameters: DualVector, inputs: [Double]) -> DualVector
  }

  extension TrainingModel {
    /// No bias parameters.
    public var biasParameters: [Range<Int>] { [] }
  }
#endif
