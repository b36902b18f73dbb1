import Curvature
import RealModule
import Testing

/// A small batch of 7 samples of 5 features and a network 5 → 4 → 3 (→ 3) with every
/// activation and loss.
struct NetworkFixture {
  let objective: NetworkObjective
  let theta: Vector

  init(activation: Activation, loss: OutputLoss, regularization: Double = 0.1, seed: UInt64 = 3) {
    var rng = SplitMix64(seed: seed)
    let m = 7
    let inputs = Matrix(rows: m, columns: 5) { _, _ in rng.normal() }
    let targets: Matrix
    switch loss {
    case .softmaxCrossEntropy:
      targets = Matrix(rows: m, columns: 3) { i, j in j == i % 3 ? 1 : 0 }
    case .logistic:
      targets = Matrix(rows: m, columns: 3) { _, _ in rng.uniform() }
    case .squaredError:
      targets = Matrix(rows: m, columns: 3) { _, _ in rng.normal() }
    }
    let network = Network(
      inputWidth: 5,
      layers: [.dense(4), .activation(activation), .dense(3, bias: false), .tanh, .dense(3)])
    objective = NetworkObjective(
      network: network, inputs: inputs, targets: targets, loss: loss,
      regularization: regularization)
    var theta = network.initialParameters(seed: seed)
    // Non-zero biases, so their derivatives are exercised away from zero.
    for b in network.layout.blocks(labeled: "bias") {
      for k in b.range { theta[k] = 0.3 * rng.normal() }
    }
    self.theta = theta
  }
}

@Suite("Network derivatives")
struct NetworkDerivativeTests {
  static let cases: [(Activation, OutputLoss)] = Activation.allCases.flatMap { a in
    OutputLoss.allCases.map { (a, $0) }
  }

  @Test("gradient matches central differences", arguments: cases)
  func gradient(activation: Activation, loss: OutputLoss) {
    let f = NetworkFixture(activation: activation, loss: loss)
    var g = Vector()
    let value = f.objective.value(at: f.theta, gradient: &g)
    #expect(abs(value - f.objective.value(at: f.theta)) <= 1e-14 * abs(value))
    let h = 1e-6
    for j in 0..<f.theta.count {
      var p = f.theta
      p[j] += h
      var q = f.theta
      q[j] -= h
      let fd = (f.objective.value(at: p) - f.objective.value(at: q)) / (2 * h)
      #expect(abs(fd - g[j]) <= 1e-7 * max(1, abs(g[j])), "∂f/∂θ\(j)")
    }
  }

  @Test("Hessian-vector product matches differences of gradients", arguments: cases)
  func hessianVectorProduct(activation: Activation, loss: OutputLoss) {
    let f = NetworkFixture(activation: activation, loss: loss)
    var rng = SplitMix64(seed: 11)
    let v = Vector(count: f.theta.count) { _ in rng.normal() }
    var hv = Vector()
    f.objective.hessianVectorProduct(at: f.theta, direction: v, into: &hv)
    let h = 1e-5
    var gp = Vector()
    var gm = Vector()
    _ = f.objective.value(at: f.theta + h * v, gradient: &gp)
    _ = f.objective.value(at: f.theta - h * v, gradient: &gm)
    let fd = (gp - gm) / (2 * h)
    // ReLU's kinks make differences of gradients exact only away from them; the fixture's
    // pre-activations are all farther than h from zero.
    #expect((fd - hv).normInfinity <= 1e-7 * max(1, hv.normInfinity))
  }

  @Test("Gauss-Newton product equals Jᵀ H_ℓ J v with J from differences", arguments: cases)
  func gaussNewton(activation: Activation, loss: OutputLoss) {
    let f = NetworkFixture(activation: activation, loss: loss, regularization: 0)
    let net = f.objective.network
    var rng = SplitMix64(seed: 5)
    let v = Vector(count: f.theta.count) { _ in rng.normal() }
    let oracle = f.objective.oracle(samples: nil)
    var gv = Vector()
    oracle.gaussNewtonProduct!(f.theta)(v, &gv)
    // J by central differences of the outputs, column by column.
    let m = f.objective.sampleCount
    let k = net.outputWidth
    let n = f.theta.count
    var jac = Matrix(rows: m * k, columns: n)
    let h = 1e-6
    for j in 0..<n {
      var p = f.theta
      p[j] += h
      var q = f.theta
      q[j] -= h
      let d = net.outputs(p, inputs: f.objective.inputs).storage
      let e = net.outputs(q, inputs: f.objective.inputs).storage
      for r in 0..<(m * k) { jac[r, j] = (d[r] - e[r]) / (2 * h) }
    }
    let z = net.outputs(f.theta, inputs: f.objective.inputs)
    let jv = jac * Matrix(rows: n, columns: 1, storage: v.storage)
    // H_ℓ block by block, averaged over the batch.
    var u = [Double](repeating: 0, count: m * k)
    for i in 0..<m {
      for a in 0..<k {
        var s = 0.0
        for b in 0..<k {
          s +=
            lossHessian(loss, z: Array(z.storage[(i * k)..<((i + 1) * k)]), a, b) * jv[i * k + b, 0]
        }
        u[i * k + a] = s / Double(m)
      }
    }
    let expected = jac.transposeMultiply(Matrix(rows: m * k, columns: 1, storage: u))
    for j in 0..<n {
      #expect(abs(expected[j, 0] - gv[j]) <= 1e-7 * max(1, abs(gv[j])), "(Gv)\(j)")
    }
  }

