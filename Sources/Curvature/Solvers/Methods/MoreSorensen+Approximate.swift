import RealModule

extension MoreSorensen {
  /// The nearly exact Moré-Sorensen iteration with its original termination tests (Moré &
  /// Sorensen 1983, section 3; Conn, Gould & Toint 2000, section 7.3, with the bounds of
  /// section 7.3.8), which works from Cholesky factorizations of H + λI only (no eigenvalues):
  ///
  /// - λ starts at 0 when the lower bound λ_L is 0, otherwise at
  ///   max(√(λ_L·λ_U), λ_L + 0.01(λ_U − λ_L)), with the bounds
  ///   λ_L = max(0, −minᵢ hᵢᵢ, ‖g‖/Δ − min(‖H‖_G⁺, ‖H‖_F, ‖H‖_∞)) and
  ///   λ_U = max(0, ‖g‖/Δ + min(−‖H‖_G⁻, ‖H‖_F, ‖H‖_∞)) (Gershgorin, Frobenius and ∞-norm bounds
  ///   on the spectrum);
  /// - a failed factorization at row k gives δ ≥ 0 and v with vᵀ(H + λI)v = −δ (the leading
  ///   submatrix made singular), hence λ_L ← max(λ_L, λ + δ/‖v‖²) and λ restarts as above;
  /// - with ‖p‖ ≥ Δ the step is accepted when ‖p‖ ≤ (1 + `boundaryTolerance`)·Δ, otherwise
  ///   λ_L ← λ;
  /// - with ‖p‖ < Δ (and λ > 0) a unit z with small ‖Lᵀz‖ = σ (the LINPACK condition estimate)
  ///   gives the boundary step p + τz with the root τ of smaller magnitude, accepted when
  ///   τ²σ² ≤ `hardCaseTolerance`·(pᵀ(H + λI)p + λΔ²) (Moré & Sorensen's hard-case test, which
  ///   bounds the loss of model decrease); otherwise λ_U ← λ and λ_L ← max(λ_L, λ − σ²);
  /// - λ then takes the Newton step on 1/Δ − 1/‖p(λ)‖, or the restart value when that step leaves
  ///   (λ_L, λ_U).
  ///
  /// The step is a nearly optimal one (as SciPy's `trust-exact`), which may exceed Δ by the
  /// boundary tolerance. ``TrustRegionStep/negativeCurvature`` is set when H has a negative
  /// diagonal entry or a factorization of H + λI with λ ≥ 0 failed (both imply λ₁(H) < 0).
  /// Falls back to ``solve(hessian:gradient:radius:tolerance:maxIterations:)`` when g = 0 or the
  /// iteration does not settle within `maxIterations`. Returns nil when H or g is not finite.
  public static func solveApproximately(
    hessian h: Matrix, gradient g: Vector, radius: Double, boundaryTolerance: Double = 0.1,
    hardCaseTolerance: Double = 0.2, maxIterations: Int = 100
  ) -> TrustRegionStep? {
    let n = g.count
    precondition(
      h.rows == n && h.columns == n,
      "MoreSorensen: the Hessian is \(h.rows)x\(h.columns) but the gradient has \(n) elements")
    precondition(radius > 0, "MoreSorensen: the radius must be positive, got \(radius)")
    guard g.isFinite, h.isFinite else { return nil }
    let gNorm = g.norm
    if gNorm == 0 { return solve(hessian: h, gradient: g, radius: radius) }
    var indefinite = false
    func finish(_ p: Vector, _ lambda: Double, boundary: Bool, hard: Bool, iterations: Int)
      -> TrustRegionStep
    {
      TrustRegionStep(
        step: p, modelValue: TrustRegionStep.modelValue(hessian: h, gradient: g, step: p),
        multiplier: lambda, hitsBoundary: boundary, negativeCurvature: indefinite, hardCase: hard,
        iterations: iterations)
    }

    var gershLow = Double.infinity
    var gershHigh = -Double.infinity
    var minDiagonal = Double.infinity
    var normInf = 0.0
    var normFro = 0.0
    for i in 0..<n {
      var off = 0.0
      for j in 0..<n where j != i { off += Swift.abs(h[i, j]) }
      gershLow = Swift.min(gershLow, h[i, i] - off)
      gershHigh = Swift.max(gershHigh, h[i, i] + off)
      minDiagonal = Swift.min(minDiagonal, h[i, i])
      normInf = Swift.max(normInf, off + Swift.abs(h[i, i]))
      for j in 0..<n { normFro += h[i, j] * h[i, j] }
    }
    normFro = normFro.squareRoot()
    var upper = Swift.max(0, gNorm / radius + Swift.min(-gershLow, normFro, normInf))
    var lower = Swift.max(
      0, -minDiagonal, gNorm / radius - Swift.min(gershHigh, normFro, normInf))
    func safeguarded() -> Double {
      Swift.max((lower * upper).squareRoot(), lower + 0.01 * (upper - lower))
    }
    var lambda = lower == 0 ? 0 : safeguarded()
    indefinite = minDiagonal < 0
    var iterations = 0
    // One factor buffer for every trial λ: at n = 1000 a fresh pair of 8 MB matrices per trial
    // (H + λI and its factor) cost about a tenth of the solve in allocation and page faults.
    var l = Matrix(rows: n, columns: n)
    while iterations < maxIterations {
      iterations += 1
      switch Self.partialCholesky(h, shift: lambda, into: &l) {
      case .failed(let delta, let v):
        indefinite = true
        lower = Swift.max(lower, lambda + delta / v.normSquared)
        lambda = safeguarded()
      case .factored:
        var p = Self.solveLower(l, g)
        p = Self.solveUpper(l, p)
        p.scale(by: -1)
        let pNorm = p.norm
        if lambda == 0 && pNorm <= radius {
          return finish(p, 0, boundary: false, hard: false, iterations: iterations)
        }
        let w = Self.solveLower(l, p)
        let ratio = pNorm / w.norm
        let newton = lambda + ratio * ratio * (pNorm - radius) / radius
        if pNorm < radius {
          let (z, sigma) = Self.smallSingularVector(l)
          let roots = TrustRegionStep.boundaryRoots(z: p, d: z, radius: radius)
          let tau =
            Swift.abs(roots.negative) < Swift.abs(roots.positive) ? roots.negative : roots.positive
          var shifted = h
          for i in 0..<n { shifted[i, i] += lambda }
          let pAp = dot(p, shifted * p)
          if tau * tau * sigma * sigma <= hardCaseTolerance * (pAp + lambda * radius * radius) {
            axpy(tau, z, &p)
            return finish(p, lambda, boundary: true, hard: true, iterations: iterations)
          }
          upper = lambda
          lower = Swift.max(lower, lambda - sigma * sigma)
        } else {
          if pNorm - radius <= boundaryTolerance * radius {
            return finish(p, lambda, boundary: true, hard: false, iterations: iterations)
          }
          lower = lambda
        }
        lambda = newton > lower && newton < upper ? newton : safeguarded()
      }
      if !lambda.isFinite
        || upper - lower <= 1e-15 * Swift.max(upper, 1e-300) && lambda > 0
          && iterations > 1
      {
        break
      }
    }
    return solve(hessian: h, gradient: g, radius: radius)
  }

