#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  /// A dense vector of `Double` that Swift's reverse-mode automatic differentiation can
  /// differentiate through at vector level.
  ///
  /// Every operation (``sum()``, ``dot(_:)``, elementwise arithmetic, ``exp()``, gathers, …)
  /// registers its own vectorized pullback with `@derivative(of:)`, so a gradient costs a small
  /// constant number of vector passes, as in reverse-mode accumulation over elementary vector
  /// operations (Griewank & Walther, *Evaluating Derivatives*, 2nd ed., SIAM 2008, chapter 3).
  /// Differentiating loops over array subscripts instead costs O(n²), because the subscript's
  /// pullback allocates a full-length zero array per element read.
  ///
  /// `DVector` is its own tangent (and cotangent) type. Because `AdditiveArithmetic.zero` cannot
  /// know a length, **an empty storage stands for the zero vector of any length**: every
  /// operation and every pullback accepts an empty operand and treats it as zeros.
  ///
  /// ```swift
  /// let (value, pullback) = valueWithPullback(at: DVector([1, 2, 3])) { x in
  ///   x.squared().sum()
  /// }
  /// let g = pullback(1)  // [2, 4, 6]
  /// ```
  public struct DVector: Differentiable, AdditiveArithmetic, Sendable, CustomStringConvertible,
    ExpressibleByArrayLiteral
  {
    /// The elements; empty for the zero vector of unspecified length.
    public var storage: [Double]

    /// `DVector` is its own tangent space.
    public typealias TangentVector = DVector

    /// Creates a vector from its elements.
    @inlinable
    public init(_ storage: [Double]) { self.storage = storage }

    /// Creates a constant vector from its elements (the same as ``init(_:)-([Double])``).
    @inlinable
    public init(constant values: [Double]) { self.storage = values }

    /// Creates a vector from a Curvature `Vector` (shares its buffer, no copy).
    @inlinable
    public init(_ vector: Vector) { self.storage = vector.storage }

    /// Creates a vector of `count` copies of `value`.
    @inlinable
    public init(repeating value: Double, count: Int) {
      precondition(count >= 0, "DVector count must be non-negative, got \(count)")
      storage = [Double](repeating: value, count: count)
    }

    /// Creates a vector from an array literal.
    @inlinable
    public init(arrayLiteral elements: Double...) { storage = elements }

    /// The elements as a Curvature `Vector` (shares the buffer, no copy).
    @inlinable
    public var vector: Vector { Vector(storage) }

    /// The number of stored elements (0 for the zero vector of unspecified length).
    @inlinable
    public var count: Int { storage.count }

    /// Whether this is the length-less zero vector (empty storage).
    @inlinable
    public var isEmpty: Bool { storage.isEmpty }

    /// The zero vector of unspecified length (empty storage).
    @inlinable
    public static var zero: DVector { DVector([Double]()) }

    /// Materializes an empty (zero) vector as `count` zeros; returns other vectors unchanged.
    @inlinable
    public func materialized(count n: Int) -> DVector {
      storage.isEmpty ? DVector(repeating: 0, count: n) : self
    }

    /// Moves along a tangent: x ← x + offset (an empty offset is zero).
    @inlinable
    public mutating func move(by offset: DVector) {
      if offset.storage.isEmpty { return }
      if storage.isEmpty {
        storage = offset.storage
        return
      }
      precondition(
        storage.count == offset.storage.count,
        "dimension mismatch: vector sizes \(storage.count) and \(offset.storage.count)")
      storage.withUnsafeMutableBufferPointer { p in
        offset.storage.withUnsafeBufferPointer { q in
          guard let d = p.baseAddress, let s = q.baseAddress else { return }
          for i in 0..<p.count { d[i] += s[i] }
        }
      }
    }

    /// Equality of elements, where an empty vector equals a vector of zeros of any length.
    public static func == (lhs: DVector, rhs: DVector) -> Bool {
      if lhs.storage.isEmpty { return rhs.storage.allSatisfy { $0 == 0 } }
      if rhs.storage.isEmpty { return lhs.storage.allSatisfy { $0 == 0 } }
      return lhs.storage == rhs.storage
    }

    /// The elements, formatted like a Curvature `Vector`.
    public var description: String { Vector(storage).description }
  }

  extension Vector {
    /// Creates a Curvature vector from a differentiable vector (shares the buffer, no copy).
    @inlinable
    public init(_ vector: DVector) { self.init(vector.storage) }
  }
#endif
