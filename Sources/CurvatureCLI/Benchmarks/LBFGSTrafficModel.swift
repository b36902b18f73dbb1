import Curvature

/// A memory-traffic lower bound for an L-BFGS solve on a large problem, printed by
/// `curvature bench --suite large` under its tables.
///
/// At n = 10⁶ the 2m history vectors (160 MB for m = 10) do not fit in any cache, so every
/// level-1 operation streams its operands from memory and the time of an iteration is bounded
/// below by the bytes it moves over the memory bandwidth. Counting 8 bytes per element per
/// operand (a written operand once), one iteration with k stored pairs moves, for the form
/// ``LBFGS`` uses at that n:
///
/// **Compact form** (n ≥ ``LBFGS/compactMinimumDimension``, ``LBFGSCompactHistory``):
/// - the direction pass d = Σⱼ δⱼbⱼ over gₖ and the k stored directions and differences, with
///   dᵀgₖ and dᵀd taken from the blocks in cache: 2k + 1 words read, 1 written;
/// - the difference pass yₖ = gₖ₊₁ − gₖ with gₖ₊₁ᵀv for the stored vectors except the pair a full
///   memory evicts (dₖ is skipped, gₖ₊₁ᵀdₖ comes from the line search): 2 + 2·min(k, m − 1) words
///   read, 1 written;
/// - ``SolverRun``'s bookkeeping: the step norm ‖xₖ₊₁ − xₖ‖ (2) and ‖∇f‖∞ (1) read; copying the
///   new point and gradient into the run (4) and into its best point (4): 3 read-only and
///   8 writing words;
/// - on the first iteration, ‖∇f‖₂ for the first trial step (1);
///
/// 16 + 4k words per iteration while k < m and 14 + 4m once the memory is full (54 for m = 10;
/// the last iteration stops before the difference pass).
///
/// **Classic two-loop recursion** (smaller n, ``LBFGSHistory``; Nocedal 1980; Nocedal & Wright,
/// Algorithm 7.4): k dots (2 words) and k axpys (3 words) in each loop, 10k words, plus copying
/// −∇f in and scaling by γ (6 words); the slope ∇fᵀp (2), sₖ = xₖ₊₁ − xₖ and
/// yₖ = ∇fₖ₊₁ − ∇fₖ (3 + 3), the curvature checks yᵀs, ‖y‖², ‖s‖, ‖y‖ (5), accepting the new
/// point and gradient (4) and the ‖∇f‖∞ test (1): 24 + 10k words (this count leaves out the step
/// norm and the best-point copies of ``SolverRun``, 6 words, which the compact count includes).
///
/// Per gradient evaluation of the line search, in both forms: the trial point x + αp (3), the
/// gradient itself, at least reading x and writing ∇f (2), and the slope ∇fᵀp (2): 7 words.
///
/// With kᵢ = min(i, m) pairs at iteration i (no rejected pairs), the solve moves 8n bytes per
/// word; the read-only words (dots, norms, the reads of the blocked passes) are divided by the
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

  /// Whether the solve uses the compact form (``LBFGS``'s default rule for this n).
  var compact: Bool { n >= LBFGS().compactMinimumDimension }

  /// Words per element moved by read-only kernels (dots, norms, the reads of the blocked passes).
  var readOnlyWords: Double {
    var w = 0.0
    for i in 0..<iterations {
      let k = min(i, memory)
      if compact {
        // The last iteration stops after accepting, before the difference pass.
        let difference = i + 1 < iterations ? 2 + 2 * min(k, memory - 1) : 0
        w += Double(2 * k + 1 + difference + 3 + (i == 0 ? 1 : 0))
      } else {
        w += 4 * Double(k) + 2 + 5 + 1
      }
    }
    return w + 2 * Double(gradientEvaluations)
  }

  /// Words per element moved by kernels that write (axpy, copies, scaling, the gradient, the
  /// vectors the blocked passes write).
  var writingWords: Double {
    var w = 0.0
    for i in 0..<iterations {
      let k = Double(min(i, memory))
      w += compact ? (i + 1 < iterations ? 2 : 1) + 8 : 6 * k + 6 + 6 + 4
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
