import Curvature
import CurvatureAutodiff
import CurvatureProblems
import Foundation
import Testing

// Training models written once with autodiff: gradients, exact Hessian-vector products and
// generalized Gauss-Newton products against finite differences, analytic formulas and
// structural identities.

/// Small instances of the three models, with a point and a direction.
enum ModelCase: String, CaseIterable, Sendable {
  case logisticRegression, spirals, autoencoder

  var objective: any TrainingObjective & HessianVectorProductObjective {
    switch self {
    case .logisticRegression:
      let p = LogisticRegression.synthetic(samples: 40, features: 5)
      return ModelObjective.logisticRegression(
        features: p.features, labels: p.labels, regularization: 1e-2)
    case .spirals:
      return ModelObjective.spiralsClassifier(
        data: TwoSpirals(samplesPerClass: 15), hiddenWidths: [6, 5], regularization: 1e-3)
    case .autoencoder:
      return ModelObjective.curvesAutoencoder(
        data: BezierCurves(count: 12, pointsPerCurve: 4), encoderWidths: [5], codeWidth: 2,
        regularization: 1e-3)
    }
  }
}

/// (f(x + hv) − f(x − hv)) / 2h for a vector function.
func directionalDifference(
  _ g: (Vector) -> Vector, at x: Vector, direction v: Vector, step h: Double = 1e-5
) -> Vector {
  var plus = x
  axpy(h, v, &plus)
  var minus = x
  axpy(-h, v, &minus)
  var d = g(plus)
  axpy(-1, g(minus), &d)
  d.scale(by: 1 / (2 * h))
  return d
}

func seededVector(_ n: Int, seed: UInt64, scale: Double = 1) -> Vector {
  var rng = SplitMix64(seed: seed)
  return Vector(count: n) { _ in scale * (2 * rng.uniform() - 1) }
}

func relativeDistance(_ a: Vector, _ b: Vector) -> Double {
  var d = a
  axpy(-1, b, &d)
  return d.norm / Swift.max(b.norm, 1e-300)
}

@Suite("Training models")
struct ModelTests {
  @Test(arguments: ModelCase.allCases)
  func gradientMatchesFiniteDifferences(_ c: ModelCase) {
    let f = c.objective
    let x = seededVector(f.dimension, seed: 1, scale: 0.5)
    var g = Vector.zeros(f.dimension)
    let value = f.value(at: x, gradient: &g)
    #expect(Swift.abs(value - f.value(at: x)) <= 1e-14 * Swift.max(1, Swift.abs(value)))
    // Directional derivatives along a few random directions.
    for s in 0..<3 {
      let v = seededVector(f.dimension, seed: 10 + UInt64(s))
      let h = 1e-5
      var xp = x
      axpy(h, v, &xp)
      var xm = x
      axpy(-h, v, &xm)
      let fd = (f.value(at: xp) - f.value(at: xm)) / (2 * h)
      #expect(Swift.abs(fd - dot(g, v)) <= 1e-7 * Swift.max(1, Swift.abs(fd)))
    }
  }

  @Test(arguments: ModelCase.allCases)
  func hessianVectorProductMatchesGradientDifferences(_ c: ModelCase) {
    let f = c.objective
    let x = seededVector(f.dimension, seed: 2, scale: 0.5)
    let v = seededVector(f.dimension, seed: 3)
    var hv = Vector.zeros(f.dimension)
    f.hessianVectorProduct(at: x, direction: v, into: &hv)
    let fd = directionalDifference(
      { p in
        var g = Vector.zeros(f.dimension)
        _ = f.value(at: p, gradient: &g)
        return g
      }, at: x, direction: v)
    #expect(relativeDistance(hv, fd) <= 1e-6)
  }

  /// Jᵀ H_ℓ J v against its definition with J·v and Jᵀu by finite differences is awkward;
  /// instead: G is symmetric (uᵀGv = vᵀGu), positive semidefinite on random directions, and for
  /// the squared-error loss it equals JᵀJ/B + λI, whose quadratic form vᵀGv = ‖Jv‖²/B + λ‖v‖²
  /// is checked with J·v by finite differences of the outputs.
  @Test(arguments: ModelCase.allCases)
  func gaussNewtonIsSymmetricPositiveSemidefinite(_ c: ModelCase) {
    let f = c.objective
    let x = seededVector(f.dimension, seed: 4, scale: 0.5)
    let product = f.oracle(samples: nil).gaussNewtonProduct!(x)
    for s in 0..<5 {
      let u = seededVector(f.dimension, seed: 20 + UInt64(s))
      let v = seededVector(f.dimension, seed: 40 + UInt64(s))
      var gu = Vector.zeros(f.dimension)
      var gv = Vector.zeros(f.dimension)
      product(u, &gu)
      product(v, &gv)
      #expect(dot(v, gv) >= 0)
      #expect(dot(u, gu) >= 0)
      let a = dot(u, gv)
      let b = dot(v, gu)
      #expect(Swift.abs(a - b) <= 1e-12 * Swift.max(1, Swift.abs(a)))
    }
  }

  @Test func autoencoderGaussNewtonQuadraticFormMatchesJacobianDifferences() {
    let data = BezierCurves(count: 8, pointsPerCurve: 3)
    let f = ModelObjective.curvesAutoencoder(
      data: data, encoderWidths: [4], codeWidth: 2, regularization: 1e-3)
    let x = seededVector(f.dimension, seed: 5, scale: 0.5)
    let v = seededVector(f.dimension, seed: 6)
    var gv = Vector.zeros(f.dimension)
    f.gaussNewtonProduct(at: x, batch: f.batch(samples: nil))(v, &gv)
    let inputs = f.inputs
    let jv = directionalDifference(
      { p in Vector(f.model.outputs(DVector(p), inputs: inputs) as DVector) }, at: x, direction: v)
    let expected = jv.normSquared / Double(f.sampleCount) + 1e-3 * v.normSquared
    #expect(Swift.abs(dot(v, gv) - expected) <= 1e-7 * expected)
  }

