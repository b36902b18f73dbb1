import RealModule
import Testing

@testable import Curvature

@Suite struct GaussNewtonTests {
  /// Rosenbrock's residuals r = (10(x₁ − x₀²), 1 − x₀), f = Σr² = 100(x₁ − x₀²)² + (1 − x₀)².
  static let rosenbrock = FunctionResiduals(
    dimension: 2, residualCount: 2,
    residuals: { x, r in r = [10 * (x[1] - x[0] * x[0]), 1 - x[0]] },
    jacobian: { x in Matrix([[-20 * x[0], 10], [-1, 0]]) })

  /// The exact Hessian of Rosenbrock's f.
  static func rosenbrockHessian(_ x: Vector) -> Matrix {
    Matrix([[1200 * x[0] * x[0] - 400 * x[1] + 2, -400 * x[0]], [-400 * x[0], 200]])
  }

  /// A nonlinear residual function with m = 4 > n = 3 (the Box three-dimensional function's first
  /// residuals, MGH problem 12), given through products only.
  static let box3d: FunctionResiduals = {
    let t: [Double] = [0.1, 0.2, 0.3, 0.4]
    let jac: @Sendable (Vector) -> Matrix = { x in
      Matrix(rows: 4, columns: 3) { i, j in
        switch j {
        case 0: return -t[i] * Double.exp(-t[i] * x[0])
        case 1: return t[i] * Double.exp(-t[i] * x[1])
        default: return -(Double.exp(-t[i]) - Double.exp(-10 * t[i]))
        }
      }
    }
    return FunctionResiduals(
      dimension: 3, residualCount: 4,
      residuals: { x, r in
        r = Vector(count: 4) { i in
          Double.exp(-t[i] * x[0]) - Double.exp(-t[i] * x[1])
            - x[2] * (Double.exp(-t[i]) - Double.exp(-10 * t[i]))
        }
      },
      jacobianProduct: { x, v, out in out = jac(x) * v },
      jacobianTransposeProduct: { x, w, out in out = jac(x).transposeMultiply(w) })
  }()

  static func box3dJacobian(_ x: Vector) -> Matrix {
    let t: [Double] = [0.1, 0.2, 0.3, 0.4]
    return Matrix(rows: 4, columns: 3) { i, j in
      switch j {
      case 0: return -t[i] * Double.exp(-t[i] * x[0])
      case 1: return t[i] * Double.exp(-t[i] * x[1])
      default: return -(Double.exp(-t[i]) - Double.exp(-10 * t[i]))
      }
    }
  }

  @Test func valueIsTheSumOfSquaresWithoutAHalf() {
    let f = SumOfSquaresObjective(Self.rosenbrock)
    #expect(abs(f.value(at: [-1.2, 1]) - 24.2) < 1e-13)  // MGH f(x0) for problem 1
    var g = Vector.zeros(0)
    #expect(abs(f.value(at: [-1.2, 1], gradient: &g) - 24.2) < 1e-13)
    // ∇f = (−400x₀(x₁ − x₀²) − 2(1 − x₀), 200(x₁ − x₀²)) = (−215.6, −88).
    #expect((g - [-215.6, -88]).normInfinity < 1e-12)
  }

  @Test func gradientIsTwiceJTransposeR() {
    let f = SumOfSquaresObjective(Self.box3d)
    let report = checkGradient(f, at: [0.3, 7, 1.5])
    #expect(report.isConsistent(tolerance: 1e-8))
  }

  @Test(arguments: [[0.3, 7, 1.5], [1, 10, 1], [-0.5, 2, 3]] as [Vector])
  func gaussNewtonProductEqualsTwoJTransposeJvFormedDensely(_ x: Vector) {
    let f = SumOfSquaresObjective(Self.box3d)
    let j = Self.box3dJacobian(x)
    var rng = SplitMix64(seed: 11)
    for _ in 0..<3 {
      let v = Vector(count: 3) { _ in rng.normal() }
      var gv = Vector.zeros(0)
      f.gaussNewtonProduct(at: x, direction: v, into: &gv)
      // Dense 2JᵀJ, then the product.
      var jtj = Matrix(rows: 3, columns: 3)
      for a in 0..<3 {
        for b in 0..<3 {
          var s = 0.0
          for i in 0..<4 { s += j[i, a] * j[i, b] }
          jtj[a, b] = 2 * s
        }
      }
      let dense = jtj * v
      #expect((gv - dense).normInfinity <= 1e-13 * (1 + dense.normInfinity))
      // Positive semidefinite: vᵀGv = 2‖Jv‖² ≥ 0.
      #expect(dot(v, gv) >= 0)
      #expect(abs(dot(v, gv) - 2 * (j * v).normSquared) < 1e-12 * (1 + dot(v, gv)))
    }
  }

