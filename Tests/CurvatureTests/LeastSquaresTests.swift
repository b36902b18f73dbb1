import RealModule
import Testing

@testable import Curvature

/// The line fit y ≈ c₀ + c₁t through (0, 1), (1, 3), (2, 2), (3, 5), (4, 4): the closed form
/// c₁ = Σ(t − t̄)(y − ȳ)/Σ(t − t̄)² = 8/10, c₀ = ȳ − c₁t̄ = 1.4, residual sum of squares 3.6.
private let lineFit = FunctionResiduals(
  dimension: 2, residualCount: 5,
  residuals: { c, r in
    let y: [Double] = [1, 3, 2, 5, 4]
    for i in 0..<5 { r[i] = c[0] + c[1] * Double(i) - y[i] }
  },
  jacobian: { _ in Matrix(rows: 5, columns: 2) { i, j in j == 0 ? 1 : Double(i) } })

/// Rosenbrock's residuals r = (10(x₂ − x₁²), 1 − x₁) offering only Jacobian products.
private struct ProductOnlyRosenbrock: ResidualFunction {
  var dimension: Int { 2 }
  var residualCount: Int { 2 }
  func residuals(at x: Vector, into r: inout Vector) {
    r = [10 * (x[1] - x[0] * x[0]), 1 - x[0]]
  }
  func jacobianProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    result = [-20 * x[0] * v[0] + 10 * v[1], -v[0]]
  }
  func jacobianTransposeProduct(at x: Vector, vector w: Vector, into result: inout Vector) {
    result = [-20 * x[0] * w[0] - w[1], 10 * w[0]]
  }
}

/// r(x) = log x, NaN for x < 0: from x₀ = 10 the Gauss-Newton step −x·log x = −23 lands where
/// r is not finite.
private let logarithm = FunctionResiduals(
  dimension: 1, residualCount: 1,
  residuals: { x, r in r[0] = x[0] > 0 ? Double.log(x[0]) : .nan },
  jacobian: { x in Matrix(rows: 1, columns: 1, storage: [1 / x[0]]) })

@Suite struct LeastSquaresTests {
  static let denseMethods: [any LeastSquaresMethod] = [
    .levenbergMarquardt(), .gaussNewton(), .dogleg(),
  ]

  @Test(arguments: [0, 1, 2]) func linearProblemInOneIteration(_ method: Int) {
    let s = leastSquares(lineFit, from: [0, 0], using: Self.denseMethods[method])
    #expect(s.isSuccess)
    #expect(s.statistics.iterations == 1, "\(s.method): \(s.statistics.iterations)")
    #expect(Swift.abs(s.x[0] - 1.4) <= 4 * Double.ulpOfOne * 1.4)
    #expect(Swift.abs(s.x[1] - 0.8) <= 4 * Double.ulpOfOne)
    #expect(Swift.abs(s.sumOfSquares - 3.6) <= 1e-14)
    #expect(Swift.abs(s.cost - 1.8) <= 1e-14)
    #expect(Swift.abs(s.residualNorm - 3.6.squareRoot()) <= 1e-14)
    #expect(s.gradientNorm <= 1e-13)
    // κ(J) of the design matrix [1 t]: the QR estimate is finite and at least 1.
    let kappa = s.jacobianConditionEstimate ?? 0
    #expect(kappa >= 1 && kappa.isFinite)
  }

  @Test func gradientIsJacobianTransposeTimesResiduals() {
    let s = leastSquares(lineFit, from: [0, 0], options: .init(maxIterations: 0))
    #expect(s.termination == .iterationLimit)
    #expect(s.x == [0, 0])
    // r(0) = −y, J = [1 t]: Jᵀr = (−15, −(0 + 3 + 4 + 15 + 16)) = (−15, −38).
    #expect(s.gradient == [-15, -38])
    #expect(s.cost == 0.5 * (1 + 9 + 4 + 25 + 16))
  }

  @Test(arguments: [0, 1, 2]) func nonFiniteTrialPointsAreRejected(_ method: Int) {
    let s = leastSquares(logarithm, from: [10], using: Self.denseMethods[method])
    #expect(s.isSuccess, "\(s.method): \(s.termination)")
    #expect(Swift.abs(s.x[0] - 1) <= 1e-8)
  }

