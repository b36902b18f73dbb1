import Curvature
import CurvatureAutodiff
import Foundation

/// The cost of the curvature products of `ModelObjective` against its own gradient
/// (`curvature bench --suite models`): for each model and loss on one batch of m samples of 64
/// features (500 unless `--sizes`), the median time of the reverse-mode gradient, of the exact
/// forward-over-reverse Hessian-vector product (one dual pass), and of one generalized
/// Gauss-Newton product Jᵀ H_ℓ J v (prepared once per point, then applied; the preparation is
/// timed separately), with the ratios to the gradient (target: both ≤ 3x). Times are thread CPU
/// times (medians after a warm-up), which a machine shared with other jobs disturbs far less
/// than the wall clock. The HVP column checks the product against central differences of
/// gradients.
///
/// Models: tanh networks 64-32-10 and 64-128-64 (linear output layer) with softmax
/// cross-entropy, logistic and half squared error losses; multinomial logistic regression
/// (`LinearModel` 64 → 10 with an unpenalized intercept) and binary logistic regression
/// (64 → 1 with an intercept). Then whole Newton-CG solves of the multinomial logistic
/// regression on the autodiff route against the hand-written derivatives of
/// ``MultinomialLogisticLoss``.
///
/// Data: 64 "pixels" uniform in [0, 1) per sample (SplitMix64, seed 5) and labels from a
/// random linear teacher (the arg max of T·x for a normal k × 64 matrix T, seed 6), in the
/// shape of scikit-learn's digits.
enum ModelDerivativeCosts {
  /// One model and loss.
  struct Row {
    var model: String
    var loss: String
    var parameters: Int
    var gradientSeconds: Double
    var hessianSeconds: Double
    var gaussNewtonSeconds: Double
    var gaussNewtonSetupSeconds: Double
    var hessianError: Double
  }

  /// One whole solve on both routes.
  struct SolveRow {
    var problem: String
    var handWrittenSeconds: Double
    var autodiffSeconds: Double
    var handWrittenIterations: Int
    var autodiffIterations: Int
    var autodiffProducts: Int
    var objectiveDifference: Double
  }

  /// The ratio target for HVP and GGN products, in gradients.
  static let target = 3.0

  /// The default batch size m and the number of features of a sample.
  static let defaultSamples = 500
  static let features = 64

  /// Pixels (`m × d`, row-major) and teacher labels in 0..<k.
  static func data(samples m: Int, features d: Int, classes k: Int) -> (
    inputs: [Double], labels: [Int]
  ) {
    var rng = SplitMix64(seed: 5)
    let x = (0..<(m * d)).map { _ in rng.uniform() }
    var teacher = SplitMix64(seed: 6)
    let t = (0..<(k * d)).map { _ in teacher.normal() }
    let labels = (0..<m).map { i in
      var best = 0
      var bestScore = -Double.infinity
      for c in 0..<k {
        var s = 0.0
        for j in 0..<d { s += t[c * d + j] * (x[i * d + j] - 0.5) }
        if s > bestScore {
          best = c
          bestScore = s
        }
      }
      return best
    }
    return (x, labels)
  }

  /// One-hot rows of width k.
  static func oneHot(_ labels: [Int], classes k: Int) -> [Double] {
    var t = [Double](repeating: 0, count: labels.count * k)
    for (i, y) in labels.enumerated() { t[i * k + y] = 1 }
    return t
  }

