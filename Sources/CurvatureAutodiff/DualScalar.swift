#if canImport(_Differentiation)
  import _Differentiation

  /// A dual number a + ȧε with ε² = 0: a value and its directional derivative (tangent).
  ///
  /// `DualScalar` is the scalar type of ``DualVector``. It is its own tangent type, and its
  /// operators register pullbacks written in dual arithmetic, so that one reverse pass over a
  /// function evaluated at x + εv returns ∇f(x) + ε∇²f(x)v: forward-over-reverse
  /// differentiation, the R{·} operator of Pearlmutter ("Fast exact multiplication by the
  /// Hessian", Neural Computation 6(1), 1994), as described in Griewank & Walther, *Evaluating
  /// Derivatives*, 2nd ed., SIAM 2008, chapter 5 (tangents of adjoints).
  public struct DualScalar: Differentiable, AdditiveArithmetic, Sendable, Hashable,
    CustomStringConvertible
  {
    /// The real part a.
    public var value: Double
    /// The ε part ȧ (the directional derivative).
    public var tangent: Double

    /// `DualScalar` is its own tangent space.
    public typealias TangentVector = DualScalar

    /// Creates a + ȧε.
    @inlinable
    public init(value: Double, tangent: Double = 0) {
      self.value = value
      self.tangent = tangent
    }

    /// 0 + 0ε.
    @inlinable
    public static var zero: DualScalar { DualScalar(value: 0, tangent: 0) }

    /// Moves along a tangent: componentwise addition.
    @inlinable
    public mutating func move(by offset: DualScalar) {
      value += offset.value
      tangent += offset.tangent
    }

    /// (a + ȧε) + (b + ḃε).
    @differentiable(reverse)
    public static func + (lhs: DualScalar, rhs: DualScalar) -> DualScalar {
      DualScalar(value: lhs.value + rhs.value, tangent: lhs.tangent + rhs.tangent)
    }

    @usableFromInline
    @derivative(of: +)
    static func _vjpAdd(lhs: DualScalar, rhs: DualScalar)
      -> (value: DualScalar, pullback: (DualScalar) -> (DualScalar, DualScalar))
    {
      (lhs + rhs, { v in (v, v) })
    }

    /// (a + ȧε) − (b + ḃε).
    @differentiable(reverse)
    public static func - (lhs: DualScalar, rhs: DualScalar) -> DualScalar {
      DualScalar(value: lhs.value - rhs.value, tangent: lhs.tangent - rhs.tangent)
    }

    @usableFromInline
    @derivative(of: -)
    static func _vjpSubtract(lhs: DualScalar, rhs: DualScalar)
      -> (value: DualScalar, pullback: (DualScalar) -> (DualScalar, DualScalar))
    {
      (lhs - rhs, { v in (v, v.scaled(by: -1)) })
    }

    /// (a + ȧε)(b + ḃε) = ab + (ȧb + aḃ)ε.
    @differentiable(reverse)
    public static func * (lhs: DualScalar, rhs: DualScalar) -> DualScalar {
      DualScalar(
        value: lhs.value * rhs.value, tangent: lhs.tangent * rhs.value + lhs.value * rhs.tangent)
    }

    /// Pullback of x·y in dual arithmetic: v ↦ (v·y, v·x).
    @usableFromInline
    @derivative(of: *)
    static func _vjpMultiply(lhs: DualScalar, rhs: DualScalar)
      -> (value: DualScalar, pullback: (DualScalar) -> (DualScalar, DualScalar))
    {
      (lhs * rhs, { v in (v * rhs, v * lhs) })
    }

    /// c·(a + ȧε) for a constant c.
    @differentiable(reverse,wrt: self)
    public func scaled(by c: Double) -> DualScalar {
      DualScalar(value: c * value, tangent: c * tangent)
    }

    @usableFromInline
    @derivative(of: scaled, wrt: self)
    func _vjpScaled(by c: Double) -> (value: DualScalar, pullback: (DualScalar) -> DualScalar) {
      (scaled(by: c), { v in v.scaled(by: c) })
    }

    /// (a + c) + ȧε for a constant c.
    @differentiable(reverse,wrt: self)
    public func adding(_ c: Double) -> DualScalar {
      DualScalar(value: value + c, tangent: tangent)
    }

    @usableFromInline
    @derivative(of: adding, wrt: self)
    func _vjpAdding(_ c: Double) -> (value: DualScalar, pullback: (DualScalar) -> DualScalar) {
      (adding(c), { v in v })
    }

    /// "a + ȧε".
    public var description: String { "\(value) + \(tangent)ε" }
  }

  extension DualScalar: DifferentiableScalarProtocol {}
#endif
