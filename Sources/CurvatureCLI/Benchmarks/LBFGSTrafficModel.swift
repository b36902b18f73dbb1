import Curvature

/// A memory-traffic lower bound for an L-BFGS solve on a large problem, printed by
/// `curvature bench --suite large` under its tables.
///
/// At n = 10⁶ the 2m history vectors (160 MB for m = 10) do not fit in any cache, so every
/// level-1 operation streams its operands from memory and the time of an iteration is bounded
/// below by the bytes it moves over the memory bandwidth. Counting 8 bytes per element per
/// operand (a written operand once), one iteration with k stored pairs moves:
///
/// - two-loop recursion (Nocedal 1980; Nocedal & Wright, Algorithm 7.4): k dots (2 words) and
///   k axpys (3 words) in each loop, 10k words, plus copying −∇f in and scaling by γ (6 words);
/// - the slope ∇fᵀp (2), sₖ = xₖ₊₁ − xₖ and yₖ = ∇fₖ₊₁ − ∇fₖ (3 + 3), the curvature checks
///   yᵀs, ‖y‖², ‖s‖, ‖y‖ (5), accepting the new point and gradient (4) and the ‖∇f‖∞ test (1):
///   18 words;
/// - per gradient evaluation of the line search: the trial point x + αp (3), the gradient
///   itself, at least reading x and writing ∇f (2), and the slope ∇fᵀp (2): 7 words.
///
/// With kᵢ = min(i, m) pairs at iteration i (no rejected pairs), the solve moves
/// 8n·(Σᵢ (24 + 10kᵢ) + 7·ngev) bytes; the read-only words (dots and norms) are divided by the
/// measured dot bandwidth and the others by the measured axpy bandwidth.
struct LBFGSTrafficModel {
  /// The problem dimension.
  var n: Int
  /// The iterations of the solve.
  var iterations: Int
  /// The gradient evaluations of the solve (line-search trials included).
  var gradientEvaluations: Int
  /// The history size m.
  var memory = 10

  /// Words per element moved by read-only kernels (dots, norms).
  var readOnlyWords: Double {
    var w = 0.0
    for i in 0..<iterations {
      let k = Double(min(i, memory))
      w += 4 * k + 2 + 5 + 1
    }
    return w + 2 * Double(gradientEvaluations)
  }

  /// Words per element moved by kernels that write (axpy, copies, scaling, the gradient).
  var writingWords: Double {
    var w = 0.0
    for i in 0..<iterations {
      let k = Double(min(i, memory))
      w += 6 * k + 6 + 6 + 4
    }
    return w + 5 * Double(gradientEvaluations)
  }

  /// Total bytes moved.
  var bytes: Double { 8 * Double(n) * (readOnlyWords + writingWords) }

  /// The lower bound in seconds, given read-only (dot) and writing (axpy) bandwidths in bytes
  /// per second.
  func boundSeconds(dotBandwidth: Double, axpyBandwidth: Double) -> Double {
    8 * Double(n) * (readOnlyWords / dotBandwidth + writingWords / axpyBandwidth)
  }

  /// Measures dot and axpy at n = 10⁷ (10 calls each, medians) and returns their bandwidths in
  /// bytes per second.
  static func measureBandwidths() -> (dot: Double, axpy: Double) {
    let timings = KernelBenchmarks.run(sizes: [10_000_000], repeats: 10).timings
    let dot = timings.first { $0.kernel == "dot" }!
    let axpy = timings.first { $0.kernel == "axpy" }!
    return (dot.gigabytesPerSecond * 1e9, axpy.gigabytesPerSecond * 1e9)
  }

  /// The table for the L-BFGS records of `records` with n ≥ `minimumDimension`.
  static func table(
    _ records: [BenchmarkRecord], minimumDimension: Int = 100_000,
    bandwidths: (dot: Double, axpy: Double)
  ) -> TextTable {
    var t = TextTable(
      headers: [
        "problem", "iters", "ngev", "GB moved", "bound ms/iter", "measured ms/iter",
        "measured / bound",
      ], rightAligned: [1, 2, 3, 4, 5, 6])
    for r in records where r.method == "lbfgs" && r.n >= minimumDimension && r.iterations > 0 {
      let model = LBFGSTrafficModel(
        n: r.n, iterations: r.iterations, gradientEvaluations: r.ngev)
      let bound = model.boundSeconds(
        dotBandwidth: bandwidths.dot, axpyBandwidth: bandwidths.axpy)
      let perIteration = 1e3 / Double(r.iterations)
      t.append([
        r.problem, String(r.iterations), String(r.ngev),
        formatFixed(model.bytes / 1e9, digits: 2), formatFixed(bound * perIteration, digits: 2),
        formatFixed(r.seconds * perIteration, digits: 2),
        formatFixed(r.seconds / bound, digits: 2) + "x",
      ])
    }
    return t
  }
}