  @Test func matrixFreeWithProductsOnly() {
    for method in [LevenbergMarquardt(.matrixFree), GaussNewton(.matrixFree)]
      as [any LeastSquaresMethod]
    {
      let s = leastSquares(ProductOnlyRosenbrock(), from: [-1.2, 1], using: method)
      #expect(s.isSuccess, "\(s.method)")
      #expect((s.x - [1, 1]).normInfinity <= 1e-6, "\(s.method)")
      #expect(s.statistics.evaluations.jacobians == 0)
      #expect(s.statistics.evaluations.jacobianProducts > 0)
    }
    // A dense method assembles J from n products.
    let dense = leastSquares(ProductOnlyRosenbrock(), from: [-1.2, 1])
    #expect((dense.x - [1, 1]).normInfinity <= 1e-8)
    #expect(dense.statistics.evaluations.jacobians == 0)
  }

  @Test func badInputGivesClearTerminations() {
    #expect(leastSquares(lineFit, from: [.nan, 0]).termination == .nonFiniteStartingPoint)
    let mismatch = leastSquares(lineFit, from: [0, 0, 0])
    #expect(mismatch.termination == .invalidProblem)
    #expect(mismatch.note?.contains("3 elements") == true)
    let noResiduals = FunctionResiduals(
      dimension: 2, residualCount: 0, residuals: { _, _ in },
      jacobian: { _ in Matrix(rows: 0, columns: 2) })
    #expect(leastSquares(noResiduals, from: [0, 0]).termination == .invalidProblem)
    let noVariables = FunctionResiduals(
      dimension: 0, residualCount: 1, residuals: { _, r in r[0] = 1 },
      jacobian: { _ in Matrix(rows: 1, columns: 0) })
    #expect(leastSquares(noVariables, from: []).termination == .invalidProblem)
    let s = leastSquares(logarithm, from: [-1])
    #expect(s.termination == .nonFiniteValue)
    #expect(s.x == [-1])
  }

  @Test func observerStopsAndReportsCosts() {
    var costs: [Double] = []
    let s = leastSquares(ProductOnlyRosenbrock(), from: [-1.2, 1]) { summary in
      costs.append(summary.value)
      return summary.iteration >= 3 ? .stop : .continue
    }
    #expect(s.termination == .stoppedByObserver)
    #expect(costs.count == 4)
    #expect(Swift.abs(costs[0] - 12.1) <= 1e-12)
    #expect(s.cost <= costs[0])
  }

  @Test func reports() {
    let s = leastSquares(lineFit, from: [0, 0], options: .init(recordHistory: true))
    #expect(s.briefReport.hasPrefix("Levenberg-Marquardt: success"))
    #expect(s.fullReport.contains("Residual evaluations"))
    #expect(s.fullReport.contains("Jacobian condition"))
    #expect(s.history.count == s.statistics.iterations + 1)
  }

  @Test func evaluationLimit() {
    let s = leastSquares(
      ProductOnlyRosenbrock(), from: [-1.2, 1], options: .init(maxEvaluations: 3))
    #expect(s.termination == .evaluationLimit)
    #expect(s.statistics.evaluations.residuals == 3)
  }
}

/// Extended Rosenbrock residuals in n = 40 variables with products only, so that the matrix-free
/// scaling uses Hutchinson estimates (n > 32).
private struct ExtendedRosenbrockProducts: ResidualFunction {
  var dimension: Int { 40 }
  var residualCount: Int { 40 }
  func residuals(at x: Vector, into r: inout Vector) {
    for i in stride(from: 0, to: 40, by: 2) {
      r[i] = 10 * (x[i + 1] - x[i] * x[i])
      r[i + 1] = 1 - x[i]
    }
  }
  func jacobianProduct(at x: Vector, direction v: Vector, into out: inout Vector) {
    for i in stride(from: 0, to: 40, by: 2) {
      out[i] = -20 * x[i] * v[i] + 10 * v[i + 1]
      out[i + 1] = -v[i]
    }
  }
  func jacobianTransposeProduct(at x: Vector, vector w: Vector, into out: inout Vector) {
    for i in stride(from: 0, to: 40, by: 2) {
      out[i] = -20 * x[i] * w[i] - w[i + 1]
      out[i + 1] = 10 * w[i]
    }
  }
}

@Suite struct MatrixFreeScalingTests {
  @Test func hutchinsonScaledLevenbergMarquardt() {
    let x0 = Vector(count: 40) { $0 % 2 == 0 ? -1.2 : 1 }
    let s = leastSquares(
      ExtendedRosenbrockProducts(), from: x0, using: .levenbergMarquardt(.matrixFree))
    #expect(s.isSuccess, "\(s.termination)")
    #expect((s.x - Vector(repeating: 1, count: 40)).normInfinity <= 1e-6)
    #expect(s.statistics.evaluations.jacobians == 0)
  }