  /// Times every model and loss on a batch of m samples.
  static func run(
    samples m: Int = defaultSamples, repeats: Int, progress: (String) -> Void = { _ in }
  )
    -> [Row]
  {
    let d = features
    var rows: [Row] = []
    for hidden in [32, 128] {
      let k = hidden == 32 ? 10 : 64
      let (x, labels) = data(samples: m, features: d, classes: k)
      let net = DenseNetwork(layerWidths: [d, hidden, k])
      let name = "dense \(d)-\(hidden)-\(k) tanh"
      let targets: [(OutputLoss, [Double])] = [
        (.softmaxCrossEntropy, oneHot(labels, classes: k)),
        // Independent binary outputs: the one-hot rows (64-32-10) or the pixels above 1/2.
        (.logistic, k == 10 ? oneHot(labels, classes: k) : x.map { $0 > 0.5 ? 1 : 0 }),
        // Regression onto the one-hot rows (64-32-10) or reconstruction (64-128-64).
        (.squaredError, k == 10 ? oneHot(labels, classes: k) : x),
      ]
      for (loss, t) in targets {
        progress("\(name), \(loss.rawValue)")
        let f = ModelObjective(
          model: net, inputs: x, targets: t, loss: loss, regularization: 1e-4)
        rows.append(
          measure(
            name, loss: loss, f, at: net.initialParameters(seed: 1), repeats: repeats))
      }
    }
    let (x, labels) = data(samples: m, features: d, classes: 10)
    progress("multinomial logistic regression")
    let multinomial = multinomialObjective(inputs: x, labels: labels, classes: 10)
    rows.append(
      measure(
        "linear \(d) → 10 + intercept", loss: .softmaxCrossEntropy, multinomial,
        at: seededVector(multinomial.dimension, seed: 2, scale: 0.1), repeats: repeats))
    progress("binary logistic regression")
    let binary = ModelObjective(
      model: LinearModel(features: d, intercept: true), inputs: x,
      targets: labels.map { $0 < 5 ? 1 : 0 }, loss: .logistic, regularization: 1e-3,
      regularizationMask: .excludingBiases)
    rows.append(
      measure(
        "linear \(d) → 1 + intercept", loss: .logistic, binary,
        at: seededVector(binary.dimension, seed: 3, scale: 0.1), repeats: repeats))
    return rows
  }

  /// Multinomial logistic regression with an unpenalized intercept, λ = 10⁻³.
  static func multinomialObjective(inputs x: [Double], labels: [Int], classes k: Int)
    -> ModelObjective<LinearModel>
  {
    ModelObjective(
      model: LinearModel(features: features, outputs: k, intercept: true), inputs: x,
      targets: oneHot(labels, classes: k), loss: .softmaxCrossEntropy, regularization: 1e-3,
      regularizationMask: .excludingBiases)
  }

  private static func measure<M: TrainingModel>(
    _ model: String, loss: OutputLoss, _ f: ModelObjective<M>, at x: Vector, repeats: Int
  ) -> Row {
    let n = f.dimension
    let v = seededVector(n, seed: 4, scale: 1)
    let batch = f.batch(samples: nil)
    var g = Vector.zeros(n)
    var hv = Vector.zeros(n)
    var gv = Vector.zeros(n)
    let tGradient = cpuMedian(repeats) {
      _ = f.value(at: x, batch: batch, gradient: &g)
    }
    let tHessian = cpuMedian(repeats) {
      f.hessianVectorProduct(at: x, batch: batch, direction: v, into: &hv)
    }
    var product = f.gaussNewtonProduct(at: x, batch: batch)
    let tSetup = cpuMedian(repeats) {
      product = f.gaussNewtonProduct(at: x, batch: batch)
    }
    let tGaussNewton = cpuMedian(repeats) { product(v, &gv) }
    // Central differences of gradients, h = ∛ε (1 + ‖x‖) / ‖v‖.
    let h = Foundation.cbrt(Double.ulpOfOne) * (1 + x.norm) / v.norm
    var plus = x
    axpy(h, v, &plus)
    var minus = x
    axpy(-h, v, &minus)
    var gp = Vector.zeros(n)
    var gm = Vector.zeros(n)
    _ = f.value(at: plus, batch: batch, gradient: &gp)
    _ = f.value(at: minus, batch: batch, gradient: &gm)
    var fd = gp
    axpy(-1, gm, &fd)
    fd.scale(by: 1 / (2 * h))
    var diff = hv
    axpy(-1, fd, &diff)
    return Row(
      model: model, loss: loss.rawValue, parameters: n, gradientSeconds: tGradient,
      hessianSeconds: tHessian, gaussNewtonSeconds: tGaussNewton, gaussNewtonSetupSeconds: tSetup,
      hessianError: diff.norm / max(fd.norm, .leastNormalMagnitude))
  }