  /// Logistic regression is linear in θ, so its Gauss-Newton matrix is its Hessian, and both
  /// agree with the analytic problem of CurvatureProblems (value, gradient and product).
  @Test func logisticRegressionMatchesAnalyticProblem() {
    let p = LogisticRegression.synthetic(samples: 200, features: 8)
    let f = ModelObjective.logisticRegression(
      features: p.features, labels: p.labels, regularization: p.regularization)
    let x = seededVector(8, seed: 7)
    let v = seededVector(8, seed: 8)
    var g = Vector.zeros(8)
    var ga = Vector.zeros(8)
    let value = f.value(at: x, gradient: &g)
    let analytic = p.value(at: x, gradient: &ga)
    #expect(Swift.abs(value - analytic) <= 1e-13 * analytic)
    #expect(relativeDistance(g, ga) <= 1e-12)
    var hv = Vector.zeros(8)
    var ha = Vector.zeros(8)
    var gn = Vector.zeros(8)
    f.hessianVectorProduct(at: x, direction: v, into: &hv)
    p.hessianVectorProduct(at: x, direction: v, into: &ha)
    f.gaussNewtonProduct(at: x, batch: f.batch(samples: nil))(v, &gn)
    #expect(relativeDistance(hv, ha) <= 1e-12)
    #expect(relativeDistance(gn, ha) <= 1e-12)
    // A mini-batch averages over its rows only.
    let rows = [3, 17, 42, 99]
    var gb = Vector.zeros(8)
    var gba = Vector.zeros(8)
    let vb = f.oracle(samples: rows).valueAndGradient(x, &gb)
    let vba = p.value(at: x, rows: rows, gradient: &gba)
    #expect(Swift.abs(vb - vba) <= 1e-13 * vba)
    #expect(relativeDistance(gb, gba) <= 1e-12)
  }

  @Test func spiralsDataAreDeterministicAndBalanced() {
    let a = TwoSpirals(samplesPerClass: 50, seed: 3)
    let b = TwoSpirals(samplesPerClass: 50, seed: 3)
    #expect(a.inputs == b.inputs && a.labels == b.labels)
    #expect(a.labels.filter { $0 == 1 }.count == 50)
    #expect(a.inputs.count == 200)
    // Every point lies within noise of the unit disc.
    for i in 0..<100 {
      let r = (a.inputs[2 * i] * a.inputs[2 * i] + a.inputs[2 * i + 1] * a.inputs[2 * i + 1])
        .squareRoot()
      #expect(r < 1.2)
    }
  }

  @Test func bezierCurvesStartAndEndAtControlPoints() {
    let c = BezierCurves(count: 3, pointsPerCurve: 5, seed: 9)
    var rng = SplitMix64(seed: 9)
    let p = (0..<8).map { _ in rng.uniform() }
    #expect(c.width == 10)
    #expect(c.samples[0] == p[0] && c.samples[1] == p[1])
    #expect(Swift.abs(c.samples[8] - p[6]) <= 1e-15 && Swift.abs(c.samples[9] - p[7]) <= 1e-15)
  }
}

@Suite("Training models: Gauss-Newton against a finite-difference Jacobian")
struct GaussNewtonJacobianTests {
  /// For softmax cross-entropy, G·v = (1/B) Σᵢ Jᵢᵀ(diag pᵢ − pᵢpᵢᵀ)Jᵢv + λv, with the dense
  /// Jacobian J of the batch outputs built column by column from central differences.
  @Test func spiralsGaussNewtonMatchesDenseFormula() {
    let lambda = 1e-3
    let f = ModelObjective.spiralsClassifier(
      data: TwoSpirals(samplesPerClass: 6), hiddenWidths: [4], regularization: lambda)
    let n = f.dimension
    let x = seededVector(n, seed: 12, scale: 0.7)
    let v = seededVector(n, seed: 13)
    let inputs = f.inputs
    let outputs = { (p: Vector) in Vector(f.model.outputs(DVector(p), inputs: inputs) as DVector) }
    let z = outputs(x)
    let jv = directionalDifference(outputs, at: x, direction: v)
    // u = H_ℓ J v per sample.
    let b = f.sampleCount
    var u = Vector.zeros(z.count)
    for i in 0..<b {
      let (z0, z1) = (z[2 * i], z[2 * i + 1])
      let m = Swift.max(z0, z1)
      let (e0, e1) = (Foundation.exp(z0 - m), Foundation.exp(z1 - m))
      let (p0, p1) = (e0 / (e0 + e1), e1 / (e0 + e1))
      let pu = p0 * jv[2 * i] + p1 * jv[2 * i + 1]
      u[2 * i] = p0 * (jv[2 * i] - pu) / Double(b)
      u[2 * i + 1] = p1 * (jv[2 * i + 1] - pu) / Double(b)
    }
    // Jᵀu, column k of J from e_k.
    var expected = Vector(count: n) { k in
      dot(directionalDifference(outputs, at: x, direction: .basis(k, count: n)), u)
    }
    axpy(lambda, v, &expected)
    var gv = Vector.zeros(n)
    f.gaussNewtonProduct(at: x, batch: f.batch(samples: nil))(v, &gv)
    #expect(relativeDistance(gv, expected) <= 1e-7)
  }
}
