import Curvature
import CurvatureProblems
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether the slow full-size checks are enabled (CURVATURE_LARGE_TESTS=1).
private let largeTestsEnabled = getenv("CURVATURE_LARGE_TESTS").map { String(cString: $0) } == "1"

/// A seeded point with standard normal coordinates scaled by `scale`.
private func seededPoint(_ n: Int, seed: UInt64, scale: Double = 1) -> Vector {
  var rng = SplitMix64(seed: seed)
  return Vector(count: n) { _ in scale * rng.normal() }
}

@Suite struct SyntheticLogisticDataTests {
  @Test func generatorMatchesThePeerCheckValues() {
    var rng = SplitMix64(seed: 42)
    #expect(rng.uniform() == 0.7415648787718233)
    #expect(rng.uniform() == 0.1599103928769201)
    #expect(rng.uniform() == 0.27860113025513866)

    let problem = LogisticRegression.synthetic()
    let a = problem.features
    #expect(a.rows == 10_000 && a.columns == 100)
    #expect(a[0, 0] == 0.4831297575436466)
    #expect(a[0, 1] == -0.6801792142461598)
    #expect(a[0, 2] == -0.4427977394897227)
    let sumA = Vector(a.storage).sum
    #expect(abs(sumA - 399.8753984907933) <= 1e-9 * 399.8753984907933, "sum A = \(sumA)")
    #expect(problem.labels.allSatisfy { $0 == 1 || $0 == -1 })
    #expect(problem.labels.sum == -132)
    #expect(problem.regularization == 1e-3)
    #expect(problem.sampleCount == 10_000)
  }

  @Test func valueAtTheOriginIsLogTwo() {
    let problem = LogisticRegression.synthetic()
    let f = problem.value(at: .zeros(100))
    #expect(abs(f - 0.6931471805599453) <= 1e-15)
    var g = Vector.zeros(0)
    #expect(problem.value(at: .zeros(100), gradient: &g) == f)
    // At x = 0, ∇f = −(1/2m) Σ yᵢaᵢ.
    var expected = Vector.zeros(100)
    for i in 0..<10_000 { axpy(-problem.labels[i] / 20_000, problem.features.row(i), &expected) }
    #expect((g - expected).normInfinity < 1e-15)
  }
}

@Suite struct ExtendedRosenbrockTests {
  @Test(arguments: [2, 10, 100])
  func knownValues(_ n: Int) {
    let f = ExtendedRosenbrock(dimension: n)
    #expect(abs(f.value(at: f.startingPoint) - 12.1 * Double(n)) < 1e-12 * Double(n))
    var g = Vector.zeros(0)
    #expect(f.value(at: f.minimizer, gradient: &g) == 0)
    #expect(g == .zeros(n))
    // The first pair's gradient at x₀: (−215.6, −88).
    _ = f.value(at: f.startingPoint, gradient: &g)
    #expect(abs(g[0] + 215.6) < 1e-12 && abs(g[1] + 88) < 1e-12)
  }

