import Curvature
import Foundation
import Testing

/// The context `train` builds for a step, without its counting: enough to drive a transform by
/// hand.
func networkContext(
  _ oracle: MiniBatchOracle, at x: Vector, step: Int, seed: UInt64 = 0
) -> (context: UpdateContext, gradient: Vector) {
  var g = Vector()
  let f = oracle.valueAndGradient(x, &g)
  let context = UpdateContext(
    parameters: x, value: f, gradient: g, iteration: step, seed: seed &+ UInt64(step),
    evaluateValue: oracle.value, evaluateGradient: oracle.valueAndGradient,
    hessianVectorProduct: oracle.hessianVectorProduct.map { $0(x) },
    gaussNewtonProduct: oracle.gaussNewtonProduct.map { $0(x) },
    layerStatistics: oracle.layerStatistics.map { s in { s(x, $0, seed &+ UInt64(step)) } })
  return (context, g)
}

/// Two Gaussian blobs per class in 4 dimensions, 3 classes: a small classification problem.
func blobs(samples m: Int, seed: UInt64) -> (inputs: Matrix, targets: Matrix, labels: [Int]) {
  var rng = SplitMix64(seed: seed)
  let centers: [[Double]] = [[2, 0, 0, 1], [0, 2, -1, 0], [-2, -1, 1, 0]]
  var labels = [Int]()
  var x = Matrix(rows: m, columns: 4)
  for i in 0..<m {
    let c = Int(rng.next() % 3)
    labels.append(c)
    for j in 0..<4 { x[i, j] = centers[c][j] + rng.normal() }
  }
  let t = Matrix(rows: m, columns: 3) { i, j in labels[i] == j ? 1 : 0 }
  return (x, t, labels)
}

@Suite("K-FAC")
struct KFACTests {
  @Test("factors of a two-layer network match per-sample gradients computed one sample at a time")
  func factorsByHand() {
    let x = Matrix(rows: 3, columns: 2, storage: [1, 2, -1, 0.5, 0.3, -2])
    let t = Matrix(rows: 3, columns: 2, storage: [1, 0, 0, 1, 1, 0])
    let net = Network(inputWidth: 2, layers: [.dense(2), .tanh, .dense(2)])
    let objective = NetworkObjective(
      network: net, inputs: x, targets: t, loss: .softmaxCrossEntropy)
    let theta = Vector([0.5, -0.3, 0.2, 0.8, 0.1, -0.1, 1.0, -0.7, 0.4, 0.6, 0.05, -0.02])
    let (context, g) = networkContext(objective.oracle(samples: nil), at: theta, step: 0)
    let kfac = KFAC(fisher: .empirical)
    var state = kfac.initialState(for: theta)
    var u = g
    kfac.update(&u, state: &state, context: context)
    // Per-sample output gradients: for one sample, ∂ℓ/∂b is the gradient of the layer's outputs.
    var g1 = Matrix(rows: 2, columns: 2)
    var g2 = Matrix(rows: 2, columns: 2)
    var a1 = Matrix(rows: 3, columns: 3)
    var a2 = Matrix(rows: 3, columns: 3)
    for i in 0..<3 {
      var gi = Vector()
      _ = objective.oracle(samples: [i]).valueAndGradient(theta, &gi)
      let b1 = [gi[4], gi[5]]
      let b2 = [gi[10], gi[11]]
      let xbar = [x[i, 0], x[i, 1], 1]
      // The hidden layer by hand: h = tanh(W₁x + b₁).
      let h = (0..<2).map { r in
        tanh(theta[2 * r] * x[i, 0] + theta[2 * r + 1] * x[i, 1] + theta[4 + r])
      }
      let hbar = [h[0], h[1], 1]
      for p in 0..<2 {
        for q in 0..<2 {
          g1[p, q] += b1[p] * b1[q] / 3
          g2[p, q] += b2[p] * b2[q] / 3
        }
      }
      for p in 0..<3 {
        for q in 0..<3 {
          a1[p, q] += xbar[p] * xbar[q] / 3
          a2[p, q] += hbar[p] * hbar[q] / 3
        }
      }
    }
    func close(_ a: Matrix, _ b: Matrix) -> Bool {
      zip(a.storage, b.storage).allSatisfy { abs($0 - $1) <= 1e-14 * max(1, abs($1)) }
    }
    #expect(close(state.factors[0].inputFactor, a1))
    #expect(close(state.factors[1].inputFactor, a2))
    #expect(close(state.factors[0].outputFactor, g1))
    #expect(close(state.factors[1].outputFactor, g2))
  }

