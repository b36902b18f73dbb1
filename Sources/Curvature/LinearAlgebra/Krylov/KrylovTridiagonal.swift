/// Small symmetric tridiagonal kernels for the Lanczos-based solvers: Sturm-sequence counts,
/// eigenvalues by bisection, and LDLᵀ factorization and solves of T + λI.
///
/// T has diagonal a (k entries) and off-diagonal b (k − 1 entries).
enum KrylovTridiagonal {
  /// The number of eigenvalues of T smaller than x: the number of negative pivots of the LDLᵀ
  /// factorization of T − xI (Sylvester's law of inertia). A zero pivot is replaced by a tiny
  /// negative number, as in LAPACK's `dstebz`.
  static func eigenvalueCount(below x: Double, _ a: [Double], _ b: [Double]) -> Int {
    var count = 0
    var d = 1.0
    for i in 0..<a.count {
      let off = i > 0 ? b[i - 1] * b[i - 1] / d : 0
      d = a[i] - x - off
      if d == 0 { d = -Double.ulpOfOne * (Swift.abs(x) + Double.leastNormalMagnitude) }
      if d < 0 { count += 1 }
    }
    return count
  }

  /// Gershgorin bounds lo ≤ λ ≤ hi on every eigenvalue.
  static func gershgorinBounds(_ a: [Double], _ b: [Double]) -> (lo: Double, hi: Double) {
    var lo = Double.infinity
    var hi = -Double.infinity
    for i in 0..<a.count {
      var radius = 0.0
      if i > 0 { radius += Swift.abs(b[i - 1]) }
      if i < b.count { radius += Swift.abs(b[i]) }
      lo = Swift.min(lo, a[i] - radius)
      hi = Swift.max(hi, a[i] + radius)
    }
    return (lo, hi)
  }

  /// The `index`-th smallest eigenvalue (0-based) by bisection on the Sturm count, to about
  /// machine precision relative to ‖T‖.
  static func eigenvalue(_ index: Int, _ a: [Double], _ b: [Double]) -> Double {
    var (lo, hi) = gershgorinBounds(a, b)
    let scale = Swift.max(Swift.abs(lo), Swift.abs(hi), Double.leastNormalMagnitude)
    lo -= 2 * Double.ulpOfOne * scale
    hi += 2 * Double.ulpOfOne * scale
    var iterations = 0
    while hi - lo > 2 * Double.ulpOfOne * scale && iterations < 200 {
      let mid = 0.5 * (lo + hi)
      if eigenvalueCount(below: mid, a, b) > index { hi = mid } else { lo = mid }
      iterations += 1
    }
    return 0.5 * (lo + hi)
  }

  /// All eigenvalues in increasing order (O(k²) bisection steps; meant for small k).
  static func eigenvalues(_ a: [Double], _ b: [Double]) -> [Double] {
    (0..<a.count).map { eigenvalue($0, a, b) }
  }

  /// Factors T + λI = LDLᵀ into `pivots` (D) and `multipliers` (the subdiagonal of L); returns
  /// false as soon as a pivot is not positive (T + λI not positive definite) or not finite.
  static func factor(
    _ a: [Double], _ b: [Double], shift lambda: Double, pivots: inout [Double],
    multipliers: inout [Double]
  ) -> Bool {
    let k = a.count
    pivots.removeAll(keepingCapacity: true)
    multipliers.removeAll(keepingCapacity: true)
    guard k > 0 else { return true }
    var d = a[0] + lambda
    guard d > 0 && d.isFinite else { return false }
    pivots.append(d)
    for i in 1..<k {
      let l = b[i - 1] / d
      d = a[i] + lambda - l * b[i - 1]
      guard d > 0 && d.isFinite else { return false }
      multipliers.append(l)
      pivots.append(d)
    }
    return true
  }

  /// Solves (T + λI)h = −γe₁ with a factorization from ``factor``.
  static func solveFirstColumn(
    gamma: Double, pivots d: [Double], multipliers l: [Double], into h: inout [Double]
  ) {
    let k = d.count
    h.removeAll(keepingCapacity: true)
    guard k > 0 else { return }
    // L u = −γe₁, then D v = u, then Lᵀh = v.
    var u = -gamma
    h.append(u / d[0])
    for i in 1..<k {
      u = -l[i - 1] * u
      h.append(u / d[i])
    }
    if k >= 2 {
      for i in stride(from: k - 2, through: 0, by: -1) { h[i] -= l[i] * h[i + 1] }
    }
  }

  /// hᵀ(T + λI)⁻¹h = ‖D^{-1/2}L⁻¹h‖² with a factorization from ``factor``.
  static func inverseQuadraticForm(_ h: [Double], pivots d: [Double], multipliers l: [Double])
    -> Double
  {
    var z = 0.0
    var sum = 0.0
    for i in 0..<h.count {
      z = i == 0 ? h[0] : h[i] - l[i - 1] * z
      sum += z * z / d[i]
    }
    return sum
  }

  /// γh₀ + ½hᵀTh, the model of the tridiagonal trust-region subproblem.
  static func model(_ h: [Double], gamma: Double, _ a: [Double], _ b: [Double]) -> Double {
    guard !h.isEmpty else { return 0 }
    var quadratic = 0.0
    for i in 0..<h.count {
      var th = a[i] * h[i]
      if i > 0 { th += b[i - 1] * h[i - 1] }
      if i + 1 < h.count { th += b[i] * h[i + 1] }
      quadratic += h[i] * th
    }
    return gamma * h[0] + 0.5 * quadratic
  }
}
