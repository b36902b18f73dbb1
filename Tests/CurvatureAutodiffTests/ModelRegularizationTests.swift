import Curvature
import CurvatureAutodiff
import Testing

// ModelObjective for every loss, with and without a regularization mask, on a small tanh
// network and a linear model with k outputs and an intercept: gradients against central
// differences of values, exact Hessian-vector products against central differences of
// gradients (relative 10⁻⁶), and the penalty (λ/2)Σⱼ mⱼθⱼ² in the value, the gradient, the
// Hessian-vector product and the Gauss-Newton product.

/// Which penalty weights a case uses.
enum MaskCase: String, CaseIterable, Sendable {
  case all, excludingBiases, weights

  func mask(parameters n: Int) -> RegularizationMask {
    switch self {
    case .all: .all
    case .excludingBiases: .excludingBiases
    case .weights: .weights(seededVector(n, seed: 77, scale: 1).mapped { 1 + $0 })
    }
  }
}

/// A model, a loss and a mask.
struct RegularizedModelCase: Sendable, CustomTestStringConvertible {
  let linear: Bool
  let loss: OutputLoss
  let mask: MaskCase
  var testDescription: String {
    "\(linear ? "linear 3 → 3 + intercept" : "dense 3-4-3 tanh"), \(loss.rawValue), \(mask.rawValue)"
  }

  static let all: [RegularizedModelCase] = [false, true].flatMap { linear in
    [OutputLoss.softmaxCrossEntropy, .logistic, .squaredError].flatMap { loss in
      MaskCase.allCases.map { RegularizedModelCase(linear: linear, loss: loss, mask: $0) }
    }
  }

  static let lambda = 0.3

  /// 7 samples of 3 features; one-hot targets for softmax cross-entropy, values in [0, 1] for
  /// the logistic loss, any values for the squared error.
  var data: (inputs: [Double], targets: [Double]) {
    let m = 7
    let x = seededValues(m * 3, seed: 70, in: -1.5...1.5)
    switch loss {
    case .softmaxCrossEntropy:
      return (x, (0..<m).flatMap { i in (0..<3).map { $0 == (i * 5) % 3 ? 1.0 : 0.0 } })
    case .logistic: return (x, seededValues(m * 3, seed: 71, in: 0...1))
    case .squaredError: return (x, seededValues(m * 3, seed: 72, in: -1...1))
    }
  }

  /// The objective with the case's mask (or with every mⱼ = 1 when `masked` is false).
  func objective(masked: Bool = true) -> any TrainingObjective & HessianVectorProductObjective {
    let (x, t) = data
    if linear {
      let model = LinearModel(features: 3, outputs: 3, intercept: true)
      return ModelObjective(
        model: model, inputs: x, targets: t, loss: loss, regularization: Self.lambda,
        regularizationMask: (masked ? mask : .all).mask(parameters: model.parameterCount))
    }
    let model = DenseNetwork(layerWidths: [3, 4, 3])
    return ModelObjective(
      model: model, inputs: x, targets: t, loss: loss, regularization: Self.lambda,
      regularizationMask: (masked ? mask : .all).mask(parameters: model.parameterCount))
  }

  /// The weights m of the case's mask, written out.
  var weights: Vector {
    let n = objective().dimension
    let biases: [Range<Int>] =
      linear
      ? LinearModel(features: 3, outputs: 3, intercept: true).biasParameters
      : DenseNetwork(layerWidths: [3, 4, 3]).biasParameters
    switch mask {
    case .all: return Vector(repeating: 1, count: n)
    case .excludingBiases:
      var m = Vector(repeating: 1, count: n)
      for r in biases { for j in r { m[j] = 0 } }
      return m
    case .weights: return seededVector(n, seed: 77, scale: 1).mapped { 1 + $0 }
    }
  }
}

extension Vector {
  /// The elements mapped by `body`.
  fileprivate func mapped(_ body: (Double) -> Double) -> Vector { Vector(storage.map(body)) }
}

@Suite("Training models: regularization masks and derivatives for every loss")
struct ModelRegularizationTests {
  @Test("gradient matches central differences", arguments: RegularizedModelCase.all)
  func gradient(_ c: RegularizedModelCase) {
    let f = c.objective()
    let x = seededVector(f.dimension, seed: 73, scale: 0.8)
    var g = Vector.zeros(f.dimension)
    _ = f.value(at: x, gradient: &g)
    let fd = centralDifferenceGradient({ f.value(at: Vector($0)) }, at: x.storage)
    #expect(relativeError(g.storage, fd) < 1e-8)
  }

