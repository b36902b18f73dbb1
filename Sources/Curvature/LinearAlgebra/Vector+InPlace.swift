// In-place level-1 kernels for solvers that keep their vectors for a whole solve: each writes
// into existing storage (no allocation once the destination has the right length) and gives
// bit-for-bit the numbers of the allocating expression it replaces.

extension Vector {
  /// self ← a·x, written into this vector's storage: the same numbers as `x.scaled(by: a)`
  /// (`-x` for a = −1) without allocating when the lengths agree (resized otherwise). The old
  /// contents are never read, so a reused buffer holding NaN or ∞ is harmless.
  @inlinable
  public mutating func assign(_ x: Vector, scaledBy a: Double) {
    if count != x.count { self = Vector(repeating: 0, count: x.count) }
    x.withUnsafeBufferPointer { px in
      withUnsafeMutableBufferPointer { py in
        guard let s = px.baseAddress, let d = py.baseAddress else { return }
        for i in 0..<px.count { d[i] = s[i] * a }
      }
    }
  }
}

/// (xᵀy, ‖y‖₂) in one pass over x and y, bit-for-bit equal to `(dot(x, y), y.norm)`: the inner
/// product is summed exactly as ``dotKernel(_:_:)`` sums it and the sum of squares exactly as the
/// fast path of ``Vector/norm`` does; when that sum leaves the range of the fast path (overflow,
/// underflow, non-finite elements) the norm is recomputed by ``Vector/norm`` itself.
@inlinable
public func dotAndNorm(_ x: Vector, _ y: Vector) -> (dot: Double, norm: Double) {
  checkSameCount(x.count, y.count)
  let (d, squares) = x.withUnsafeBufferPointer { px in
    y.withUnsafeBufferPointer { py -> (Double, Double) in
      let n = px.count
      guard n > 0, let a = px.baseAddress, let b = py.baseAddress else { return (0, 0) }
      var dotSum = DotAccumulator()
      // The norm's fast path: even and odd indices, in increasing order.
      var e0 = 0.0
      var e1 = 0.0
      var i = 0
      while i + 8 <= n {
        dotSum.addBlock(a, b, i)
        e0 += b[i] * b[i]
        e1 += b[i + 1] * b[i + 1]
        e0 += b[i + 2] * b[i + 2]
        e1 += b[i + 3] * b[i + 3]
        e0 += b[i + 4] * b[i + 4]
        e1 += b[i + 5] * b[i + 5]
        e0 += b[i + 6] * b[i + 6]
        e1 += b[i + 7] * b[i + 7]
        i += 8
      }
      dotSum.addTail(a, b, from: i, to: n)
      while i + 2 <= n {
        e0 += b[i] * b[i]
        e1 += b[i + 1] * b[i + 1]
        i += 2
      }
      if i < n { e0 += b[i] * b[i] }
      return (dotSum.total, e0 + e1)
    }
  }
  if squares.isFinite && squares > 1e-280 { return (d, squares.squareRoot()) }
  return (d, y.norm)
}

/// z ← x + a·y, returning ‖y‖₂ from the same pass: bit-for-bit `addScaled(x, a, y, into: &z)`
/// followed by `y.norm` (the sum of squares is accumulated as the fast path of ``Vector/norm``
/// does, and ``Vector/norm`` itself runs when the sum leaves that path's range). z must not be y.
@inlinable
public func addScaledReturningNorm(_ x: Vector, _ a: Double, _ y: Vector, into z: inout Vector)
  -> Double
{
  addScaledWithNorm(x, a, y, into: &z, normOfBase: false)
}

/// z ← x + a·y in one pass, returning ‖x‖₂ when `normOfBase`, else ‖y‖₂, bit-for-bit the
/// separate ``Vector/norm`` of that operand (its fast-path sum of two partial sums of squares;
/// ``Vector/norm`` itself runs when the sum leaves that path's range). z must be a different
/// buffer from the operand whose norm is taken.
@inlinable @inline(__always)
func addScaledWithNorm(
  _ x: Vector, _ a: Double, _ y: Vector, into z: inout Vector, normOfBase: Bool
) -> Double {
  checkSameCount(x.count, y.count)
  checkSameCount(x.count, z.count)
  let squares = x.withUnsafeBufferPointer { px in
    y.withUnsafeBufferPointer { py in
      z.withUnsafeMutableBufferPointer { pz -> Double in
        let n = px.count
        guard n > 0, let u = px.baseAddress, let v = py.baseAddress, let w = pz.baseAddress else {
          return 0
        }
        let q = normOfBase ? u : v
        var e0 = 0.0
        var e1 = 0.0
        var i = 0
        while i + 2 <= n {
          let q0 = q[i]
          let q1 = q[i + 1]
          w[i] = u[i] + a * v[i]
          w[i + 1] = u[i + 1] + a * v[i + 1]
          e0 += q0 * q0
          e1 += q1 * q1
          i += 2
        }
        if i < n {
          let q0 = q[i]
          w[i] = u[i] + a * v[i]
          e0 += q0 * q0
        }
        return e0 + e1
      }
    }
  }
  if squares.isFinite && squares > 1e-280 { return squares.squareRoot() }
  return normOfBase ? x.norm : y.norm
}

/// maxᵢ|xᵢ|, bit-for-bit ``Vector/normInfinity`` (NaN when an element is NaN), in a loop with four
/// independent maxima and no early exit, several times faster than the element-by-element scan.
/// (The maximum is exact, so the order in which it is taken does not matter.)
@inlinable
public func maximumMagnitude(_ x: Vector) -> Double {
  x.withUnsafeBufferPointer { px in
    guard let p = px.baseAddress else { return 0 }
    return maximumMagnitude(p, count: px.count)
  }
}

/// maxᵢ|pᵢ| over `count` elements from `p` (0 when `count` is 0, NaN when an element is NaN): the
/// kernel of ``maximumMagnitude(_:)``, also run on blocks already in cache by the blocked passes.
@inlinable
func maximumMagnitude(_ p: UnsafePointer<Double>, count n: Int) -> Double {
  guard n > 0 else { return 0 }
  var m0 = 0.0
  var m1 = 0.0
  var m2 = 0.0
  var m3 = 0.0
  var nan: UInt8 = 0
  var i = 0
  while i + 4 <= n {
    let a0 = Swift.abs(p[i])
    let a1 = Swift.abs(p[i + 1])
    let a2 = Swift.abs(p[i + 2])
    let a3 = Swift.abs(p[i + 3])
    m0 = a0 > m0 ? a0 : m0
    m1 = a1 > m1 ? a1 : m1
    m2 = a2 > m2 ? a2 : m2
    m3 = a3 > m3 ? a3 : m3
    // a <= ∞ fails only for NaN.
    nan |=
      (a0 <= .infinity ? 0 : 1) | (a1 <= .infinity ? 0 : 1) | (a2 <= .infinity ? 0 : 1)
      | (a3 <= .infinity ? 0 : 1)
    i += 4
  }
  while i < n {
    let a = Swift.abs(p[i])
    m0 = a > m0 ? a : m0
    nan |= a <= .infinity ? 0 : 1
    i += 1
  }
  if nan != 0 { return .nan }
  return Swift.max(Swift.max(m0, m1), Swift.max(m2, m3))
}
