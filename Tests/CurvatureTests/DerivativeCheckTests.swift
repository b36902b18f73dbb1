import RealModule
import Testing

@testable import Curvature

/// The chained Rosenbrock function f(x) = Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)² with its gradient and
/// Hessian-vector product written out by hand.
private enum ChainedRosenbrock {
  static func value(_ x: Vector) -> Double {
    var f = 0.0
    for i in 0..<(x.count - 1) {
      let t = x[i + 1] - x[i] * x[i]
      f += 100 * t * t + (1 - x[i]) * (1 - x[i])
    }
    return f
  }

  static func gradient(_ x: Vector, _ g: inout Vector) -> Double {
    g = .zeros(x.count)
    for i in 0..<(x.count - 1) {
      let t = x[i + 1] - x[i] * x[i]
      g[i] += -400 * x[i] * t - 2 * (1 - x[i])
      g[i + 1] += 200 * t
    }
    return value(x)
  }

  static func hessianVectorProduct(_ x: Vector, _ v: Vector, _ r: inout Vector) {
    r = .zeros(x.count)
    for i in 0..<(x.count - 1) {
      let hii = 1200 * x[i] * x[i] - 400 * x[i + 1] + 2
      let hij = -400 * x[i]
      r[i] += hii * v[i] + hij * v[i + 1]
      r[i + 1] += hij * v[i] + 200 * v[i + 1]
    }
  }

  static func objective(n: Int) -> FunctionObjective {
    FunctionObjective(
      dimension: n, value: value, gradient: gradient, hessianVectorProduct: hessianVectorProduct)
  }
}

/// Smooth test functions with known gradients, for the finite-difference accuracy tests.
struct FiniteDifferenceTestFunction: Sendable, CustomStringConvertible {
  let description: String
  let value: @Sendable (Vector) -> Double
  let gradient: @Sendable (Vector) -> Vector
  let point: Vector

  static let all: [FiniteDifferenceTestFunction] = [
    FiniteDifferenceTestFunction(
      description: "rosenbrock",
      value: { ChainedRosenbrock.value($0) },
      gradient: { x in
        var g = Vector.zeros(x.count)
        _ = ChainedRosenbrock.gradient(x, &g)
        return g
      },
      point: [-1.2, 1, 0.3, -0.7, 2.1]),
    FiniteDifferenceTestFunction(
      description: "exp-sin",
      // f = exp(x₀x₁) + Σ sin(xᵢ)·xᵢ₊₁
      value: { x in Double.exp(x[0] * x[1]) + Double.sin(x[0]) * x[1] + Double.sin(x[1]) * x[2] },
      gradient: { x in
        let e = Double.exp(x[0] * x[1])
        return [
          x[1] * e + Double.cos(x[0]) * x[1],
          x[0] * e + Double.sin(x[0]) + Double.cos(x[1]) * x[2],
          Double.sin(x[1]),
        ]
      },
      point: [0.4, -1.3, 2.5]),
    FiniteDifferenceTestFunction(
      description: "log-sum-exp",
      value: { x in Double.log(x.map { Double.exp($0) }.sum) },
      gradient: { x in
        let e = x.map { Double.exp($0) }
        return e / e.sum
      },
      point: [0.1, -2, 3, 0.5]),
  ]
}

@Suite struct FiniteDifferenceGradientTests {
  @Test(arguments: FiniteDifferenceTestFunction.all)
  func centralDifferencesAreAccurateToOneInTenToTheEight(_ f: FiniteDifferenceTestFunction) {
    let exact = f.gradient(f.point)
    var g = Vector.zeros(0)
    let value = FiniteDifferenceGradient.central.gradient(of: f.value, at: f.point, into: &g)
    #expect(value == f.value(f.point))
    let error = (g - exact).normInfinity / exact.normInfinity
    #expect(error < 1e-8, "relative error \(error)")
  }

  @Test(arguments: FiniteDifferenceTestFunction.all)
  func forwardDifferencesAreAccurateToOneInTenToTheFive(_ f: FiniteDifferenceTestFunction) {
    let exact = f.gradient(f.point)
    var g = Vector.zeros(0)
    FiniteDifferenceGradient.forward.gradient(of: f.value, at: f.point, into: &g)
    let error = (g - exact).normInfinity / exact.normInfinity
    #expect(error < 1e-5, "relative error \(error)")
    // Forward differences are markedly less accurate than central ones.
    var c = Vector.zeros(0)
    FiniteDifferenceGradient.central.gradient(of: f.value, at: f.point, into: &c)
    #expect((c - exact).normInfinity < (g - exact).normInfinity)
  }

