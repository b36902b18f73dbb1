import Curvature

/// The cost of every derivative of `NetworkObjective` against its own gradient, per activation
/// and loss (`curvature bench --suite models`, second table): on one batch of m samples of 64
/// features (256 unless `--sizes`) through 64-256-128-10 with the activation after each hidden
/// layer, the median wall time of a value (the forward pass), of a gradient, of an exact
/// Hessian-vector product and a Gauss-Newton product at a point whose gradient is known (as in
/// a training step), of the Gauss-Newton forms of two directions (K-FAC's adaptive step), and of
/// the sampled per-layer statistics K-FAC reads. Targets: HVP and GGN ≤ 3 gradients; the
/// statistics ≤ one backward pass (gradient − value). Wall time, because the larger products
/// run on both cores.
enum NetworkDerivativeCosts {
  /// One activation and loss.
  struct Row {
    var activation: String
    var loss: String
    var parameters: Int
    var value: Double
    var gradient: Double
    var hessian: Double
    var gaussNewton: Double
    var forms: Double
    var statistics: Double
  }

  static let defaultSamples = 256

  static func run(samples m: Int, repeats: Int, progress: (String) -> Void) -> [Row] {
    var rng = SplitMix64(seed: 5)
    let x = Matrix(rows: m, columns: 64) { _, _ in rng.uniform() }
    var rows: [Row] = []
    for activation in Activation.allCases where activation != .identity {
      for loss in OutputLoss.allCases {
        progress("\(activation.rawValue), \(loss.rawValue)")
        let t = Matrix(rows: m, columns: 10) { i, j in
          loss == .softmaxCrossEntropy ? (j == i % 10 ? 1 : 0) : rng.uniform()
        }
        let net = Network(
          inputWidth: 64,
          layers: [
            .dense(256), .activation(activation), .dense(128), .activation(activation),
            .dense(10),
          ])
        let f = NetworkObjective(
          network: net, inputs: x, targets: t, loss: loss, regularization: 1e-5)
        let theta = net.initialParameters(seed: 3)
        var v = Vector.zeros(theta.count)
        for k in 0..<v.count { v[k] = rng.normal() }
        var out = Vector()
        let value = median(repeats) { _ = f.oracle(samples: nil).value(theta) }
        let gradient = median(repeats) {
          _ = f.oracle(samples: nil).valueAndGradient(theta, &out)
        }
        let o = f.oracle(samples: nil)
        _ = o.valueAndGradient(theta, &out)
        let h = o.hessianVectorProduct!(theta)
        let hessian = median(repeats) { h(v, &out) }
        let g = o.gaussNewtonProduct!(theta)
        let gaussNewton = median(repeats) { g(v, &out) }
        let forms = o.gaussNewtonForms!(theta)
        let formSeconds = median(repeats) { _ = forms([v, out]) }
        let statistics = median(repeats) { _ = o.layerStatistics!(theta, .sampled, 1) }
        rows.append(
          Row(
            activation: activation.rawValue, loss: loss.rawValue, parameters: theta.count,
            value: value, gradient: gradient, hessian: hessian, gaussNewton: gaussNewton,
            forms: formSeconds, statistics: statistics))
      }
    }
    return rows
  }

  static func table(_ rows: [Row]) -> TextTable {
    var t = TextTable(
      headers: [
        "activation", "loss", "value ms", "gradient ms", "HVP / g", "GGN / g", "2 forms / g",
        "statistics / backward", "targets",
      ], rightAligned: [2, 3, 4, 5, 6, 7])
    for r in rows {
      let backward = r.gradient - r.value
      let ok =
        r.hessian <= 3 * r.gradient && r.gaussNewton <= 3 * r.gradient
        && r.statistics <= backward
      t.append([
        r.activation, r.loss, formatFixed(r.value * 1e3, digits: 3),
        formatFixed(r.gradient * 1e3, digits: 3),
        formatFixed(r.hessian / r.gradient, digits: 2) + "x",
        formatFixed(r.gaussNewton / r.gradient, digits: 2) + "x",
        formatFixed(r.forms / r.gradient, digits: 2) + "x",
        formatFixed(r.statistics / backward, digits: 2) + "x",
        ok ? "ok" : "MISSED",
      ])
    }
    return t
  }

  /// The median wall time of `repeats` calls after one warm-up.
  static func median(_ repeats: Int, _ body: () -> Void) -> Double {
    body()
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<repeats {
      let start = clock.now
      body()
      let d = (clock.now - start).components
      samples.append(Double(d.seconds) + Double(d.attoseconds) * 1e-18)
    }
    return SummaryStatistics.median(samples)!
  }
}
