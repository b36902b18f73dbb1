/// The stacked form the active-set iteration works on: minimize ½zᵀHz + cᵀz subject to
/// aⱼᵀz = bⱼ for the first `equalityCount` rows and aⱼᵀz ≥ bⱼ for the others.
struct StackedQP {
  var hessian: Matrix
  var linear: Vector
  var rows: Matrix
  var rhs: Vector
  var equalityCount: Int

  var dimension: Int { linear.count }
  var rowCount: Int { rows.rows }

  func rowDot(_ i: Int, _ z: Vector) -> Double {
    var s = 0.0
    let n = rows.columns
    for j in 0..<n { s += rows[i, j] * z[j] }
    return s
  }
}

/// What the active-set iteration returns.
struct ActiveSetOutcome {
  var x: Vector
  /// One multiplier per stacked row (0 outside the final working set).
  var multipliers: Vector
  var status: QuadraticProgramStatus
  var iterations: Int
}

/// The primal active-set method for strictly convex QPs (Nocedal & Wright Alg. 16.3), with the
/// equality-constrained subproblems solved by the range-space (Schur complement) method
/// (Nocedal & Wright §16.2): with H = LLᵀ, V = L⁻¹A_Wᵀ and u = L⁻¹(Hz + c), the step and the
/// working-set multipliers are
///
///     (VᵀV)λ = Vᵀu,    d = L⁻ᵀ(Vλ − u),
///
/// so that Hd + (Hz + c) = A_Wᵀλ and A_W d = 0. The step is always taken, cut by the ratio test.
/// A full step (no blocking constraint) lands on the minimizer over the working set, where the
/// multipliers are the λ just computed (they do not change along d, because H(z + d) + c = A_Wᵀλ);
/// so the multiplier signs are checked at once instead of after a further zero step. This avoids
/// any test of the form ‖d‖ ≈ 0, which is scale dependent.
struct ActiveSetCore {
  let problem: StackedQP
  let factor: CholeskyFactorization
  let maxIterations: Int

  /// The range-space solve for working set `w` at gradient q = Hz + c. Nil when the working set
  /// is numerically dependent.
  func equalitySubproblem(_ w: [Int], gradient q: Vector) -> (d: Vector, lambda: Vector)? {
    let n = problem.dimension
    let u = factor.solveLower(q)
    let v = w.map { factor.solveLower(problem.rows.row($0)) }
    var lambda = Vector.zeros(w.count)
    if !w.isEmpty {
      var m = Matrix(rows: w.count, columns: w.count)
      var r = Vector.zeros(w.count)
      for i in 0..<w.count {
        for j in 0...i {
          let s = dot(v[i], v[j])
          m[i, j] = s
          m[j, i] = s
        }
        r[i] = dot(v[i], u)
      }
      guard let mf = CholeskyFactorization(of: m) else { return nil }
      lambda = mf.solve(r)
    }
    if w.count >= n { return (Vector.zeros(n), lambda) }
    var y = u.scaled(by: -1)
    for k in 0..<w.count { axpy(lambda[k], v[k], &y) }
    let d = factor.solveLowerTranspose(y)
    guard d.isFinite && lambda.isFinite else { return nil }
    return (d, lambda)
  }

  /// Whether row `i` is linearly independent of the rows in `w` (in the H⁻¹ inner product):
  /// the last pivot of the Cholesky factor of A H⁻¹ Aᵀ on w ∪ {i} is not negligible.
  func isIndependent(_ i: Int, of w: [Int]) -> Bool {
    let all = w + [i]
    let v = all.map { factor.solveLower(problem.rows.row($0)) }
    let k = all.count
    var m = Matrix(rows: k, columns: k)
    for a in 0..<k {
      for b in 0...a {
        let s = dot(v[a], v[b])
        m[a, b] = s
        m[b, a] = s
      }
    }
    let diag = m[k - 1, k - 1]
    if diag <= 0 { return false }
    guard let f = CholeskyFactorization(of: m) else { return false }
    let pivot = f.lower[k - 1, k - 1]
    return pivot * pivot > 1e-10 * diag
  }

