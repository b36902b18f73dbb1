extension LBFGSB {
  /// Subspace minimization over the free variables at the Cauchy point x^c, by the direct primal
  /// method (Byrd, Lu, Nocedal & Zhu 1995, §5.1), then the projection of Morales & Nocedal (2011).
  ///
  /// With Z the columns of the identity for the free variables, the reduced model
  /// m̂(d̂) = r̂ᵀd̂ + ½d̂ᵀB̂d̂ has gradient r̂ = Zᵀ(g + θ(x^c − x) − W·M·c) and Hessian
  /// B̂ = θI − ZᵀW·M·WᵀZ, whose inverse follows from the Sherman-Morrison-Woodbury formula,
  ///
  ///     B̂⁻¹ = (1/θ)I + (1/θ²)·ZᵀW·(I − (1/θ)·M·WᵀZZᵀW)⁻¹·M·WᵀZ,
  ///
  /// so d̂ᵘ = −B̂⁻¹r̂ costs one 2k × 2k solve. The point x^c + Zd̂ᵘ is projected onto the box
  /// (Morales & Nocedal, "Remark on Algorithm 778", ACM TOMS 38, 2011); when that does not give a
  /// descent direction from x, the step is instead shortened to the largest α* ≤ 1 keeping
  /// x^c + α*·Zd̂ᵘ in the box, as in the 1995 paper.
  static func subspacePoint(
    x: Vector, gradient g: Vector, cauchy: GeneralizedCauchyPoint, bounds: Bounds,
    model: CompactLBFGSMatrix
  ) -> Vector {
    let n = x.count
    let l = bounds.lower
    let u = bounds.upper
    let xc = cauchy.point
    let theta = model.theta
    let width = model.width
    let freeIndices = (0..<n).filter { cauchy.free[$0] }
    if freeIndices.isEmpty { return xc }

    // r = g + θ(x^c − x) − W·M·c.
    var r = g
    for i in 0..<n { r[i] += theta * (xc[i] - x[i]) }
    if width > 0 { model.addW(-1, model.multiplyMiddle(cauchy.c), to: &r) }

    var du = Vector.zeros(freeIndices.count)
    for (k, i) in freeIndices.enumerated() { du[k] = -r[i] / theta }
    if width > 0 {
      var row = Array(repeating: 0.0, count: width)
      var wzr = Array(repeating: 0.0, count: width)
      var gram = SmallMatrix(size: width)
      for i in freeIndices {
        model.wRow(i, into: &row)
        for a in 0..<width {
          wzr[a] += row[a] * r[i]
          for b in 0..<width { gram[a, b] += row[a] * row[b] }
        }
      }
      let v = model.multiplyMiddle(wzr)
      // I − M·(WᵀZZᵀW)/θ.
      var system = SmallMatrix.product(model.middle, gram)
      for a in 0..<width {
        for b in 0..<width { system[a, b] = (a == b ? 1 : 0) - system[a, b] / theta }
      }
      if let factors = system.luFactors() {
        let z = SmallMatrix.solve(factors, v)
        for (k, i) in freeIndices.enumerated() {
          model.wRow(i, into: &row)
          var wz = 0.0
          for a in 0..<width { wz += row[a] * z[a] }
          du[k] -= wz / (theta * theta)
        }
      }
    }
    guard du.isFinite else { return xc }

    // Morales-Nocedal: project x^c + Zd̂ᵘ and keep it when it is a descent direction from x.
    var projected = xc
    for (k, i) in freeIndices.enumerated() {
      projected[i] = Swift.min(Swift.max(xc[i] + du[k], l[i]), u[i])
    }
    var slope = 0.0
    for i in 0..<n { slope += g[i] * (projected[i] - x[i]) }
    if slope < 0 { return projected }

    // Backtrack into the box (the 1995 paper's α*).
    var alpha = 1.0
    for (k, i) in freeIndices.enumerated() {
      let step = du[k]
      if step > 0 && u[i] < .infinity {
        alpha = Swift.min(alpha, Swift.max(0, u[i] - xc[i]) / step)
      } else if step < 0 && l[i] > -.infinity {
        alpha = Swift.min(alpha, Swift.max(0, l[i] - xc[i]) / step)
      }
    }
    var shortened = xc
    for (k, i) in freeIndices.enumerated() {
      shortened[i] = Swift.min(Swift.max(xc[i] + alpha * du[k], l[i]), u[i])
    }
    return shortened
  }
}