  /// The dense Hessian agrees with the exact products column by column, and at x₀ its first
  /// block is [[1330, 480], [480, 200]] (MGH's Rosenbrock Hessian at (−1.2, 1)).
  @Test(arguments: [2, 12])
  func denseHessianMatchesProducts(_ n: Int) {
    let f = ExtendedRosenbrock(dimension: n)
    let x = seededPoint(n, seed: 8, scale: 1.5)
    let h = f.hessian(at: x)
    var hv = Vector.zeros(0)
    for j in 0..<n {
      var e = Vector.zeros(n)
      e[j] = 1
      f.hessianVectorProduct(at: x, direction: e, into: &hv)
      for i in 0..<n { #expect(h[i, j] == hv[i]) }
    }
    let h0 = f.hessian(at: f.startingPoint)
    #expect(abs(h0[0, 0] - 1330) < 1e-12 && h0[0, 1] == 480 && h0[1, 0] == 480 && h0[1, 1] == 200)
  }

  @Test(arguments: [10, 30, 100])
  func derivativesMatchCentralDifferences(_ n: Int) {
    let f = ExtendedRosenbrock(dimension: n)
    let x = seededPoint(n, seed: UInt64(n))
    var g = Vector.zeros(0)
    #expect(f.value(at: x, gradient: &g) == f.value(at: x))
    let gradientCheck = checkGradient(f, at: x)
    #expect(gradientCheck.isConsistent(tolerance: 1e-7), "\(gradientCheck)")
    let v = seededPoint(n, seed: 1000 + UInt64(n))
    let hvpCheck = checkHessianVectorProduct(f, at: x, direction: v)
    #expect(hvpCheck.isConsistent(tolerance: 1e-7), "\(hvpCheck)")
  }

  @Test(arguments: [10, 40])
  func residualFormMatchesTheObjective(_ n: Int) {
    let f = ExtendedRosenbrock(dimension: n)
    let x = seededPoint(n, seed: 21)
    let jacobianCheck = checkJacobian(f, at: x)
    #expect(jacobianCheck.isConsistent(tolerance: 1e-9), "\(jacobianCheck)")
    let w = seededPoint(n, seed: 22)
    #expect(checkJacobianTransposeProduct(f, at: x, vector: w).isConsistent(tolerance: 1e-9))
    // f = Σ rᵢ², ∇f = 2Jᵀr, and at x* = 1 (zero residual) Gauss-Newton is the exact Hessian.
    let squares = SumOfSquaresObjective(f.functionResiduals)
    #expect(abs(squares.value(at: x) - f.value(at: x)) <= 1e-13 * f.value(at: x))
    var g1 = Vector.zeros(0)
    var g2 = Vector.zeros(0)
    _ = squares.value(at: x, gradient: &g1)
    _ = f.value(at: x, gradient: &g2)
    #expect((g1 - g2).normInfinity <= 1e-12 * g2.normInfinity)
    var gn = Vector.zeros(0)
    var hv = Vector.zeros(0)
    squares.gaussNewtonProduct(at: f.minimizer, direction: w, into: &gn)
    f.hessianVectorProduct(at: f.minimizer, direction: w, into: &hv)
    #expect((gn - hv).normInfinity <= 1e-12 * hv.normInfinity)
  }

  @Test func hessianVectorProductIsTheDenseBlockHessian() {
    let f = ExtendedRosenbrock(dimension: 4)
    let x: Vector = [-1.2, 1, 0.5, 2]
    var hv = Vector.zeros(0)
    f.hessianVectorProduct(at: x, direction: [1, 2, 3, 4], into: &hv)
    // Blocks [[1330, 480], [480, 200]] and [[−498, −200], [−200, 200]].
    #expect((hv - [1330 + 960, 480 + 400, -498 * 3 - 800, -600 + 800]).normInfinity < 1e-10)
  }
}

@Suite struct ConditionedQuadraticTests {
  @Test func optimalValueForTheLargeSuite() {
    let f = ConditionedQuadratic(dimension: 10_000)
    #expect(f.diagonal[0] == 1)
    #expect(f.diagonal[9_999] == 1e4)
    let fStar = -543.0095975636877
    #expect(abs(f.optimalValue - fStar) <= 1e-12 * abs(fStar), "f* = \(f.optimalValue)")
    let xStar = f.minimizer
    #expect(abs(f.value(at: xStar) - fStar) <= 1e-12 * abs(fStar))
    var g = Vector.zeros(0)
    _ = f.value(at: xStar, gradient: &g)
    #expect(g.normInfinity < 1e-12)
    #expect(f.value(at: f.startingPoint) == 0)
  }

  @Test(arguments: [(10, 1e4), (100, 1e4), (50, 1e2), (1, 1e4)])
  func derivativesMatchCentralDifferences(_ n: Int, _ kappa: Double) {
    let f = ConditionedQuadratic(dimension: n, conditionNumber: kappa)
    #expect(abs(f.diagonal[n - 1] - (n == 1 ? 1 : kappa)) <= 1e-12 * kappa)
    let x = seededPoint(n, seed: 7)
    var g = Vector.zeros(0)
    #expect(f.value(at: x, gradient: &g) == f.value(at: x))
    #expect(checkGradient(f, at: x).isConsistent(tolerance: 1e-7))
    let v = seededPoint(n, seed: 8)
    #expect(checkHessianVectorProduct(f, at: x, direction: v).isConsistent(tolerance: 1e-7))
    var hv = Vector.zeros(0)
    f.hessianVectorProduct(at: x, direction: v, into: &hv)
    let dv = f.diagonal .* v
    #expect(hv == dv)
  }
}

@Suite struct LogisticRegressionTests {
  static let small = LogisticRegression.synthetic(samples: 300, features: 10, seed: 5)

