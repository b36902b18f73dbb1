#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  /// The scalar type of a ``DifferentiableVectorProtocol``: `Double` for ``DVector`` and
  /// ``DualScalar`` for ``DualVector``.
  ///
  /// Scalar constants enter only through ``scaled(by:)`` and ``adding(_:)``, which take a plain
  /// `Double`: building constants as `Self(c)` inside differentiable generic code crashes the
  /// Swift 6.3.1 optimizer when two protocols declare the same differentiable operator.
  public protocol DifferentiableScalarProtocol: Differentiable, Sendable {
    /// The sum a + b.
    @differentiable(reverse)
    static func + (lhs: Self, rhs: Self) -> Self
    /// The difference a − b.
    @differentiable(reverse)
    static func - (lhs: Self, rhs: Self) -> Self
    /// The product a·b.
    @differentiable(reverse)
    static func * (lhs: Self, rhs: Self) -> Self
    /// The product c·a with a constant c.
    @differentiable(reverse,wrt: self)
    func scaled(by c: Double) -> Self
    /// The sum a + c with a constant c.
    @differentiable(reverse,wrt: self)
    func adding(_ c: Double) -> Self
  }

  /// The operations an objective written once can use, so that it runs both on ``DVector``
  /// (value and gradient by reverse mode) and on ``DualVector`` (gradient and exact
  /// Hessian-vector product by forward-over-reverse).
  ///
  /// Write the objective as a generic function over this protocol and mark it
  /// `@differentiable(reverse)`; then hand it to ``AutodiffObjective`` twice (Swift specializes
  /// it once per vector type) or implement ``AutodiffObjectiveFunction`` with one generic
  /// method:
  ///
  /// ```swift
  /// @differentiable(reverse)
  /// func rosenbrock<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  ///   let odd = x.evenIndexed()   // x₁, x₃, … (1-based)
  ///   let even = x.oddIndexed()   // x₂, x₄, …
  ///   let a = (even - odd.squared()).squared().sum().scaled(by: 100)
  ///   return a + odd.adding(-1).squared().sum()
  /// }
  /// let objective = AutodiffObjective(
  ///   dimension: 1000, { rosenbrock($0) }, { rosenbrock($0) })
  /// ```
  ///
  /// Every operation carries a registered vectorized pullback. Indices are 0-based. Operations
  /// whose requirements are concrete (no generic parameters of their own) are the safe form:
  /// a generic `@differentiable` protocol requirement compiles and then crashes at run time in
  /// Swift 6.3.1.
  public protocol DifferentiableVectorProtocol: Differentiable, Sendable {
    /// The scalar type of reductions.
    associatedtype Scalar: DifferentiableScalarProtocol

    /// The number of elements.
    var count: Int { get }

    /// A constant vector (data such as labels or targets): its derivative is not tracked, and
    /// the dual form has a zero tangent.
    init(constant values: [Double])

    /// Σᵢ xᵢ.
    @differentiable(reverse)
    func sum() -> Scalar
    /// ‖x‖² = Σᵢ xᵢ², one pass forward and one backward (cheaper than `squared().sum()`).
    @differentiable(reverse)
    func squaredNorm() -> Scalar
    /// log Σᵢ exp(xᵢ), evaluated as m + log Σᵢ exp(xᵢ − m) with m = maxᵢ xᵢ; its gradient is
    /// softmax(x), the building block of cross-entropy losses.
    @differentiable(reverse)
    func logSumExp() -> Scalar
    /// xᵀy.
    @differentiable(reverse)
    func dot(_ other: Self) -> Scalar
    /// Elementwise x + y.
    @differentiable(reverse)
    static func + (lhs: Self, rhs: Self) -> Self
    /// Elementwise x − y.
    @differentiable(reverse)
    static func - (lhs: Self, rhs: Self) -> Self
    /// Elementwise (Hadamard) product x ⊙ y.
    @differentiable(reverse)
    static func * (lhs: Self, rhs: Self) -> Self
    /// Elementwise quotient x ⊘ y.
    @differentiable(reverse)
    static func / (lhs: Self, rhs: Self) -> Self
    /// c·x with a constant c.
    @differentiable(reverse,wrt: rhs)
    static func * (lhs: Double, rhs: Self) -> Self
    /// c·x with a constant c.
    @differentiable(reverse,wrt: self)
    func scaled(by c: Double) -> Self
    /// x + c·1 with a constant c.
    @differentiable(reverse,wrt: self)
    func adding(_ c: Double) -> Self
    /// Elementwise exp(xᵢ).
    @differentiable(reverse)
    func exp() -> Self
    /// Elementwise log(xᵢ).
    @differentiable(reverse)
    func log() -> Self
    /// Elementwise tanh(xᵢ).
    @differentiable(reverse)
    func tanh() -> Self
    /// Elementwise softplus(xᵢ) = log(1 + exp(xᵢ)), evaluated without overflow.
    @differentiable(reverse)
    func softplus() -> Self
    /// Elementwise φ(xᵢ) for any scalar function given with its first two derivatives
    /// (``ElementwiseFunction``): ``ElementwiseFunction/atan``, ``ElementwiseFunction/sigmoid``
    /// and the others it names, or one of your own.
    @differentiable(reverse,wrt: self)
    func applying(_ function: ElementwiseFunction) -> Self
    /// Elementwise sin(xᵢ).
    @differentiable(reverse)
    func sin() -> Self
    /// Elementwise cos(xᵢ).
    @differentiable(reverse)
    func cos() -> Self
    /// Elementwise tan(xᵢ).
    @differentiable(reverse)
    func tan() -> Self
    /// Elementwise xᵢ².
    @differentiable(reverse)
    func squared() -> Self
    /// Elementwise √xᵢ.
    @differentiable(reverse)
    func squareRoot() -> Self
    /// The elements at even 0-based indices: x₀, x₂, x₄, …
    @differentiable(reverse)
    func evenIndexed() -> Self
    /// The elements at odd 0-based indices: x₁, x₃, x₅, …
    @differentiable(reverse)
    func oddIndexed() -> Self
    /// All but the first k elements: xₖ, …, xₙ₋₁.
    @differentiable(reverse)
    func droppingFirst(_ k: Int) -> Self
    /// All but the last k elements: x₀, …, xₙ₋ₖ₋₁.
    @differentiable(reverse)
    func droppingLast(_ k: Int) -> Self
    /// The contiguous elements with indices in `range`.
    @differentiable(reverse)
    func elements(in range: Range<Int>) -> Self
    /// The elements x[indices[0]], x[indices[1]], … (indices may repeat; the pullback adds).
    @differentiable(reverse)
    func gathering(_ indices: [Int]) -> Self
    /// The concatenation [x; y].
    @differentiable(reverse)
    func concatenated(with other: Self) -> Self
    /// A·x with a constant matrix A.
    @differentiable(reverse)
    func leftMultiplied(by matrix: Matrix) -> Self
    /// W·x, where `self` holds the `rows × columns` matrix W row-major (a slice of packed
    /// parameters); differentiable with respect to both W and x.
    @differentiable(reverse)
    func packedMatrixProduct(_ x: Self, rows: Int, columns: Int) -> Self
  }

  extension DifferentiableVectorProtocol {
    /// The number of elements n, for use inside a `@differentiable` objective: `x.dimension`
    /// where `x.count` does not compile.
    ///
    /// Swift 6.3.1 rejects `Double(x.count)` (or any use of `x.count` that reaches the result)
    /// inside a generic `@differentiable(reverse)` function with "cannot differentiate through a
    /// non-differentiable result", asking for `withoutDerivative(at: x).count`. This getter is
    /// marked non-varying for the differentiation transform (the attribute the standard
    /// library's `withoutDerivative(at:)` carries), so the compiler treats n as a constant:
    ///
    /// ```swift
    /// @differentiable(reverse)
    /// func meanSquare<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
    ///   x.squaredNorm().scaled(by: 1 / Double(x.dimension))
    /// }
    /// ```
    @inlinable
    public var dimension: Int {
      @_semantics("autodiff.nonvarying") get { count }
    }
  }
#endif
