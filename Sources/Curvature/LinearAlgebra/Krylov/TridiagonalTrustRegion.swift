import RealModule

/// Solves the tridiagonal trust-region subproblem of GLTR,
///
///     minimize γh₀ + ½hᵀTh   subject to ‖h‖ ≤ Δ,
///
/// for a symmetric tridiagonal T (diagonal a, off-diagonal b) by the Moré-Sorensen iteration
/// (Moré & Sorensen 1983; Nocedal & Wright, 2nd ed., Algorithm 4.3; Gould, Lucidi, Roma & Toint
/// 1999). The solution satisfies (T + λI)h = −γe₁ with T + λI positive semidefinite, λ ≥ 0
/// and λ(‖h‖ − Δ) = 0.
///
/// - If T is positive definite and ‖T⁻¹γe₁‖ ≤ Δ, h is that interior point and λ = 0.
/// - Otherwise λ > max(0, −λ₁) (λ₁ the smallest eigenvalue of T, found by Sturm bisection) solves
///   the secular equation φ(λ) = 1/‖h(λ)‖ − 1/Δ = 0 by safeguarded Newton steps
///   λ ← λ + (‖h‖/‖w‖)²(‖h‖ − Δ)/Δ with LLᵀ = T + λI, Lw = h, all in O(k) per step from the
///   tridiagonal LDLᵀ. φ is concave and increasing, so Newton from the left of the root
///   increases monotonically; the bracket [max(0, −λ₁), max(0, γ/Δ − λ₁)] and bisection guard
///   the rest.
/// - Hard case (approximate): if already just right of −λ₁ the solution is inside the region,
///   e₁ is (nearly) orthogonal to T's bottom eigenvector u. Then h = h(−λ₁ + δ) + τu with u from
///   inverse iteration and τ the root of ‖h + τu‖ = Δ with the lower model value. For an
///   unreduced T (all bᵢ ≠ 0, as from Lanczos without breakdown) the exact hard case cannot
///   occur, so this branch only handles nearly-hard cases, to an accuracy set by δ.
struct TridiagonalTrustRegion {
  /// The solution h, valid after ``solve``.
  var h: [Double] = []
  private var pivots: [Double] = []
  private var multipliers: [Double] = []
  private var scratch: [Double] = []

  /// The outcome of one solve.
  struct Outcome {
    /// The multiplier λ ≥ 0.
    var lambda: Double
    /// Whether ‖h‖ < Δ with λ = 0.
    var interior: Bool
    /// Whether the approximate hard-case branch was taken.
    var hardCase: Bool
    /// The model value γh₀ + ½hᵀTh.
    var model: Double
  }

