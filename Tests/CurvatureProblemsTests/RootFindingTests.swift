import Curvature
import Testing

@testable import CurvatureProblems

/// Root finding on the square Moré-Garbow-Hillstrom systems from their standard starting points.
@Suite struct RootFindingTests {
  static let methods: [any RootFindingMethod] = [.hybrid(), .newton(), .broyden()]

  /// Square systems with a root reachable from x₀ by every method.
  static let solvable = [
    "powell_singular", "broyden_tridiagonal_n10", "broyden_banded_n10", "discrete_bv_n10",
    "helical_valley", "ext_powell_n12", "brown_almost_linear_n10", "discrete_integral_n10",
    "powell_badly_scaled", "rosenbrock",
  ]

  static func problem(_ name: String) -> TestProblem {
    guard let p = MGHProblems.named(name) else { fatalError("no MGH problem named \(name)") }
    return p
  }

  /// ‖F(x)‖∞ evaluated independently of the solver.
  static func residualNorm(_ p: TestProblem, at x: Vector) -> Double {
    var f = Vector.zeros(p.residualCount ?? 0)
    p.residuals!.residuals(at: x, into: &f)
    return f.normInfinity
  }

  @Test(arguments: solvable, [0, 1, 2]) func findsRoot(_ name: String, _ method: Int) throws {
    let p = Self.problem(name)
    let r = try #require(p.residuals)
    let s = findRoot(r, from: p.startingPoint, using: Self.methods[method])
    #expect(s.termination == .residualTolerance, "\(name) \(s.method): \(s.termination)")
    #expect(s.isSuccess)
    #expect(Self.residualNorm(p, at: s.x) <= 1e-10, "\(name) \(s.method)")
    #expect(Swift.abs(s.residualNorm - Self.residualNorm(p, at: s.x)) == 0)
    if let xStar = p.minimizer, p.optimalValue == 0, name != "powell_singular",
      name != "ext_powell_n12"
    {
      // Isolated roots with a nonsingular Jacobian: x is close to the known root.
      #expect((s.x - xStar).normInfinity <= 1e-8, "\(name) \(s.method)")
    }
    if name == "powell_singular" || name == "ext_powell_n12" {
      // The root x* = 0 is singular (J(0) has rank n/2): F ~ x², so x ~ √‖F‖.
      #expect(s.x.normInfinity <= 1e-4)
    }
  }

  /// Powell's hybrid and Broyden's method reuse one Jacobian through rank-one updates.
  @Test func quasiNewtonUpdatesSaveJacobians() throws {
    let p = Self.problem("broyden_tridiagonal_n10")
    let r = try #require(p.residuals)
    for method in [PowellHybrid() as any RootFindingMethod, BroydenRootFinder()] {
      let s = findRoot(r, from: p.startingPoint, using: method)
      #expect(s.isSuccess)
      #expect(s.statistics.evaluations.jacobians < s.statistics.iterations / 2)
    }
    let newton = findRoot(r, from: p.startingPoint, using: .newton())
    #expect(newton.statistics.evaluations.jacobians == newton.statistics.iterations)
  }

  /// Trigonometric (n = 10) from x₀ = (1/n, …): Newton and Broyden reach a root (a zero of all
  /// ten residuals, checked independently), while Powell's hybrid method is drawn to the local
  /// minimum Σrᵢ² ≈ 2.79506·10⁻⁵ of the residual norm and reports it as not a root.
  @Test func trigonometric() throws {
    let p = Self.problem("trigonometric_n10")
    let r = try #require(p.residuals)
    for method in [NewtonRootFinder() as any RootFindingMethod, BroydenRootFinder()] {
      let s = findRoot(r, from: p.startingPoint, using: method)
      #expect(s.termination == .residualTolerance, "\(s.method)")
      #expect(Self.residualNorm(p, at: s.x) <= 1e-10)
    }
    let hybrid = findRoot(r, from: p.startingPoint, using: .hybrid())
    #expect(hybrid.termination == .stationaryNotRoot)
    #expect(!hybrid.isSuccess)
    let f = hybrid.residuals.normSquared
    #expect(Swift.abs(f - 2.79506e-5) <= 1e-4 * 2.79506e-5, "f = \(f)")
  }

  /// Freudenstein-Roth has its root (5, 4) and a local minimum of Σrᵢ² = 48.98425 near
  /// (11.41, −0.897); from x₀ = (0.5, −2) every method ends at the local minimum and says so.
  @Test(arguments: [0, 1, 2]) func freudensteinRothLocalMinimum(_ method: Int) throws {
    let p = Self.problem("freudenstein_roth")
    let r = try #require(p.residuals)
    let s = findRoot(r, from: p.startingPoint, using: Self.methods[method])
    #expect(s.termination == .stationaryNotRoot, "\(s.method): \(s.termination)")
    #expect(Swift.abs(s.residuals.normSquared - 48.98425367924) <= 1e-6 * 48.98, "\(s.method)")
  }

  @Test func badInput() throws {
    let rectangular = try #require(Self.problem("linear_full_rank").residuals)
    let s = findRoot(rectangular, from: Vector.zeros(10))
    #expect(s.termination == .invalidProblem)
    #expect(s.note?.contains("20 equations in 10 variables") == true)
    let square = try #require(Self.problem("helical_valley").residuals)
    #expect(findRoot(square, from: [.nan, 0, 0]).termination == .nonFiniteStartingPoint)
    #expect(findRoot(square, from: [1, 0]).termination == .invalidProblem)
    let zero = findRoot(square, from: [-1, 0, 0], options: .init(maxIterations: 0))
    #expect(zero.termination == .iterationLimit)
    #expect(zero.x == [-1, 0, 0])
  }
}
