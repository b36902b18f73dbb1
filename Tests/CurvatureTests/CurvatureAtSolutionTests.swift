import Testing

@testable import Curvature

/// f = x₁² − x₂² + x₂⁴/4: a saddle at 0, minimizers (0, ±√2) where ∇²f = diag(2, 4).
private let saddle = FunctionObjective(
  dimension: 2,
  gradient: { x, g in
    g[0] = 2 * x[0]
    g[1] = -2 * x[1] + x[1] * x[1] * x[1]
    return x[0] * x[0] - x[1] * x[1] + 0.25 * x[1] * x[1] * x[1] * x[1]
  },
  hessianVectorProduct: { x, v, r in
    r[0] = 2 * v[0]
    r[1] = (-2 + 3 * x[1] * x[1]) * v[1]
  },
  hessian: { x in
    Matrix(rows: 2, columns: 2) { i, j in i != j ? 0 : i == 0 ? 2 : -2 + 3 * x[1] * x[1] }
  })

@Suite("Curvature at the solution")
struct CurvatureAtSolutionTests {
  @Test("a first-order method stopping at the saddle says the second-order test was not run")
  func firstOrderAtSaddle() {
    // From (1, 0) the gradient never has a second component: L-BFGS walks into the saddle.
    for method in [LBFGS(), BFGS()] as [any MinimizationMethod] {
      let s = minimize(saddle, from: [1, 0], using: method)
      #expect(s.termination == .gradientTolerance, "\(method.name)")
      #expect(s.x.norm < 1e-6, "\(method.name)")
      #expect(s.curvatureAtSolution == nil, "\(method.name)")
      #expect(s.statistics.probedCurvature == nil, "\(method.name)")
      #expect(
        s.fullReport.contains("Second-order conditions           not checked"), "\(method.name)")
    }
  }

  @Test("Newton-type methods escape the saddle and report the curvature at the minimizer")
  func secondOrderAtMinimizer() {
    let methods: [(any MinimizationMethod, Double)] = [
      (NewtonCG(), 1e-9), (TrustRegion(subproblem: .steihaug), 1e-9),
      (TrustRegion(subproblem: .gltr), 1e-9), (TrustRegion(subproblem: .exact), 1e-9),
      (TrustRegion(subproblem: .dogleg), 1e-9), (ModifiedNewton(), 1e-9),
    ]
    for (method, tolerance) in methods {
      let s = minimize(saddle, from: [1, 0], using: method)
      #expect(s.termination == .gradientTolerance, "\(method.name): \(s.briefReport)")
      #expect(abs(abs(s.x[1]) - 2.0.squareRoot()) < 1e-5, "\(method.name)")
      // ∇²f at (0, ±√2) is diag(2, 4): the smallest curvature is 2 (up to the point's error).
      let c = try! #require(s.curvatureAtSolution, "\(method.name)")
      #expect(abs(c - 2) < 1e-4 + tolerance, "\(method.name): \(c)")
      #expect(s.fullReport.contains("Smallest curvature (probe)"), "\(method.name)")
    }
  }

  @Test("a failure or an unprobed final point has no curvature at the solution")
  func notAtTheFinalPoint() {
    let s = minimize(
      saddle, from: [1, 0.5], using: NewtonCG(), options: MinimizeOptions(maxIterations: 1))
    #expect(s.termination == .iterationLimit)
    #expect(s.curvatureAtSolution == nil)
    #expect(!s.fullReport.contains("Second-order conditions"))
  }
}
