#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  // Arithmetic and reductions on DVector with vectorized pullbacks. Conventions: an empty
  // operand is the zero vector of the other operand's length; a pullback receiving an empty
  // (zero) cotangent returns empty (zero) cotangents.

  extension DVector {
    /// Elementwise x + y; an empty operand is zero.
    ///
    /// When one operand is a view (a gather, a scaling, a shift, a pullback's cotangent) and
    /// neither is embedded, the sum is lazy (the internal `LazySum`): its reader adds the two terms,
    /// so that the cotangent sums of reverse-mode accumulation followed by a scatter cost no
    /// pass of their own.
    @differentiable(reverse)
    public static func + (lhs: DVector, rhs: DVector) -> DVector {
      if lhs.isEmpty { return rhs }
      if rhs.isEmpty { return lhs }
      if let lazy = lazySum(lhs, rhs) { return lazy }
      return combineLinear(lhs, rhs) { $0 + $1 }
    }

    @usableFromInline
    @derivative(of: +)
    static func _vjpAdd(lhs: DVector, rhs: DVector)
      -> (value: DVector, pullback: (DVector) -> (DVector, DVector))
    {
      (lhs + rhs, { v in (v, v) })
    }

    /// Elementwise x − y; an empty operand is zero.
    @differentiable(reverse)
    public static func - (lhs: DVector, rhs: DVector) -> DVector {
      if rhs.isEmpty { return lhs }
      if lhs.isEmpty { return rhs.scaled(by: -1) }
      return combineLinear(lhs, rhs) { $0 - $1 }
    }

    @usableFromInline
    @derivative(of: -)
    static func _vjpSubtract(lhs: DVector, rhs: DVector)
      -> (value: DVector, pullback: (DVector) -> (DVector, DVector))
    {
      (lhs - rhs, { v in (v, v.scaled(by: -1)) })
    }

    /// Elementwise (Hadamard) product x ⊙ y; zero when either operand is empty.
    @differentiable(reverse)
    public static func * (lhs: DVector, rhs: DVector) -> DVector {
      if lhs.isEmpty || rhs.isEmpty { return .zero }
      return mapCompact(lhs.unembedded, rhs.unembedded) { $0 * $1 }
    }

    /// Pullback of x ⊙ y: v ↦ (v ⊙ y, v ⊙ x).
    @usableFromInline
    @derivative(of: *)
    static func _vjpMultiply(lhs: DVector, rhs: DVector)
      -> (value: DVector, pullback: (DVector) -> (DVector, DVector))
    {
      (lhs * rhs, { v in (v * rhs, v * lhs) })
    }

    /// Elementwise quotient x ⊘ y; zero when x is empty. The divisor must not be empty.
    @differentiable(reverse)
    public static func / (lhs: DVector, rhs: DVector) -> DVector {
      precondition(!rhs.isEmpty || lhs.isEmpty, "division by the zero vector")
      if lhs.isEmpty { return .zero }
      return mapCompact(lhs.unembedded, rhs.unembedded) { $0 / $1 }
    }

    /// Pullback of q = x ⊘ y: v ↦ (v ⊘ y, −v ⊙ q ⊘ y).
    @usableFromInline
    @derivative(of: /)
    static func _vjpDivide(lhs: DVector, rhs: DVector)
      -> (value: DVector, pullback: (DVector) -> (DVector, DVector))
    {
      let q = lhs / rhs
      return (
        q,
        { v in
          if v.isEmpty { return (.zero, .zero) }
          let gx = mapCompact(v.unembedded, rhs.unembedded) { $0 / $1 }
          if q.isEmpty { return (gx, .zero) }
          return (gx, mapCompact(gx, q) { -$0 * $1 })
        }
      )
    }

    /// c·x for a constant c.
    @differentiable(reverse,wrt: rhs)
    public static func * (lhs: Double, rhs: DVector) -> DVector { rhs.scaled(by: lhs) }

    /// c·x for a constant c (a view: O(1), no pass over the elements).
    @differentiable(reverse,wrt: self)
    public func scaled(by c: Double) -> DVector {
      if isEmpty { return self }
      var r = self
      r.layout.scale *= c
      return r
    }

    @usableFromInline
    @derivative(of: scaled, wrt: self)
    func _vjpScaled(by c: Double) -> (value: DVector, pullback: (DVector) -> DVector) {
      (scaled(by: c), { v in v.scaled(by: c) })
    }

    /// x + c·1 for a constant c (empty in, empty out). On a plain or re-indexed vector this is
    /// a view (O(1)); the shift is applied where the elements are read.
    @differentiable(reverse,wrt: self)
    public func adding(_ c: Double) -> DVector {
      if isEmpty { return self }
      var r =
        layout.isEmbedded || layout.scale != 1 || layout.shift != 0
        ? DVector(materializedElements()) : self
      r.layout.shift = c
      return r
    }

    @usableFromInline
    @derivative(of: adding, wrt: self)
    func _vjpAdding(_ c: Double) -> (value: DVector, pullback: (DVector) -> DVector) {
      (adding(c), { v in v })
    }

    /// Σᵢ xᵢ (0 for the empty vector).
    @differentiable(reverse)
    public func sum() -> Double { sumCompact(self) { $0 } }

    /// Pullback of Σᵢ xᵢ: v ↦ v·1.
    @usableFromInline
    @derivative(of: sum)
    func _vjpSum() -> (value: Double, pullback: (Double) -> DVector) {
      let n = count
      return (sum(), { v in DVector(repeating: v, count: n) })
    }

    /// ‖x‖² = Σᵢ xᵢ² (0 for the empty vector).
    @differentiable(reverse)
    public func squaredNorm() -> Double { sumCompact(self) { $0 * $0 } }

    /// Pullback of ‖x‖²: v ↦ 2v·x.
    @usableFromInline
    @derivative(of: squaredNorm)
    func _vjpSquaredNorm() -> (value: Double, pullback: (Double) -> DVector) {
      (squaredNorm(), { v in self.scaled(by: 2 * v) })
    }

    /// xᵀy (0 when either operand is empty).
    @differentiable(reverse)
    public func dot(_ other: DVector) -> Double {
      if isEmpty || other.isEmpty { return 0 }
      return sumCompact(unembedded, other.unembedded) { $0 * $1 }
    }

    /// Pullback of xᵀy: v ↦ (v·y, v·x).
    @usableFromInline
    @derivative(of: dot)
    func _vjpDot(_ other: DVector) -> (value: Double, pullback: (Double) -> (DVector, DVector)) {
      (dot(other), { v in (other.scaled(by: v), self.scaled(by: v)) })
    }
  }

  extension DVector: DifferentiableVectorProtocol {
    /// The scalar type of reductions.
    public typealias Scalar = Double
  }

  extension Double: DifferentiableScalarProtocol {
    /// c·a for a constant c.
    @differentiable(reverse,wrt: self)
    public func scaled(by c: Double) -> Double { c * self }

    /// a + c for a constant c.
    @differentiable(reverse,wrt: self)
    public func adding(_ c: Double) -> Double { self + c }
  }
#endif