  @Test(arguments: FiniteDifferenceGradient.allCases)
  func costsTheDocumentedNumberOfValues(_ scheme: FiniteDifferenceGradient) {
    var calls = 0
    var g = Vector.zeros(7)
    scheme.gradient(
      of: { x in
        calls += 1
        return x.normSquared
      }, at: Vector(repeating: 1, count: 7), into: &g)
    #expect(calls == scheme.valuesPerGradient(dimension: 7))
    // A known f(x) saves one evaluation.
    calls = 0
    scheme.gradient(
      of: { x in
        calls += 1
        return x.normSquared
      }, at: Vector(repeating: 1, count: 7), valueAtX: 7, into: &g)
    #expect(calls == scheme.valuesPerGradient(dimension: 7) - 1)
  }

  @Test func stepsFollowTheDocumentedFormulas() {
    let eps = Double.ulpOfOne
    #expect(FiniteDifferenceGradient.central.step(at: -3) == Double.root(eps, 3) * 4)
    #expect(FiniteDifferenceGradient.forward.step(at: 0.5) == eps.squareRoot() * 1.5)
  }

  @Test(arguments: FiniteDifferenceGradient.allCases)
  func valueOnlyObjectiveGetsADifferenceGradient(_ scheme: FiniteDifferenceGradient) {
    let objective = FunctionObjective(
      dimension: 5, valueOnly: { ChainedRosenbrock.value($0) }, scheme: scheme)
    let x: Vector = [0.5, -0.2, 1.1, 0.9, -1.4]
    var g = Vector.zeros(0)
    let f = objective.value(at: x, gradient: &g)
    #expect(f == ChainedRosenbrock.value(x))
    var exact = Vector.zeros(5)
    _ = ChainedRosenbrock.gradient(x, &exact)
    let error = (g - exact).normInfinity / exact.normInfinity
    #expect(error < (scheme == .central ? 1e-8 : 1e-5))
    #expect(!objective.hasExactCurvature)
  }

  @Test func wrapsAValueOnlyObjectiveType() {
    struct Sphere: Objective {
      let dimension = 3
      func value(at x: Vector) -> Double { x.normSquared }
    }
    let objective = FunctionObjective(valueOnly: Sphere())
    var g = Vector.zeros(3)
    _ = objective.value(at: [1, -2, 3], gradient: &g)
    #expect((g - [2, -4, 6]).normInfinity < 1e-9)
  }
}

@Suite struct DerivativeCheckTests {
  static let point: Vector = [-1.2, 1, 0.3, -0.7, 2.1, 0.4]

  @Test func correctGradientPasses() {
    let report = checkGradient(ChainedRosenbrock.objective(n: 6), at: Self.point)
    #expect(report.quantity == .gradient)
    #expect(report.isConsistent())
    #expect(report.maxRelativeError < 1e-8)
    #expect(report.maxAbsoluteError < 1e-6)
  }

  @Test(arguments: 0..<6)
  func gradientOffInOneComponentIsCaught(_ wrong: Int) {
    let objective = FunctionObjective(
      dimension: 6, value: ChainedRosenbrock.value,
      gradient: { x, g in
        let f = ChainedRosenbrock.gradient(x, &g)
        g[wrong] += 1e-3 * (1 + abs(g[wrong]))
        return f
      })
    let report = checkGradient(objective, at: Self.point)
    #expect(!report.isConsistent())
    #expect(report.worstIndex == wrong)
    #expect(report.maxRelativeError > 1e-4)
    var truth = Vector.zeros(6)
    _ = ChainedRosenbrock.gradient(Self.point, &truth)
    #expect(abs(report.worstNumeric! - truth[wrong]) < 1e-6 * (1 + abs(truth[wrong])))
    #expect(report.worstAnalytic! != truth[wrong])
    #expect(report.description.contains("[\(wrong)]"))
  }

  @Test func gradientWithWrongSignIsCaughtAtTheOptimumNeighbourhood() {
    // Near x* = 1 the gradient is small: the floor keeps the correct one consistent.
    let x = Vector(count: 6) { 1 + 1e-4 * Double($0) }
    #expect(checkGradient(ChainedRosenbrock.objective(n: 6), at: x).isConsistent())
    let flipped = FunctionObjective(
      dimension: 6, value: ChainedRosenbrock.value,
      gradient: { x, g in
        let f = ChainedRosenbrock.gradient(x, &g)
        g = -g
        return f
      })
    #expect(!checkGradient(flipped, at: x).isConsistent())
  }

  @Test func nonFiniteGradientIsInconsistent() {
    let objective = FunctionObjective(
      dimension: 2, value: { $0.normSquared },
      gradient: { x, g in
        g = [2 * x[0], .nan]
        return x.normSquared
      })
    let report = checkGradient(objective, at: [1, 2])
    #expect(report.worstIndex == 1)
    #expect(report.maxRelativeError == .infinity)
    #expect(!report.isConsistent(tolerance: 1e10))
  }

