/// The symmetric Lanczos process: k steps from a start vector v build an orthonormal basis
/// Q = [q₁ … qₖ] of the Krylov space span{v, Av, …, Aᵏ⁻¹v} and the tridiagonal T = QᵀAQ
/// (Lanczos 1950; Golub & Van Loan, *Matrix Computations*, 4th ed., §10.1):
///
///     q₁ = v/‖v‖,  β₀ = 0,  q₀ = 0
///     w = Aqⱼ − βⱼ₋₁qⱼ₋₁,  αⱼ = qⱼᵀw,  w ← w − αⱼqⱼ,  βⱼ = ‖w‖,  qⱼ₊₁ = w/βⱼ
///
/// so that AQₖ = QₖTₖ + βₖqₖ₊₁eₖᵀ with T = tridiag(β, α, β). The eigenvalues of Tₖ (Ritz
/// values) approximate the extreme eigenvalues of A; after n steps with exact orthogonality
/// they are A's eigenvalues.
///
/// Reorthogonalization: in floating point the plain three-term recurrence loses orthogonality as
/// Ritz values converge (Paige 1971), which produces spurious copies of converged eigenvalues.
/// `.full` orthogonalizes w against every stored qᵢ twice (two modified Gram-Schmidt passes,
/// folding the correction along qⱼ into αⱼ), costing O(kn) per step and k stored vectors;
/// `.none` keeps only the two latest vectors (O(n) memory unless the basis is requested).
///
/// Breakdown: if βⱼ ≤ τ·max ‖Aqᵢ‖ (τ = ``breakdownTolerance``), the Krylov space is invariant
/// under A, the process stops early, and Tⱼ's eigenvalues are exact eigenvalues of A.
public struct Lanczos: Sendable {
  /// How the new Lanczos vector is kept orthogonal to the previous ones.
  public enum Reorthogonalization: Sendable, Hashable {
    /// The three-term recurrence only.
    case none
    /// Gram-Schmidt twice against all previous vectors.
    case full
  }

  /// Why the process stopped.
  public enum Termination: Sendable, Hashable {
    /// All requested steps were taken.
    case completed
    /// βⱼ fell below the breakdown threshold: span(Q) is an invariant subspace of A.
    case invariantSubspace
    /// The start vector or an operator output was NaN or infinite.
    case nonFinite
    /// The caller's test (the `until` argument of ``Lanczos/run(_:start:steps:until:)``) asked
    /// to stop.
    case stoppedByCaller
  }

  /// The outcome of the Lanczos process.
  public struct Result: Sendable {
    /// α₁ … αₖ, the diagonal of T (k = the number of steps taken).
    public var alphas: [Double]
    /// β₁ … βₖ₋₁, the off-diagonal of T.
    public var betas: [Double]
    /// βₖ = ‖Aqₖ − αₖqₖ − βₖ₋₁qₖ₋₁‖, the coupling to the next vector (AQ = QT + βₖqₖ₊₁eₖᵀ).
    public var nextBeta: Double
    /// The basis as a k × n matrix whose rows are q₁ … qₖ, when requested.
    public var basis: Matrix?
    /// Why the process stopped.
    public var termination: Termination
    /// The number of products with A.
    public var operatorApplications: Int

    /// The number of steps k taken.
    public var steps: Int { alphas.count }

    /// The eigenvalues of T in increasing order (Ritz values), by Sturm-sequence bisection.
    public func ritzValues() -> [Double] { KrylovTridiagonal.eigenvalues(alphas, betas) }
  }

  /// The reorthogonalization strategy; `.full` by default.
  public var reorthogonalization: Reorthogonalization
  /// τ in the breakdown test βⱼ ≤ τ·max ‖Aqᵢ‖.
  public var breakdownTolerance: Double
  /// Whether the result carries the basis Q.
  public var returnsBasis: Bool

  /// Creates a configuration; see the properties.
  public init(
    reorthogonalization: Reorthogonalization = .full, breakdownTolerance: Double = 1e-12,
    returnsBasis: Bool = false
  ) {
    self.reorthogonalization = reorthogonalization
    self.breakdownTolerance = breakdownTolerance
    self.returnsBasis = returnsBasis
  }

