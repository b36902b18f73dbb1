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
  /// Operations that only re-index or rescale (gathers, slices, `scaled(by:)`, `adding(_:)`,
  /// negation, and the pullbacks of gathers, sums and norms) return views that share the
  /// operand's buffer (O(1), no copy); value semantics are unchanged, and ``storage`` writes
  /// the elements out when a view is read as an array.
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
    /// The buffer the elements are read from (see ``layout``).
    @usableFromInline var buffer: [Double]
    /// How the logical elements are read from ``buffer``; dense for vectors built from arrays.
    @usableFromInline var layout: DVectorLayout
    /// When set, ``buffer`` is empty and ``layout`` reads the elements of the lazy sum
    /// S = T₁ + T₂ instead (see ``LazySum``): the cotangent sums of reverse-mode accumulation
    /// are added where they are read. Kernels read such a vector only through
    /// ``withSumReader(_:_:)``, ``lazyRead()`` or ``resolved``; ``withReader(_:_:)`` refuses it.
    @usableFromInline var lazySum: LazySum? = nil

    /// `DVector` is its own tangent space.
    public typealias TangentVector = DVector

    /// Creates a vector from its elements.
    @inlinable
    public init(_ storage: [Double]) {
      buffer = storage
      layout = DVectorLayout(dense: storage.count)
    }

    /// Creates a vector that reads its elements from `buffer` through `layout`.
    @inlinable
    init(buffer: [Double], layout: DVectorLayout) {
      self.buffer = buffer
      self.layout = layout
    }

    /// Creates a constant vector from its elements (the same as ``init(_:)-([Double])``).
    @inlinable
    public init(constant values: [Double]) { self.init(values) }

    /// Creates a vector from a Curvature `Vector` (shares its buffer, no copy).
    @inlinable
    public init(_ vector: Vector) { self.init(vector.storage) }

    /// Creates a vector of `count` copies of `value` (one stored element, read `count` times).
    @inlinable
    public init(repeating value: Double, count: Int) {
      precondition(count >= 0, "DVector count must be non-negative, got \(count)")
      if count == 0 {
        self.init([Double]())
        return
      }
      var form = DVectorLayout(dense: count)
      form.stride = 0
      self.init(buffer: [value], layout: form)
    }

    /// Creates a vector from an array literal.
    @inlinable
    public init(arrayLiteral elements: Double...) { self.init(elements) }

    /// The elements as an array; empty for the zero vector of unspecified length.
    ///
    /// Reading it from a vector produced by a re-indexing or rescaling operation (a gather,
    /// a slice, `scaled(by:)`, a pullback) writes the elements out once; mutating it turns the
    /// vector into a plain dense one. Hoist it out of element loops.
    @inlinable
    public var storage: [Double] {
      get { isDense ? buffer : materializedElements() }
      set {
        buffer = newValue
        layout = DVectorLayout(dense: newValue.count)
        lazySum = nil
      }
      _modify {
        if !isDense { buffer = materializedElements() }
        lazySum = nil
        layout = DVectorLayout(dense: buffer.count)
        yield &buffer
        layout = DVectorLayout(dense: buffer.count)
      }
    }

    /// Whether ``buffer`` holds exactly the logical elements.
    @inlinable
    var isDense: Bool {
      lazySum == nil && layout.offset == 0 && layout.isContiguous && !layout.isEmbedded
        && layout.count == buffer.count
    }

    /// The logical elements written out into a fresh array.
    @usableFromInline
    func materializedElements() -> [Double] {
      if lazySum != nil { return materializedLazyElements() }
      let form = layout
      let length = form.length
      return [Double](unsafeUninitializedCapacity: length) { out, written in
        guard let d = out.baseAddress else {
          written = length
          return
        }
        if form.isEmbedded { d.initialize(repeating: 0, count: length) }
        buffer.withUnsafeBufferPointer { pb in
          guard form.count > 0, let b = pb.baseAddress else { return }
          let s = b + form.offset
          let t = d + form.start
          for k in 0..<form.count {
            (t + form.spacing * k).initialize(to: form.scale * (s[form.stride * k] + form.shift))
          }
        }
        written = length
      }
    }

    /// The elements as a Curvature `Vector` (shares the buffer when dense, no copy).
    @inlinable
    public var vector: Vector { Vector(storage) }

    /// The number of elements (0 for the zero vector of unspecified length).
    @inlinable
    public var count: Int { layout.length }

    /// Whether this is the length-less zero vector (empty storage).
    @inlinable
    public var isEmpty: Bool { layout.length == 0 }

    /// The zero vector of unspecified length (empty storage).
    @inlinable
    public static var zero: DVector { DVector([Double]()) }

    /// Materializes an empty (zero) vector as `count` zeros; returns other vectors unchanged.
    @inlinable
    public func materialized(count n: Int) -> DVector {
      isEmpty ? DVector([Double](repeating: 0, count: n)) : self
    }

    /// Moves along a tangent: x ← x + offset (an empty offset is zero).
    @inlinable
    public mutating func move(by offset: DVector) {
      if offset.isEmpty { return }
      if isEmpty {
        self = offset
        return
      }
      precondition(
        count == offset.count,
        "dimension mismatch: vector sizes \(count) and \(offset.count)")
      self = self + offset
    }

    /// Equality of elements, where an empty vector equals a vector of zeros of any length.
    public static func == (lhs: DVector, rhs: DVector) -> Bool {
      if lhs.isEmpty { return rhs.storage.allSatisfy { $0 == 0 } }
      if rhs.isEmpty { return lhs.storage.allSatisfy { $0 == 0 } }
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