  /// The outcome of ``partialCholesky(_:shift:into:)``.
  enum PartialCholesky {
    /// A + σI = LLᵀ with L lower triangular (in the matrix given).
    case factored
    /// The factorization broke down: adding δ ≥ 0 to the failing diagonal entry makes the leading
    /// block singular with null vector v (zero below that row), so vᵀAv = −δ·v_k² = −δ.
    case failed(delta: Double, v: Vector)
  }

  /// Cholesky factorization of A + σI that reports, on breakdown at row k, the shift
  /// δ = −(a_kk − Σ l_kj²) and the vector v = (−L_k⁻ᵀ l_k, 1, 0, …) (Conn, Gould & Toint 2000,
  /// section 7.3.8). It is written into `l` (n × n, reused across calls): its lower triangle
  /// receives A's with σ added on the diagonal (aᵢᵢ + σ, the rounding of forming A + σI) and then
  /// the factor; the upper triangle is not touched.
  static func partialCholesky(_ a: Matrix, shift sigma: Double, into l: inout Matrix)
    -> PartialCholesky
  {
    let n = a.rows
    CholeskyFactorization.copyLowerTriangle(of: a, addingToDiagonal: sigma, into: &l)
    // The blocked factorization of the lower triangle; on breakdown at row j its rows 0..<j and
    // L[j, 0..<j] are final.
    let breakdown = l.storage.withUnsafeMutableBufferPointer { pl in
      pl.baseAddress.flatMap { CholeskyFactorization.factorInPlaceReportingBreakdown($0, n: n) }
    }
    guard let (j, d) = breakdown else { return .factored }
    var v = Vector.zeros(n)
    v[j] = 1
    // Lⱼᵀ u = −l with l = L[j, 0..<j], by back substitution.
    for i in stride(from: j - 1, through: 0, by: -1) {
      var s = -l[j, i]
      for k in (i + 1)..<j { s -= l[k, i] * v[k] }
      v[i] = s / l[i, i]
    }
    return .failed(delta: d.isFinite ? -d : .infinity, v: v)
  }