  /// Newton-CG on the multinomial logistic regression, autodiff route against hand-written
  /// derivatives (thread CPU time); a solve longer than 2 s is timed once.
  static func solves(samples m: Int = defaultSamples, repeats: Int) -> [SolveRow] {
    let k = 10
    let (x, labels) = data(samples: m, features: features, classes: k)
    let autodiff = multinomialObjective(inputs: x, labels: labels, classes: k)
    let hand = MultinomialLogisticLoss(
      inputs: x, labels: labels, features: features, classes: k, regularization: 1e-3)
    let x0 = Vector.zeros(autodiff.dimension)
    func time(_ body: () -> Solution) -> (Double, Solution) {
      var s: Solution? = nil
      let t0 = threadCPUSeconds()
      s = body()
      let first = threadCPUSeconds() - t0
      if first > 2 { return (first, s!) }
      return (cpuMedian(repeats) { s = body() }, s!)
    }
    let (tHand, sHand) = time { minimize(hand, from: x0, using: .newtonCG()) }
    let (tAuto, sAuto) = time { minimize(autodiff, from: x0, using: .newtonCG()) }
    return [
      SolveRow(
        problem: "multinomial LR m = \(m), d = \(features), k = \(k), newton-cg",
        handWrittenSeconds: tHand, autodiffSeconds: tAuto,
        handWrittenIterations: sHand.statistics.iterations,
        autodiffIterations: sAuto.statistics.iterations,
        autodiffProducts: sAuto.statistics.evaluations.hessianVectorProducts,
        objectiveDifference: Swift.abs(sHand.value - sAuto.value))
    ]
  }

  /// The table of products: model, loss, n, ms per gradient, HVP, GGN product and GGN
  /// preparation, the two ratios with the target, and the HVP's distance to differences.
  static func table(_ rows: [Row]) -> TextTable {
    var t = TextTable(
      headers: [
        "model", "loss", "n", "gradient ms", "HVP ms", "GGN ms", "GGN setup ms", "HVP / g",
        "GGN / g", "target", "HVP vs FD",
      ], rightAligned: [2, 3, 4, 5, 6, 7, 8])
    for r in rows {
      let hRatio = r.hessianSeconds / r.gradientSeconds
      let gRatio = r.gaussNewtonSeconds / r.gradientSeconds
      t.append([
        r.model, r.loss, "\(r.parameters)", formatFixed(r.gradientSeconds * 1e3, digits: 3),
        formatFixed(r.hessianSeconds * 1e3, digits: 3),
        formatFixed(r.gaussNewtonSeconds * 1e3, digits: 3),
        formatFixed(r.gaussNewtonSetupSeconds * 1e3, digits: 3),
        formatFixed(hRatio, digits: 2) + "x", formatFixed(gRatio, digits: 2) + "x",
        "<= " + formatFixed(target, digits: 0) + "x "
          + (max(hRatio, gRatio) <= target ? "ok" : "MISSED"),
        formatScientific(r.hessianError, digits: 1),
      ])
    }
    return t
  }

  /// The table of whole solves.
  static func solveTable(_ rows: [SolveRow]) -> TextTable {
    var t = TextTable(
      headers: [
        "problem", "hand-written ms", "autodiff ms", "autodiff / hand", "iterations", "HVPs",
        "|Δf|",
      ], rightAligned: [1, 2, 3, 4, 5, 6])
    for r in rows {
      t.append([
        r.problem, formatFixed(r.handWrittenSeconds * 1e3, digits: 1),
        formatFixed(r.autodiffSeconds * 1e3, digits: 1),
        formatFixed(r.autodiffSeconds / r.handWrittenSeconds, digits: 2) + "x",
        "\(r.handWrittenIterations) / \(r.autodiffIterations)", "\(r.autodiffProducts)",
        formatScientific(r.objectiveDifference, digits: 1),
      ])
    }
    return t
  }

  /// The median thread CPU time (`CLOCK_THREAD_CPUTIME_ID`) of `repeats` runs after one
  /// warm-up: on a machine shared with other jobs it moves far less than the wall clock.
  static func cpuMedian(_ repeats: Int, _ body: () -> Void) -> Double {
    body()
    var samples: [Double] = []
    for _ in 0..<repeats {
      let t0 = threadCPUSeconds()
      body()
      samples.append(threadCPUSeconds() - t0)
    }
    return SummaryStatistics.median(samples)!
  }

  /// The CPU time of the calling thread, in seconds.
  static func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }

  /// Uniform entries in [−scale, scale) from SplitMix64.
  static func seededVector(_ n: Int, seed: UInt64, scale: Double) -> Vector {
    var rng = SplitMix64(seed: seed)
    return Vector(count: n) { _ in scale * (2 * rng.uniform() - 1) }
  }
}