  /// Runs at most `steps` Lanczos steps for the symmetric operator `applyA` from `start`.
  ///
  /// `until`, when given, is called after each step j < `steps` that did not break down, with
  /// α₁ … αⱼ, β₁ … βⱼ₋₁ and βⱼ (so that a caller can test the Ritz pairs of Tⱼ, whose residuals
  /// are ‖AQⱼs − θQⱼs‖ = βⱼ|eⱼᵀs|); returning true ends the process with
  /// ``Termination/stoppedByCaller``.
  public func run(
    _ applyA: LinearOperator, start: Vector, steps: Int,
    until: ((_ alphas: [Double], _ betas: [Double], _ nextBeta: Double) -> Bool)? = nil
  ) -> Result {
    precondition(steps >= 0, "Lanczos steps must be non-negative, got \(steps)")
    let n = start.count
    let storing = returnsBasis || reorthogonalization == .full
    // The rows q₁, q₂, … are appended as they are made: capacity for all `steps` rows is
    // reserved but not touched, so a process that stops early (breakdown) never pays for the
    // memory of the rows it did not reach.
    var basis: [Double] = []
    if storing { basis.reserveCapacity(steps * n) }
    var alphas: [Double] = []
    var betas: [Double] = []
    alphas.reserveCapacity(steps)
    betas.reserveCapacity(steps)
    var products = 0

    func finish(_ t: Termination, _ nextBeta: Double) -> Result {
      var q: Matrix? = nil
      if returnsBasis {
        let k = alphas.count
        if basis.count > k * n { basis.removeLast(basis.count - k * n) }
        q = Matrix(rows: k, columns: n, storage: basis)
      }
      return Result(
        alphas: alphas, betas: betas, nextBeta: nextBeta, basis: q, termination: t,
        operatorApplications: products)
    }

    let startNorm = start.norm
    if !startNorm.isFinite { return finish(.nonFinite, .nan) }
    if steps == 0 || startNorm == 0 { return finish(.completed, startNorm) }

    var q = start.scaled(by: 1 / startNorm)
    var qPrevious = Vector.zeros(n)
    var w = Vector.zeros(n)
    var beta = 0.0
    var scale = 0.0
    for j in 0..<steps {
      if storing { basis.append(contentsOf: q.storage) }
      applyA(q, &w)
      checkOperatorOutput(w, n)
      products += 1
      let wNorm = w.norm
      if !wNorm.isFinite { return finish(.nonFinite, .nan) }
      scale = Swift.max(scale, wNorm)
      if j > 0 { axpy(-beta, qPrevious, &w) }
      var alpha = dot(q, w)
      axpy(-alpha, q, &w)
      if reorthogonalization == .full {
        for _ in 0..<2 { alpha += orthogonalize(&w, against: basis, rows: j + 1) }
      }
      alphas.append(alpha)
      beta = w.norm
      if !beta.isFinite { return finish(.nonFinite, .nan) }
      if beta <= breakdownTolerance * scale { return finish(.invariantSubspace, beta) }
      if j + 1 == steps { return finish(.completed, beta) }
      if let until, until(alphas, betas, beta) { return finish(.stoppedByCaller, beta) }
      betas.append(beta)
      swap(&qPrevious, &q)
      q.assign(w)
      q.scale(by: 1 / beta)
    }
    return finish(.completed, beta)
  }

  /// One Gram-Schmidt pass w ← w − Σᵢ (qᵢᵀw)qᵢ over the first `rows` rows of the row-major
  /// basis; returns the coefficient along the last row (the correction to α).
  private func orthogonalize(_ w: inout Vector, against basis: [Double], rows: Int) -> Double {
    let n = w.count
    var last = 0.0
    basis.withUnsafeBufferPointer { b in
      w.withUnsafeMutableBufferPointer { pw in
        for i in 0..<rows {
          let row = UnsafeBufferPointer(rebasing: b[(i * n)..<((i + 1) * n)])
          let c = dotKernel(row, UnsafeBufferPointer(pw))
          for t in 0..<n { pw[t] -= c * row[t] }
          if i == rows - 1 { last = c }
        }
      }
    }
    return last
  }
}
