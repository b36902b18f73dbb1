/// The generalized Cauchy point of L-BFGS-B and the variables it leaves free.
struct GeneralizedCauchyPoint {
  /// x^c, the first local minimizer of the model along the projected steepest-descent path.
  var point: Vector
  /// c = Wᵀ(x^c − x), kept for the subspace minimization.
  var c: [Double]
  /// Whether each variable is free at x^c (not fixed at a bound by the path).
  var free: [Bool]
}

extension LBFGSB {
  /// The generalized Cauchy point (Byrd, Lu, Nocedal & Zhu 1995, §4, Algorithm CP).
  ///
  /// The model m(z) = gᵀ(z − x) + ½(z − x)ᵀB(z − x) is minimized along the piecewise linear path
  /// x(t) = P(x − t·g). Variable i leaves the path at its breakpoint
  ///
  ///     tᵢ = (xᵢ − uᵢ)/gᵢ  if gᵢ < 0,   (xᵢ − lᵢ)/gᵢ  if gᵢ > 0,   ∞ otherwise,
  ///
  /// and on each segment [tⱼ₋₁, tⱼ] the model is the quadratic f′·Δt + ½f″·Δt² in Δt = t − tⱼ₋₁,
  /// with direction d (dᵢ = −gᵢ for the variables still moving), f′ = gᵀd + dᵀB(z − x) and
  /// f″ = dᵀBd. With B = θI − WMWᵀ and p = Wᵀd, c = Wᵀ(z − x), crossing breakpoint b (variable b
  /// reaches its bound, z_b − x_b = ζ_b) updates in O(m²) (the paper's eqs. 4.9–4.10):
  ///
  ///     f′ ← f′ + Δt·f″ + g_b² + θ·g_b·ζ_b − g_b·w_bᵀMc,
  ///     f″ ← f″ − θ·g_b² − 2g_b·w_bᵀMp − g_b²·w_bᵀMw_b,   p ← p + g_b·w_b,
  ///
  /// w_b being row b of W. The search stops on the first segment whose minimizer Δt* = −f′/f″
  /// lies inside it. Breakpoints are sorted once (O(n log n)) rather than kept in a heap.
  static func cauchyPoint(
    x: Vector, gradient g: Vector, bounds: Bounds, model: CompactLBFGSMatrix
  ) -> GeneralizedCauchyPoint {
    let n = x.count
    let l = bounds.lower
    let u = bounds.upper
    let theta = model.theta
    let width = model.width
    var point = x
    var d = Vector.zeros(n)
    var free = Array(repeating: true, count: n)
    var breaks: [(t: Double, index: Int)] = []
    for i in 0..<n {
      let gi = g[i]
      var t = Double.infinity
      if gi < 0 && u[i] < .infinity {
        t = (x[i] - u[i]) / gi
      } else if gi > 0 && l[i] > -.infinity {
        t = (x[i] - l[i]) / gi
      }
      if t <= 0 {
        free[i] = false
      } else {
        d[i] = -gi
        if t < .infinity { breaks.append((t, i)) }
      }
    }
    var c = Array(repeating: 0.0, count: width)
    let dd = d.normSquared
    guard dd > 0 else { return GeneralizedCauchyPoint(point: point, c: c, free: free) }
    breaks.sort { $0.t < $1.t }

    var p = width > 0 ? model.wTranspose(d) : []
    var fp = -dd
    var fpp = theta * dd
    if width > 0 {
      let mp = model.multiplyMiddle(p)
      for j in 0..<width { fpp -= p[j] * mp[j] }
    }
    let fppFloor = Double.ulpOfOne * Swift.max(Swift.abs(fpp), Double.leastNormalMagnitude)
    fpp = Swift.max(fpp, fppFloor)
    var dtMin = -fp / fpp
    var tOld = 0.0
    var row = Array(repeating: 0.0, count: width)
    var next = 0
    while next < breaks.count {
      let (t, b) = breaks[next]
      let dt = t - tOld
      if dtMin < dt { break }
      // Move to breakpoint b: variable b reaches its bound and leaves the path.
      let target = d[b] > 0 ? u[b] : l[b]
      let zeta = target - x[b]
      point[b] = target
      free[b] = false
      let gb = g[b]
      for j in 0..<width { c[j] += dt * p[j] }
      fp += dt * fpp + gb * gb + theta * gb * zeta
      fpp -= theta * gb * gb
      if width > 0 {
        model.wRow(b, into: &row)
        let mc = model.multiplyMiddle(c)
        let mp = model.multiplyMiddle(p)
        let mw = model.multiplyMiddle(row)
        var wMc = 0.0
        var wMp = 0.0
        var wMw = 0.0
        for j in 0..<width {
          wMc += row[j] * mc[j]
          wMp += row[j] * mp[j]
          wMw += row[j] * mw[j]
        }
        fp -= gb * wMc
        fpp -= 2 * gb * wMp + gb * gb * wMw
        for j in 0..<width { p[j] += gb * row[j] }
      }
      fpp = Swift.max(fpp, fppFloor)
      d[b] = 0
      dtMin = -fp / fpp
      tOld = t
      next += 1
    }
    if !(dtMin > 0) || !dtMin.isFinite { dtMin = Swift.max(0, dtMin.isFinite ? dtMin : 0) }
    tOld += dtMin
    for i in 0..<n where d[i] != 0 {
      point[i] = Swift.min(Swift.max(x[i] + tOld * d[i], l[i]), u[i])
    }
    for j in 0..<width { c[j] += dtMin * p[j] }
    return GeneralizedCauchyPoint(point: point, c: c, free: free)
  }
}