  @Test func denseGaussNewtonMatrixIsTwoJTransposeJ() {
    let f = SumOfSquaresObjective(Self.rosenbrock)
    let x: Vector = [-1.2, 1]
    let g = f.gaussNewtonMatrix(at: x)
    // J = [[24, 10], [−1, 0]] → 2JᵀJ = [[1154, 480], [480, 200]].
    #expect(g == Matrix([[1154, 480], [480, 200]]))
  }

  @Test(arguments: [[1, 2], [0, -1], [0.3, 0.8]] as [Vector])
  func atAZeroResidualSolutionGaussNewtonIsTheExactHessian(_ v: Vector) {
    let f = SumOfSquaresObjective(Self.rosenbrock)
    let xStar: Vector = [1, 1]
    var gn = Vector.zeros(2)
    f.gaussNewtonProduct(at: xStar, direction: v, into: &gn)
    let exact = Self.rosenbrockHessian(xStar) * v
    #expect((gn - exact).normInfinity <= 1e-12 * exact.normInfinity)
    // The exact products by differences agree too.
    var hv = Vector.zeros(2)
    f.hessianVectorProduct(at: xStar, direction: v, into: &hv)
    #expect((hv - exact).normInfinity <= 1e-7 * exact.normInfinity)
  }

  @Test func awayFromTheSolutionGaussNewtonDropsTheResidualTerm() {
    let f = SumOfSquaresObjective(Self.rosenbrock)
    let x: Vector = [-1.2, 1]
    let v: Vector = [1, 0]
    var hv = Vector.zeros(2)
    f.hessianVectorProduct(at: x, direction: v, into: &hv)
    let exact = Self.rosenbrockHessian(x) * v
    #expect((hv - exact).normInfinity <= 1e-7 * exact.normInfinity)
    var gn = Vector.zeros(2)
    f.gaussNewtonProduct(at: x, direction: v, into: &gn)
    // ∇²f − G = 2r₀∇²r₀ = diag(−400(x₁ − x₀²), 0).
    let dropped = -400 * (x[1] - x[0] * x[0])
    #expect(abs(exact[0] - gn[0] - dropped) < 1e-9)
    #expect(abs(exact[1] - gn[1]) < 1e-9)
  }

  @Test func conversionsPickTheirCurvature() {
    let f = SumOfSquaresObjective(Self.box3d)
    let x: Vector = [0.3, 7, 1.5]
    let v: Vector = [1, -0.5, 2]

    var exactOracle = Oracle(f.objective)
    #expect(exactOracle.differenceScheme == .central)
    var hv = Vector.zeros(3)
    exactOracle.hessianVectorProduct(at: x, direction: v, into: &hv)
    #expect(exactOracle.counts.hessianVectorProducts == 1)
    #expect(exactOracle.counts.differenceGradients == 2)
    #expect(checkHessianVectorProduct(f, at: x, direction: v).isConsistent())

    var gnOracle = Oracle(f.gaussNewtonObjective)
    #expect(gnOracle.differenceScheme == nil)
    var gv = Vector.zeros(3)
    gnOracle.hessianVectorProduct(at: x, direction: v, into: &gv)
    #expect(gnOracle.counts.hessianVectorProducts == 1)
    #expect(gnOracle.counts.differenceGradients == 0)
    var direct = Vector.zeros(3)
    f.gaussNewtonProduct(at: x, direction: v, into: &direct)
    #expect(gv == direct)

    // Both conversions share value and gradient.
    var g1 = Vector.zeros(3)
    var g2 = Vector.zeros(3)
    #expect(exactOracle.value(at: x, gradient: &g1) == gnOracle.value(at: x, gradient: &g2))
    #expect(g1 == g2)
    #expect(f.objective.value(at: x) == f.value(at: x))
  }
}
