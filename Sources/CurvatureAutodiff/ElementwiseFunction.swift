#if canImport(_Differentiation)
  import RealModule

  /// A scalar function φ applied to every element of a differentiable vector, with the first
  /// and second derivatives that the gradient (φ') and the exact Hessian-vector product (φ'')
  /// need: the way to add an elementwise operation from outside the module.
  ///
  ///     let cube = ElementwiseFunction(name: "cube", value: { $0 * $0 * $0 },
  ///                                    derivative: { 3 * $0 * $0 }, secondDerivative: { 6 * $0 })
  ///     @differentiable(reverse)
  ///     func f<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar { x.applying(cube).sum() }
  ///
  /// On ``DVector`` the pullback of y = φ(x) is v ↦ v ⊙ φ'(x). On ``DualVector`` (x = a + εȧ)
  /// the value is φ(a) + εφ'(a)ȧ and the pullback multiplies by φ'(x) = φ'(a) + εφ''(a)ȧ in dual
  /// arithmetic, so one reverse pass gives ∇f and ∇²f·v exactly (Pearlmutter 1994). The three
  /// closures must agree; `DerivativeCheck` on the resulting objective checks them against
  /// differences.
  public struct ElementwiseFunction: Sendable {
    /// A short name, for messages.
    public let name: String
    /// φ(a).
    public let value: @Sendable (Double) -> Double
    /// φ'(a).
    public let derivative: @Sendable (Double) -> Double
    /// φ''(a).
    public let secondDerivative: @Sendable (Double) -> Double

    /// A function from φ, φ' and φ''.
    public init(
      name: String, value: @escaping @Sendable (Double) -> Double,
      derivative: @escaping @Sendable (Double) -> Double,
      secondDerivative: @escaping @Sendable (Double) -> Double
    ) {
      self.name = name
      self.value = value
      self.derivative = derivative
      self.secondDerivative = secondDerivative
    }

    /// sin, with cos and −sin.
    public static let sin = ElementwiseFunction(
      name: "sin", value: { Double.sin($0) }, derivative: { Double.cos($0) },
      secondDerivative: { -Double.sin($0) })
    /// cos, with −sin and −cos.
    public static let cos = ElementwiseFunction(
      name: "cos", value: { Double.cos($0) }, derivative: { -Double.sin($0) },
      secondDerivative: { -Double.cos($0) })
    /// tan, with 1 + tan² and 2 tan (1 + tan²).
    public static let tan = ElementwiseFunction(
      name: "tan", value: { Double.tan($0) },
      derivative: { a in
        let t = Double.tan(a)
        return 1 + t * t
      },
      secondDerivative: { a in
        let t = Double.tan(a)
        return 2 * t * (1 + t * t)
      })
    /// atan, with 1/(1 + a²) and −2a/(1 + a²)².
    public static let atan = ElementwiseFunction(
      name: "atan", value: { Double.atan($0) }, derivative: { 1 / (1 + $0 * $0) },
      secondDerivative: { a in
        let d = 1 + a * a
        return -2 * a / (d * d)
      })
    /// sinh, with cosh and sinh.
    public static let sinh = ElementwiseFunction(
      name: "sinh", value: { Double.sinh($0) }, derivative: { Double.cosh($0) },
      secondDerivative: { Double.sinh($0) })
    /// cosh, with sinh and cosh.
    public static let cosh = ElementwiseFunction(
      name: "cosh", value: { Double.cosh($0) }, derivative: { Double.sinh($0) },
      secondDerivative: { Double.cosh($0) })
    /// The logistic function σ(a) = 1/(1 + e^(−a)), with σ(1 − σ) and σ(1 − σ)(1 − 2σ).
    public static let sigmoid = ElementwiseFunction(
      name: "sigmoid", value: { logisticScalar($0) },
      derivative: { a in
        let s = logisticScalar(a)
        return s * (1 - s)
      },
      secondDerivative: { a in
        let s = logisticScalar(a)
        return s * (1 - s) * (1 - 2 * s)
      })
  }
#endif
