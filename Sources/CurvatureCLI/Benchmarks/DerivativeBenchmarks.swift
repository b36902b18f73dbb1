import Curvature
import CurvatureAutodiff
import CurvatureProblems
import Foundation
import _Differentiation

/// One measured comparison: the candidate's median time over the baseline's.
public struct DerivativeBenchmarkRow: Sendable, Hashable {
  /// What is measured, e.g. "ext. Rosenbrock gradient".
  public let name: String
  /// The problem size, e.g. "n = 1000000".
  public let size: String
  /// The reference derivative, e.g. "analytic gradient".
  public let baseline: String
  /// Median wall-clock seconds of the baseline (`ContinuousClock`).
  public let baselineSeconds: Double
  /// Median thread CPU seconds of the baseline (robust when the machine is shared).
  public let baselineCPUSeconds: Double
  /// The measured derivative, e.g. "autodiff gradient".
  public let candidate: String
  /// Median wall-clock seconds of the candidate.
  public let candidateSeconds: Double
  /// Median thread CPU seconds of the candidate.
  public let candidateCPUSeconds: Double
  /// The ratio the design aims to stay under, if any.
  public let target: Double?
  /// An accuracy note (e.g. the relative error of a product against the exact one).
  public let note: String

  /// candidateSeconds / baselineSeconds (wall clock).
  public var ratio: Double { candidateSeconds / baselineSeconds }

  /// candidateCPUSeconds / baselineCPUSeconds (thread CPU time).
  public var cpuRatio: Double { candidateCPUSeconds / baselineCPUSeconds }

  /// Whether the wall-clock ratio is within the target (nil without a target).
  public var meetsTarget: Bool? { target.map { ratio <= $0 } }
}

/// Timings of the derivative routes of `CurvatureAutodiff` against the hand-written analytic
/// derivatives of `CurvatureProblems` (`curvature bench --suite derivatives`).
///
/// Rows: the reverse-mode gradient of extended Rosenbrock (n variables) against its analytic
/// gradient (target 4x); the L2-regularized logistic regression gradient, m = 10 000 samples and
/// d = 100 features, against the analytic one (target 1.5x); one exact forward-over-reverse
/// Hessian-vector product (Pearlmutter 1994) against one autodiff gradient (target 3x), for both
/// problems; and the central finite-difference product (Nocedal & Wright, section 8.1; two
/// gradients) against one gradient. Times are medians over `repeats` runs after one warm-up,
/// measured with `ContinuousClock`; only meaningful in release builds.
public enum DerivativeBenchmarks {
  /// Runs every comparison and returns one row each.
  ///
  /// - Parameters:
  ///   - dimension: n for extended Rosenbrock (even; 10⁶ in the design notes).
  ///   - repeats: timed runs per measurement (the median is reported).
  ///   - samples: logistic regression samples m.
  ///   - features: logistic regression features d.
  public static func run(
    dimension: Int = 1_000_000, repeats: Int = 5, samples: Int = 10_000, features: Int = 100
  ) -> [DerivativeBenchmarkRow] {
    precondition(dimension >= 2 && dimension % 2 == 0, "dimension must be even, got \(dimension)")
    precondition(repeats >= 1, "repeats must be positive, got \(repeats)")
    var rows = rosenbrockRows(dimension: dimension, repeats: repeats)

    // Logistic regression on the peer harness's synthetic data.
    let logistic = LogisticRegression.synthetic(samples: samples, features: features)
    let logisticAutodiff = AutodiffObjective(BenchmarkLogisticLoss(logistic))
    let d = features
    let w = Vector(count: d) { j in 0.1 * Double((j * 37) % 11) - 0.5 }
    let u = Vector(count: d) { j in Double((j * 13) % 7) / 7 - 0.5 }
    rows += compareRoutes(
      problem: "logistic regression", size: "m = \(samples), d = \(d)", analytic: logistic,
      autodiff: logisticAutodiff, at: w, direction: u, repeats: repeats, gradientTarget: 1.5)
    return rows
  }

