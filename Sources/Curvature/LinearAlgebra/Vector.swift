/// A dense vector of `Double` values with value semantics.
///
/// `Vector` wraps a contiguous buffer that is shared between copies until one of them is mutated
/// (copy-on-write, inherited from `Array`). Every level-1 kernel in this module (``dot(_:_:)``,
/// ``axpy(_:_:_:)``, norms, elementwise arithmetic) works on unsafe buffer pointers so that release
/// builds vectorize and run without bounds checks.
///
/// Dimension mismatches are programming errors and stop with a precondition that names both sizes.
public struct Vector: Sendable, Hashable, RandomAccessCollection, MutableCollection,
  ExpressibleByArrayLiteral, CustomStringConvertible
{
  /// The stored elements.
  public var storage: [Double]

  /// Creates a vector from an array of elements.
  @inlinable
  public init(_ elements: [Double]) { storage = elements }

  /// Creates a vector from any sequence of elements.
  @inlinable
  public init<S: Sequence>(_ elements: S) where S.Element == Double { storage = Array(elements) }

  /// Creates a vector of `count` copies of `value` (zeros by default).
  @inlinable
  public init(repeating value: Double = 0, count: Int) {
    precondition(count >= 0, "Vector count must be non-negative, got \(count)")
    storage = Array(repeating: value, count: count)
  }

  /// Creates a vector of length `count` whose element `i` is `body(i)`.
  @inlinable
  public init(count: Int, _ body: (Int) throws -> Double) rethrows {
    precondition(count >= 0, "Vector count must be non-negative, got \(count)")
    storage = try (0..<count).map(body)
  }

  /// Creates a vector from an array literal.
  @inlinable
  public init(arrayLiteral elements: Double...) { storage = elements }

  /// A vector of `count` zeros.
  @inlinable
  public static func zeros(_ count: Int) -> Vector { Vector(repeating: 0, count: count) }

  /// The `i`-th unit vector of length `count`.
  @inlinable
  public static func basis(_ i: Int, count: Int) -> Vector {
    precondition(i >= 0 && i < count, "basis index \(i) out of range 0..<\(count)")
    var e = Vector.zeros(count)
    e.storage[i] = 1
    return e
  }

  @inlinable public var startIndex: Int { 0 }
  @inlinable public var endIndex: Int { storage.count }
  @inlinable public var count: Int { storage.count }

  @inlinable
  public subscript(i: Int) -> Double {
    get { storage[i] }
    set { storage[i] = newValue }
  }

  /// Whether every element is finite (neither NaN nor infinite).
  @inlinable
  public var isFinite: Bool {
    storage.withUnsafeBufferPointer { p in
      var ok = true
      for v in p where !v.isFinite { ok = false }
      return ok
    }
  }

  /// Calls `body` with a read-only pointer to the elements.
  @inlinable @inline(__always)
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R)
    rethrows -> R
  {
    try storage.withUnsafeBufferPointer(body)
  }

  /// Calls `body` with a mutable pointer to the elements.
  @inlinable @inline(__always)
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R
  ) rethrows -> R {
    try storage.withUnsafeMutableBufferPointer(body)
  }

  public var description: String {
    "[" + storage.map { formatNumber($0) }.joined(separator: ", ") + "]"
  }
}

/// Stops with a message naming both sizes when two dimensions differ.
@inlinable @inline(__always)
func checkSameCount(_ a: Int, _ b: Int, _ what: StaticString = "vector") {
  precondition(a == b, "dimension mismatch: \(what) sizes \(a) and \(b)")
}
