/// The constraints of a ``QuadraticProgram`` as one list of rows: the equalities, the general
/// inequalities, then one row eⱼ ≥ lⱼ or −eⱼ ≥ −uⱼ per finite bound.
struct StackedConstraints {
  var rows: Matrix
  var rhs: Vector
  var equalityCount: Int
  var inequalityCount: Int
  /// For each bound row: the variable and whether it is a lower bound.
  var boundRows: [(variable: Int, isLower: Bool)]

  var rowCount: Int { rows.rows }
  /// Equalities plus general inequalities (the rows that phase 1 and elastic mode relax).
  var softCount: Int { equalityCount + inequalityCount }

  init(_ qp: QuadraticProgram) {
    let n = qp.dimension
    var bounds: [(variable: Int, isLower: Bool)] = []
    for j in 0..<n {
      if qp.lower[j].isFinite { bounds.append((j, true)) }
      if qp.upper[j].isFinite { bounds.append((j, false)) }
    }
    let me = qp.equalityCount
    let mi = qp.inequalityCount
    let m = me + mi + bounds.count
    var a = Matrix(rows: m, columns: n)
    var b = Vector.zeros(m)
    for i in 0..<me {
      for j in 0..<n { a[i, j] = qp.equalityMatrix[i, j] }
      b[i] = qp.equalityVector[i]
    }
    for i in 0..<mi {
      for j in 0..<n { a[me + i, j] = qp.inequalityMatrix[i, j] }
      b[me + i] = qp.inequalityVector[i]
    }
    for (k, bound) in bounds.enumerated() {
      let r = me + mi + k
      a[r, bound.variable] = bound.isLower ? 1 : -1
      b[r] = bound.isLower ? qp.lower[bound.variable] : -qp.upper[bound.variable]
    }
    rows = a
    rhs = b
    equalityCount = me
    inequalityCount = mi
    boundRows = bounds
  }

  func rowDot(_ i: Int, _ z: Vector) -> Double {
    var s = 0.0
    for j in 0..<rows.columns { s += rows[i, j] * z[j] }
    return s
  }

  /// The largest violation with every row scaled to unit norm (a distance to each constraint).
  func scaledViolation(at p: Vector) -> Double {
    var v = 0.0
    for i in 0..<rowCount {
      let norm = rows.row(i).norm
      let scale = norm > 0 ? 1 / norm : 1
      let r = (rowDot(i, p) - rhs[i]) * scale
      v = Swift.max(v, i < equalityCount ? Swift.abs(r) : -r)
    }
    return v
  }

  /// Splits stacked multipliers into a solution of `qp`.
  func solution(_ qp: QuadraticProgram, x: Vector, multipliers lambda: Vector)
    -> QuadraticProgramSolution
  {
    let n = qp.dimension
    var lower = Vector.zeros(n)
    var upper = Vector.zeros(n)
    for (k, bound) in boundRows.enumerated() {
      let value = lambda[softCount + k]
      if bound.isLower { lower[bound.variable] = value } else { upper[bound.variable] = value }
    }
    return QuadraticProgramSolution(
      x: x, equalityMultipliers: Vector(lambda[0..<equalityCount]),
      inequalityMultipliers: Vector(lambda[equalityCount..<softCount]),
      lowerBoundMultipliers: lower, upperBoundMultipliers: upper, status: .optimal, iterations: 0,
      phaseOneIterations: 0, violation: qp.violation(at: x))
  }
}

/// The elastic (ℓ₁-relaxed) form of stacked constraints in the variables z = (p, v, w, t):
///
///     minimize    ½pᵀHp + cᵀp + γ(Σvⱼ + Σwⱼ + Σtⱼ) + (δₛ/2)‖(v, w, t)‖²
///     subject to  sⱼ(aₑⱼᵀp − bₑⱼ) − vⱼ + wⱼ = 0,   sⱼ(aᵢⱼᵀp − bᵢⱼ) + tⱼ ≥ 0,
///                 bound rows on p,   v, w, t ≥ 0,
///
/// with sⱼ = 1/‖aⱼ‖ when normalizing and 1 otherwise. It is feasible at any p within the bounds
/// with the slacks set to the (scaled) violations.
struct ElasticQP {
  let stacked: StackedConstraints
  let problem: StackedQP
  let scales: [Double]
  let n: Int

