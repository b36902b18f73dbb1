#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  /// A vector of dual numbers x + εẋ, stored as a value array and a tangent array.
  ///
  /// `DualVector` has the same operations as ``DVector`` (it conforms to
  /// ``DifferentiableVectorProtocol``), but each operation propagates the tangent forward and
  /// its registered pullback is written in dual arithmetic. For an objective f written once over
  /// the protocol, one reverse pass at the dual point x + εv yields the dual gradient
  ///
  ///     ∇f(x + εv) = ∇f(x) + ε ∇²f(x) v,
  ///
  /// so the gradient is the ``value`` part and the exact Hessian-vector product is the
  /// ``tangent`` part (forward-over-reverse; Pearlmutter, Neural Computation 6(1), 1994;
  /// Griewank & Walther, *Evaluating Derivatives*, 2nd ed., SIAM 2008, chapter 5). The cost is
  /// a small constant multiple of one gradient, and the product is exact to rounding, unlike
  /// finite differences.
  ///
  /// As for ``DVector``, empty storage stands for the zero vector of any length; every
  /// operation and pullback accepts it.
  ///
  /// ```swift
  /// let x = DualVector(value: [1, 2], tangent: [1, 0])   // x + εv with v = e₁
  /// let (_, pullback) = valueWithPullback(at: x) { x in x.squared().sum() }
  /// let g = pullback(DualScalar(value: 1))  // g.value = ∇f = [2, 4], g.tangent = Hv = [2, 0]
  /// ```
  public struct DualVector: Differentiable, AdditiveArithmetic, Sendable,
    CustomStringConvertible
  {
    /// The real parts as a (possibly re-indexed or rescaled) ``DVector``.
    @usableFromInline var real: DVector
    /// The ε parts, the same length as ``real``.
    @usableFromInline var epsilon: DVector

    /// `DualVector` is its own tangent space.
    public typealias TangentVector = DualVector

    /// The real parts (empty for the zero vector).
    @inlinable
    public var value: [Double] {
      get { real.storage }
      set {
        precondition(
          newValue.count == epsilon.count || epsilon.isEmpty,
          "dimension mismatch: dual value size \(newValue.count) and tangent size \(epsilon.count)")
        real = DVector(newValue)
      }
    }

    /// The ε parts, the same length as ``value``.
    @inlinable
    public var tangent: [Double] {
      get { epsilon.storage }
      set {
        precondition(
          newValue.count == real.count || real.isEmpty,
          "dimension mismatch: dual value size \(real.count) and tangent size \(newValue.count)")
        epsilon = DVector(newValue)
      }
    }

    /// Creates x + εẋ; both arrays must have the same length.
    @inlinable
    public init(value: [Double], tangent: [Double]) {
      precondition(
        value.count == tangent.count,
        "dimension mismatch: dual value size \(value.count) and tangent size \(tangent.count)")
      real = DVector(value)
      epsilon = DVector(tangent)
    }

    /// Creates a + εȧ from two vectors of equal length; an empty part next to a non-empty one
    /// stands for zeros.
    @inlinable
    init(real a: DVector, epsilon da: DVector) {
      if a.isEmpty && !da.isEmpty {
        real = DVector(repeating: 0, count: da.count)
      } else {
        real = a
      }
      if da.isEmpty && !a.isEmpty {
        epsilon = DVector(repeating: 0, count: a.count)
      } else {
        epsilon = da
      }
      precondition(
        real.count == epsilon.count,
        "dimension mismatch: dual value size \(real.count) and tangent size \(epsilon.count)")
    }

    /// Creates x + εv from Curvature vectors.
    @inlinable
    public init(value: Vector, tangent: Vector) {
      self.init(value: value.storage, tangent: tangent.storage)
    }

    /// Creates x + 0ε (a constant).
    @inlinable
    public init(constant value: [Double]) {
      self.init(real: DVector(value), epsilon: DVector(repeating: 0, count: value.count))
    }

    /// The number of elements (0 for the zero vector of unspecified length).
    @inlinable
    public var count: Int { real.count }

    /// Whether this is the length-less zero vector.
    @inlinable
    public var isEmpty: Bool { real.isEmpty }

    /// The zero vector of unspecified length (empty storage).
    @inlinable
    public static var zero: DualVector { DualVector(real: .zero, epsilon: .zero) }

    /// Moves along a tangent: componentwise x ← x + offset.
    @inlinable
    public mutating func move(by offset: DualVector) {
      self = self + offset
    }

    /// Equality, where an empty vector equals a vector of zeros of any length.
    public static func == (lhs: DualVector, rhs: DualVector) -> Bool {
      if lhs.isEmpty { return rhs.real == .zero && rhs.epsilon == .zero }
      if rhs.isEmpty { return lhs.real == .zero && lhs.epsilon == .zero }
      return lhs.value == rhs.value && lhs.tangent == rhs.tangent
    }

    /// "value + ε·tangent".
    public var description: String {
      Vector(value).description + " + ε" + Vector(tangent).description
    }

    // MARK: Dual kernels

    /// x ⊙ y in dual arithmetic: (a ⊙ b) + ε(ȧ ⊙ b + a ⊙ ḃ); zero if either is empty.
    @inlinable
    static func product(_ x: DualVector, _ y: DualVector) -> DualVector {
      if x.isEmpty || y.isEmpty { return .zero }
      let (value, tangent) = mapCompactPair(
        x.real.unembedded, x.epsilon.unembedded, y.real.unembedded, y.epsilon.unembedded,
        { a, _, b, _ in a * b }, { a, da, b, db in da * b + a * db })
      return DualVector(real: value, epsilon: tangent)
    }

    /// x ⊘ y in dual arithmetic: (a ⊘ b) + ε(ȧ − (a ⊘ b) ⊙ ḃ) ⊘ b; zero if x is empty.
    @inlinable
    static func quotient(_ x: DualVector, _ y: DualVector) -> DualVector {
      precondition(!y.isEmpty || x.isEmpty, "division by the zero vector")
      if x.isEmpty { return .zero }
      let q = mapCompact(x.real.unembedded, y.real.unembedded) { $0 / $1 }
      return DualVector(
        real: q,
        epsilon: mapCompact(x.epsilon.unembedded, q, y.real.unembedded, y.epsilon.unembedded) {
          da, q, b, db in
          (da - q * db) / b
        })
    }

    /// Applies the same linear map to the value and the tangent (empty stays empty).
    @inlinable @inline(__always)
    func mapParts(_ body: (DVector) -> DVector) -> DualVector {
      if isEmpty { return .zero }
      return DualVector(real: body(real), epsilon: body(epsilon))
    }

    /// Applies the same linear map to the value and the tangent arrays (empty stays empty).
    @inlinable @inline(__always)
    func mapLinear(_ body: ([Double]) -> [Double]) -> DualVector {
      if isEmpty { return .zero }
      return DualVector(value: body(value), tangent: body(tangent))
    }
  }

  extension Vector {
    /// The real part of a dual vector as a Curvature vector.
    @inlinable
    public init(value dual: DualVector) { self.init(dual.value) }
  }
#endif