  @Test(arguments: [0.1, 1, 5])
  func derivativesMatchCentralDifferences(_ scale: Double) {
    let f = Self.small
    let x = seededPoint(10, seed: 3, scale: scale)
    var g = Vector.zeros(0)
    #expect(f.value(at: x, gradient: &g) == f.value(at: x))
    let gradientCheck = checkGradient(f, at: x)
    #expect(gradientCheck.isConsistent(tolerance: 1e-7), "\(gradientCheck)")
    let v = seededPoint(10, seed: 4)
    let hvpCheck = checkHessianVectorProduct(f, at: x, direction: v)
    #expect(hvpCheck.isConsistent(tolerance: 1e-6), "\(hvpCheck)")
  }

  /// Column j of the dense Hessian is the exact product ∇²f(x)·eⱼ; the full data and a batch
  /// view (rows 50..<170) both.
  @Test(arguments: [false, true])
  func denseHessianMatchesProducts(batch: Bool) {
    let f = batch ? Self.small.batch(rows: 50..<170) : Self.small
    let x = seededPoint(10, seed: 21, scale: 2)
    let h = f.hessian(at: x)
    var worst = 0.0
    var hv = Vector.zeros(0)
    for j in 0..<10 {
      var e = Vector.zeros(10)
      e[j] = 1
      f.hessianVectorProduct(at: x, direction: e, into: &hv)
      for i in 0..<10 {
        worst = max(worst, abs(h[i, j] - hv[i]))
        #expect(h[i, j] == h[j, i])
      }
    }
    #expect(worst <= 1e-14)
  }

  @Test func valueFollowsTheDefinition() {
    let f = Self.small
    let x = seededPoint(10, seed: 9)
    var loss = 0.0
    for i in 0..<300 {
      let z = f.labels[i] * dot(f.features.row(i), x)
      loss += log(1 + exp(-z))
    }
    let expected = loss / 300 + 0.5 * f.regularization * x.normSquared
    #expect(abs(f.value(at: x) - expected) <= 1e-14 * expected)
  }

  @Test func largeMarginsStayFinite() {
    let f = Self.small
    let x = seededPoint(10, seed: 9, scale: 1e4)
    var g = Vector.zeros(0)
    let value = f.value(at: x, gradient: &g)
    #expect(value.isFinite && value > 0)
    #expect(g.isFinite)
    var hv = Vector.zeros(0)
    f.hessianVectorProduct(at: x, direction: x, into: &hv)
    #expect(hv.isFinite)
  }

  @Test func batchesAverageOverTheirRows() {
    let f = Self.small
    let x = seededPoint(10, seed: 12)
    let v = seededPoint(10, seed: 13)
    let batch = f.batch(rows: 100..<160)
    #expect(batch.sampleCount == 60)
    #expect(batch.dimension == 10)
    var gBatch = Vector.zeros(0)
    var gIndices = Vector.zeros(0)
    let fBatch = batch.value(at: x, gradient: &gBatch)
    let fIndices = f.value(at: x, rows: Array(100..<160), gradient: &gIndices)
    #expect(fBatch == fIndices)
    #expect(fBatch == batch.value(at: x))
    #expect(fIndices == f.value(at: x, rows: Array(100..<160)))
    #expect((gBatch - gIndices).normInfinity <= 1e-15)
    var hBatch = Vector.zeros(0)
    var hIndices = Vector.zeros(0)
    batch.hessianVectorProduct(at: x, direction: v, into: &hBatch)
    f.hessianVectorProduct(at: x, rows: Array(100..<160), direction: v, into: &hIndices)
    #expect((hBatch - hIndices).normInfinity <= 1e-15)
    #expect(checkGradient(batch, at: x).isConsistent(tolerance: 1e-7))
    #expect(checkHessianVectorProduct(batch, at: x, direction: v).isConsistent(tolerance: 1e-6))
    // The full objective is the average of two half batches.
    let halves = 0.5 * (f.batch(rows: 0..<150).value(at: x) + f.batch(rows: 150..<300).value(at: x))
    #expect(abs(halves - f.value(at: x)) <= 1e-14)
    // Indices may repeat: a row listed twice counts twice.
    let twice = f.value(at: x, rows: [3, 3, 8])
    let weighted = (2 * f.batch(rows: 3..<4).value(at: x) + f.batch(rows: 8..<9).value(at: x)) / 3
    #expect(abs(twice - weighted) <= 1e-14)
  }
}

@Suite struct ScalableProblemsTests {
  @Test func buildersUseThePeerNames() {
    let r = ScalableProblems.extendedRosenbrock(n: 1000)
    #expect(r.name == "ext_rosenbrock_n1000")
    #expect(r.dimension == 1000 && r.optimalValue == 0)
    #expect(abs(r.objective.value(at: r.startingPoint) - 12_100) < 1e-9)
    #expect(r.objective.hasExactCurvature)
    #expect(r.residualCount == 1000)
    let q = ScalableProblems.quadratic(n: 10_000)
    #expect(q.name == "quadratic_n10000")
    #expect(abs(q.optimalValue! + 543.0095975636877) <= 1e-12 * 543.0095975636877)
    #expect(q.objective.hasExactCurvature)
    #expect(
      ScalableProblems.quadratic(n: 10, conditionNumber: 100).name == "quadratic_n10_kappa100")
    let small = ScalableProblems.logisticRegression(samples: 50, features: 5)
    #expect(small.name == "logreg_m50_d5")
    #expect(small.optimalValue == nil)
    #expect(ScalableProblems.problem(named: "rosenbrock") == nil)
  }

