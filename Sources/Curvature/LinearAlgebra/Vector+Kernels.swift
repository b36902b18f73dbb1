import RealModule

// Level-1 kernels. Reductions use four independent accumulators so that the floating-point
// dependency chain does not cap throughput; streaming kernels are single plain loops that the
// optimizer vectorizes once bounds checks are gone.

/// The inner product xᵀy = Σ xᵢ yᵢ, summed with four accumulators.
@inlinable
public func dot(_ x: Vector, _ y: Vector) -> Double {
  checkSameCount(x.count, y.count)
  return x.withUnsafeBufferPointer { px in
    y.withUnsafeBufferPointer { py in dotKernel(px, py) }
  }
}

/// The inner product of two buffers of equal length, with four accumulators.
@inlinable @inline(__always)
public func dotKernel(_ px: UnsafeBufferPointer<Double>, _ py: UnsafeBufferPointer<Double>)
  -> Double
{
  let n = px.count
  guard n > 0, let a = px.baseAddress, let b = py.baseAddress else { return 0 }
  var sum = DotAccumulator()
  var i = 0
  while i + 8 <= n {
    sum.addBlock(a, b, i)
    i += 8
  }
  sum.addTail(a, b, from: i, to: n)
  return sum.total
}

/// The four accumulators of ``dotKernel(_:_:)`` and the order in which it sums: over each block
/// of eight, lane k adds aᵢ₊ₖbᵢ₊ₖ + aᵢ₊₄₊ₖbᵢ₊₄₊ₖ; the tail goes into lane 0; the total is
/// (s₀ + s₁) + (s₂ + s₃). Fused kernels that return an inner product beside other work sum it
/// with this, so that it is bit-for-bit the product `dotKernel` gives.
@usableFromInline
struct DotAccumulator {
  @usableFromInline var s0 = 0.0
  @usableFromInline var s1 = 0.0
  @usableFromInline var s2 = 0.0
  @usableFromInline var s3 = 0.0

  @inlinable @inline(__always)
  init() {}

  /// Adds the block of eight elements from index i.
  @inlinable @inline(__always)
  mutating func addBlock(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ i: Int) {
    s0 += a[i] * b[i] + a[i + 4] * b[i + 4]
    s1 += a[i + 1] * b[i + 1] + a[i + 5] * b[i + 5]
    s2 += a[i + 2] * b[i + 2] + a[i + 6] * b[i + 6]
    s3 += a[i + 3] * b[i + 3] + a[i + 7] * b[i + 7]
  }

  /// Adds the elements start ..< end one by one into lane 0 (the tail after the blocks).
  @inlinable @inline(__always)
  mutating func addTail(
    _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, from start: Int, to end: Int
  ) {
    var j = start
    while j < end {
      s0 += a[j] * b[j]
      j += 1
    }
  }

  /// (s₀ + s₁) + (s₂ + s₃).
  @inlinable @inline(__always)
  var total: Double { (s0 + s1) + (s2 + s3) }
}

/// y ← a·x + y (BLAS `daxpy`).
@inlinable
public func axpy(_ a: Double, _ x: Vector, _ y: inout Vector) {
  checkSameCount(x.count, y.count)
  x.withUnsafeBufferPointer { px in
    y.withUnsafeMutableBufferPointer { py in
      guard let s = px.baseAddress, let d = py.baseAddress else { return }
      for i in 0..<px.count { d[i] += a * s[i] }
    }
  }
}

/// z ← x + a·y, written into an existing vector without allocating.
@inlinable
public func addScaled(_ x: Vector, _ a: Double, _ y: Vector, into z: inout Vector) {
  checkSameCount(x.count, y.count)
  checkSameCount(x.count, z.count)
  x.withUnsafeBufferPointer { px in
    y.withUnsafeBufferPointer { py in
      z.withUnsafeMutableBufferPointer { pz in
        guard let u = px.baseAddress, let v = py.baseAddress, let w = pz.baseAddress else {
          return
        }
        for i in 0..<px.count { w[i] = u[i] + a * v[i] }
      }
    }
  }
}

extension Vector {
  /// x ← a·x.
  @inlinable
  public mutating func scale(by a: Double) {
    withUnsafeMutableBufferPointer { p in
      guard let d = p.baseAddress else { return }
      for i in 0..<p.count { d[i] *= a }
    }
  }

  /// Returns a·x.
  @inlinable
  public func scaled(by a: Double) -> Vector {
    var r = self
    r.scale(by: a)
    return r
  }

  /// Sets every element to `value`.
  @inlinable
  public mutating func fill(_ value: Double) {
    withUnsafeMutableBufferPointer { p in
      guard let d = p.baseAddress else { return }
      for i in 0..<p.count { d[i] = value }
    }
  }

  /// Copies `other` into this vector without reallocating when the sizes already agree.
  @inlinable
  public mutating func assign(_ other: Vector) {
    if count != other.count {
      self = other
      return
    }
    other.withUnsafeBufferPointer { s in
      withUnsafeMutableBufferPointer { d in
        guard let a = s.baseAddress, let b = d.baseAddress else { return }
        b.update(from: a, count: s.count)
      }
    }
  }

