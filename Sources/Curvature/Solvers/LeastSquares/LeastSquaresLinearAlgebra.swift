// Small dense helpers shared by the least-squares and root-finding methods.

/// The Euclidean norms ‖J·eⱼ‖₂ of the columns of `j`.
func columnNorms(_ j: Matrix) -> Vector {
  var s = Vector.zeros(j.columns)
  for i in 0..<j.rows {
    for c in 0..<j.columns {
      let v = j[i, c]
      s[c] += v * v
    }
  }
  return s.map { $0.squareRoot() }
}

/// J padded with zero rows to at least n rows (and r with zeros), so that a QR factorization of an
/// underdetermined system (m < n) exists; the least-squares problem is unchanged.
func paddedSystem(_ j: Matrix, _ r: Vector) -> (Matrix, Vector) {
  if j.rows >= j.columns { return (j, r) }
  var p = Matrix(rows: j.columns, columns: j.columns)
  for i in 0..<j.rows { for c in 0..<j.columns { p[i, c] = j[i, c] } }
  var q = Vector.zeros(j.columns)
  for i in 0..<r.count { q[i] = r[i] }
  return (p, q)
}

/// Whether the triangular factor has a numerically nonzero diagonal:
/// |rᵢᵢ| > n·ε·maxⱼ|rⱼⱼ| for every i (and max > 0).
func hasFullRank(_ qr: QRFactorization) -> Bool {
  let d = qr.diagonalOfR
  let largest = d.normInfinity
  guard largest > 0 && largest.isFinite else { return false }
  let floor = Double(Swift.max(qr.columns, 1)) * Double.ulpOfOne * largest
  for v in d where Swift.abs(v) <= floor { return false }
  return true
}

/// ‖D·p‖₂ for the diagonal scaling D = diag(d), without forming D·p.
func scaledNorm(_ d: Vector, _ p: Vector) -> Double {
  precondition(d.count == p.count, "scaledNorm: scaling has \(d.count) entries, p has \(p.count)")
  var sum = 0.0
  for i in 0..<p.count {
    let t = d[i] * p[i]
    sum += t * t
  }
  return sum.squareRoot()
}

/// ‖J·p‖₂ without forming J·p.
func productNorm(_ j: Matrix, _ p: Vector) -> Double {
  precondition(j.columns == p.count, "productNorm: J has \(j.columns) columns, p has \(p.count)")
  var sum = 0.0
  j.storage.withUnsafeBufferPointer { pj in
    p.storage.withUnsafeBufferPointer { pp in
      let n = j.columns
      for i in 0..<j.rows {
        var t = 0.0
        for k in 0..<n { t += pj[i * n + k] * pp[k] }
        sum += t * t
      }
    }
  }
  return sum.squareRoot()
}

/// Solves Rx = b for the upper-triangular R (back substitution).
func solveUpperTriangular(_ r: Matrix, _ b: Vector) -> Vector {
  let n = r.columns
  var x = b
  var i = n - 1
  while i >= 0 {
    var s = x[i]
    for k in (i + 1)..<n { s -= r[i, k] * x[k] }
    x[i] = s / r[i, i]
    i -= 1
  }
  return x
}

