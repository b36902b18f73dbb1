import Curvature
import CurvatureAutodiff
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
  /// Median seconds of the baseline.
  public let baselineSeconds: Double
  /// The measured derivative, e.g. "autodiff gradient".
  public let candidate: String
  /// Median seconds of the candidate.
  public let candidateSeconds: Double
  /// The ratio the design aims to stay under, if any.
  public let target: Double?
  /// An accuracy note (e.g. the relative error of a product against the exact one).
  public let note: String

  /// candidateSeconds / baselineSeconds.
  public var ratio: Double { candidateSeconds / baselineSeconds }

  /// Whether the ratio is within the target (nil without a target).
  public var meetsTarget: Bool? { target.map { ratio <= $0 } }
}

/// Timings of the derivative routes of `CurvatureAutodiff` against hand-written analytic
/// derivatives (`curvature bench --suite derivatives`).
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
    var rows: [DerivativeBenchmarkRow] = []

    // Extended Rosenbrock.
    let n = dimension
    let x = Vector(count: n) { i in i % 2 == 0 ? -1.2 + 1e-3 * Double(i % 7) : 1.0 }
    let v = Vector(count: n) { i in Double((i * 7919) % 13) / 13 - 0.5 }
    let rosenbrock = AutodiffObjective(
      dimension: n, { x in benchmarkRosenbrock(x) }, { x in benchmarkRosenbrock(x) })
    var g = Vector.zeros(n)
    var ga = Vector.zeros(n)
    var hv = Vector.zeros(n)
    let sizeR = "n = \(n)"
    let tAnalytic = medianSeconds(repeats) { _ = rosenbrockAnalyticGradient(x, into: &ga) }
    let tGradient = medianSeconds(repeats) { _ = rosenbrock.value(at: x, gradient: &g) }
    rows.append(
      DerivativeBenchmarkRow(
        name: "ext. Rosenbrock gradient", size: sizeR, baseline: "analytic gradient",
        baselineSeconds: tAnalytic, candidate: "autodiff gradient", candidateSeconds: tGradient,
        target: 4, note: "rel. error " + scientific(relativeDifference(g, ga))))
    let tDual = medianSeconds(repeats) {
      rosenbrock.hessianVectorProduct(at: x, direction: v, into: &hv)
    }
    let hvAnalytic = rosenbrockAnalyticHessianVectorProduct(x, v)
    rows.append(
      DerivativeBenchmarkRow(
        name: "ext. Rosenbrock HVP", size: sizeR, baseline: "autodiff gradient",
        baselineSeconds: tGradient, candidate: "exact dual HVP", candidateSeconds: tDual,
        target: 3, note: "rel. error " + scientific(relativeDifference(hv, hvAnalytic))))
    var hfd = Vector.zeros(n)
    var workspace = FiniteDifferenceWorkspace(dimension: n)
    let gradient: (Vector, inout Vector) -> Double = { p, out in
      rosenbrock.value(at: p, gradient: &out)
    }
    let tDifference = medianSeconds(repeats) {
      FiniteDifferenceHessianVectorProduct.central.apply(
        gradient: gradient, at: x, gradientAtX: nil, direction: v, into: &hfd,
        workspace: &workspace)
    }
    rows.append(
      DerivativeBenchmarkRow(
        name: "ext. Rosenbrock HVP", size: sizeR, baseline: "autodiff gradient",
        baselineSeconds: tGradient, candidate: "central FD HVP", candidateSeconds: tDifference,
        target: nil, note: "rel. error " + scientific(relativeDifference(hfd, hvAnalytic))))

    // Logistic regression.
    let problem = BenchmarkLogisticRegression(samples: samples, features: features)
    let logistic = AutodiffObjective(problem)
    let d = features
    let w = Vector(count: d) { j in 0.1 * Double((j * 37) % 11) - 0.5 }
    let u = Vector(count: d) { j in Double((j * 13) % 7) / 7 - 0.5 }
    var lg = Vector.zeros(d)
    var lga = Vector.zeros(d)
    var lhv = Vector.zeros(d)
    let sizeL = "m = \(samples), d = \(d)"
    let tLogAnalytic = medianSeconds(repeats) { _ = problem.analyticGradient(w, into: &lga) }
    let tLogGradient = medianSeconds(repeats) { _ = logistic.value(at: w, gradient: &lg) }
    rows.append(
      DerivativeBenchmarkRow(
        name: "logistic regression gradient", size: sizeL, baseline: "analytic gradient",
        baselineSeconds: tLogAnalytic, candidate: "autodiff gradient",
        candidateSeconds: tLogGradient, target: 1.5,
        note: "rel. error " + scientific(relativeDifference(lg, lga))))
    let tLogDual = medianSeconds(repeats) {
      logistic.hessianVectorProduct(at: w, direction: u, into: &lhv)
    }
    let lhvAnalytic = problem.analyticHessianVectorProduct(w, u)
    rows.append(
      DerivativeBenchmarkRow(
        name: "logistic regression HVP", size: sizeL, baseline: "autodiff gradient",
        baselineSeconds: tLogGradient, candidate: "exact dual HVP", candidateSeconds: tLogDual,
        target: 3, note: "rel. error " + scientific(relativeDifference(lhv, lhvAnalytic))))
    var lfd = Vector.zeros(d)
    var lworkspace = FiniteDifferenceWorkspace(dimension: d)
    let lgradient: (Vector, inout Vector) -> Double = { p, out in
      logistic.value(at: p, gradient: &out)
    }
    let tLogDifference = medianSeconds(repeats) {
      FiniteDifferenceHessianVectorProduct.central.apply(
        gradient: lgradient, at: w, gradientAtX: nil, direction: u, into: &lfd,
        workspace: &lworkspace)
    }
    rows.append(
      DerivativeBenchmarkRow(
        name: "logistic regression HVP", size: sizeL, baseline: "autodiff gradient",
        baselineSeconds: tLogGradient, candidate: "central FD HVP",
        candidateSeconds: tLogDifference, target: nil,
        note: "rel. error " + scientific(relativeDifference(lfd, lhvAnalytic))))
    return rows
  }

  /// The rows as an aligned text table with a header, one line per row.
  public static func table(_ rows: [DerivativeBenchmarkRow]) -> String {
    let header = [
      "benchmark", "size", "baseline", "time", "candidate", "time", "ratio", "target", "note",
    ]
    let body: [[String]] = rows.map { r in
      [
        r.name, r.size, r.baseline, milliseconds(r.baselineSeconds), r.candidate,
        milliseconds(r.candidateSeconds), String(format: "%.2fx", r.ratio),
        r.target.map { t in
          String(format: "<= %.1fx ", t) + (r.meetsTarget == true ? "ok" : "MISSED")
        } ?? "-",
        r.note,
      ]
    }
    let all = [header] + body
    let widths = (0..<header.count).map { c in all.map { $0[c].count }.max() ?? 0 }
    let numeric: Set<Int> = [3, 5, 6]
    return all.map { line in
      line.enumerated().map { c, cell in
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        return numeric.contains(c) ? pad + cell : cell + pad
      }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
  }

  // MARK: Timing helpers

  private static func medianSeconds(_ repeats: Int, _ body: () -> Void) -> Double {
    body()  // warm-up: page in buffers, fill caches
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0..<repeats {
      let d = clock.measure(body)
      times.append(
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
    times.sort()
    let k = times.count
    return k % 2 == 1 ? times[k / 2] : 0.5 * (times[k / 2 - 1] + times[k / 2])
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

/// ∇f of extended Rosenbrock, one fused pass: ∂f/∂a = −400a(b − a²) + 2(a − 1),
/// ∂f/∂b = 200(b − a²).
func rosenbrockAnalyticGradient(_ x: Vector, into g: inout Vector) -> Double {
  let n = x.count
  if g.count != n { g = .zeros(n) }
  return x.withUnsafeBufferPointer { px in
    g.withUnsafeMutableBufferPointer { pg in
      guard let s = px.baseAddress, let d = pg.baseAddress else { return 0 }
      var f = 0.0
      var i = 0
      while i + 1 < n {
        let a = s[i]
        let t = s[i + 1] - a * a
        let u = a - 1
        f += 100 * t * t + u * u
        d[i] = -400 * a * t + 2 * u
        d[i + 1] = 200 * t
        i += 2
      }
      return f
    }
  }
}

/// ∇²f·v of extended Rosenbrock from its 2 × 2 diagonal blocks
/// [[1200a² − 400b + 2, −400a], [−400a, 200]].
func rosenbrockAnalyticHessianVectorProduct(_ x: Vector, _ v: Vector) -> Vector {
  var r = Vector.zeros(x.count)
  var i = 0
  while i + 1 < x.count {
    let (a, b) = (x[i], x[i + 1])
    r[i] = (1200 * a * a - 400 * b + 2) * v[i] - 400 * a * v[i + 1]
    r[i + 1] = -400 * a * v[i] + 200 * v[i + 1]
    i += 2
  }
  return r
}

/// L2-regularized logistic regression with the labels folded into the rows (bᵢ = yᵢaᵢ):
/// f(x) = (1/m) Σᵢ log(1 + exp(−bᵢᵀx)) + (λ/2)‖x‖², λ = 10⁻³, on the peer harness's synthetic
/// data (SplitMix64 seed 42 features in [−1, 1), weights sin(j), 10% label flips).
struct BenchmarkLogisticRegression: AutodiffObjectiveFunction {
  let rows: Matrix
  let lambda = 1e-3
  var dimension: Int { rows.columns }

  init(samples m: Int, features d: Int) {
    var rng = SplitMix64(seed: 42)
    var a = Matrix(rows: m, columns: d)
    for i in 0..<m { for j in 0..<d { a[i, j] = 2 * rng.uniform() - 1 } }
    for i in 0..<m {
      var margin = 0.0
      for j in 0..<d { margin += a[i, j] * sin(Double(j + 1)) }
      var y: Double = margin >= 0 ? 1 : -1
      if rng.uniform() < 0.1 { y = -y }
      for j in 0..<d { a[i, j] *= y }
    }
    rows = a
  }

  @differentiable(reverse, wrt: x)
  func callAsFunction<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
    let data = x.leftMultiplied(by: rows).scaled(by: -1).softplus().sum()
    return data.scaled(by: 1 / Double(rows.rows)) + x.dot(x).scaled(by: lambda / 2)
  }

  /// ∇f = −(1/m) Bᵀσ(−Bx) + λx, with the logistic function σ.
  func analyticGradient(_ x: Vector, into g: inout Vector) -> Double {
    let m = rows.rows
    let z = rows * x
    var f = 0.0
    let s = Vector(count: m) { i in
      let t = -z[i]
      f += max(t, 0) + log1p(exp(-abs(t)))
      return t >= 0 ? 1 / (1 + exp(-t)) : exp(t) / (1 + exp(t))
    }
    g = rows.transposeMultiply(s)
    g.scale(by: -1 / Double(m))
    axpy(lambda, x, &g)
    return f / Double(m) + 0.5 * lambda * x.normSquared
  }

  /// ∇²f·v = (1/m) Bᵀ(σ(z)(1 − σ(z)) ⊙ Bv) + λv.
  func analyticHessianVectorProduct(_ x: Vector, _ v: Vector) -> Vector {
    let z = rows * x
    let bv = rows * v
    let w = Vector(count: z.count) { i in
      let s = 1 / (1 + exp(-z[i]))
      return s * (1 - s) * bv[i]
    }
    var r = rows.transposeMultiply(w)
    r.scale(by: 1 / Double(rows.rows))
    axpy(lambda, v, &r)
    return r
  }
}
