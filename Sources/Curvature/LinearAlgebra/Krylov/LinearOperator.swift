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

/// Whether a vector has the expected length, for operator outputs.
@inline(__always)
func checkOperatorOutput(_ result: Vector, _ n: Int) {
  precondition(
    result.count == n,
    "dimension mismatch: linear operator output has \(result.count) elements, expected \(n)")
}