/// The minimizer p of ‖[R; √λ·D]p + [c; 0]‖₂ (2n × n), that is of ‖Jp + r‖² + λ‖Dp‖² when
/// J = QR and c = (Qᵀr)[0..<n], with the triangular factor R_λ of the stacked matrix
/// (R_λᵀR_λ = JᵀJ + λD²). Nil when the result is not finite (non-finite input, or a singular
/// R_λ when λ = 0 or D has zeros).
///
/// The rows of √λ·D are eliminated into R one at a time by Givens rotations (Moré 1978,
/// section 3; MINPACK's `qrsolv`): row i starts with its single nonzero √λ·dᵢ in column i, and
/// the rotation of rows (k, extra) for k = i, i+1, … zeroes its entry k while filling entries
/// k+1…n−1, so R_λ costs O(n²) per λ instead of a fresh O(n³) factorization of the stacked
/// matrix. The right-hand side [−c; 0] is rotated along, and p solves R_λ p = (rotated)[0..<n].
func dampedStep(r: Matrix, c: Vector, diag: Vector, lambda: Double) -> (
  step: Vector, rLambda: Matrix
)? {
  let n = r.columns
  let s = lambda.squareRoot()
  var rl = Matrix(rows: n, columns: n)
  var b = Vector.zeros(n)
  rl.storage.withUnsafeMutableBufferPointer { pr in
    b.storage.withUnsafeMutableBufferPointer { pb in
      withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(n, 1)) { pw in
        for i in 0..<n {
          for k in i..<n { pr[i * n + k] = r[i, k] }
          pb[i] = -c[i]
        }
        for i in 0..<n {
          let d = s * diag[i]
          if d == 0 { continue }
          for k in i..<n { pw[k] = 0 }
          pw[i] = d
          var extra = 0.0
          for k in i..<n {
            let e = pw[k]
            if e == 0 { continue }
            let rkk = pr[k * n + k]
            // cos·rkk + sin·e = ±√(rkk² + e²), −sin·rkk + cos·e = 0, without overflow.
            let cosine: Double
            let sine: Double
            if Swift.abs(rkk) < Swift.abs(e) {
              let cotangent = rkk / e
              sine = 1 / (1 + cotangent * cotangent).squareRoot()
              cosine = sine * cotangent
            } else {
              let tangent = e / rkk
              cosine = 1 / (1 + tangent * tangent).squareRoot()
              sine = cosine * tangent
            }
            pr[k * n + k] = cosine * rkk + sine * e
            let bk = pb[k]
            pb[k] = cosine * bk + sine * extra
            extra = -sine * bk + cosine * extra
            for j in (k + 1)..<n {
              let rkj = pr[k * n + j]
              let ej = pw[j]
              pr[k * n + j] = cosine * rkj + sine * ej
              pw[j] = -sine * rkj + cosine * ej
            }
          }
        }
        // Back substitution R_λ p = b.
        var i = n - 1
        while i >= 0 {
          var t = pb[i]
          for k in (i + 1)..<n { t -= pr[i * n + k] * pb[k] }
          pb[i] = t / pr[i * n + i]
          i -= 1
        }
      }
    }
  }
  guard b.isFinite && rl.isFinite else { return nil }
  return (b, rl)
}

/// Powell's dogleg step in the scaled trust region ‖Dp‖ ≤ Δ for the model
/// m(p) = ½‖r + Jp‖² (Powell 1970; Nocedal & Wright §4.1; MINPACK's `dogleg`):
///
/// - the Gauss-Newton point p_GN (minimizer of m) when ‖D·p_GN‖ ≤ Δ;
/// - else the Cauchy point p_C = −t·D⁻²g along the scaled steepest descent direction, with
///   g = Jᵀr and t = ‖D⁻¹g‖²/‖J·D⁻²g‖², cut back to the boundary when ‖D·p_C‖ ≥ Δ;
/// - else the point p_C + τ(p_GN − p_C) with ‖D(·)‖ = Δ, τ ∈ [0, 1].
///
/// `gaussNewton` is nil when J is rank deficient; the Cauchy step is then used (cut to Δ).
func doglegStep(
  jacobian j: Matrix, gradient g: Vector, gaussNewton: Vector?, diag: Vector, radius: Double
) -> Vector {
  let n = g.count
  if let pgn = gaussNewton {
    let norm = (diag .* pgn).norm
    if norm <= radius { return pgn }
  }
  let scaledG = g ./ diag  // D⁻¹g
  let gNorm = scaledG.norm
  if gNorm == 0 { return gaussNewton ?? .zeros(n) }
  let s = scaledG ./ diag  // D⁻²g
  let js = j * s
  let jsNorm2 = js.normSquared
  let t = jsNorm2 > 0 ? gNorm * gNorm / jsNorm2 : Double.infinity
  let cauchyScaledNorm = t * gNorm
  if cauchyScaledNorm >= radius || gaussNewton == nil {
    let length = Swift.min(t, radius / gNorm)
    return s.scaled(by: -length)
  }
  let pc = s.scaled(by: -t)
  let pgn = gaussNewton!
  // ‖D(pc + τ d)‖ = Δ with d = pgn − pc: a‖τ‖² + 2bτ + c = 0.
  let dpc = diag .* pc
  let dd = diag .* (pgn - pc)
  let a = dd.normSquared
  let b = dot(dpc, dd)
  let c = dpc.normSquared - radius * radius
  var tau = 1.0
  if a > 0 {
    let disc = Swift.max(b * b - a * c, 0).squareRoot()
    // The positive root, written without cancellation.
    tau = b <= 0 ? (-b + disc) / a : -c / (b + disc)
  }
  tau = Swift.min(Swift.max(tau, 0), 1)
  var p = pc
  axpy(tau, pgn - pc, &p)
  return p
}
