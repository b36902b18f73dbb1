import Testing

@testable import Curvature

/// s times Rosenbrock's function, with its gradient and Hessian-vector product.
private func scaledRosenbrock(_ s: Double) -> FunctionObjective {
  FunctionObjective(
    dimension: 2,
    gradient: { x, g in
      let a = x[1] - x[0] * x[0]
      let b = 1 - x[0]
      g[0] = s * (-400 * x[0] * a - 2 * b)
      g[1] = s * 200 * a
      return s * (100 * a * a + b * b)
    },
    hessianVectorProduct: { x, v, r in
      let h00 = s * (1200 * x[0] * x[0] - 400 * x[1] + 2)
      let h01 = s * (-400 * x[0])
      let h11 = s * 200
      r[0] = h00 * v[0] + h01 * v[1]
      r[1] = h01 * v[0] + h11 * v[1]
    },
    hessian: { x in
      Matrix([
        [s * (1200 * x[0] * x[0] - 400 * x[1] + 2), s * (-400 * x[0])],
        [s * (-400 * x[0]), s * 200],
      ])
    })
}

/// Objectives scaled far outside the range where squared gradient norms can be formed: the solve
/// scales f by a power of two at the start (``Oracle/scaleOutputs(forGradientNorm:)``), so every
/// method solves them as it solves the unscaled problem, and reports in the user's units.
@Suite struct ScaledObjectiveTests {
  static let methods: [(String, any MinimizationMethod)] =
    MethodKind.allCases.filter { $0 != .gradientDescent }.map { ($0.rawValue, $0.method) } + [
      ("newton-cg", .newtonCG()), ("modified-newton", .modifiedNewton()),
      ("trust-ncg", .trustRegion(.steihaug)), ("trust-krylov", .trustRegion(.gltr)),
      ("trust-exact", .trustRegion(.exact)), ("dogleg", .trustRegion(.dogleg)),
    ]

  /// The line-search methods used to stop at iteration 0 with `lineSearchFailed` from 10²⁰ and
  /// below 10⁻³⁰ (a step outside the searches' bounds; at 10±²⁰⁰ ‖g‖² is ∞ or 0), and to report
  /// `unboundedBelow` at 10⁻¹² and 10⁻¹⁶ (the step of f ≥ 0 reached the largest one the search
  /// takes); Newton-CG failed from 10¹²⁰ on, and the Krylov trust regions ran to the iteration
  /// limit.
  @Test(arguments: [1e-12, 1e-16, 1e20, 1e-30, 1e60, 1e-60, 1e120, 1e200, 1e-200, 1e300, 1e-300])
  func everyMethodSolvesRosenbrockScaledBeyondTheRangeOfSquares(scale: Double) throws {
    for (name, method) in Self.methods {
      let s = minimize(
        scaledRosenbrock(scale), from: [-1.2, 1], using: method,
        options: .init(gradientTolerance: 1e-6 * scale, maxIterations: 2000, recordHistory: true))
      #expect(s.termination == .gradientTolerance, "\(name) at \(scale): \(s.briefReport)")
      #expect(Swift.abs(s.x[0] - 1) <= 1e-4 && Swift.abs(s.x[1] - 1) <= 1e-4, "\(name): \(s.x)")
      // Reported in the user's units: f, ∇f and the history are those of scale·Rosenbrock.
      #expect(s.value == scaledRosenbrock(scale).value(at: s.x), "\(name)")
      #expect(s.gradientNorm <= 1e-6 * scale && s.gradientNorm > 0, "\(name)")
      let first = try #require(s.history.first)
      #expect(first.value == scale * 24.2 || Swift.abs(first.value / (scale * 24.2) - 1) < 1e-14)
      let c = try #require(s.statistics.objectiveScale, "\(name)")
      #expect(c.significand == 1)
      let g0 = 2 * 1.2 * 1 + 400 * 1.2 * 0.44  // |∂f/∂x₁| at x₀ over the scale
      #expect((1...2).contains(c * scale * g0) || (1...2).contains(c * (scale * g0)), "\(name)")
    }
  }

