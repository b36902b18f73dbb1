import Curvature
import CurvatureAutodiff
import CurvatureProblems
import Foundation

/// The cost of one Hessian-vector product by each source a solver can use, in units of one
/// gradient (`curvature bench --suite derivatives`, second table).
///
/// Sources: the hand-written analytic product of `CurvatureProblems`; the exact
/// forward-over-reverse dual product of `CurvatureAutodiff` (Pearlmutter 1994); forward
/// differences of analytic gradients with ∇f(x) already known (one gradient, what `Oracle`
/// does when a solver passes its current gradient); central differences of analytic gradients
/// (two gradients, the `Oracle` default without ∇f(x)); central differences of autodiff
/// gradients. Each product is divided by the analytic gradient's time and by the time of the
/// gradient of its own route (analytic or autodiff). Times are medians after one warm-up.
enum HessianVectorProductCosts {
  /// One source on one problem.
  struct Row {
    var problem: String
    var source: String
    var seconds: Double
    var analyticGradientSeconds: Double
    var routeGradientSeconds: Double
    var relativeError: Double
  }

  /// Times every source on extended Rosenbrock (n = `dimension`) and the logistic regression
  /// (m = 10⁴, d = 100).
  static func run(dimension: Int = 1_000_000, repeats: Int) -> [Row] {
    let n = dimension
    let rosenbrock = ExtendedRosenbrock(dimension: n)
    let x = Vector(count: n) { i in i % 2 == 0 ? -1.2 + 1e-3 * Double(i % 7) : 1.0 }
    let v = Vector(count: n) { i in Double((i * 7919) % 13) / 13 - 0.5 }
    let rosenbrockAutodiff = AutodiffObjective(
      dimension: n, { x in benchmarkRosenbrock(x) }, { x in benchmarkRosenbrock(x) })
    var rows = measure(
      problem: "ext. Rosenbrock n = \(n)", analytic: rosenbrock, autodiff: rosenbrockAutodiff,
      at: x, direction: v, repeats: repeats)

    let logistic = LogisticRegression.synthetic(samples: 10_000, features: 100)
    let w = Vector(count: 100) { j in 0.1 * Double((j * 37) % 11) - 0.5 }
    let u = Vector(count: 100) { j in Double((j * 13) % 7) / 7 - 0.5 }
    rows += measure(
      problem: "logistic m = 10000, d = 100", analytic: logistic,
      autodiff: AutodiffObjective(BenchmarkLogisticLoss(logistic)), at: w, direction: u,
      repeats: repeats)
    return rows
  }

  private static func measure<P: HessianVectorProductObjective>(
    problem: String, analytic: P, autodiff: AutodiffObjective, at x: Vector,
    direction v: Vector, repeats: Int
  ) -> [Row] {
    let n = x.count
    var g = Vector.zeros(n)
    var gAutodiff = Vector.zeros(n)
    var exact = Vector.zeros(n)
    var hv = Vector.zeros(n)
    analytic.hessianVectorProduct(at: x, direction: v, into: &exact)
    _ = analytic.value(at: x, gradient: &g)
    let gradientAtX = g
    let tGradient = medianSeconds(repeats) { _ = analytic.value(at: x, gradient: &g) }
    let tAutodiffGradient = medianSeconds(repeats) {
      _ = autodiff.value(at: x, gradient: &gAutodiff)
    }
    var rows: [Row] = []
    func add(_ source: String, autodiffRoute: Bool, _ body: () -> Void) {
      let t = medianSeconds(repeats, body)
      let error = (hv - exact).norm / max(exact.norm, .leastNormalMagnitude)
      rows.append(
        Row(
          problem: problem, source: source, seconds: t, analyticGradientSeconds: tGradient,
          routeGradientSeconds: autodiffRoute ? tAutodiffGradient : tGradient,
          relativeError: error))
    }
    var workspace = FiniteDifferenceWorkspace(dimension: n)
    let analyticGradient: (Vector, inout Vector) -> Double = { p, out in
      analytic.value(at: p, gradient: &out)
    }
    let autodiffGradient: (Vector, inout Vector) -> Double = { p, out in
      autodiff.value(at: p, gradient: &out)
    }
    add("analytic HVP", autodiffRoute: false) {
      analytic.hessianVectorProduct(at: x, direction: v, into: &hv)
    }
    add("autodiff dual HVP", autodiffRoute: true) {
      autodiff.hessianVectorProduct(at: x, direction: v, into: &hv)
    }
    add("forward FD, analytic g, ∇f(x) known", autodiffRoute: false) {
      FiniteDifferenceHessianVectorProduct.forward.apply(
        gradient: analyticGradient, at: x, gradientAtX: gradientAtX, direction: v, into: &hv,
        workspace: &workspace)
    }
    add("central FD, analytic g", autodiffRoute: false) {
      FiniteDifferenceHessianVectorProduct.central.apply(
        gradient: analyticGradient, at: x, gradientAtX: nil, direction: v, into: &hv,
        workspace: &workspace)
    }
    add("central FD, autodiff g", autodiffRoute: true) {
      FiniteDifferenceHessianVectorProduct.central.apply(
        gradient: autodiffGradient, at: x, gradientAtX: nil, direction: v, into: &hv,
        workspace: &workspace)
    }
    return rows
  }

  /// The table: problem, source, ms per product, cost in analytic gradients and in gradients
  /// of the same route, relative error against the analytic product.
  static func table(_ rows: [Row]) -> TextTable {
    var t = TextTable(
      headers: [
        "problem", "HVP source", "ms", "gradient ms", "HVP / analytic g", "HVP / own-route g",
        "rel. error",
      ], rightAligned: [2, 3, 4, 5, 6])
    for r in rows {
      t.append([
        r.problem, r.source, formatFixed(r.seconds * 1e3, digits: 3),
        formatFixed(r.routeGradientSeconds * 1e3, digits: 3),
        formatFixed(r.seconds / r.analyticGradientSeconds, digits: 2) + "x",
        formatFixed(r.seconds / r.routeGradientSeconds, digits: 2) + "x",
        formatScientific(r.relativeError, digits: 1),
      ])
    }
    return t
  }

  /// Median wall-clock seconds of `repeats` runs after one warm-up.
  static func medianSeconds(_ repeats: Int, _ body: () -> Void) -> Double {
    body()
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<repeats { samples.append(durationSeconds(clock.measure(body))) }
    return SummaryStatistics.median(samples)!
  }
}
