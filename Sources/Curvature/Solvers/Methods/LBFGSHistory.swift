/// The memory of L-BFGS: the last m pairs (sᵢ, yᵢ) with ρᵢ = 1/(yᵢᵀsᵢ), kept in a circular buffer of
/// vectors allocated once, and the two-loop recursion that applies the implicit inverse Hessian
/// (Nocedal & Wright, 2nd ed., §7.2, Algorithm 7.4; Liu & Nocedal, 1989).
public struct LBFGSHistory: Sendable {
  /// The capacity m.
  public let capacity: Int
  /// The number of variables n.
  public let dimension: Int
  var s: [Vector]
  var y: [Vector]
  var rho: [Double]
  var alpha: [Double]
  /// The slot of the oldest pair.
  var head = 0
  /// The number of stored pairs (≤ m).
  public private(set) var count = 0
  /// γ = sᵀy/yᵀy of the newest pair, the scaling of H₀ = γI (N&W eq. 7.20); 1 when empty.
  public private(set) var gamma = 1.0

  /// An empty memory for m pairs of n-vectors.
  public init(capacity: Int, dimension: Int) {
    precondition(capacity > 0, "L-BFGS memory must be positive, got \(capacity)")
    self.capacity = capacity
    self.dimension = dimension
    s = (0..<capacity).map { _ in .zeros(dimension) }
    y = (0..<capacity).map { _ in .zeros(dimension) }
    rho = Array(repeating: 0, count: capacity)
    alpha = Array(repeating: 0, count: capacity)
  }

  /// Whether no pair is stored.
  public var isEmpty: Bool { count == 0 }

  /// Forgets every pair (the next direction is steepest descent).
  public mutating func reset() {
    count = 0
    head = 0
    gamma = 1
  }

  /// Stores the pair (s, y) by swapping it into the buffer (the arguments receive the vectors of
  /// the evicted slot, so no memory is allocated), provided yᵀs > threshold·‖s‖‖y‖ and all is
  /// finite. Returns whether the pair was stored.
  @discardableResult
  public mutating func push(s newS: inout Vector, y newY: inout Vector, threshold: Double) -> Bool {
    checkSameCount(newS.count, dimension, "s and history")
    checkSameCount(newY.count, dimension, "y and history")
    let ys = dot(newY, newS)
    let yy = newY.normSquared
    guard ys.isFinite, yy.isFinite, yy > 0, ys > threshold * newS.norm * newY.norm else {
      return false
    }
    let slot = (head + count) % capacity
    if count == capacity {
      head = (head + 1) % capacity
    } else {
      count += 1
    }
    swap(&s[slot], &newS)
    swap(&y[slot], &newY)
    rho[slot] = 1 / ys
    gamma = ys / yy
    return true
  }

  /// r ← H·q by the two-loop recursion, where H is the L-BFGS inverse-Hessian approximation with
  /// H₀ = γI:
  ///
  ///     for i = k−1 … k−m:  αᵢ = ρᵢ sᵢᵀq,  q ← q − αᵢ yᵢ
  ///     r = γ q
  ///     for i = k−m … k−1:  β = ρᵢ yᵢᵀr,  r ← r + (αᵢ − β) sᵢ
  ///
  /// `r` may not alias `q`; pass the same vector as both by copying first (`r.assign(q)` then
  /// ``applyInPlace(_:)``).
  public mutating func apply(to q: Vector, into r: inout Vector) {
    r.assign(q)
    applyInPlace(&r)
  }

  /// r ← H·r in place (see ``apply(to:into:)``).
  public mutating func applyInPlace(_ r: inout Vector) {
    checkSameCount(r.count, dimension, "vector and history")
    var i = count - 1
    while i >= 0 {
      let slot = (head + i) % capacity
      let a = rho[slot] * dot(s[slot], r)
      alpha[slot] = a
      axpy(-a, y[slot], &r)
      i -= 1
    }
    r.scale(by: gamma)
    for j in 0..<count {
      let slot = (head + j) % capacity
      let b = rho[slot] * dot(y[slot], r)
      axpy(alpha[slot] - b, s[slot], &r)
    }
  }
}