  /// The three rows of ``compareRoutes`` for extended Rosenbrock with n variables (even): analytic
  /// derivatives from CurvatureProblems against the autodiff ones, at a fixed point and direction.
  public static func rosenbrockRows(dimension n: Int, repeats: Int) -> [DerivativeBenchmarkRow] {
    precondition(n >= 2 && n % 2 == 0, "dimension must be even, got \(n)")
    let analytic = ExtendedRosenbrock(dimension: n)
    let x = Vector(count: n) { i in i % 2 == 0 ? -1.2 + 1e-3 * Double(i % 7) : 1.0 }
    let v = Vector(count: n) { i in Double((i * 7919) % 13) / 13 - 0.5 }
    let rosenbrock = AutodiffObjective(
      dimension: n, { x in benchmarkRosenbrock(x) }, { x in benchmarkRosenbrock(x) })
    return compareRoutes(
      problem: "ext. Rosenbrock", size: "n = \(n)", analytic: analytic, autodiff: rosenbrock,
      at: x, direction: v, repeats: repeats, gradientTarget: 4)
  }

  /// Three rows for one problem: autodiff gradient vs analytic gradient, exact dual HVP vs
  /// autodiff gradient, central finite-difference HVP (of autodiff gradients) vs autodiff
  /// gradient; the notes give each result's relative error against the analytic one.
  private static func compareRoutes<P: HessianVectorProductObjective>(
    problem: String, size: String, analytic: P, autodiff: AutodiffObjective, at x: Vector,
    direction v: Vector, repeats: Int, gradientTarget: Double
  ) -> [DerivativeBenchmarkRow] {
    let n = x.count
    var g = Vector.zeros(n)
    var ga = Vector.zeros(n)
    var hv = Vector.zeros(n)
    var hva = Vector.zeros(n)
    var hfd = Vector.zeros(n)
    analytic.hessianVectorProduct(at: x, direction: v, into: &hva)
    let tAnalytic = medianSeconds(repeats) { _ = analytic.value(at: x, gradient: &ga) }
    let tGradient = medianSeconds(repeats) { _ = autodiff.value(at: x, gradient: &g) }
    let tDual = medianSeconds(repeats) {
      autodiff.hessianVectorProduct(at: x, direction: v, into: &hv)
    }
    var workspace = FiniteDifferenceWorkspace(dimension: n)
    let gradient: (Vector, inout Vector) -> Double = { p, out in
      autodiff.value(at: p, gradient: &out)
    }
    let tDifference = medianSeconds(repeats) {
      FiniteDifferenceHessianVectorProduct.central.apply(
        gradient: gradient, at: x, gradientAtX: nil, direction: v, into: &hfd,
        workspace: &workspace)
    }
    return [
      DerivativeBenchmarkRow(
        name: problem + " gradient", size: size, baseline: "analytic gradient",
        baselineSeconds: tAnalytic.wall, baselineCPUSeconds: tAnalytic.cpu,
        candidate: "autodiff gradient", candidateSeconds: tGradient.wall,
        candidateCPUSeconds: tGradient.cpu, target: gradientTarget,
        note: "rel. error " + scientific(relativeDifference(g, ga))),
      DerivativeBenchmarkRow(
        name: problem + " HVP", size: size, baseline: "autodiff gradient",
        baselineSeconds: tGradient.wall, baselineCPUSeconds: tGradient.cpu,
        candidate: "exact dual HVP", candidateSeconds: tDual.wall, candidateCPUSeconds: tDual.cpu,
        target: 3, note: "rel. error " + scientific(relativeDifference(hv, hva))),
      DerivativeBenchmarkRow(
        name: problem + " HVP", size: size, baseline: "autodiff gradient",
        baselineSeconds: tGradient.wall, baselineCPUSeconds: tGradient.cpu,
        candidate: "central FD HVP", candidateSeconds: tDifference.wall,
        candidateCPUSeconds: tDifference.cpu, target: nil,
        note: "rel. error " + scientific(relativeDifference(hfd, hva))),
    ]
  }

