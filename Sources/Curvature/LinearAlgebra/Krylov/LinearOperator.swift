/// A linear operator given as a closure: `apply(v, &result)` overwrites `result` with A·v.
///
/// The Krylov solvers (``ConjugateGradient``, ``SteihaugCG``, ``Lanczos``, ``GLTR``) only touch
/// the matrix through this closure, so A can be a dense ``Matrix``, a Hessian-vector product, a
/// Gauss-Newton product JᵀJv, or anything else that is symmetric. `result` arrives with the right
/// length (the solvers preallocate it once per solve); the closure must not resize it.
///
/// A preconditioner has the same shape and applies M⁻¹ for a symmetric positive definite M:
/// `preconditioner(r, &z)` writes z = M⁻¹r.
///
/// Example, a dense matrix: `let a: LinearOperator = { v, out in matrix.multiply(v, into: &out) }`.
public typealias LinearOperator = (_ vector: Vector, _ result: inout Vector) -> Void

// Small in-place kernels shared by the Krylov solvers.

/// p ← a·z + b·p, in place (used for the CG direction update p ← z + βp).
@inline(__always)
func krylovCombine(_ a: Double, _ z: Vector, _ b: Double, _ p: inout Vector) {
  checkSameCount(z.count, p.count)
  z.withUnsafeBufferPointer { pz in
    p.withUnsafeMutableBufferPointer { pp in
      guard let s = pz.baseAddress, let d = pp.baseAddress else { return }
      for i in 0..<pz.count { d[i] = a * s[i] + b * d[i] }
    }
  }
}

/// u ← a·b and v ← a·b in one pass over b (the same numbers as `b.scaled(by: a)`; for a = 1 a
/// copy), for the CG start r₀ = p₀ = b.
@inline(__always)
func krylovAssignTwice(_ b: Vector, scaledBy a: Double, _ u: inout Vector, _ v: inout Vector) {
  checkSameCount(b.count, u.count)
  checkSameCount(b.count, v.count)
  b.withUnsafeBufferPointer { pb in
    u.withUnsafeMutableBufferPointer { pu in
      v.withUnsafeMutableBufferPointer { pv in
        guard let s = pb.baseAddress, let d = pu.baseAddress, let e = pv.baseAddress else {
          return
        }
        for i in 0..<pb.count {
          let t = s[i] * a
          d[i] = t
          e[i] = t
        }
      }
    }
  }
}

/// The Steihaug start p ← 0, r ← g and, when `writesDirection`, d ← −g (the numbers of
/// `r.assign(g)` and `d.assign(r, scaledBy: -1)`), in one pass over g.
@inline(__always)
func steihaugStart(
  _ g: Vector, step p: inout Vector, residual r: inout Vector, direction d: inout Vector,
  writesDirection: Bool
) {
  let n = g.count
  checkSameCount(n, p.count)
  checkSameCount(n, r.count)
  checkSameCount(n, d.count)
  g.withUnsafeBufferPointer { pg in
    p.withUnsafeMutableBufferPointer { pp in
      r.withUnsafeMutableBufferPointer { pr in
        d.withUnsafeMutableBufferPointer { pd in
          guard let s = pg.baseAddress, let a = pp.baseAddress, let b = pr.baseAddress,
            let c = pd.baseAddress
          else { return }
          if writesDirection {
            for i in 0..<n {
              let v = s[i]
              a[i] = 0
              b[i] = v
              c[i] = v * -1
            }
          } else {
            for i in 0..<n {
              a[i] = 0
              b[i] = s[i]
            }
          }
        }
      }
    }
  }
}

/// Whether a vector has the expected length, for operator outputs.
@inline(__always)
func checkOperatorOutput(_ result: Vector, _ n: Int) {
  precondition(
    result.count == n,
    "dimension mismatch: linear operator output has \(result.count) elements, expected \(n)")
}

/// The CG update x ← x + αp, r ← r + σ·Ap, returning rᵀr of the new residual; the norm is
/// accumulated while r is written, which saves one pass over r (the x and r updates share no
/// operand, so they run as two separate vectorizable loops).
@inline(__always)
func conjugateGradientUpdate(
  _ alpha: Double, _ p: Vector, _ x: inout Vector, _ sigma: Double, _ ap: Vector,
  _ r: inout Vector
) -> Double {
  let n = p.count
  checkSameCount(n, ap.count)
  checkSameCount(n, r.count)
  axpy(alpha, p, &x)
  return ap.withUnsafeBufferPointer { pap in
    r.withUnsafeMutableBufferPointer { pr in
      guard let b = pap.baseAddress, let d = pr.baseAddress else { return 0 }
      var s0 = 0.0
      var s1 = 0.0
      var s2 = 0.0
      var s3 = 0.0
      var i = 0
      while i + 4 <= n {
        let r0 = d[i] + sigma * b[i]
        let r1 = d[i + 1] + sigma * b[i + 1]
        let r2 = d[i + 2] + sigma * b[i + 2]
        let r3 = d[i + 3] + sigma * b[i + 3]
        d[i] = r0
        d[i + 1] = r1
        d[i + 2] = r2
        d[i + 3] = r3
        s0 += r0 * r0
        s1 += r1 * r1
        s2 += r2 * r2
        s3 += r3 * r3
        i += 4
      }
      while i < n {
        let r0 = d[i] + sigma * b[i]
        d[i] = r0
        s0 += r0 * r0
        i += 1
      }
      return (s0 + s1) + (s2 + s3)
    }
  }
}

/// (pᵀp, pᵀd, dᵀd) in one pass over p and d, for the boundary test of Steihaug's method.
@inline(__always)
func boundaryProducts(_ p: Vector, _ d: Vector) -> (pp: Double, pd: Double, dd: Double) {
  checkSameCount(p.count, d.count)
  return p.withUnsafeBufferPointer { pp in
    d.withUnsafeBufferPointer { pd in
      guard let a = pp.baseAddress, let b = pd.baseAddress else { return (0, 0, 0) }
      var s0 = 0.0
      var s1 = 0.0
      var s2 = 0.0
      var t0 = 0.0
      var t1 = 0.0
      var t2 = 0.0
      let n = pp.count
      var i = 0
      while i + 2 <= n {
        s0 += a[i] * a[i]
        s1 += a[i] * b[i]
        s2 += b[i] * b[i]
        t0 += a[i + 1] * a[i + 1]
        t1 += a[i + 1] * b[i + 1]
        t2 += b[i + 1] * b[i + 1]
        i += 2
      }
      if i < n {
        s0 += a[i] * a[i]
        s1 += a[i] * b[i]
        s2 += b[i] * b[i]
      }
      return (s0 + t0, s1 + t1, s2 + t2)
    }
  }
}