  /// Solves the subproblem; h is left in ``h``. γ > 0 and Δ > 0 are expected.
  mutating func solve(diagonal a: [Double], offDiagonal b: [Double], gamma: Double, radius: Double)
    -> Outcome
  {
    let k = a.count
    precondition(
      b.count == Swift.max(k - 1, 0),
      "dimension mismatch: \(k) diagonal and \(b.count) off-diagonal entries")
    // Interior attempt: λ = 0.
    let interiorFactored = KrylovTridiagonal.factor(
      a, b, shift: 0, pivots: &pivots, multipliers: &multipliers)
    if interiorFactored {
      KrylovTridiagonal.solveFirstColumn(
        gamma: gamma, pivots: pivots, multipliers: multipliers, into: &h)
      if norm(h) <= radius {
        return Outcome(
          lambda: 0, interior: true, hardCase: false,
          model: KrylovTridiagonal.model(h, gamma: gamma, a, b))
      }
    }
    let lambdaMin = KrylovTridiagonal.eigenvalue(0, a, b)
    let (gLo, gHi) = KrylovTridiagonal.gershgorinBounds(a, b)
    let tScale = Swift.max(Swift.abs(gLo), Swift.abs(gHi), Double.leastNormalMagnitude)
    var lo = Swift.max(0, -lambdaMin)
    var hi = Swift.max(lo, gamma / radius - lambdaMin) * (1 + 1e-12) + Double.leastNormalMagnitude

    // The starting point, just right of max(0, −λ₁), where T + λI is positive definite.
    var lambda: Double
    if lambdaMin > 0 && interiorFactored {
      lambda = 0  // factored above; h(0) lies outside the region
    } else {
      var delta = 1e-13 * tScale + Double.leastNormalMagnitude
      lambda = lo + delta
      var attempts = 0
      var factored = false
      while attempts < 60 {
        factored = KrylovTridiagonal.factor(
          a, b, shift: lambda, pivots: &pivots, multipliers: &multipliers)
        if factored { break }
        lo = lambda
        delta *= 4
        lambda = lo + delta
        attempts += 1
      }
      if !factored {
        // No positive definite shift was found (badly scaled T): return the zero step.
        h = [Double](repeating: 0, count: k)
        return Outcome(lambda: lambda, interior: false, hardCase: false, model: 0)
      }
      KrylovTridiagonal.solveFirstColumn(
        gamma: gamma, pivots: pivots, multipliers: multipliers, into: &h)
      if norm(h) <= radius {
        return hardCase(a, b, gamma: gamma, radius: radius, lambda: lambda)
      }
    }

    // Safeguarded Newton on φ(λ) = 1/‖h(λ)‖ − 1/Δ.
    for _ in 0..<100 {
      let hNorm = norm(h)
      if Swift.abs(hNorm - radius) <= 1e-14 * radius { break }
      if hNorm > radius { lo = lambda } else { hi = lambda }
      let wSquared = KrylovTridiagonal.inverseQuadraticForm(
        h, pivots: pivots, multipliers: multipliers)
      var next = lambda + (hNorm * hNorm / wSquared) * (hNorm - radius) / radius
      if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
      if next == lambda || hi - lo <= 4 * Double.ulpOfOne * Swift.max(hi, tScale) { break }
      while !KrylovTridiagonal.factor(a, b, shift: next, pivots: &pivots, multipliers: &multipliers)
      {
        lo = next
        next = 0.5 * (lo + hi)
        if hi - lo <= 4 * Double.ulpOfOne * Swift.max(hi, tScale) {
          next = hi
          _ = KrylovTridiagonal.factor(
            a, b, shift: next, pivots: &pivots, multipliers: &multipliers)
          break
        }
      }
      lambda = next
      KrylovTridiagonal.solveFirstColumn(
        gamma: gamma, pivots: pivots, multipliers: multipliers, into: &h)
    }
    return Outcome(
      lambda: lambda, interior: false, hardCase: false,
      model: KrylovTridiagonal.model(h, gamma: gamma, a, b))
  }

  /// The approximate hard case: h = h(λ) + τu with u the bottom eigenvector by inverse iteration
  /// with the (nearly singular) factorization of T + λI already in `pivots`/`multipliers`.
  private mutating func hardCase(
    _ a: [Double], _ b: [Double], gamma: Double, radius: Double, lambda: Double
  ) -> Outcome {
    let k = a.count
    var u = [Double](repeating: 1 / Double(k).squareRoot(), count: k)
    for _ in 0..<3 {
      // Solve LDLᵀ x = u.
      var x = u
      if k > 1 { for i in 1..<k { x[i] -= multipliers[i - 1] * x[i - 1] } }
      for i in 0..<k { x[i] /= pivots[i] }
      if k >= 2 {
        for i in stride(from: k - 2, through: 0, by: -1) { x[i] -= multipliers[i] * x[i + 1] }
      }
      let s = norm(x)
      guard s.isFinite && s > 0 else { break }
      for i in 0..<k { u[i] = x[i] / s }
    }
    var hh = 0.0
    var hu = 0.0
    for i in 0..<k {
      hh += h[i] * h[i]
      hu += h[i] * u[i]
    }
    let roots = trustRegionBoundaryRoots(
      stepNormSquared: hh, stepDotDirection: hu, directionNormSquared: 1, radius: radius)
    scratch = h
    for i in 0..<k { scratch[i] = h[i] + roots.positive * u[i] }
    let mPlus = KrylovTridiagonal.model(scratch, gamma: gamma, a, b)
    for i in 0..<k { h[i] += roots.negative * u[i] }
    let mMinus = KrylovTridiagonal.model(h, gamma: gamma, a, b)
    if mPlus <= mMinus { swap(&h, &scratch) }
    return Outcome(lambda: lambda, interior: false, hardCase: true, model: Swift.min(mPlus, mMinus))
  }

  private func norm(_ v: [Double]) -> Double {
    var s = 0.0
    for x in v { s += x * x }
    return s.squareRoot()
  }
}