  /// Scaling by a power of two changes no digit: a solve of 2^±700·f, which the solve scales by
  /// c, takes the steps of an unscaled solve of (2^±700·c)·f (an ordinary power of two times f),
  /// bit for bit, and reports 1/c times its values and gradient.
  @Test(arguments: [0x1p700, 0x1p-700])
  func aPowerOfTwoScaleTakesTheStepsOfTheScaledProblemBitForBit(scale: Double) throws {
    for (name, method) in Self.methods {
      let scaled = minimize(
        scaledRosenbrock(scale), from: [-1.2, 1], using: method,
        options: .init(gradientTolerance: 1e-6 * scale))
      let c = try #require(scaled.statistics.objectiveScale, "\(name)")
      #expect(c.significand == 1 && (0x1p-12...1).contains(c * scale), "\(name): \(c)")
      let plain = minimize(
        scaledRosenbrock(c * scale), from: [-1.2, 1], using: method,
        options: .init(gradientTolerance: 1e-6 * (c * scale)))
      #expect(plain.statistics.objectiveScale == nil)
      #expect(scaled.x == plain.x, "\(name)")
      #expect(scaled.statistics.iterations == plain.statistics.iterations, "\(name)")
      #expect(scaled.statistics.evaluations == plain.statistics.evaluations, "\(name)")
      #expect(scaled.termination == plain.termination)
      #expect(scaled.value == plain.value / c, "\(name)")
      #expect(scaled.gradient == plain.gradient.scaled(by: 1 / c), "\(name)")
      if let curvature = plain.curvatureAtSolution {
        #expect(scaled.curvatureAtSolution == curvature / c, "\(name)")
      }
    }
  }

  /// An objective of ordinary size is not scaled, and the report says so only when it is.
  @Test func onlyGradientsOutsideTheRangeAreScaled() throws {
    for scale in [1e-4, 1.0, 1e8] {
      let s = minimize(scaledRosenbrock(scale), from: [-1.2, 1], using: .lbfgs())
      #expect(s.statistics.objectiveScale == nil)
      #expect(!s.fullReport.contains("Objective scaled by"))
    }
    let s = minimize(
      scaledRosenbrock(1e200), from: [-1.2, 1], using: .lbfgs(),
      options: .init(gradientTolerance: 1e194))
    let c = try #require(s.statistics.objectiveScale)
    #expect(s.fullReport.contains("Objective scaled by".padding(toLength: 34) + "2^\(c.exponent)"))
  }

  /// The bound-constrained methods on scale·Rosenbrock in [−2, 0.8] × [−2, 2], whose minimizer
  /// (0.8, 0.64) has the first bound active: the projected-gradient test is the user's,
  /// ‖P(x − ∇f) − x‖∞, whatever the scale. (That measure is not homogeneous in f: its active
  /// components are distances to the bounds, so a tolerance scaled with a huge f would pass at
  /// once; the test scales it only for the tiny f, where it is an honest bound.)
  @Test(arguments: [1e-200, 1e-300])
  func boundConstrainedMethodsSolveAScaledRosenbrock(scale: Double) throws {
    let bounds = try Bounds(lower: [-2, -2], upper: [0.8, 2])
    let methods: [any BoundConstrainedMethod] = [.lbfgsb(), .projectedNewtonCG()]
    for method in methods {
      let s = minimize(
        scaledRosenbrock(scale), from: [-1.2, 1], bounds: bounds, using: method,
        options: .init(gradientTolerance: 1e-6 * scale, maxIterations: 2000))
      #expect(s.termination == .gradientTolerance, "\(method.name): \(s.briefReport)")
      #expect(s.x[0] == 0.8 && Swift.abs(s.x[1] - 0.64) <= 1e-5, "\(method.name): \(s.x)")
      #expect(s.statistics.objectiveScale != nil)
      let plain = minimize(
        scaledRosenbrock(1), from: [-1.2, 1], bounds: bounds, using: method)
      #expect(Swift.abs(s.value / scale - plain.value) <= 1e-9, "\(method.name)")
    }
  }
}
