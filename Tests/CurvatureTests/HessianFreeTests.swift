import Testing

@testable import Curvature

/// f(x) = ½‖r(x)‖² with Rosenbrock's residuals r = (10(x₂ − x₁²), 1 − x₁).
private struct RosenbrockResiduals {
  static func residuals(_ x: Vector) -> Vector { [10 * (x[1] - x[0] * x[0]), 1 - x[0]] }
  static func jacobian(_ x: Vector) -> Matrix { Matrix([[-20 * x[0], 10], [-1, 0]]) }
  static func value(_ x: Vector) -> Double { 0.5 * residuals(x).normSquared }
  static func gradient(_ x: Vector) -> Vector { jacobian(x).transposeMultiply(residuals(x)) }
  static func hessianVectorProduct(_ x: Vector, _ v: Vector) -> Vector {
    // ∇²f = JᵀJ + Σ rᵢ∇²rᵢ, with ∇²r₁ = [[−20, 0], [0, 0]].
    let j = jacobian(x)
    var hv = j.transposeMultiply(j * v)
    hv[0] += residuals(x)[0] * -20 * v[0]
    return hv
  }
}

private func context(_ x: Vector, iteration: Int) -> UpdateContext {
  UpdateContext(
    parameters: x, value: RosenbrockResiduals.value(x), iteration: iteration, seed: 9,
    evaluateValue: { RosenbrockResiduals.value($0) },
    hessianVectorProduct: { v, out in out = RosenbrockResiduals.hessianVectorProduct(x, v) },
    gaussNewtonProduct: { v, out in
      let j = RosenbrockResiduals.jacobian(x)
      out = j.transposeMultiply(j * v)
    })
}

private func train(_ opt: HessianFreeNewton, steps: Int) -> (
  x: Vector, state: HessianFreeNewton.State, steps: Int
) {
  var x: Vector = [-1.2, 1]
  var state = opt.initialState(for: x)
  for k in 0..<steps {
    var u = RosenbrockResiduals.gradient(x)
    if u.normInfinity <= 1e-8 { return (x, state, k) }
    opt.update(&u, state: &state, context: context(x, iteration: k))
    apply(u, to: &x)
  }
  return (x, state, steps)
}

@Suite struct HessianFreeTests {
  @Test(arguments: [HessianFreeNewton.Curvature.gaussNewton, .hessian])
  func hessianFreeSolvesRosenbrock(curvature: HessianFreeNewton.Curvature) {
    let (x, state, steps) = train(Optimizers.hessianFree(curvature: curvature), steps: 200)
    #expect(abs(x[0] - 1) < 1e-6 && abs(x[1] - 1) < 1e-6, "x = \(x) after \(steps) steps")
    #expect(state.cgIterations > 0)
    #expect(state.curvatureProducts >= state.cgIterations)
  }

  @Test func levenbergMarquardtAndGaussNewtonSolveRosenbrock() {
    let lm = train(Optimizers.levenbergMarquardt(), steps: 200)
    #expect(abs(lm.x[0] - 1) < 1e-6 && abs(lm.x[1] - 1) < 1e-6, "LM x = \(lm.x)")
    let gn = train(Optimizers.gaussNewton(), steps: 200)
    #expect(abs(gn.x[0] - 1) < 1e-6 && abs(gn.x[1] - 1) < 1e-6, "GN x = \(gn.x)")
    // Zero-residual problem: Gauss-Newton converges quadratically near the solution.
    #expect(gn.steps < 30)
  }

  @Test func dampingFollowsTheReductionRatio() {
    // One step from the start: a good model (ρ > 3/4) shrinks λ by 2/3, a poor one grows it.
    let opt = HessianFreeNewton(initialDamping: 1)
    let x: Vector = [-1.2, 1]
    var state = opt.initialState(for: x)
    var u = RosenbrockResiduals.gradient(x)
    opt.update(&u, state: &state, context: context(x, iteration: 0))
    let rho = state.lastRatio
    #expect(rho.isFinite)
    if rho > 0.75 {
      #expect(abs(state.damping - 2.0 / 3.0) < 1e-15)
    } else if rho < 0.25 {
      #expect(abs(state.damping - 1.5) < 1e-15)
    } else {
      #expect(state.damping == 1)
    }
    // The step decreases f.
    var next = x
    apply(u, to: &next)
    #expect(RosenbrockResiduals.value(next) < RosenbrockResiduals.value(x))
  }

  @Test func nonFiniteGradientGivesAZeroStep() {
    let opt = HessianFreeNewton()
    let x: Vector = [0, 0]
    var state = opt.initialState(for: x)
    var u: Vector = [.nan, 1]
    opt.update(&u, state: &state, context: context(x, iteration: 0))
    #expect(u == [0, 0])
  }

  @Test func preconditionedVariantConverges() {
    let opt = HessianFreeNewton(preconditionerExponent: 0.75)
    let (x, _, _) = train(opt, steps: 300)
    #expect(abs(x[0] - 1) < 1e-6 && abs(x[1] - 1) < 1e-6, "x = \(x)")
  }
}