  /// The rows as an aligned text table with a header, one line per row.
  public static func table(_ rows: [DerivativeBenchmarkRow]) -> String {
    let header = [
      "benchmark", "size", "baseline", "time", "candidate", "time", "ratio", "cpu ratio",
      "target", "note",
    ]
    let body: [[String]] = rows.map { r in
      [
        r.name, r.size, r.baseline, milliseconds(r.baselineSeconds), r.candidate,
        milliseconds(r.candidateSeconds), String(format: "%.2fx", r.ratio),
        String(format: "%.2fx", r.cpuRatio),
        r.target.map { t in
          String(format: "<= %.1fx ", t) + (r.meetsTarget == true ? "ok" : "MISSED")
        } ?? "-",
        r.note,
      ]
    }
    let all = [header] + body
    let widths = (0..<header.count).map { c in all.map { $0[c].count }.max() ?? 0 }
    let numeric: Set<Int> = [3, 5, 6, 7]
    return all.map { line in
      line.enumerated().map { c, cell in
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        return numeric.contains(c) ? pad + cell : cell + pad
      }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
  }

  /// Raises glibc's mmap threshold (to its 32 MiB maximum) and trim threshold (to 1 GiB), and
  /// turns mmap off for allocations above that threshold (M_MMAP_MAX = 0), so that the
  /// multi-megabyte temporaries of vector-level autodiff are recycled from the heap instead of
  /// being mapped, page-faulted and unmapped on every operation (at n = 10⁷ the temporaries are
  /// 40 MB, above any threshold, and the page faults made a gradient about 4x slower).
  /// Process-wide and irreversible; call once at startup of a benchmark or a large solve. Returns
  /// whether the C library accepted the settings (false on non-glibc platforms).
  @discardableResult
  public static func tuneAllocatorForLargeVectors() -> Bool {
    #if canImport(Glibc)
      // mallopt is declared in <malloc.h>, which the Glibc module does not export; look it up.
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(nil, "mallopt") else { return false }
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
      let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
      let mmapMaximum: Int32 = -4  // M_MMAP_MAX
      return mallopt(mmapThreshold, 32 << 20) == 1 && mallopt(trimThreshold, 1 << 30) == 1
        && mallopt(mmapMaximum, 0) == 1
    #else
      return false
    #endif
  }

  // MARK: Timing helpers

  /// Median wall-clock (`ContinuousClock`) and thread CPU seconds over `repeats` runs, after
  /// one warm-up run.
  private static func medianSeconds(_ repeats: Int, _ body: () -> Void) -> (
    wall: Double, cpu: Double
  ) {
    body()  // warm-up: page in buffers, fill caches
    let clock = ContinuousClock()
    var wall: [Double] = []
    var cpu: [Double] = []
    for _ in 0..<repeats {
      let c0 = threadCPUSeconds()
      let d = clock.measure(body)
      cpu.append(threadCPUSeconds() - c0)
      wall.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
    return (median(wall), median(cpu))
  }

  private static func median(_ values: [Double]) -> Double {
    let t = values.sorted()
    let k = t.count
    return k % 2 == 1 ? t[k / 2] : 0.5 * (t[k / 2 - 1] + t[k / 2])
  }

  private static func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
  }

  private static func milliseconds(_ s: Double) -> String { String(format: "%.3f ms", s * 1e3) }

  private static func scientific(_ x: Double) -> String { String(format: "%.1e", x) }

  private static func relativeDifference(_ a: Vector, _ b: Vector) -> Double {
    (a - b).norm / max(b.norm, .leastNormalMagnitude)
  }
}

// MARK: Objectives written once over DifferentiableVectorProtocol

/// Extended Rosenbrock, f = Σᵢ 100(x₂ᵢ₊₁ − x₂ᵢ²)² + (x₂ᵢ − 1)² (0-based pairs).
@differentiable(reverse)
func benchmarkRosenbrock<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  let a = x.evenIndexed()
  let b = x.oddIndexed()
  return (b - a.squared()).squaredNorm().scaled(by: 100) + a.adding(-1).squaredNorm()
}

/// The autodiff form of CurvatureProblems' ``LogisticRegression`` with the labels folded into
/// the rows, bᵢ = yᵢaᵢ: f(x) = (1/m) Σᵢ softplus(−bᵢᵀx) + (λ/2)‖x‖².
struct BenchmarkLogisticLoss: AutodiffObjectiveFunction {
  let rows: Matrix
  let lambda: Double
  var dimension: Int { rows.columns }

  init(_ problem: LogisticRegression) {
    let a = problem.features
    var b = Matrix(rows: a.rows, columns: a.columns)
    for i in 0..<a.rows {
      for j in 0..<a.columns { b[i, j] = problem.labels[i] * a[i, j] }
    }
    rows = b
    lambda = problem.regularization
  }

  @differentiable(reverse,wrt: x)
  func callAsFunction<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
    let data = x.leftMultiplied(by: rows).scaled(by: -1).softplus().sum()
    return data.scaled(by: 1 / Double(rows.rows)) + x.squaredNorm().scaled(by: lambda / 2)
  }
}