/// Multinomial logistic regression with hand-written derivatives, the reference of
/// ``ModelDerivativeCosts``: θ = (W, b) with W (k × d, row-major) and the intercept b ∈ ℝᵏ,
///
///     f = (1/m) Σᵢ [log Σⱼ exp(zᵢⱼ) − zᵢ,yᵢ] + (λ/2)‖W‖²_F,   Z = X·Wᵀ + 1·bᵀ,
///
/// with ∇_W f = Rᵀ X + λW, ∇_b f = Rᵀ1 for R = (P − T)/m (P the row softmax of Z, T one-hot),
/// and the Hessian-vector product along (V, c): Ż = X·Vᵀ + 1·cᵀ, Ṙᵢ = pᵢ ⊙ (żᵢ − pᵢᵀżᵢ)/m,
/// H(V, c) = (ṘᵀX + λV, Ṙᵀ1). Products through Curvature's blocked `Matrix` kernels.
struct MultinomialLogisticLoss: HessianVectorProductObjective {
  let inputs: Matrix
  let labels: [Int]
  let classes: Int
  let lambda: Double

  init(inputs: [Double], labels: [Int], features d: Int, classes k: Int, regularization: Double) {
    self.inputs = Matrix(rows: labels.count, columns: d, storage: inputs)
    self.labels = labels
    classes = k
    lambda = regularization
  }

  var dimension: Int { classes * inputs.columns + classes }

  /// W as a k × d matrix and b.
  private func split(_ x: Vector) -> (Matrix, [Double]) {
    let kd = classes * inputs.columns
    return (
      Matrix(rows: classes, columns: inputs.columns, storage: Array(x.storage[0..<kd])),
      Array(x.storage[kd...])
    )
  }

  /// Z = X·Wᵀ + 1·bᵀ (m × k).
  private func logits(_ x: Vector) -> Matrix {
    let (w, b) = split(x)
    var z = Matrix(rows: inputs.rows, columns: classes)
    z.addProduct(inputs, w, transposingB: true)
    for i in 0..<z.rows {
      for j in 0..<classes { z[i, j] += b[j] }
    }
    return z
  }

  /// The row softmax of Z in place; returns Σᵢ log Σⱼ exp(zᵢⱼ) − zᵢ,yᵢ.
  private func softmax(_ z: inout Matrix) -> Double {
    var total = 0.0
    for i in 0..<z.rows {
      var mx = -Double.infinity
      for j in 0..<classes { mx = max(mx, z[i, j]) }
      var s = 0.0
      for j in 0..<classes { s += Foundation.exp(z[i, j] - mx) }
      let lse = mx + Foundation.log(s)
      total += lse - z[i, labels[i]]
      for j in 0..<classes { z[i, j] = Foundation.exp(z[i, j] - lse) }
    }
    return total
  }

  /// (RᵀX, Rᵀ1) packed like θ.
  private func pack(_ r: Matrix) -> Vector {
    var gw = Matrix(rows: classes, columns: inputs.columns)
    gw.addProduct(r, inputs, transposingA: true)
    var out = gw.storage
    for j in 0..<classes {
      var s = 0.0
      for i in 0..<r.rows { s += r[i, j] }
      out.append(s)
    }
    return Vector(out)
  }

  func value(at x: Vector) -> Double {
    var z = logits(x)
    let (w, _) = split(x)
    return softmax(&z) / Double(inputs.rows) + 0.5 * lambda * Vector(w.storage).normSquared
  }

  func value(at x: Vector, gradient: inout Vector) -> Double {
    var p = logits(x)
    let m = Double(inputs.rows)
    let f = softmax(&p) / m
    for i in 0..<p.rows {
      p[i, labels[i]] -= 1
      for j in 0..<classes { p[i, j] /= m }
    }
    gradient = pack(p)
    let kd = classes * inputs.columns
    var penalty = 0.0
    for j in 0..<kd {
      gradient[j] += lambda * x[j]
      penalty += x[j] * x[j]
    }
    return f + 0.5 * lambda * penalty
  }

  func hessianVectorProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    var p = logits(x)
    _ = softmax(&p)
    var dz = Matrix(rows: inputs.rows, columns: classes)
    let (vw, vb) = split(v)
    dz.addProduct(inputs, vw, transposingB: true)
    let m = Double(inputs.rows)
    for i in 0..<p.rows {
      var pz = 0.0
      for j in 0..<classes { pz += p[i, j] * (dz[i, j] + vb[j]) }
      for j in 0..<classes { dz[i, j] = p[i, j] * (dz[i, j] + vb[j] - pz) / m }
    }
    result = pack(dz)
    for j in 0..<(classes * inputs.columns) { result[j] += lambda * v[j] }
  }
}