  @Test("the Kronecker-factored step solves (A + πγI) ⊗ (G + γ/π I) against the dense product")
  func kroneckerInverse() {
    let data = blobs(samples: 9, seed: 4)
    let net = Network(inputWidth: 4, layers: [.dense(3)])
    let objective = NetworkObjective(
      network: net, inputs: data.inputs, targets: data.targets, loss: .softmaxCrossEntropy)
    let theta = net.initialParameters(seed: 2)
    let (context, g) = networkContext(objective.oracle(samples: nil), at: theta, step: 0)
    let damping = 0.3
    let kfac = KFAC(mode: .fixed(learningRate: 1, momentum: 0), initialDamping: damping)
    var state = kfac.initialState(for: theta)
    var u = g
    kfac.update(&u, state: &state, context: context)
    let f = state.factors[0]
    let (a, gg) = (f.inputFactor, f.outputFactor)
    let traceA = (0..<5).reduce(0.0) { $0 + a[$1, $1] } / 5
    let traceG = (0..<3).reduce(0.0) { $0 + gg[$1, $1] } / 3
    let pi = (traceA / traceG).squareRoot()
    let gamma = damping.squareRoot()
    let ad = a.addingToDiagonal(pi * gamma)
    let gd = gg.addingToDiagonal(gamma / pi)
    // W̄ row-major (3 × 5) flattened: vec(G X A) = (G ⊗ A) vec(X) for symmetric A.
    var kron = Matrix(rows: 15, columns: 15)
    for i in 0..<3 {
      for j in 0..<5 {
        for p in 0..<3 {
          for q in 0..<5 { kron[i * 5 + j, p * 5 + q] = gd[i, p] * ad[j, q] }
        }
      }
    }
    var wbar = Vector.zeros(15)
    for i in 0..<3 {
      for j in 0..<4 { wbar[i * 5 + j] = g[i * 4 + j] }
      wbar[i * 5 + 4] = g[12 + i]
    }
    let expected = CholeskyFactorization(of: kron)!.solve(wbar)
    for i in 0..<3 {
      for j in 0..<4 {
        #expect(abs(u[i * 4 + j] + expected[i * 5 + j]) <= 1e-12 * expected.normInfinity)
      }
      #expect(abs(u[12 + i] + expected[i * 5 + 4]) <= 1e-12 * expected.normInfinity)
    }
  }

  @Test("for one sample of a linear softmax model, A ⊗ E[ggᵀ] is the exact Fisher")
  func exactFisherOfLinearSoftmax() {
    let x = Matrix(rows: 1, columns: 3, storage: [0.7, -1.2, 0.4])
    let t = Matrix(rows: 1, columns: 4, storage: [0, 0, 1, 0])
    let net = Network(inputWidth: 3, layers: [.dense(4)])
    let objective = NetworkObjective(
      network: net, inputs: x, targets: t, loss: .softmaxCrossEntropy)
    let theta = net.initialParameters(seed: 9)
    let oracle = objective.oracle(samples: nil)
    // The sampled G, averaged over many draws, approaches diag(p) − ppᵀ.
    let z = net.outputs(theta, inputs: x).storage
    let e = z.map { exp($0 - z.max()!) }
    let p = e.map { $0 / e.reduce(0, +) }
    var mean = Matrix(rows: 4, columns: 4)
    let draws = 20_000
    for s in 0..<draws {
      let g = oracle.layerStatistics!(theta, .sampled, UInt64(s))[0].outputGradients
      for i in 0..<4 {
        for j in 0..<4 { mean[i, j] += g[0, i] * g[0, j] / Double(draws) }
      }
    }
    for i in 0..<4 {
      for j in 0..<4 {
        let exact = (i == j ? p[i] : 0) - p[i] * p[j]
        // Monte-Carlo error: a few standard deviations of a mean of 20,000 bounded draws.
        #expect(abs(mean[i, j] - exact) <= 0.02)
      }
    }
    // The exact Fisher F = (diag(p) − ppᵀ) ⊗ x̄x̄ᵀ equals the Gauss-Newton matrix, column by column.
    let xbar = [0.7, -1.2, 0.4, 1]
    let gn = oracle.gaussNewtonProduct!(theta)
    for c in 0..<16 {
      var column = Vector()
      gn(Vector.basis(c, count: 16), &column)
      // Our layout: W (4 × 3) row-major then b (4); index ↦ (output, input) with input 3 = bias.
      func slot(_ k: Int) -> (Int, Int) { k < 12 ? (k / 3, k % 3) : (k - 12, 3) }
      let (o2, i2) = slot(c)
      for r in 0..<16 {
        let (o1, i1) = slot(r)
        let exact = ((o1 == o2 ? p[o1] : 0) - p[o1] * p[o2]) * xbar[i1] * xbar[i2]
        #expect(abs(column[r] - exact) <= 1e-14)
      }
    }
  }

