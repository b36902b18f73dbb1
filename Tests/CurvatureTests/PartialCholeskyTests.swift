import Testing

@testable import Curvature

/// ``MoreSorensen/partialCholesky(_:shift:into:)`` of A itself, into a fresh matrix.
private func partialCholesky(_ a: Matrix) -> (MoreSorensen.PartialCholesky, factor: Matrix) {
  var l = Matrix(rows: a.rows, columns: a.rows)
  let outcome = MoreSorensen.partialCholesky(a, shift: 0, into: &l)
  return (outcome, l)
}

/// The breakdown report of the Moré-Sorensen partial Cholesky factorization, with the breakdown
/// placed in the first block and beyond the blocked factorization's first 64-column panel.
@Suite struct PartialCholeskyTests {
  /// A = LLᵀ for a seeded unit-diagonal-dominant L, with c subtracted from A[k, k] so the pivot
  /// of row k becomes lₖₖ² − c < 0 when c > lₖₖ².
  @Test(arguments: [(5, 2), (150, 0), (150, 101)])
  func breakdownGivesShiftAndNullVector(n: Int, row k: Int) throws {
    var rng = SplitMix64(seed: UInt64(n * 31 + k))
    var l = Matrix(rows: n, columns: n)
    for i in 0..<n {
      for j in 0..<i { l[i, j] = 0.3 * rng.normal() }
      l[i, i] = 1 + rng.uniform()
    }
    var a = l.multiplyTranspose(l)
    let c = l[k, k] * l[k, k] + 2.5
    a[k, k] -= c
    guard case .failed(let delta, let v) = partialCholesky(a).0 else {
      Issue.record("expected a breakdown at row \(k)")
      return
    }
    #expect(Swift.abs(delta - 2.5) <= 1e-10)
    #expect(v[k] == 1)
    for i in (k + 1)..<n { #expect(v[i] == 0) }
    // (A + δ eₖeₖᵀ) v = 0 on the leading block, so vᵀAv = −δ.
    let av = a * v
    #expect(Swift.abs(dot(v, av) + delta) <= 1e-9 * Swift.max(1, v.normSquared))
    for i in 0..<k { #expect(Swift.abs(av[i]) <= 1e-9 * Swift.max(1, v.norm)) }
  }

  @Test func positiveDefiniteMatrixIsFactored() throws {
    var rng = SplitMix64(seed: 4)
    let n = 130
    var b = Matrix(rows: n, columns: n)
    for i in 0..<n { for j in 0..<n { b[i, j] = rng.normal() } }
    var a = b.multiplyTranspose(b)
    for i in 0..<n { a[i, i] += 1 }
    let (outcome, f) = partialCholesky(a)
    guard case .factored = outcome else {
      Issue.record("a positive definite matrix must factor")
      return
    }
    let residual = (f.multiplyTranspose(f) - a).storage.map(Swift.abs).max() ?? 0
    #expect(residual <= 1e-10 * Double(n))
    #expect(f[0, 1] == 0 && f[n - 2, n - 1] == 0)
  }

  /// Factoring A + σI into a reused buffer gives bit for bit the factor of the formed A + σI,
  /// whatever the buffer held before (a breakdown's partial factor, another shift's factor).
  @Test func shiftedFactorIntoReusedBuffer() {
    var rng = SplitMix64(seed: 9)
    let n = 140
    var b = Matrix(rows: n, columns: n)
    for i in 0..<n { for j in 0..<n { b[i, j] = rng.normal() } }
    var a = b.multiplyTranspose(b)
    for i in 0..<n { a[i, i] -= 30 }  // indefinite: small shifts break down
    var l = Matrix(rows: n, columns: n)
    for sigma in [0.0, 1000.0, 5.0, 200.0] {
      var shifted = a
      for i in 0..<n { shifted[i, i] += sigma }
      let (expected, factor) = partialCholesky(shifted)
      let got = MoreSorensen.partialCholesky(a, shift: sigma, into: &l)
      switch (got, expected) {
      case (.factored, .factored):
        for i in 0..<n { for j in 0...i { #expect(l[i, j].bitPattern == factor[i, j].bitPattern) } }
      case (.failed(let d1, let v1), .failed(let d2, let v2)):
        #expect(d1.bitPattern == d2.bitPattern)
        #expect(v1 == v2)
      default:
        Issue.record("σ = \(sigma): \(got) against \(expected)")
      }
    }
    for i in 0..<n {
      for j in (i + 1)..<n where l[i, j] != 0 { Issue.record("upper [\(i), \(j)] written") }
    }
  }
}