  @Test("Gauss-Newton equals the Hessian for a linear model with a convex loss")
  func gaussNewtonOfLinearModel() {
    for loss in OutputLoss.allCases {
      var rng = SplitMix64(seed: 2)
      let inputs = Matrix(rows: 6, columns: 4) { _, _ in rng.normal() }
      let targets = Matrix(rows: 6, columns: 3) { i, j in j == i % 3 ? 1 : 0 }
      let objective = NetworkObjective(
        network: Network(inputWidth: 4, layers: [.dense(3)]), inputs: inputs, targets: targets,
        loss: loss, regularization: 0.5)
      let theta = objective.network.initialParameters(seed: 1)
      let v = Vector(count: theta.count) { _ in rng.normal() }
      var hv = Vector()
      objective.hessianVectorProduct(at: theta, direction: v, into: &hv)
      var gv = Vector()
      objective.oracle(samples: nil).gaussNewtonProduct!(theta)(v, &gv)
      #expect((hv - gv).normInfinity <= 1e-13 * hv.normInfinity)
    }
  }

  @Test("Gauss-Newton forms from tangents equal inner products with Gauss-Newton products")
  func gaussNewtonForms() {
    let f = NetworkFixture(activation: .sigmoid, loss: .logistic, regularization: 0.3)
    var rng = SplitMix64(seed: 8)
    let vs = (0..<3).map { _ in Vector(count: f.theta.count) { _ in rng.normal() } }
    let oracle = f.objective.oracle(samples: [0, 2, 3, 6])
    let gram = oracle.gaussNewtonForms!(f.theta)(vs)
    let product = oracle.gaussNewtonProduct!(f.theta)
    for j in 0..<3 {
      var gv = Vector()
      product(vs[j], &gv)
      for i in 0..<3 {
        let expected = dot(vs[i], gv)
        #expect(abs(gram[i, j] - expected) <= 1e-13 * max(1, abs(expected)))
      }
    }
  }

  @Test("tanh layers agree with the C library's tanh to a few units in the last place")
  func tanhAccuracy() {
    let net = Network(inputWidth: 1, layers: [.dense(1, bias: false), .tanh])
    var xs = (0...20_000).map { -30 + 0.003 * Double($0) }
    xs += [0, 1e-300, -1e-200, 1e-10, 3e-5, 0.624_999_999, 0.625, -0.625, 21.999, 22, 700, -1e300]
    let out = net.outputs([1], inputs: Matrix(rows: xs.count, columns: 1, storage: xs)).storage
    var worst = 0.0
    for (x, y) in zip(xs, out) {
      let exact = Double.tanh(x)
      worst = max(worst, exact == 0 ? abs(y) : abs(y - exact) / abs(exact))
    }
    #expect(worst <= 4 * Double.ulpOfOne)
    let nan = net.outputs([1], inputs: Matrix(rows: 1, columns: 1, storage: [.nan])).storage[0]
    #expect(nan.isNaN)
  }

  @Test("biases are not regularized by default")
  func biasesUnpenalized() {
    let f = NetworkFixture(activation: .tanh, loss: .squaredError, regularization: 0)
    let penalized = NetworkObjective(
      network: f.objective.network, inputs: f.objective.inputs, targets: f.objective.targets,
      loss: .squaredError, regularization: 2)
    var g0 = Vector()
    var g1 = Vector()
    _ = f.objective.value(at: f.theta, gradient: &g0)
    _ = penalized.value(at: f.theta, gradient: &g1)
    for block in f.objective.network.layout.blocks {
      for k in block.range {
        let expected = g0[k] + (block.label == "weight" ? 2 * f.theta[k] : 0)
        #expect(abs(g1[k] - expected) <= 1e-14 * max(1, abs(expected)))
      }
    }
  }

  @Test("the layout names weights and biases and views them as matrices")
  func layout() {
    let net = Network(inputWidth: 3, layers: [.dense(2), .relu, .dense(4, bias: false)])
    #expect(net.layout.blocks.map(\.name) == ["dense1.weight", "dense1.bias", "dense2.weight"])
    #expect(net.parameterCount == 2 * 3 + 2 + 4 * 2)
    let theta = Vector(count: net.parameterCount) { Double($0) }
    let w = net.layout["dense2.weight"]!
    theta.withMatrixView(of: w) { view in
      #expect(view.rows == 4 && view.columns == 2)
      #expect(view[1, 0] == Double(w.offset + 2))
    }
    let x = Matrix(rows: 1, columns: 3, storage: [1, -1, 2])
    let out = net.outputs(theta, inputs: x)
    // Hand-computed: z₁ = W₁x + b₁ with W₁ = [[0,1,2],[3,4,5]], b₁ = [6, 7] → [9, 16]; relu keeps
    // them; W₂ = [[8,9],[10,11],[12,13],[14,15]] → [216, 266, 316, 366].
    #expect(out.storage == [216, 266, 316, 366])
  }
}

/// ∂²ℓ/∂z_a∂z_b for one sample.
func lossHessian(_ loss: OutputLoss, z: [Double], _ a: Int, _ b: Int) -> Double {
  switch loss {
  case .softmaxCrossEntropy:
    let top = z.max()!
    let e = z.map { Double.exp($0 - top) }
    let s = e.reduce(0, +)
    let p = e.map { $0 / s }
    return (a == b ? p[a] : 0) - p[a] * p[b]
  case .logistic:
    let p = 1 / (1 + Double.exp(-z[a]))
    return a == b ? p * (1 - p) : 0
  case .squaredError:
    return a == b ? 1 : 0
  }
}