  @Test(
    "exact Hessian-vector product matches differences of gradients",
    arguments: RegularizedModelCase.all)
  func hessianVectorProduct(_ c: RegularizedModelCase) {
    let f = c.objective()
    let x = seededVector(f.dimension, seed: 74, scale: 0.8)
    let v = seededVector(f.dimension, seed: 75)
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

  /// Against the objective without a mask, the value changes by (λ/2)Σ(mⱼ − 1)θⱼ², the
  /// gradient by λ(m − 1) ⊙ θ, and the Hessian-vector and Gauss-Newton products by
  /// λ(m − 1) ⊙ v; for the linear model the Gauss-Newton product is the Hessian's.
  @Test("the penalty carries the mask into every derivative", arguments: RegularizedModelCase.all)
  func maskedPenalty(_ c: RegularizedModelCase) {
    let f = c.objective()
    let plain = c.objective(masked: false)
    let n = f.dimension
    let m = c.weights
    let lambda = RegularizedModelCase.lambda
    let x = seededVector(n, seed: 76, scale: 0.8)
    let v = seededVector(n, seed: 78)
    var expectedChange = 0.0
    for j in 0..<n { expectedChange += 0.5 * lambda * (m[j] - 1) * x[j] * x[j] }
    let fx = f.value(at: x)
    #expect(Swift.abs((fx - plain.value(at: x)) - expectedChange) <= 1e-13 * Swift.max(1, fx))

    var g = Vector.zeros(n)
    var g0 = Vector.zeros(n)
    _ = f.value(at: x, gradient: &g)
    _ = plain.value(at: x, gradient: &g0)
    var hv = Vector.zeros(n)
    var hv0 = Vector.zeros(n)
    f.hessianVectorProduct(at: x, direction: v, into: &hv)
    plain.hessianVectorProduct(at: x, direction: v, into: &hv0)
    var gn = Vector.zeros(n)
    var gn0 = Vector.zeros(n)
    f.oracle(samples: nil).gaussNewtonProduct!(x)(v, &gn)
    plain.oracle(samples: nil).gaussNewtonProduct!(x)(v, &gn0)
    for j in 0..<n {
      let scale = 1e-13 * Swift.max(1, Swift.abs(g[j]) + Swift.abs(hv[j]) + Swift.abs(gn[j]))
      #expect(Swift.abs((g[j] - g0[j]) - lambda * (m[j] - 1) * x[j]) <= scale, "gradient [\(j)]")
      #expect(Swift.abs((hv[j] - hv0[j]) - lambda * (m[j] - 1) * v[j]) <= scale, "HVP [\(j)]")
      #expect(Swift.abs((gn[j] - gn0[j]) - lambda * (m[j] - 1) * v[j]) <= scale, "GGN [\(j)]")
    }
    if c.linear { #expect(relativeDistance(gn, hv) <= 1e-12) }
  }

  /// G is symmetric and, for these convex losses, positive semidefinite with any mask.
  @Test("the Gauss-Newton product stays symmetric", arguments: RegularizedModelCase.all)
  func gaussNewtonSymmetric(_ c: RegularizedModelCase) {
    let f = c.objective()
    let x = seededVector(f.dimension, seed: 79, scale: 0.8)
    let product = f.oracle(samples: nil).gaussNewtonProduct!(x)
    let u = seededVector(f.dimension, seed: 80)
    let v = seededVector(f.dimension, seed: 81)
    var gu = Vector.zeros(f.dimension)
    var gv = Vector.zeros(f.dimension)
    product(u, &gu)
    product(v, &gv)
    #expect(dot(u, gu) >= 0 && dot(v, gv) >= 0)
    #expect(Swift.abs(dot(u, gv) - dot(v, gu)) <= 1e-12 * Swift.max(1, Swift.abs(dot(u, gv))))
  }

  @Test func biasParametersOfTheModels() {
    let net = DenseNetwork(layerWidths: [3, 4, 2])
    #expect(net.biasParameters == [12..<16, 24..<26])
    #expect(net.parameterCount == 26)
    let linear = LinearModel(features: 5, outputs: 3, intercept: true)
    #expect(linear.parameterCount == 18)
    #expect(linear.biasParameters == [15..<18])
    #expect(LinearModel(features: 5).biasParameters.isEmpty)
    #expect(LinearModel(features: 5).parameterCount == 5)
    // Without biases, excluding them penalizes everything, as `.all` does.
    let p = ModelObjective(
      model: LinearModel(features: 2), inputs: [1, 2, 3, 4], targets: [0, 1], loss: .logistic,
      regularization: 0.1, regularizationMask: .excludingBiases)
    #expect(p.regularizationWeights == nil)
    let q = ModelObjective(
      model: net, inputs: [1, 2, 3], targets: [1, 0], loss: .softmaxCrossEntropy,
      regularization: 0.1, regularizationMask: .excludingBiases)
    #expect(q.regularizationWeights?.storage.filter { $0 == 0 }.count == 6)
    // A shard keeps the weights.
    #expect(q.shard(samples: 0..<1).regularizationWeights == q.regularizationWeights)
  }

  /// The intercept adds 1·bᵀ to every row: z = X·Wᵀ + b for each sample.
  @Test func linearModelWithInterceptComputesXWtPlusB() {
    let model = LinearModel(features: 2, outputs: 3, intercept: true)
    let theta: [Double] = [1, 2, 3, 4, 5, 6, 0.5, -0.5, 2]
    let x: [Double] = [1, -1, 0.5, 2]
    let z = model.outputs(DVector(theta), inputs: x).storage
    // Row 1: (1 − 2, 3 − 4, 5 − 6) + b; row 2: (0.5 + 4, 1.5 + 8, 2.5 + 12) + b.
    let expected: [Double] = [-0.5, -1.5, 1, 5, 9, 16.5]
    #expect(z == expected)
  }
}