  @Test func largeSuiteListsThePeerProblems() {
    let names = [
      "ext_rosenbrock_n1000", "ext_rosenbrock_n100000", "ext_rosenbrock_n1000000",
      "quadratic_n10000", "logreg_m10000_d100",
    ]
    #expect(ScalableProblems.largeNames == names)
    let suite = ScalableProblems.large
    #expect(suite.map(\.name) == names)
    #expect(suite.map(\.dimension) == [1000, 100_000, 1_000_000, 10_000, 100])
    #expect(suite[4].optimalValue == 0.42477139791365287)
    #expect(suite[4].collection == "logreg")
    #expect(abs(suite[4].objective.value(at: suite[4].startingPoint) - 0.6931471805599453) < 1e-15)
    for p in suite { #expect(p.objective.hasExactCurvature) }
  }

  /// Minimizes the full logistic regression by Newton-CG with exact products and compares with the
  /// published f*. Slow in debug builds: CURVATURE_LARGE_TESTS=1.
  @Test(.enabled(if: largeTestsEnabled))
  func logisticRegressionReachesThePublishedOptimum() {
    let f = LogisticRegression.synthetic()
    var x = Vector.zeros(100)
    var g = Vector.zeros(100)
    var value = f.value(at: x, gradient: &g)
    for _ in 0..<20 where g.normInfinity > 1e-11 {
      // Solve ∇²f·p = −g by conjugate gradients (the Hessian is positive definite, λ > 0).
      var p = Vector.zeros(100)
      var r = -g
      var d = r
      var hd = Vector.zeros(100)
      var rr = r.normSquared
      for _ in 0..<200 where rr.squareRoot() > 1e-12 * g.norm {
        f.hessianVectorProduct(at: x, direction: d, into: &hd)
        let alpha = rr / dot(d, hd)
        axpy(alpha, d, &p)
        axpy(-alpha, hd, &r)
        let rrNew = r.normSquared
        d = r + (rrNew / rr) * d
        rr = rrNew
      }
      x += p
      value = f.value(at: x, gradient: &g)
    }
    #expect(g.normInfinity < 1e-10)
    #expect(
      abs(value - ScalableProblems.logisticRegressionOptimalValue) <= 1e-15,
      "f = \(value), |g|inf = \(g.normInfinity)")
  }

  @Test(.enabled(if: largeTestsEnabled))
  func millionVariableRosenbrockEvaluates() {
    let p = ScalableProblems.extendedRosenbrock(n: 1_000_000)
    var g = Vector.zeros(0)
    let value = p.objective.value(at: p.startingPoint, gradient: &g)
    #expect(abs(value - 12_100_000) < 1e-4)
    #expect(g[999_998] == g[0] && g[999_999] == g[1])
    var hv = Vector.zeros(0)
    p.objective.hessianVectorProduct(at: p.startingPoint, direction: g, into: &hv)
    #expect(hv.isFinite)
  }
}