  /// Hutchinson's estimate of diag(JᵀJ) is unbiased: its average over many seeds approaches the
  /// exact column norms (J of Rosenbrock at x₀: columns (−20x₁, −1) and (10, 0)).
  @Test func columnNormEstimateIsUnbiased() {
    let x0 = Vector(count: 40) { $0 % 2 == 0 ? -1.2 : 1 }
    var run = ResidualSolverRun(
      residualFunction: FunctionResiduals(wrapping: ExtendedRosenbrockProducts()),
      functionTolerance: 0, stepTolerance: 0, gradientTolerance: 0, residualTolerance: 0,
      maxIterations: 1, maxEvaluations: 1, verbosity: .silent, recordHistory: false,
      observer: nil, method: "test")
    var rng = SplitMix64(seed: 7)
    var mean = Vector.zeros(40)
    let trials = 200
    for _ in 0..<trials { mean += columnSquaredNormEstimate(&run, at: x0, rng: &rng) }
    mean.scale(by: 1 / Double(trials))
    // Exact: even columns 24² + 1 = 577, odd columns 100.
    for j in 0..<40 {
      let exact = j % 2 == 0 ? 577.0 : 100.0
      #expect(Swift.abs(mean[j] - exact) <= 0.1 * exact, "column \(j): \(mean[j])")
    }
    #expect(run.counts.jacobianProducts == 8 * trials)
  }
}

/// F(x) = (x₁² − 1, x₂): roots (±1, 0); J = diag(2x₁, 1) is singular on x₁ = 0, where ½‖F‖² is
/// stationary in x₁ (a ridge between the two roots).
private let ridge = FunctionResiduals(
  dimension: 2, residualCount: 2,
  residuals: { x, r in
    r[0] = x[0] * x[0] - 1
    r[1] = x[1]
  },
  jacobian: { x in Matrix([[2 * x[0], 0], [0, 1]]) })

@Suite struct RootFindingUnitTests {
  static let methods: [any RootFindingMethod] = [.hybrid(), .newton(), .broyden()]

  @Test(arguments: [0, 1, 2]) func findsTheNearRoot(_ method: Int) {
    let s = findRoot(ridge, from: [0.5, 1], using: Self.methods[method])
    #expect(s.termination == .residualTolerance, "\(s.method)")
    #expect(Swift.abs(s.x[0] - 1) <= 1e-10 && Swift.abs(s.x[1]) <= 1e-10, "\(s.method)")
    #expect(s.residualNorm <= 1e-10)
  }

  /// From x₁ = 0 no method can leave the ridge (JᵀF has no x₁ component there): each reports a
  /// stationary point that is not a root, with x₂ driven to 0 and F = (−1, 0).
  @Test(arguments: [0, 1, 2]) func singularStartIsStationaryNotRoot(_ method: Int) {
    let s = findRoot(ridge, from: [0, 1], using: Self.methods[method])
    #expect(s.termination == .stationaryNotRoot, "\(s.method): \(s.termination)")
    #expect(!s.isSuccess)
    #expect(s.x[0] == 0)
    #expect(Swift.abs(s.residuals[0] + 1) <= 1e-12)
    #expect(Swift.abs(s.x[1]) <= 1e-6, "\(s.method): \(s.x)")
  }

  @Test func reports() {
    let s = findRoot(ridge, from: [0.5, 1])
    #expect(s.briefReport.hasPrefix("Powell hybrid: root found"))
    #expect(s.fullReport.contains("Evaluations of F"))
  }
}

@Suite struct UnderdeterminedLeastSquaresTests {
  /// One residual in two variables, r(x) = x₁ + 2x₂ − 3: every method reaches r = 0 although
  /// J = [1 2] has rank 1 < n (the QR methods pad J with a zero row).
  @Test(arguments: [0, 1, 2, 3]) func reachesZeroResidual(_ method: Int) {
    let line = FunctionResiduals(
      dimension: 2, residualCount: 1, residuals: { x, r in r[0] = x[0] + 2 * x[1] - 3 },
      jacobian: { _ in Matrix([[1, 2]]) })
    let methods: [any LeastSquaresMethod] = [
      .levenbergMarquardt(), .gaussNewton(), .dogleg(), .levenbergMarquardt(.matrixFree),
    ]
    let s = leastSquares(line, from: [0, 0], using: methods[method])
    #expect(s.isSuccess, "\(s.method): \(s.termination)")
    #expect(Swift.abs(s.residuals[0]) <= 1e-8, "\(s.method)")
  }
}