  @Test("checkpoint and resume of the K-FAC state is bit-identical")
  func checkpoint() throws {
    let data = blobs(samples: 60, seed: 1)
    let net = Network(inputWidth: 4, layers: [.dense(8), .tanh, .dense(3)])
    let objective = NetworkObjective(
      network: net, inputs: data.inputs, targets: data.targets, loss: .softmaxCrossEntropy,
      regularization: 1e-3)
    let kfac = KFAC(inverseInterval: 2, dampingInterval: 3, regularization: 1e-3)
    func run(_ x: inout Vector, _ state: inout KFAC.State, steps: Range<Int>) {
      for k in steps {
        let batch = Array(((k * 20) % 60)..<((k * 20) % 60 + 20))
        let (context, g) = networkContext(objective.oracle(samples: batch), at: x, step: k)
        var u = g
        kfac.update(&u, state: &state, context: context)
        apply(u, to: &x)
      }
    }
    var xA = net.initialParameters(seed: 5)
    var sA = kfac.initialState(for: xA)
    run(&xA, &sA, steps: 0..<7)
    let saved = try JSONEncoder().encode(sA)
    let savedX = xA
    run(&xA, &sA, steps: 7..<14)
    var sB = try JSONDecoder().decode(KFAC.State.self, from: saved)
    var xB = savedX
    run(&xB, &sB, steps: 7..<14)
    #expect(xA == xB)
    #expect(sA == sB)
  }

  @Test("adaptive K-FAC trains a small classifier in 30 steps, two forward tangents a step")
  func trains() {
    let data = blobs(samples: 300, seed: 7)
    let net = Network(inputWidth: 4, layers: [.dense(16), .tanh, .dense(3)])
    let objective = NetworkObjective(
      network: net, inputs: data.inputs, targets: data.targets, loss: .softmaxCrossEntropy,
      regularization: 1e-4)
    let x0 = net.initialParameters(seed: 1)
    let r = train(
      KFAC(regularization: 1e-4), objective: objective, from: x0,
      options: TrainingOptions(passes: 1e9, batchSize: 100, maxSteps: 30))
    let start = objective.value(at: x0)
    #expect(r.status == .stepLimit)
    #expect(r.loss < 0.25 * start)
    #expect(r.counts.layerStatistics == 30)
    // The adaptive step's three forms come from forward tangents (one at the first step).
    #expect(r.counts.gaussNewtonProducts == 0)
    #expect(r.counts.gaussNewtonForms == 59)
  }

  @Test(
    "the Levenberg-Marquardt rule moves λ by dampingDecay^dampingInterval as the ratio says",
    arguments: [0.9, 0.5])
  func dampingRule(decay: Double) {
    let data = blobs(samples: 60, seed: 2)
    let net = Network(inputWidth: 4, layers: [.dense(6), .tanh, .dense(3)])
    let objective = NetworkObjective(
      network: net, inputs: data.inputs, targets: data.targets, loss: .softmaxCrossEntropy)
    let kfac = KFAC(initialDamping: 0.5, dampingInterval: 3, dampingDecay: decay)
    var x = net.initialParameters(seed: 3)
    var state = kfac.initialState(for: x)
    let omega = decay * decay * decay
    for k in 0..<9 {
      let before = state.damping
      let (context, g) = networkContext(objective.oracle(samples: Array(0..<60)), at: x, step: k)
      var u = g
      kfac.update(&u, state: &state, context: context)
      apply(u, to: &x)
      if (k + 1) % 3 != 0 {
        #expect(state.damping == before)
        continue
      }
      let rho = state.lastReductionRatio
      #expect(rho.isFinite)
      let expected = rho < 0.25 ? before / omega : rho > 0.75 ? before * omega : before
      #expect(abs(state.damping - expected) <= 1e-15 * expected)
    }
  }

  @Test("a NaN in a batch stops training with the last finite parameters")
  func nonFiniteBatch() {
    var data = blobs(samples: 40, seed: 3)
    data.inputs[25, 2] = .nan
    let net = Network(inputWidth: 4, layers: [.dense(5), .tanh, .dense(3)])
    let objective = NetworkObjective(
      network: net, inputs: data.inputs, targets: data.targets, loss: .softmaxCrossEntropy)
    let r = train(
      KFAC(), objective: objective, from: net.initialParameters(seed: 1),
      options: TrainingOptions(passes: 1e9, batchSize: 10, maxSteps: 40))
    #expect(r.status == .nonFinite)
    #expect(r.parameters.isFinite)
    #expect(r.steps < 4)
  }
}
