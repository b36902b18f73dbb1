import Curvature
import CurvatureAutodiff
import RealModule
import Testing
import _Differentiation

/// φ(a) = a³ registered from outside the module.
private let cube = ElementwiseFunction(
  name: "cube", value: { $0 * $0 * $0 }, derivative: { 3 * $0 * $0 }, secondDerivative: { 6 * $0 })

/// f(x) = Σ sin xᵢ + Σ xᵢ cos xᵢ + Σ tan(0.3xᵢ) + Σ atan xᵢ + Σ xᵢ³.
@differentiable(reverse)
private func trigonometric<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.sin().sum() + (x * x.cos()).sum() + x.scaled(by: 0.3).tan().sum()
    + x.applying(.atan).sum() + x.applying(cube).sum()
}

/// Σ (1 − cos(xᵢ − 1)), minimized at xᵢ = 1 (Hessian I there).
@differentiable(reverse)
private func cosineWell<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.adding(-1).cos().sum().scaled(by: -1)
}

@Suite("Elementwise functions")
struct ElementwiseFunctionTests {
  static let x = Vector(count: 9) { 0.37 * Double($0) - 1.3 }
  static let v = Vector(count: 9) { Double($0 % 4) - 1.5 }

  @Test("gradient and exact Hessian-vector product of sin, cos, tan, atan and a user's cube")
  func derivativesMatchTheFormulas() {
    let f = AutodiffObjective(dimension: 9, { trigonometric($0) }, { trigonometric($0) })
    var g = Vector.zeros(9)
    let value = f.value(at: Self.x, gradient: &g)
    var hv = Vector.zeros(9)
    f.hessianVectorProduct(at: Self.x, direction: Self.v, into: &hv)
    var expectedValue = 0.0
    for i in 0..<9 {
      let a = Self.x[i]
      let t = Double.tan(0.3 * a)
      expectedValue += Double.sin(a) + a * Double.cos(a) + t + Double.atan(a) + a * a * a
      let gradient =
        Double.cos(a) + Double.cos(a) - a * Double.sin(a) + 0.3 * (1 + t * t) + 1 / (1 + a * a)
        + 3 * a * a
      let curvature =
        -Double.sin(a) - 2 * Double.sin(a) - a * Double.cos(a) + 0.09 * 2 * t * (1 + t * t)
        - 2 * a / ((1 + a * a) * (1 + a * a)) + 6 * a
      #expect(abs(g[i] - gradient) <= 1e-13 * max(1, abs(gradient)), "gradient \(i)")
      #expect(
        abs(hv[i] - curvature * Self.v[i]) <= 1e-13 * max(1, abs(curvature * Self.v[i])),
        "product \(i)")
    }
    #expect(abs(value - expectedValue) <= 1e-13 * abs(expectedValue))
  }

  @Test("the remaining named functions agree with their derivatives (central differences)")
  func namedFunctions() {
    for function in [ElementwiseFunction.sinh, .cosh, .sigmoid, .atan, .tan, .sin, .cos] {
      for a in [-1.1, -0.2, 0.4, 1.3] {
        let h = 1e-5
        let d1 = (function.value(a + h) - function.value(a - h)) / (2 * h)
        let d2 = (function.derivative(a + h) - function.derivative(a - h)) / (2 * h)
        // Central differences are accurate to h²·φ‴/6 ≈ 10⁻¹⁰·|φ‴| (large for tan near π/2).
        let e1 = function.derivative(a)
        let e2 = function.secondDerivative(a)
        #expect(abs(d1 - e1) <= 1e-7 * max(1, abs(e1)), "\(function.name)′(\(a))")
        #expect(abs(d2 - e2) <= 1e-7 * max(1, abs(e2)), "\(function.name)″(\(a))")
      }
    }
  }

  @Test("Newton-CG on the autodiff route solves a trigonometric objective")
  func newtonCGSolves() {
    let f = AutodiffObjective(dimension: 50, { cosineWell($0) }, { cosineWell($0) })
    let start = Vector(count: 50) { 1 + 0.8 * Double.sin(Double($0)) }
    let s = minimize(f, from: start, using: .newtonCG())
    #expect(s.termination == .gradientTolerance)
    #expect((s.x - Vector(repeating: 1, count: 50)).normInfinity < 1e-6)
    #expect(abs(s.value + 50) < 1e-12)
    #expect(s.statistics.evaluations.hessianVectorProducts > 0)
  }
}