  /// A working set for a (nearly) feasible point: the equalities and the active inequalities,
  /// each kept only when independent of those already chosen.
  func initialWorkingSet(at z: Vector, activeTolerance: Double) -> [Int] {
    var w: [Int] = []
    for i in 0..<problem.rowCount {
      let r = problem.rowDot(i, z) - problem.rhs[i]
      let active = i < problem.equalityCount || Swift.abs(r) <= activeTolerance
      if active && w.count < problem.dimension && isIndependent(i, of: w) { w.append(i) }
    }
    return w
  }

  /// Removes the rounding drift of long steps: moves z to the nearest point (in the Euclidean
  /// norm) where the working-set rows hold exactly, z ← z + A_Wᵀ(A_W A_Wᵀ)⁻¹(b_W − A_W z).
  func restoreWorkingSet(_ w: [Int], at z: inout Vector) {
    if w.isEmpty { return }
    let k = w.count
    var m = Matrix(rows: k, columns: k)
    var r = Vector.zeros(k)
    let a = w.map { problem.rows.row($0) }
    for i in 0..<k {
      for j in 0...i {
        let s = dot(a[i], a[j])
        m[i, j] = s
        m[j, i] = s
      }
      r[i] = problem.rhs[w[i]] - dot(a[i], z)
    }
    guard let f = CholeskyFactorization(of: m) else { return }
    let y = f.solve(r)
    var correction = Vector.zeros(z.count)
    for i in 0..<k { axpy(y[i], a[i], &correction) }
    if correction.isFinite { axpy(1, correction, &z) }
  }

  /// Runs Alg. 16.3 from a feasible z with working set `w` (equalities first).
  func run(from start: Vector, workingSet initial: [Int]) -> ActiveSetOutcome {
    let n = problem.dimension
    let m = problem.rowCount
    var z = start
    var w = initial
    restoreWorkingSet(w, at: &z)
    var iterations = 0
    let rowNorms = (0..<m).map { problem.rows.row($0).norm }
    while iterations < maxIterations {
      iterations += 1
      var q = problem.hessian * z
      axpy(1, problem.linear, &q)
      guard let (d, lambda) = equalitySubproblem(w, gradient: q) else {
        return ActiveSetOutcome(
          x: z, multipliers: .zeros(m), status: .numericalFailure, iterations: iterations)
      }
      // Ratio test (N&W (16.41)) over the inequalities outside the working set.
      var alpha = 1.0
      var blocking = -1
      let dNorm = d.norm
      let inWorking = Set(w)
      for i in problem.equalityCount..<m where !inWorking.contains(i) {
        let ad = problem.rowDot(i, d)
        if ad < -1e-12 * rowNorms[i] * dNorm {
          let ratio = Swift.max(0, (problem.rhs[i] - problem.rowDot(i, z)) / ad)
          if ratio < alpha {
            alpha = ratio
            blocking = i
          }
        }
      }
      axpy(alpha, d, &z)
      if blocking >= 0 && w.count < n {
        w.append(blocking)
        restoreWorkingSet(w, at: &z)
        continue
      }
      if alpha > 0 { restoreWorkingSet(w, at: &z) }
      do {
        // Optimal on the working set: check the signs of the inequality multipliers.
        var worst = -1
        var worstValue = -1e-10 * Swift.max(1, lambda.normInfinity)
        for (k, i) in w.enumerated() where i >= problem.equalityCount && lambda[k] < worstValue {
          worst = k
          worstValue = lambda[k]
        }
        if worst < 0 {
          var full = Vector.zeros(m)
          for (k, i) in w.enumerated() {
            full[i] = i >= problem.equalityCount ? Swift.max(0, lambda[k]) : lambda[k]
          }
          return ActiveSetOutcome(x: z, multipliers: full, status: .optimal, iterations: iterations)
        }
        w.remove(at: worst)
        continue
      }
    }
    return ActiveSetOutcome(
      x: z, multipliers: .zeros(m), status: .iterationLimit, iterations: iterations)
  }
}
