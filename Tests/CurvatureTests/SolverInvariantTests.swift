import Testing

@testable import Curvature

/// One of the awkward objectives every unconstrained method is run on (n = 3, from x₀).
struct AwkwardObjective: CustomStringConvertible, Sendable {
  var name: String
  var objective: FunctionObjective
  var x0: Vector
  var description: String { name }
  /// Whether f is bounded below (the linear and indefinite ones are not).
  var isBounded: Bool { name != "linear" && name != "indefinite" }

  /// f = s·Σ dᵢ(xᵢ − 1)²/2 with d = (1, 2, 3) or (1, −2, 3), exact Hessian-vector products
  /// scaled by `model` (1 for the true ones).
  static func quadratic(
    _ name: String, scale s: Double, indefinite: Bool = false, model: Double = 1
  ) -> AwkwardObjective {
    let d: [Double] = indefinite ? [1, -2, 3] : [1, 2, 3]
    let f = FunctionObjective(
      dimension: 3,
      gradient: { x, g in
        var v = 0.0
        for i in 0..<3 {
          v += 0.5 * s * d[i] * (x[i] - 1) * (x[i] - 1)
          g[i] = s * d[i] * (x[i] - 1)
        }
        return v
      },
      hessianVectorProduct: { _, v, r in for i in 0..<3 { r[i] = model * s * d[i] * v[i] } },
      hessian: { _ in Matrix(rows: 3, columns: 3) { i, j in i == j ? model * s * d[i] : 0 } })
    return AwkwardObjective(name: name, objective: f, x0: [3, -2, 5])
  }

  static let all: [AwkwardObjective] = [
    quadratic("convex", scale: 1),
    quadratic("indefinite", scale: 1, indefinite: true),
    quadratic("scaled 1e200", scale: 1e200),
    quadratic("scaled 1e-200", scale: 1e-200),
    quadratic("Hessian 1e300 too large", scale: 1, model: 1e300),
    quadratic("Hessian 1e-300 of the truth", scale: 1, model: 1e-300),
    quadratic("Hessian of the wrong sign", scale: 1, model: -1e-300 * 1e-10),
    AwkwardObjective(
      name: "linear",
      objective: FunctionObjective(
        dimension: 3,
        gradient: { x, g in
          for i in 0..<3 { g[i] = -1 }
          return -(x[0] + x[1] + x[2])
        }, hessianVectorProduct: { _, _, r in for i in 0..<3 { r[i] = 0 } }),
      x0: [0, 0, 0]),
    AwkwardObjective(
      name: "NaN outside the ball of radius 4",
      objective: FunctionObjective(
        dimension: 3,
        gradient: { x, g in
          var v = 0.0
          for i in 0..<3 {
            v += -0.5 * (x[i] - 1) * (x[i] - 1) + 0.25 * x[i] * x[i] * x[i] * x[i]
            g[i] = -(x[i] - 1) + x[i] * x[i] * x[i]
          }
          return x.norm > 4 ? .nan : v
        }),
      x0: [0.5, -0.5, 2]),
  ]
}

/// Invariants every unconstrained method keeps on every awkward objective: the solve ends within
/// its evaluation budget; the returned point is finite; an unbounded objective is reported as
/// ``Termination/unboundedBelow`` within 400 evaluations (gradient descent excepted); a reported success is a point whose
/// gradient, recomputed from the objective, passes the test; and the returned value is the
/// objective's value there, no worse than at x₀.
@Suite struct SolverInvariantTests {
  static let methods: [(String, any MinimizationMethod)] = [
    ("newton-cg", .newtonCG()), ("trust-ncg", .trustRegion(.steihaug)),
    ("trust-krylov", .trustRegion(.gltr)), ("trust-exact", .trustRegion(.exact)),
    ("dogleg", .trustRegion(.dogleg)), ("modified-newton", .modifiedNewton()),
    ("bfgs", .bfgs()), ("lbfgs", .lbfgs()), ("lbfgs-compact", LBFGS(compactMinimumDimension: 0)),
    ("lbfgs-single", LBFGS(compactMinimumDimension: 0, historyPrecision: .single)),
    ("nonlinear-cg", .nonlinearCG()), ("gradient-descent", .gradientDescent),
  ]

  @Test(arguments: AwkwardObjective.all)
  func everyMethodEndsHonestly(problem: AwkwardObjective) {
    let options = MinimizeOptions(maxIterations: 300, maxEvaluations: 5_000)
    let f0 = problem.objective.value(at: problem.x0)
    for (name, method) in Self.methods {
      let s = minimize(problem.objective, from: problem.x0, using: method, options: options)
      let label = "\(problem) / \(name): \(s.briefReport)"
      let e = s.statistics.evaluations
      // A line search or an escape in progress may finish past the budget, boundedly.
      #expect(e.values + e.gradients <= 5_000 + 200, "\(label)")
      #expect(s.x.isFinite, "\(label)")
      if s.isSuccess {
        var g = Vector.zeros(3)
        let v = problem.objective.value(at: s.x, gradient: &g)
        #expect(v.isFinite && g.normInfinity <= options.gradientTolerance, "\(label)")
      }
      if problem.isBounded {
        #expect(
          s.termination != .iterationLimit && s.termination != .evaluationLimit, "\(label)")
      } else if name != "gradient-descent" {
        // Unbounded below: every method says so, within a few hundred evaluations (gradient
        // descent reaches the iteration limit first: f = −3.3e299 after its 300 iterations).
        #expect(s.termination == .unboundedBelow, "\(label)")
        #expect(e.values + e.gradients <= 400, "\(label)")
      }
      if s.value.isFinite {
        #expect(s.value == problem.objective.value(at: s.x), "\(label)")
        #expect(s.value <= f0, "\(label)")
      }
    }
  }
}