  /// The Euclidean norm ‖x‖₂, computed with scaling so that it neither overflows nor underflows.
  @inlinable
  public var norm: Double {
    withUnsafeBufferPointer { p in
      let n = p.count
      guard n > 0, let a = p.baseAddress else { return 0 }
      // Fast path: plain sum of squares, safe when it stays in the normal range.
      var s0 = 0.0
      var s1 = 0.0
      var i = 0
      while i + 2 <= n {
        s0 += a[i] * a[i]
        s1 += a[i + 1] * a[i + 1]
        i += 2
      }
      if i < n { s0 += a[i] * a[i] }
      let s = s0 + s1
      if s.isFinite && s > 1e-280 { return s.squareRoot() }
      // Slow path (overflow, underflow or non-finite): scale by the largest magnitude.
      var m = 0.0
      for j in 0..<n {
        let v = Swift.abs(a[j])
        if v.isNaN { return .nan }
        if v > m { m = v }
      }
      if m == 0 { return 0 }
      if m.isInfinite { return .infinity }
      var t = 0.0
      for j in 0..<n {
        let v = a[j] / m
        t += v * v
      }
      return m * t.squareRoot()
    }
  }

  /// The squared Euclidean norm xᵀx.
  @inlinable
  public var normSquared: Double { withUnsafeBufferPointer { dotKernel($0, $0) } }

  /// The 1-norm Σ|xᵢ|.
  @inlinable
  public var norm1: Double {
    withUnsafeBufferPointer { p in
      var s = 0.0
      for v in p { s += Swift.abs(v) }
      return s
    }
  }

  /// The infinity norm maxᵢ|xᵢ| (NaN if any element is NaN).
  @inlinable
  public var normInfinity: Double {
    withUnsafeBufferPointer { p in
      var m = 0.0
      for v in p {
        if v.isNaN { return .nan }
        let a = Swift.abs(v)
        if a > m { m = a }
      }
      return m
    }
  }

  /// Σ xᵢ.
  @inlinable
  public var sum: Double {
    withUnsafeBufferPointer { p in
      var s = 0.0
      for v in p { s += v }
      return s
    }
  }

  /// Applies `body` to every element, in place.
  @inlinable @inline(__always)
  public mutating func transform(_ body: (Double) -> Double) {
    withUnsafeMutableBufferPointer { p in
      guard let d = p.baseAddress else { return }
      for i in 0..<p.count { d[i] = body(d[i]) }
    }
  }

  /// Returns the vector whose elements are `body(xᵢ)`.
  @inlinable @inline(__always)
  public func map(_ body: (Double) -> Double) -> Vector {
    var r = self
    r.transform(body)
    return r
  }

  /// Combines two vectors elementwise with `body`.
  @inlinable @inline(__always)
  public func zip(_ other: Vector, _ body: (Double, Double) -> Double) -> Vector {
    checkSameCount(count, other.count)
    var r = self
    other.withUnsafeBufferPointer { po in
      r.withUnsafeMutableBufferPointer { pr in
        guard let a = pr.baseAddress, let b = po.baseAddress else { return }
        for i in 0..<po.count { a[i] = body(a[i], b[i]) }
      }
    }
    return r
  }
}

extension Vector {
  /// Elementwise sum.
  @inlinable
  public static func + (x: Vector, y: Vector) -> Vector { x.zip(y, +) }
  /// Elementwise difference.
  @inlinable
  public static func - (x: Vector, y: Vector) -> Vector { x.zip(y, -) }
  /// Elementwise (Hadamard) product.
  @inlinable
  public static func .* (x: Vector, y: Vector) -> Vector { x.zip(y, *) }
  /// Elementwise quotient.
  @inlinable
  public static func ./ (x: Vector, y: Vector) -> Vector { x.zip(y, /) }
  /// Negation.
  @inlinable
  public static prefix func - (x: Vector) -> Vector { x.map { -$0 } }
  /// Scaling by a number.
  @inlinable
  public static func * (a: Double, x: Vector) -> Vector { x.scaled(by: a) }
  /// Scaling by a number.
  @inlinable
  public static func * (x: Vector, a: Double) -> Vector { x.scaled(by: a) }
  /// Division by a number.
  @inlinable
  public static func / (x: Vector, a: Double) -> Vector { x.scaled(by: 1 / a) }
  /// In-place sum.
  @inlinable
  public static func += (x: inout Vector, y: Vector) { axpy(1, y, &x) }
  /// In-place difference.
  @inlinable
  public static func -= (x: inout Vector, y: Vector) { axpy(-1, y, &x) }
  /// In-place scaling.
  @inlinable
  public static func *= (x: inout Vector, a: Double) { x.scale(by: a) }
}

infix operator .* : MultiplicationPrecedence
infix operator ./ : MultiplicationPrecedence