  /// Solves Lᵀ·x = b by back substitution for the lower-triangular L (the factor's own solve,
  /// contiguous along the rows of L).
  static func solveUpper(_ l: Matrix, _ b: Vector) -> Vector {
    CholeskyFactorization(uncheckedLower: l).solveLowerTranspose(b)
  }

  /// A unit vector z with ‖Lᵀz‖ small and the estimate σ = ‖Lᵀz‖ of the smallest singular value
  /// of Lᵀ, by the LINPACK condition estimator with look-ahead (Cline, Moler, Stewart &
  /// Wilkinson, SIAM J. Numer. Anal. 16, 1979; Golub & Van Loan, "Matrix Computations", the
  /// condition estimator of section 3.5.4): solve L·w = e by forward substitution with each
  /// eₖ = ±1 chosen to maximize |wₖ| + Σᵢ₌ₖ₊₁ |sᵢ| (sᵢ the partial sums of the remaining rows),
  /// then Lᵀ·v = w; z = v/‖v‖ and σ = ‖w‖/‖v‖.
  static func smallSingularVector(_ l: Matrix) -> (Vector, Double) {
    let n = l.rows
    var w = Vector.zeros(n)
    var partial = [Double](repeating: 0, count: n)
    var plusSums = [Double](repeating: 0, count: n)
    var minusSums = [Double](repeating: 0, count: n)
    for k in 0..<n {
      let plus = (1 - partial[k]) / l[k, k]
      let minus = (-1 - partial[k]) / l[k, k]
      var plusWeight = Swift.abs(plus)
      var minusWeight = Swift.abs(minus)
      for i in (k + 1)..<n {
        plusSums[i] = partial[i] + l[i, k] * plus
        minusSums[i] = partial[i] + l[i, k] * minus
        plusWeight += Swift.abs(plusSums[i])
        minusWeight += Swift.abs(minusSums[i])
      }
      if plusWeight >= minusWeight {
        w[k] = plus
        for i in (k + 1)..<n { partial[i] = plusSums[i] }
      } else {
        w[k] = minus
        for i in (k + 1)..<n { partial[i] = minusSums[i] }
      }
    }
    let v = solveUpper(l, w)
    let vNorm = v.norm
    guard vNorm > 0, vNorm.isFinite else { return (.zeros(n), .infinity) }
    return (v.scaled(by: 1 / vNorm), w.norm / vNorm)
  }
}
