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