  @Test func correctHessianVectorProductPasses() {
    let v: Vector = [0.3, -1, 0.5, 2, -0.1, 0.7]
    let report = checkHessianVectorProduct(
      ChainedRosenbrock.objective(n: 6), at: Self.point, direction: v)
    #expect(report.quantity == .hessianVectorProduct)
    #expect(report.isConsistent())
    #expect(report.maxRelativeError < 1e-7)
  }

  @Test func hessianVectorProductMissingATermIsCaught() {
    // Drops the −400·x₍ᵢ₊₁₎ term of the diagonal.
    let objective = FunctionObjective(
      dimension: 6, value: ChainedRosenbrock.value, gradient: ChainedRosenbrock.gradient,
      hessianVectorProduct: { x, v, r in
        ChainedRosenbrock.hessianVectorProduct(x, v, &r)
        r[2] += 400 * x[3] * v[2]
      })
    let v: Vector = [0.3, -1, 0.5, 2, -0.1, 0.7]
    let report = checkHessianVectorProduct(objective, at: Self.point, direction: v)
    #expect(!report.isConsistent())
    #expect(report.worstIndex == 2)
  }

  /// r(x) = (x₀² − x₁, sin(x₀x₂), x₁x₂ + x₀) with its Jacobian; `wrongEntry` perturbs one entry.
  static func residuals(wrongEntry: (Int, Int)? = nil, productsOnly: Bool = false)
    -> FunctionResiduals
  {
    let r: @Sendable (Vector, inout Vector) -> Void = { x, r in
      r = [x[0] * x[0] - x[1], Double.sin(x[0] * x[2]), x[1] * x[2] + x[0]]
    }
    let jac: @Sendable (Vector) -> Matrix = { x in
      var j = Matrix([
        [2 * x[0], -1, 0],
        [x[2] * Double.cos(x[0] * x[2]), 0, x[0] * Double.cos(x[0] * x[2])],
        [1, x[2], x[1]],
      ])
      if let (a, b) = wrongEntry { j[a, b] += 0.01 }
      return j
    }
    if productsOnly {
      return FunctionResiduals(
        dimension: 3, residualCount: 3, residuals: r,
        jacobianProduct: { x, v, out in out = jac(x) * v },
        jacobianTransposeProduct: { x, w, out in out = jac(x).transposeMultiply(w) })
    }
    return FunctionResiduals(dimension: 3, residualCount: 3, residuals: r, jacobian: jac)
  }

  @Test(arguments: [false, true])
  func correctJacobianPasses(_ productsOnly: Bool) {
    let f = Self.residuals(productsOnly: productsOnly)
    let report = checkJacobian(f, at: [0.7, -0.4, 1.3])
    #expect(report.rows == 3 && report.columns == 3)
    #expect(report.isConsistent())
    #expect(report.maxRelativeError < 1e-8)
    let t = checkJacobianTransposeProduct(f, at: [0.7, -0.4, 1.3], vector: [1, -2, 0.5])
    #expect(t.isConsistent())
  }

  @Test(arguments: [(0, 2), (1, 0), (2, 1)])
  func wrongJacobianEntryIsLocated(_ row: Int, _ column: Int) {
    let f = Self.residuals(wrongEntry: (row, column))
    let report = checkJacobian(f, at: [0.7, -0.4, 1.3])
    #expect(!report.isConsistent())
    #expect(report.worstRow == row)
    #expect(report.worstColumn == column)
    #expect(report.description.contains("[\(row), \(column)]"))
    let t = checkJacobianTransposeProduct(f, at: [0.7, -0.4, 1.3], vector: [1, 1, 1])
    #expect(!t.isConsistent())
    #expect(t.worstIndex == column)
  }

  @Test func relativeErrorUsesTheDocumentedFloor() {
    let report = DerivativeCheckReport(
      quantity: .gradient, rows: 3, columns: 1, analytic: [100, 0.001, 0], numeric: [101, 0.002, 0])
    // 1/101 for the first, 0.001/1 (floor) for the second.
    #expect(abs(report.maxRelativeError - 1.0 / 101) < 1e-15)
    #expect(report.maxAbsoluteError == 1)
    #expect(report.worstIndex == 0)
    let fine = DerivativeCheckReport(
      quantity: .gradient, rows: 3, columns: 1, analytic: [100, 0.001, 0],
      numeric: [101, 0.002, 0],
      relativeErrorFloor: 1e-6)
    #expect(fine.worstIndex == 1)
    #expect(abs(fine.maxRelativeError - 0.5) < 1e-12)
    let empty = DerivativeCheckReport(
      quantity: .gradient, rows: 0, columns: 1, analytic: [], numeric: [])
    #expect(empty.worstIndex == nil)
    #expect(empty.isConsistent())
  }
}
