import Curvature
import Testing

/// The nearly exact Moré-Sorensen iteration (``MoreSorensen/solveApproximately``) against the
/// exact solution of the same subproblems.
@Suite struct MoreSorensenApproximateTests {
  /// A random symmetric n × n matrix with entries N(0, 1) shifted by `shift`·I.
  static func randomSymmetric(_ n: Int, shift: Double, rng: inout SplitMix64) -> Matrix {
    var a = Matrix(rows: n, columns: n)
    for i in 0..<n {
      for j in 0...i {
        let v = rng.normal()
        a[i, j] = v
        a[j, i] = v
      }
      a[i, i] += shift
    }
    return a
  }

  @Test(arguments: [-3.0, 0.0, 6.0])
  func stepIsNearlyOptimalAndNearlyFeasible(shift: Double) throws {
    var rng = SplitMix64(seed: 42)
    for trial in 0..<40 {
      let n = 2 + trial % 6
      let h = Self.randomSymmetric(n, shift: shift, rng: &rng)
      var g = Vector.zeros(n)
      for i in 0..<n { g[i] = rng.normal() }
      let radius = [0.1, 0.5, 1, 3][trial % 4]
      let exact = try #require(MoreSorensen.solve(hessian: h, gradient: g, radius: radius))
      let near = try #require(
        MoreSorensen.solveApproximately(hessian: h, gradient: g, radius: radius))
      // ‖p‖ ≤ (1 + 0.1)Δ, and the model decrease is most of the optimal one in ‖p‖ ≤ Δ.
      #expect(near.step.norm <= 1.1 * radius * (1 + 1e-12), "trial \(trial)")
      #expect(near.modelValue < 0, "trial \(trial)")
      #expect(near.modelValue <= 0.5 * exact.modelValue, "trial \(trial)")
      let p = near.step
      let model = dot(g, p) + 0.5 * dot(p, h * p)
      #expect(Swift.abs(model - near.modelValue) <= 1e-12 * Swift.max(1, Swift.abs(model)))
    }
  }

  @Test func interiorNewtonStepWhenPositiveDefinite() throws {
    // H = diag(2, 4), g = (2, 4): the Newton step (−1, −1) lies inside Δ = 2.
    let h = Matrix(rows: 2, columns: 2, storage: [2, 0, 0, 4])
    let g = Vector([2, 4])
    let s = try #require(MoreSorensen.solveApproximately(hessian: h, gradient: g, radius: 2))
    #expect(Swift.abs(s.step[0] + 1) <= 1e-14 && Swift.abs(s.step[1] + 1) <= 1e-14)
    #expect(!s.hitsBoundary)
    #expect(s.multiplier == 0)
  }

  @Test func indefiniteHessianIsReportedAndStepReachesTheBoundary() throws {
    // H = diag(−1, 2), g = (0.1, 1): the solution lies on the boundary with λ > 1.
    let h = Matrix(rows: 2, columns: 2, storage: [-1, 0, 0, 2])
    let g = Vector([0.1, 1])
    let s = try #require(MoreSorensen.solveApproximately(hessian: h, gradient: g, radius: 1))
    #expect(s.negativeCurvature)
    #expect(s.hitsBoundary)
    #expect(s.step.norm >= 0.8 && s.step.norm <= 1.1)
    #expect(s.multiplier >= 1)
  }

  @Test func nonFiniteInputReturnsNil() {
    let h = Matrix(rows: 2, columns: 2, storage: [1, 0, 0, .nan])
    #expect(
      MoreSorensen.solveApproximately(hessian: h, gradient: Vector([1, 1]), radius: 1) == nil)
  }
}
