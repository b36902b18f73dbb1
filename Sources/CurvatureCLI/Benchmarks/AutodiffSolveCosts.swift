import Curvature
import CurvatureAutodiff
import CurvatureProblems

/// The cost of a whole solve on the autodiff route against the same solve with hand-written
/// derivatives (`curvature bench --suite derivatives`, third table): extended Rosenbrock at
/// n = 10³ and 10⁵ and the logistic regression (m = 10⁴, d = 100), each by Newton-CG, the
/// Steihaug trust region and L-BFGS, with the analytic objective of `CurvatureProblems` and with
/// ``AutodiffObjective`` (reverse-mode gradients, exact dual Hessian-vector products). Times are
/// medians after one warm-up; the iteration counts of the two routes are shown side by side, so
/// that a ratio compares the same work.
enum AutodiffSolveCosts {
  /// One method on one problem, both routes.
  struct Row {
    var problem: String
    var method: String
    var handWrittenSeconds: Double
    var autodiffSeconds: Double
    var handWrittenIterations: Int
    var autodiffIterations: Int
    var products: Int
  }

  /// The methods compared, by their command-line names.
  static let methods: [(String, any MinimizationMethod)] = [
    ("newton-cg", .newtonCG()), ("trust-ncg", .trustRegion(.steihaug)), ("lbfgs", .lbfgs()),
  ]

  /// Times every method on both routes of each problem.
  static func run(repeats: Int) -> [Row] {
    var rows: [Row] = []
    for n in [1000, 100_000] {
      let analytic = ExtendedRosenbrock(dimension: n)
      let autodiff = AutodiffObjective(
        dimension: n, { x in benchmarkRosenbrock(x) }, { x in benchmarkRosenbrock(x) })
      rows += measure(
        "ext. Rosenbrock n = \(n)", analytic: FunctionObjective(analytic),
        autodiff: FunctionObjective(autodiff), from: analytic.startingPoint, repeats: repeats)
    }
    let logistic = LogisticRegression.synthetic(samples: 10_000, features: 100)
    rows += measure(
      "logistic m = 10000, d = 100", analytic: FunctionObjective(logistic),
      autodiff: FunctionObjective(AutodiffObjective(BenchmarkLogisticLoss(logistic))),
      from: logistic.startingPoint, repeats: repeats)
    return rows
  }

  private static func measure(
    _ problem: String, analytic: FunctionObjective, autodiff: FunctionObjective, from x0: Vector,
    repeats: Int
  ) -> [Row] {
    methods.map { name, method in
      var plain = minimize(analytic, from: x0, using: method)
      var dual = minimize(autodiff, from: x0, using: method)
      let tPlain = HessianVectorProductCosts.medianSeconds(repeats) {
        plain = minimize(analytic, from: x0, using: method)
      }
      let tDual = HessianVectorProductCosts.medianSeconds(repeats) {
        dual = minimize(autodiff, from: x0, using: method)
      }
      return Row(
        problem: problem, method: name, handWrittenSeconds: tPlain, autodiffSeconds: tDual,
        handWrittenIterations: plain.statistics.iterations,
        autodiffIterations: dual.statistics.iterations,
        products: dual.statistics.evaluations.hessianVectorProducts)
    }
  }

  /// The table: problem, method, ms per solve on each route, their ratio, iterations of each
  /// route and the autodiff route's Hessian-vector products.
  static func table(_ rows: [Row]) -> TextTable {
    var t = TextTable(
      headers: [
        "problem", "method", "hand-written ms", "autodiff ms", "autodiff / hand", "iterations",
        "HVPs",
      ], rightAligned: [2, 3, 4, 5, 6])
    for r in rows {
      t.append([
        r.problem, r.method, formatFixed(r.handWrittenSeconds * 1e3, digits: 3),
        formatFixed(r.autodiffSeconds * 1e3, digits: 3),
        formatFixed(r.autodiffSeconds / r.handWrittenSeconds, digits: 2) + "x",
        "\(r.handWrittenIterations) / \(r.autodiffIterations)", "\(r.products)",
      ])
    }
    return t
  }
}
