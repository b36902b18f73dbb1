/// The limited-memory BFGS matrix in compact form (Byrd, Nocedal & Schnabel 1994, Theorem 2.3;
/// Byrd, Lu, Nocedal & Zhu 1995, §3):
///
///     B = θI − W·M·Wᵀ,   W = [Y  θS]  (n × 2k),
///     M = [ −D   Lᵀ  ]⁻¹
///         [  L  θSᵀS ]
///
/// where S = [s₀ … s_{k−1}], Y = [y₀ … y_{k−1}] hold the k ≤ m most recent pairs
/// sᵢ = xᵢ₊₁ − xᵢ, yᵢ = ∇fᵢ₊₁ − ∇fᵢ, D = diag(sᵢᵀyᵢ), L is the strictly lower triangle of SᵀY
/// (Lᵢⱼ = sᵢᵀyⱼ for i > j), and θ = yᵀy / sᵀy for the newest pair. With no pairs, B = θI.
struct CompactLBFGSMatrix {
  /// The memory m.
  let memory: Int
  private(set) var s: [Vector] = []
  private(set) var y: [Vector] = []
  /// θ, the scaling of the initial matrix.
  private(set) var theta = 1.0
  /// sᵢᵀyⱼ.
  private var sty: [[Double]] = []
  /// sᵢᵀsⱼ.
  private var sts: [[Double]] = []
  /// M (2k × 2k).
  private(set) var middle = SmallMatrix(size: 0)

  init(memory: Int) {
    self.memory = memory
  }

  /// The number of stored pairs k.
  var count: Int { s.count }
  /// The width 2k of W.
  var width: Int { 2 * s.count }

  /// Forgets every pair (B = I).
  mutating func reset() {
    s = []
    y = []
    sty = []
    sts = []
    theta = 1
    middle = SmallMatrix(size: 0)
  }

  /// Adds the pair (s, y) unless sᵀy ≤ ε·yᵀy (the curvature condition fails numerically; the
  /// pair is skipped as in L-BFGS-B). Returns whether the pair was stored. When M cannot be formed
  /// the memory is reset and the result is false.
  mutating func update(s newS: Vector, y newY: Vector) -> Bool {
    let sy = dot(newS, newY)
    let yy = dot(newY, newY)
    guard sy.isFinite && yy.isFinite && sy > Double.ulpOfOne * yy && sy > 0 else { return false }
    if memory <= 0 { return false }
    if s.count == memory {
      s.removeFirst()
      y.removeFirst()
      sty.removeFirst()
      sts.removeFirst()
      for i in 0..<sty.count {
        sty[i].removeFirst()
        sts[i].removeFirst()
      }
    }
    s.append(newS)
    y.append(newY)
    let k = s.count
    for i in 0..<(k - 1) {
      sty[i].append(dot(s[i], newY))
      sts[i].append(dot(s[i], newS))
    }
    var styRow = [Double]()
    var stsRow = [Double]()
    for j in 0..<k {
      styRow.append(dot(newS, y[j]))
      stsRow.append(j == k - 1 ? dot(newS, newS) : sts[j][k - 1])
    }
    sty.append(styRow)
    sts.append(stsRow)
    theta = yy / sy
    guard rebuildMiddle() else {
      reset()
      return false
    }
    return true
  }

  /// Forms M⁻¹ = [[−D, Lᵀ], [L, θSᵀS]] and inverts it.
  private mutating func rebuildMiddle() -> Bool {
    let k = count
    var inverse = SmallMatrix(size: 2 * k)
    for i in 0..<k {
      inverse[i, i] = -sty[i][i]
      for j in 0..<k {
        if i > j {
          inverse[k + i, j] = sty[i][j]
          inverse[j, k + i] = sty[i][j]
        }
        inverse[k + i, k + j] = theta * sts[i][j]
      }
    }
    guard let m = inverse.inverse() else { return false }
    for e in m.entries where !e.isFinite { return false }
    middle = m
    return true
  }

  /// Row i of W: (y₀[i], …, y_{k−1}[i], θs₀[i], …, θs_{k−1}[i]).
  func wRow(_ i: Int, into row: inout [Double]) {
    let k = count
    if row.count != 2 * k { row = Array(repeating: 0, count: 2 * k) }
    for j in 0..<k {
      row[j] = y[j][i]
      row[k + j] = theta * s[j][i]
    }
  }

  /// Wᵀv.
  func wTranspose(_ v: Vector) -> [Double] {
    let k = count
    var r = Array(repeating: 0.0, count: 2 * k)
    for j in 0..<k {
      r[j] = dot(y[j], v)
      r[k + j] = theta * dot(s[j], v)
    }
    return r
  }

  /// z ← z + a·W·c for a 2k-vector c.
  func addW(_ a: Double, _ c: [Double], to z: inout Vector) {
    let k = count
    for j in 0..<k {
      if c[j] != 0 { axpy(a * c[j], y[j], &z) }
      if c[k + j] != 0 { axpy(a * theta * c[k + j], s[j], &z) }
    }
  }

  /// M·v.
  func multiplyMiddle(_ v: [Double]) -> [Double] { middle.multiply(v) }

  /// B·v = θv − W·M·Wᵀv.
  func apply(_ v: Vector) -> Vector {
    var r = v.scaled(by: theta)
    if count > 0 { addW(-1, multiplyMiddle(wTranspose(v)), to: &r) }
    return r
  }
}
