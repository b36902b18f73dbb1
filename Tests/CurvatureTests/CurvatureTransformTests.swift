import Testing

@testable import Curvature

/// ∇²f for f(x) = ½ Σ dᵢ xᵢ² with d = (2, 0.5).
private let diagonalCurvature: Vector = [2, 0.5]

private func diagonalContext(_ x: Vector, seed: UInt64 = 1) -> UpdateContext {
  UpdateContext(
    parameters: x, seed: seed,
    hessianVectorProduct: { v, hv in hv.assign(diagonalCurvature .* v) })
}

@Suite struct CurvatureTransformTests {
  @Test func hutchinsonIsExactOnDiagonalHessians() {
    var g = SplitMix64(seed: 3)
    let d = HutchinsonDiagonal(probes: 1).estimate(
      dimension: 2, hvp: { v, hv in hv.assign(diagonalCurvature .* v) }, generator: &g)
    #expect(d == diagonalCurvature)
  }

  @Test func hutchinsonConvergesOnADenseMatrix() {
    let a = Matrix([[4, 1, -2], [1, 3, 0.5], [-2, 0.5, 5]])
    var g = SplitMix64(seed: 11)
    let probes = 4000
    let d = HutchinsonDiagonal(probes: probes).estimate(
      dimension: 3, hvp: { v, hv in hv = a * v }, generator: &g)
    // The estimator's standard deviation per element is √(Σ_{j≠i} aᵢⱼ² / s).
    for i in 0..<3 {
      var offDiagonal = 0.0
      for j in 0..<3 where j != i { offDiagonal += a[i, j] * a[i, j] }
      let sigma = (offDiagonal / Double(probes)).squareRoot()
      #expect(abs(d[i] - a[i, i]) < 4 * sigma, "element \(i): \(d[i]) vs \(a[i, i])")
    }
  }

  @Test func adaHessianFirstStepIsADiagonalNewtonStep() {
    // x₀ = (1, −2), g = (2, −1); m̂ = g, v̂ = D², so u = −g/(|D| + ε) with ε = 1e-4.
    let opt = Optimizers.adahessian(learningRate: .constant(1))
    let x: Vector = [1, -2]
    var state = opt.initialState(for: x)
    var u: Vector = [2, -1]
    opt.update(&u, state: &state, context: diagonalContext(x))
    #expect(abs(u[0] - (-2 / (2 + 1e-4))) < 1e-15)
    #expect(abs(u[1] - (1 / (0.5 + 1e-4))) < 1e-15)
    #expect(state.first.hessianVectorProducts == 1)
  }

  @Test func sophiaPreconditionsAndClips() {
    // γ = 1: m = 0.035·g, h = 0.01·D, ratio = 3.5·g/D.
    let opt = Optimizers.sophia(learningRate: .constant(0.1), gamma: 1)
    let x: Vector = [0.1, -0.01]
    var state = opt.initialState(for: x)
    var u: Vector = [0.2, -0.005]
    opt.update(&u, state: &state, context: diagonalContext(x))
    #expect(abs(u[0] - -0.1 * 0.35) < 1e-15)
    #expect(abs(u[1] - 0.1 * 0.035) < 1e-15)
    #expect(state.first.first.clippedCoordinates == 0)
    // A large gradient is clipped to one learning rate per coordinate.
    var big: Vector = [20, -20]
    opt.update(&big, state: &state, context: diagonalContext(x))
    #expect(big == [-0.1, 0.1])
    #expect(state.first.first.clippedCoordinates == 2)
    // The curvature estimate is refreshed only every 10 steps.
    #expect(state.first.first.hessianVectorProducts == 1)
  }

  @Test func sophiaStaysStableOnNegativeCurvature() {
    // f(x) = −x², Hessian −2: the denominator is floored at ε, so each step is at most η.
    let opt = Optimizers.sophia(learningRate: .constant(0.01), updateInterval: 1)
    var x: Vector = [0.5]
    var state = opt.initialState(for: x)
    for k in 0..<20 {
      var u: Vector = [-2 * x[0]]
      let ctx = UpdateContext(
        parameters: x, iteration: k, seed: 5, hessianVectorProduct: { v, hv in hv = -2 * v })
      opt.update(&u, state: &state, context: ctx)
      #expect(abs(u[0]) <= 0.01 + 1e-15)
      apply(u, to: &x)
    }
    #expect(x.isFinite)
  }
}
