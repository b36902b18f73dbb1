#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  // Arithmetic and reductions on DualVector. Each forward rule is the dual extension of the real
  // operation, and each pullback is the real pullback evaluated in dual arithmetic (cotangent
  // v = c + εċ), so that the reverse sweep also carries ε-parts.

  extension DualVector {
    /// Elementwise x + y; an empty operand is zero.
    @differentiable(reverse)
    public static func + (lhs: DualVector, rhs: DualVector) -> DualVector {
      if lhs.isEmpty { return rhs }
      if rhs.isEmpty { return lhs }
      return DualVector(real: lhs.real + rhs.real, epsilon: lhs.epsilon + rhs.epsilon)
    }

    @usableFromInline
    @derivative(of: +)
    static func _vjpAdd(lhs: DualVector, rhs: DualVector)
      -> (value: DualVector, pullback: (DualVector) -> (DualVector, DualVector))
    {
      (lhs + rhs, { v in (v, v) })
    }

    /// Elementwise x − y; an empty operand is zero.
    @differentiable(reverse)
    public static func - (lhs: DualVector, rhs: DualVector) -> DualVector {
      if rhs.isEmpty { return lhs }
      if lhs.isEmpty { return rhs.scaled(by: -1) }
      return DualVector(real: lhs.real - rhs.real, epsilon: lhs.epsilon - rhs.epsilon)
    }

    @usableFromInline
    @derivative(of: -)
    static func _vjpSubtract(lhs: DualVector, rhs: DualVector)
      -> (value: DualVector, pullback: (DualVector) -> (DualVector, DualVector))
    {
      (lhs - rhs, { v in (v, v.scaled(by: -1)) })
    }

    /// Elementwise dual product x ⊙ y.
    @differentiable(reverse)
    public static func * (lhs: DualVector, rhs: DualVector) -> DualVector {
      product(lhs, rhs)
    }

    /// Pullback in dual arithmetic: v ↦ (v ⊙ y, v ⊙ x).
    @usableFromInline
    @derivative(of: *)
    static func _vjpMultiply(lhs: DualVector, rhs: DualVector)
      -> (value: DualVector, pullback: (DualVector) -> (DualVector, DualVector))
    {
      (product(lhs, rhs), { v in (product(v, rhs), product(v, lhs)) })
    }

    /// Elementwise dual quotient x ⊘ y.
    @differentiable(reverse)
    public static func / (lhs: DualVector, rhs: DualVector) -> DualVector {
      quotient(lhs, rhs)
    }

    /// Pullback of q = x ⊘ y in dual arithmetic: v ↦ (v ⊘ y, −(v ⊘ y) ⊙ q).
    @usableFromInline
    @derivative(of: /)
    static func _vjpDivide(lhs: DualVector, rhs: DualVector)
      -> (value: DualVector, pullback: (DualVector) -> (DualVector, DualVector))
    {
      let q = quotient(lhs, rhs)
      return (
        q,
        { v in
          let gx = quotient(v, rhs)
          return (gx, product(gx, q).scaled(by: -1))
        }
      )
    }

    /// c·x for a constant c.
    @differentiable(reverse,wrt: rhs)
    public static func * (lhs: Double, rhs: DualVector) -> DualVector { rhs.scaled(by: lhs) }

    /// c·x for a constant c (a view: O(1)).
    @differentiable(reverse,wrt: self)
    public func scaled(by c: Double) -> DualVector {
      mapParts { $0.scaled(by: c) }
    }

    @usableFromInline
    @derivative(of: scaled, wrt: self)
    func _vjpScaled(by c: Double) -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      (scaled(by: c), { v in v.scaled(by: c) })
    }

    /// x + c·1 for a constant c (the tangent is unchanged; empty in, empty out).
    @differentiable(reverse,wrt: self)
    public func adding(_ c: Double) -> DualVector {
      if isEmpty { return .zero }
      return DualVector(real: real.adding(c), epsilon: epsilon)
    }

    @usableFromInline
    @derivative(of: adding, wrt: self)
    func _vjpAdding(_ c: Double) -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      (adding(c), { v in v })
    }

    /// Σᵢ xᵢ as a dual scalar (Σaᵢ) + ε(Σȧᵢ).
    @differentiable(reverse)
    public func sum() -> DualScalar {
      DualScalar(value: real.sum(), tangent: epsilon.sum())
    }

    /// Pullback of the sum: c + εċ ↦ c·1 + εċ·1.
    @usableFromInline
    @derivative(of: sum)
    func _vjpSum() -> (value: DualScalar, pullback: (DualScalar) -> DualVector) {
      let n = count
      return (
        sum(),
        { v in
          DualVector(
            real: DVector(repeating: v.value, count: n),
            epsilon: DVector(repeating: v.tangent, count: n))
        }
      )
    }

    /// ‖x‖² in dual arithmetic: aᵀa + 2ε aᵀȧ.
    @differentiable(reverse)
    public func squaredNorm() -> DualScalar {
      if isEmpty { return .zero }
      let (aa, ada) = sumCompactPair(
        real.unembedded, epsilon.unembedded, { a, _ in a * a }, { a, da in a * da })
      return DualScalar(value: aa, tangent: 2 * ada)
    }

    /// Pullback of ‖x‖²: s ↦ 2s·x with a dual scalar s.
    @usableFromInline
    @derivative(of: squaredNorm)
    func _vjpSquaredNorm() -> (value: DualScalar, pullback: (DualScalar) -> DualVector) {
      (squaredNorm(), { s in self.scaledByDual(s.scaled(by: 2)) })
    }

    /// xᵀy in dual arithmetic: aᵀb + ε(ȧᵀb + aᵀḃ).
    @differentiable(reverse)
    public func dot(_ other: DualVector) -> DualScalar {
      if isEmpty || other.isEmpty { return .zero }
      return DualScalar(
        value: real.dot(other.real),
        tangent: epsilon.dot(other.real) + real.dot(other.epsilon))
    }

    /// Pullback of xᵀy: s ↦ (s·y, s·x) with a dual scalar s.
    @usableFromInline
    @derivative(of: dot)
    func _vjpDot(_ other: DualVector)
      -> (value: DualScalar, pullback: (DualScalar) -> (DualVector, DualVector))
    {
      (dot(other), { s in (other.scaledByDual(s), self.scaledByDual(s)) })
    }

    /// s·x for a dual scalar s = c + εċ: (c a) + ε(c ȧ + ċ a).
    @inlinable
    func scaledByDual(_ s: DualScalar) -> DualVector {
      if isEmpty { return .zero }
      let c = s.value
      let dc = s.tangent
      let a = real.unembedded
      return DualVector(
        real: a.scaled(by: c),
        epsilon: mapCompact(a, epsilon.unembedded) { a, da in c * da + dc * a })
    }
  }

  extension DualVector: DifferentiableVectorProtocol {
    /// The scalar type of reductions.
    public typealias Scalar = DualScalar
  }
#endif
