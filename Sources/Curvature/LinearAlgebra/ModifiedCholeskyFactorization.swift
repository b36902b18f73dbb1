import RealModule

/// A Cholesky factorization LLᵀ = A + E of a symmetric matrix A made positive definite by a
/// non-negative diagonal perturbation E, the building block of modified Newton methods: the step
/// solves (A + E)p = −g and is a descent direction even when the Hessian A is indefinite
/// (Nocedal & Wright, Numerical Optimization, 2nd ed., §3.4).
///
/// Two strategies are offered:
///
/// - ``Strategy/addedIdentity`` (Nocedal & Wright Alg. 3.3, "Cholesky with added
///   multiple of the identity"): E = τI with τ grown from τ₀ until the plain Cholesky factorization
///   of A + τI succeeds:
///
///       τ₀ = 0 if minᵢ aᵢᵢ > 0, else τ₀ = β − minᵢ aᵢᵢ;
///       τₖ₊₁ = max(g·τₖ, β), g = 2 for the first eight attempts and 10 afterwards.
///
///   β is `minimumShift` (by default 10⁻³·maxᵢ|aᵢᵢ|, the book's 10⁻³ made scale-aware). Each
///   failed attempt τₖ satisfies τₖ < −λₘᵢₙ(A) up to rounding, so in exact arithmetic the accepted
///   shift obeys −λₘᵢₙ < τ ≤ max(2·(−λₘᵢₙ), β − λₘᵢₙ) while the growth factor is 2. τ is capped at
///   2‖A‖_F + β, where A + τI is certainly positive definite because |λₘᵢₙ| ≤ ‖A‖_F.
/// - ``Strategy/gillMurrayWright`` (Gill, Murray & Wright, Practical Optimization,
///   1981, §4.4.2.2; Nocedal & Wright Alg. 3.4): one pass of a modified LDLᵀ factorization that
///   enlarges each pivot as it goes, dⱼ = max(|cⱼⱼ|, (θⱼ/β)², δ) with θⱼ = maxᵢ₍ᵢ>ⱼ₎|cᵢⱼ|,
///   β² = max(γ, ξ/√(n² − 1), ε), γ = maxᵢ|aᵢᵢ|, ξ = maxᵢ≠ⱼ|aᵢⱼ| and δ = ε·max(γ + ξ, 1). It bounds
///   the factor's elements, |lᵢⱼ|·√dⱼ ≤ β, and E = diag(dⱼ − cⱼⱼ) may differ from one index to the
///   next. It costs a single factorization.
///
/// Only the lower triangle of A is read. The initializer returns nil for non-finite input (and,
/// for the added-identity strategy, if no shift up to the cap produces a factorization, which
/// only rounding pathologies can cause; for Gill-Murray-Wright, if the factor overflows).
public struct ModifiedCholeskyFactorization: Sendable, Hashable {
  /// How the diagonal perturbation E is chosen.
  public enum Strategy: Sendable, Hashable, CaseIterable {
    /// E = τI with the smallest τ on the sequence of Nocedal & Wright Alg. 3.3.
    case addedIdentity
    /// The Gill-Murray-Wright modified LDLᵀ factorization (Nocedal & Wright Alg. 3.4).
    case gillMurrayWright
  }

  /// The strategy that produced this factorization.
  public let strategy: Strategy
  /// The Cholesky factorization of A + E.
  public let factorization: CholeskyFactorization
  /// The diagonal of E, the perturbation added to A (all entries equal τ for `addedIdentity`).
  public let perturbation: Vector
  /// The largest diagonal perturbation maxᵢ eᵢ: τ for `addedIdentity`, 0 when A was already
  /// (numerically) positive definite and needed no modification.
  public let shift: Double
  /// The number of Cholesky factorizations attempted (1 for `gillMurrayWright`).
  public let attempts: Int

  /// The lower-triangular factor L with LLᵀ = A + E.
  public var lower: Matrix { factorization.lower }

  /// The order n of the factored matrix.
  public var dimension: Int { factorization.dimension }

