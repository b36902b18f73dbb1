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
      if let lazy = lazySum(lhs, rhs) { return lazy }
      return combineParts(lhs, rhs) { $0 + $1 }
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
      return combineParts(lhs, rhs) { $0 - $1 }
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

    /// s·x for a dual scalar s = c + εċ: (c a) + ε(c ȧ + ċ a). With ċ = 0 (the usual case in
    /// a dual reverse pass seeded with 1 + 0ε through linear scalar operations) both parts are
    /// O(1) scaling views.
    @inlinable
    func scaledByDual(_ s: DualScalar) -> DualVector {
      if isEmpty { return .zero }
      let c = s.value
      let dc = s.tangent
      if dc == 0 { return mapParts { $0.scaled(by: c) } }
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
#if canImport(_Differentiation)
  import _Differentiation

  extension DualVector {
    /// lhs + rhs with both parts lazy (see ``LazySum``) when all four parts are plain (not
    /// lazy), not embedded, and at least one of them is a view; `nil` otherwise, so that the
    /// sum of two array-backed dual vectors is written out eagerly as before.
    @inlinable
    static func lazySum(_ lhs: DualVector, _ rhs: DualVector) -> DualVector? {
      let a = lhs.real
      let da = lhs.epsilon
      let b = rhs.real
      let db = rhs.epsilon
      if a.lazySum != nil || da.lazySum != nil || b.lazySum != nil || db.lazySum != nil
        || a.layout.isEmbedded || da.layout.isEmbedded || b.layout.isEmbedded
        || db.layout.isEmbedded
      {
        return nil
      }
      if a.isDense && da.isDense && b.isDense && db.isDense { return nil }
      guard let value = DVector.lazySum(a, b, allowDense: true),
        let tangent = DVector.lazySum(da, db, allowDense: true)
      else { return nil }
      return DualVector(real: value, epsilon: tangent)
    }

    /// lhs ∘ rhs for a linear rule (`op(0, 0) = 0`) such as + or −, computing the value and
    /// the tangent parts in one pass: (a ∘ b) + ε(ȧ ∘ ḃ). Plain operands go through one
    /// two-output loop; the even and odd embeddings of one length (the cotangent of x from
    /// x.evenIndexed() and x.oddIndexed()) become two deferred interleaves, each written out
    /// on its first read; other layouts combine part by part. Both operands must be non-empty.
    @inlinable
    static func combineParts(
      _ lhs: DualVector, _ rhs: DualVector, _ op: (Double, Double) -> Double
    ) -> DualVector {
      let l = lhs.real.layout
      let le = lhs.epsilon.layout
      let r = rhs.real.layout
      let re = rhs.epsilon.layout
      precondition(
        l.length == r.length, "dimension mismatch: vector sizes \(l.length) and \(r.length)")
      if !l.isEmbedded && !le.isEmbedded && !r.isEmbedded && !re.isEmbedded {
        let (value, tangent) = mapCompactPair(
          lhs.real, lhs.epsilon, rhs.real, rhs.epsilon,
          { a, _, b, _ in op(a, b) }, { _, da, _, db in op(da, db) })
        return DualVector(real: value, epsilon: tangent)
      }
      let n = l.length
      let sameEmbedding =
        l.start == le.start && l.spacing == le.spacing && l.count == le.count
        && r.start == re.start && r.spacing == re.spacing && r.count == re.count
      if sameEmbedding && l.spacing == 2 && r.spacing == 2 && l.start + r.start == 1
        && l.count + r.count == n && (l.start == 0 ? l.count : r.count) == (n + 1) / 2
      {
        // Even from one operand, odd from the other: out[2k] and out[2k + 1] of both parts.
        let evenFromLeft = l.start == 0
        let even = evenFromLeft ? lhs : rhs
        let odd = evenFromLeft ? rhs : lhs
        let evenSign: Double = evenFromLeft ? 1 : op(0, 1)
        let oddSign: Double = evenFromLeft ? op(0, 1) : 1
        // Each part is written out when first read (lazy cotangent sums are added in the
        // interleaving loop itself), so a caller that reads only the tangent, the
        // Hessian-vector product, never writes the gradient.
        return DualVector(
          real: DVector(
            interleaving: even.real, odd.real, length: n, evenSign: evenSign, oddSign: oddSign),
          epsilon: DVector(
            interleaving: even.epsilon, odd.epsilon, length: n, evenSign: evenSign,
            oddSign: oddSign))
      }
      return DualVector(
        real: combineLinear(lhs.real, rhs.real, op),
        epsilon: combineLinear(lhs.epsilon, rhs.epsilon, op))
    }
  }
#endif