  init(
    _ stacked: StackedConstraints, hessian: Matrix, linear: Vector, penalty: Double,
    slackRegularization: Double, normalize: Bool
  ) {
    self.stacked = stacked
    let n = linear.count
    self.n = n
    let me = stacked.equalityCount
    let mi = stacked.inequalityCount
    let slacks = 2 * me + mi
    let dim = n + slacks
    let hardCount = stacked.rowCount - stacked.softCount
    let m = stacked.softCount + hardCount + slacks
    var scales = [Double](repeating: 1, count: stacked.softCount)
    if normalize {
      for i in 0..<stacked.softCount {
        let norm = stacked.rows.row(i).norm
        if norm > 0 { scales[i] = 1 / norm }
      }
    }
    self.scales = scales
    var h = Matrix(rows: dim, columns: dim)
    for i in 0..<n { for j in 0..<n { h[i, j] = hessian[i, j] } }
    for k in n..<dim { h[k, k] = slackRegularization }
    var c = Vector(repeating: penalty, count: dim)
    for j in 0..<n { c[j] = linear[j] }
    var a = Matrix(rows: m, columns: dim)
    var b = Vector.zeros(m)
    for i in 0..<stacked.softCount {
      for j in 0..<n { a[i, j] = scales[i] * stacked.rows[i, j] }
      b[i] = scales[i] * stacked.rhs[i]
      if i < me {
        a[i, n + i] = -1
        a[i, n + me + i] = 1
      } else {
        a[i, n + me + i] = 1  // t of inequality i − me sits at n + 2me + (i − me)
      }
    }
    for k in 0..<hardCount {
      let r = stacked.softCount + k
      for j in 0..<n { a[r, j] = stacked.rows[r, j] }
      b[r] = stacked.rhs[r]
    }
    for s in 0..<slacks {
      a[stacked.rowCount + s, n + s] = 1
    }
    problem = StackedQP(hessian: h, linear: c, rows: a, rhs: b, equalityCount: me)
  }

  struct Outcome {
    var p: Vector
    var status: QuadraticProgramStatus
    var iterations: Int
    /// Multipliers of the original stacked rows (soft rows scaled back to the unscaled rows).
    var softAndHardMultipliers: Vector
  }

  /// Runs the active-set iteration from p₀ (within the bounds) with slacks at the violations.
  func solve(from p0: Vector, maxIterations: Int) -> Outcome {
    let me = stacked.equalityCount
    var z = Vector.zeros(problem.dimension)
    for j in 0..<n { z[j] = p0[j] }
    for i in 0..<stacked.softCount {
      let r = scales[i] * (stacked.rowDot(i, p0) - stacked.rhs[i])
      if i < me {
        z[n + i] = Swift.max(0, r)
        z[n + me + i] = Swift.max(0, -r)
      } else {
        z[n + me + i] = Swift.max(0, -r)
      }
    }
    let zeroMultipliers = Vector.zeros(stacked.rowCount)
    guard let factor = CholeskyFactorization(of: problem.hessian) else {
      return Outcome(
        p: p0, status: .notConvex, iterations: 0, softAndHardMultipliers: zeroMultipliers)
    }
    let core = ActiveSetCore(problem: problem, factor: factor, maxIterations: maxIterations)
    let out = core.run(from: z, workingSet: Array(0..<me))
    let p = Vector(out.x[0..<n])
    var lambda = zeroMultipliers
    for i in 0..<stacked.rowCount {
      lambda[i] = out.multipliers[i] * (i < stacked.softCount ? scales[i] : 1)
    }
    return Outcome(
      p: p, status: out.status, iterations: out.iterations, softAndHardMultipliers: lambda)
  }
}