  /// Factors A + E, E ≥ 0 diagonal, reading only the lower triangle of `a`.
  ///
  /// - Parameters:
  ///   - a: a symmetric matrix (square; only the lower triangle is read).
  ///   - strategy: how E is chosen (`.addedIdentity` by default).
  ///   - minimumShift: β of Alg. 3.3, the first nonzero shift tried (`addedIdentity` only); nil
  ///     means 10⁻³·maxᵢ|aᵢᵢ| (or 10⁻³·‖A‖_F when the diagonal is zero, 10⁻³ when A = 0).
  /// - Returns: nil when `a` contains NaN or ±∞.
  /// - Precondition: `a` is square.
  public init?(
    of a: Matrix, strategy: Strategy = .addedIdentity, minimumShift: Double? = nil
  ) {
    precondition(
      a.isSquare, "modified Cholesky needs a square matrix, got \(a.rows)x\(a.columns)")
    guard a.isFinite else { return nil }
    if let beta = minimumShift {
      precondition(
        beta > 0 && beta.isFinite, "minimumShift must be positive and finite, got \(beta)")
    }
    self.strategy = strategy
    let n = a.rows
    switch strategy {
    case .addedIdentity:
      var minDiagonal = Double.infinity
      var maxDiagonal = 0.0
      var frobeniusSquared = 0.0
      for i in 0..<n {
        let d = a[i, i]
        minDiagonal = Swift.min(minDiagonal, d)
        maxDiagonal = Swift.max(maxDiagonal, Swift.abs(d))
        frobeniusSquared += d * d
        for j in 0..<i { frobeniusSquared += 2 * a[i, j] * a[i, j] }
      }
      let frobenius = frobeniusSquared.squareRoot()
      let scale = maxDiagonal > 0 ? maxDiagonal : (frobenius > 0 ? frobenius : 1)
      let beta = minimumShift ?? 1e-3 * scale
      let cap = 2 * frobenius + beta
      var tau = n == 0 || minDiagonal > 0 ? 0 : Swift.min(beta - minDiagonal, cap)
      var tries = 0
      while true {
        tries += 1
        if let f = CholeskyFactorization(of: tau == 0 ? a : a.addingToDiagonal(tau)) {
          factorization = f
          break
        }
        if tau >= cap || tries >= 200 { return nil }
        let growth = tries <= 8 ? 2.0 : 10.0
        tau = Swift.min(Swift.max(growth * tau, beta), cap)
      }
      shift = tau
      perturbation = Vector(repeating: tau, count: n)
      attempts = tries
    case .gillMurrayWright:
      guard let (f, e) = Self.gillMurrayWright(a) else { return nil }
      factorization = f
      perturbation = e
      shift = e.storage.max() ?? 0
      attempts = 1
    }
  }

  /// The solution of (A + E)x = b.
  ///
  /// - Precondition: `b.count == dimension`.
  public func solve(_ b: Vector) -> Vector {
    factorization.solve(b)
  }

  /// The modified LDLᵀ factorization of Gill, Murray & Wright, returned as the Cholesky factor
  /// L·D^½ of A + E together with the diagonal of E.
  /// Nil only if the factor overflows (elements near the largest `Double`).
  static func gillMurrayWright(_ a: Matrix) -> (CholeskyFactorization, Vector)? {
    let n = a.rows
    let eps = Double.ulpOfOne
    var gamma = 0.0
    var xi = 0.0
    for i in 0..<n {
      gamma = Swift.max(gamma, Swift.abs(a[i, i]))
      for j in 0..<i { xi = Swift.max(xi, Swift.abs(a[i, j])) }
    }
    let nu = n > 1 ? Double(n * n - 1).squareRoot() : 1
    let betaSquared = Swift.max(gamma, xi / nu, eps)
    let delta = eps * Swift.max(gamma + xi, 1)
    // Unit lower-triangular L in row-major storage; column j holds cᵢⱼ until it is scaled by 1/dⱼ.
    var l = Matrix(rows: n, columns: n)
    var d = Vector.zeros(n)
    var e = Vector.zeros(n)
    var w = Vector.zeros(n)
    a.storage.withUnsafeBufferPointer { pa in
      l.storage.withUnsafeMutableBufferPointer { pl in
        d.withUnsafeMutableBufferPointer { pd in
          w.withUnsafeMutableBufferPointer { pw in
            guard let sa = pa.baseAddress, let sl = pl.baseAddress, let sd = pd.baseAddress,
              let sw = pw.baseAddress
            else { return }
            for j in 0..<n {
              // w = (dₛ lⱼₛ)ₛ₍ₛ<ⱼ₎, so that cᵢⱼ = aᵢⱼ − Σₛ lᵢₛ wₛ is a contiguous dot product.
              let rowJ = sl + j * n
              for s in 0..<j { sw[s] = sd[s] * rowJ[s] }
              let wj = UnsafeBufferPointer(start: sw, count: j)
              let cjj = sa[j * n + j] - dotKernel(UnsafeBufferPointer(start: rowJ, count: j), wj)
              var theta = 0.0
              for i in (j + 1)..<n {
                let rowI = sl + i * n
                let cij = sa[i * n + j] - dotKernel(UnsafeBufferPointer(start: rowI, count: j), wj)
                rowI[j] = cij
                theta = Swift.max(theta, Swift.abs(cij))
              }
              let dj = Swift.max(Swift.abs(cjj), theta * theta / betaSquared, delta)
              sd[j] = dj
              e[j] = dj - cjj
              for i in (j + 1)..<n { sl[i * n + j] /= dj }
              rowJ[j] = 1
            }
          }
        }
      }
    }
    // L·D^½: scale column j by √dⱼ.
    for j in 0..<n {
      let r = d[j].squareRoot()
      for i in j..<n { l[i, j] *= r }
    }
    guard l.isFinite, e.isFinite else { return nil }
    return (CholeskyFactorization(uncheckedLower: l), e)
  }
}
