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

/// The Steihaug start r ← g and, when `writesDirection`, d ← −g (the numbers of `r.assign(g)`
/// and `d.assign(r, scaledBy: -1)`), in one pass over g. (The step p₀ = 0 is not written: the
/// first update writes p₁ = 0 + α₀d₀ with ``assignFromZero(_:_:into:)``.)
@inline(__always)
func steihaugStart(
  _ g: Vector, residual r: inout Vector, direction d: inout Vector, writesDirection: Bool
) {
  let n = g.count
  checkSameCount(n, r.count)
  checkSameCount(n, d.count)
  g.withUnsafeBufferPointer { pg in
    r.withUnsafeMutableBufferPointer { pr in
      d.withUnsafeMutableBufferPointer { pd in
        guard let s = pg.baseAddress, let b = pr.baseAddress, let c = pd.baseAddress else {
          return
        }
        if writesDirection {
          for i in 0..<n {
            let v = s[i]
            b[i] = v
            c[i] = v * -1
          }
        } else {
          for i in 0..<n { b[i] = s[i] }
        }
      }
    }
  }
}

/// z ← x + a·y, returning ‖x‖₂ from the same pass: bit-for-bit `x.norm` followed by
/// `addScaled(x, a, y, into: &z)` (see ``addScaledWithNorm(_:_:_:into:normOfBase:)``). z must be a
/// different buffer from x. Used by GLTR for ‖Bqⱼ‖ and w = Bqⱼ − βⱼ₋₁qⱼ₋₁.
@inline(__always)
func addScaledReturningBaseNorm(_ x: Vector, _ a: Double, _ y: Vector, into z: inout Vector)
  -> Double
{
  addScaledWithNorm(x, a, y, into: &z, normOfBase: true)
}

/// y ← y + a·x, returning yᵀy of the new y: bit-for-bit `axpy(a, x, &y)` followed by
/// `y.normSquared` (summed exactly as ``dotKernel(_:_:)`` sums it), in one pass.
@inline(__always)
func axpyReturningNormSquared(_ a: Double, _ x: Vector, _ y: inout Vector) -> Double {
  checkSameCount(x.count, y.count)
  return x.withUnsafeBufferPointer { px in
    y.withUnsafeMutableBufferPointer { py -> Double in
      let n = px.count
      guard n > 0, let s = px.baseAddress, let d = py.baseAddress else { return 0 }
      var s0 = 0.0
      var s1 = 0.0
      var s2 = 0.0
      var s3 = 0.0
      var i = 0
      while i + 8 <= n {
        let v0 = d[i] + a * s[i]
        let v1 = d[i + 1] + a * s[i + 1]
        let v2 = d[i + 2] + a * s[i + 2]
        let v3 = d[i + 3] + a * s[i + 3]
        let v4 = d[i + 4] + a * s[i + 4]
        let v5 = d[i + 5] + a * s[i + 5]
        let v6 = d[i + 6] + a * s[i + 6]
        let v7 = d[i + 7] + a * s[i + 7]
        d[i] = v0
        d[i + 1] = v1
        d[i + 2] = v2
        d[i + 3] = v3
        d[i + 4] = v4
        d[i + 5] = v5
        d[i + 6] = v6
        d[i + 7] = v7
        s0 += v0 * v0 + v4 * v4
        s1 += v1 * v1 + v5 * v5
        s2 += v2 * v2 + v6 * v6
        s3 += v3 * v3 + v7 * v7
        i += 8
      }
      while i < n {
        let v = d[i] + a * s[i]
        d[i] = v
        s0 += v * v
        i += 1
      }
      return (s0 + s1) + (s2 + s3)
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
  _ r: inout Vector, startsFromZero: Bool = false
) -> Double {
  let n = p.count
  checkSameCount(n, ap.count)
  checkSameCount(n, r.count)
  if startsFromZero {
    assignFromZero(alpha, p, into: &x)
  } else {
    axpy(alpha, p, &x)
  }
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

/// The products of one Steihaug iteration in one pass: κ = dᵀ(Bd), bit-for-bit `dot(d, bd)`, and
/// (pᵀp, pᵀd, dᵀd), bit-for-bit `boundaryProducts(p, d)`; with `stepIsZero` (p = 0, the first
/// iteration) p is not read and pᵀp = pᵀd = 0. Summing the inner product and the boundary
/// products in the same loop overlaps their dependency chains.
@inline(__always)
func steihaugProducts(_ d: Vector, _ bd: Vector, _ p: Vector, stepIsZero: Bool) -> (
  kappa: Double, pp: Double, pd: Double, dd: Double
) {
  let n = d.count
  checkSameCount(n, bd.count)
  checkSameCount(n, p.count)
  return d.withUnsafeBufferPointer { pdd in
    bd.withUnsafeBufferPointer { pbd in
      p.withUnsafeBufferPointer { ppp -> (Double, Double, Double, Double) in
        guard n > 0, let a = pdd.baseAddress, let b = pbd.baseAddress, let q = ppp.baseAddress
        else { return (0, 0, 0, 0) }
        var kappaSum = DotAccumulator()  // dotKernel(d, bd)
        // boundaryProducts(p, d)'s accumulators: (s, t) for even and odd indices.
        var s0 = 0.0
        var s1 = 0.0
        var s2 = 0.0
        var t0 = 0.0
        var t1 = 0.0
        var t2 = 0.0
        var i = 0
        while i + 8 <= n {
          kappaSum.addBlock(a, b, i)
          var j = i
          if stepIsZero {
            while j < i + 8 {
              s2 += a[j] * a[j]
              t2 += a[j + 1] * a[j + 1]
              j += 2
            }
          } else {
            while j < i + 8 {
              s0 += q[j] * q[j]
              s1 += q[j] * a[j]
              s2 += a[j] * a[j]
              t0 += q[j + 1] * q[j + 1]
              t1 += q[j + 1] * a[j + 1]
              t2 += a[j + 1] * a[j + 1]
              j += 2
            }
          }
          i += 8
        }
        kappaSum.addTail(a, b, from: i, to: n)
        while i + 2 <= n {
          if !stepIsZero {
            s0 += q[i] * q[i]
            s1 += q[i] * a[i]
            t0 += q[i + 1] * q[i + 1]
            t1 += q[i + 1] * a[i + 1]
          }
          s2 += a[i] * a[i]
          t2 += a[i + 1] * a[i + 1]
          i += 2
        }
        if i < n {
          if !stepIsZero {
            s0 += q[i] * q[i]
            s1 += q[i] * a[i]
          }
          s2 += a[i] * a[i]
        }
        let kappa = kappaSum.total
        if stepIsZero { return (kappa, 0, 0, s2 + t2) }
        return (kappa, s0 + t0, s1 + t1, s2 + t2)
      }
    }
  }
}

/// y ← 0 + a·x without reading y: bit-for-bit `y.fill(0)` followed by `axpy(a, x, &y)` (adding
/// +0 turns a product −0 into +0, as the accumulation into a zero-filled y does), one write
/// pass instead of two. For the first update of an iterate that starts at zero.
@inline(__always)
func assignFromZero(_ a: Double, _ x: Vector, into y: inout Vector) {
  checkSameCount(x.count, y.count)
  x.withUnsafeBufferPointer { px in
    y.withUnsafeMutableBufferPointer { py in
      guard let s = px.baseAddress, let d = py.baseAddress else { return }
      for i in 0..<px.count { d[i] = 0.0 + a * s[i] }
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
