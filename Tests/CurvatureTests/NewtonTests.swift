import RealModule
import Testing

@testable import Curvature

/// Rosenbrock f = 100(y − x²)² + (1 − x)² with its exact Hessian-vector product.
let rosenbrockWithProducts = FunctionObjective(
  dimension: 2,
  gradient: { x, g in
    let a = x[1] - x[0] * x[0]
    let b = 1 - x[0]
    g[0] = -400 * x[0] * a - 2 * b
    g[1] = 200 * a
    return 100 * a * a + b * b
  },
  hessianVectorProduct: { x, v, hv in
    let h00 = 1200 * x[0] * x[0] - 400 * x[1] + 2
    let h01 = -400 * x[0]
    hv[0] = h00 * v[0] + h01 * v[1]
    hv[1] = h01 * v[0] + 200 * v[1]
  })

@Suite struct NewtonTests {
  @Test func newtonCGSolvesRosenbrock() {
    let s = minimize(rosenbrockWithProducts, from: [-1.2, 1], using: .newtonCG())
    print(s.fullReport)
    #expect(s.termination == .gradientTolerance)
    #expect(s.gradientNorm <= 1e-6)
    #expect(abs(s.x[0] - 1) < 1e-5 && abs(s.x[1] - 1) < 1e-5)
  }
}
