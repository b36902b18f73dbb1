import Curvature
import CurvatureProblems
import Testing

/// Bound-constrained solves on the Moré-Garbow-Hillstrom and Hock-Schittkowski problems with
/// boxes whose solutions are known.
@Suite struct BoundConstrainedMGHTests {
  static let methods: [any BoundConstrainedMethod] = [LBFGSB(), ProjectedNewtonCG()]

  static func problem(_ name: String) -> TestProblem {
    guard let p = MGHProblems.named(name) else { fatalError("no MGH problem named \(name)") }
    return p
  }

  static func box(_ lower: Vector, _ upper: Vector) -> Bounds {
    try! Bounds(lower: lower, upper: upper)
  }

  /// A box around the MGH minimizer that also contains x₀ with a margin of 1: the bounds are
  /// inactive at the solution, so the bounded solve must reach the unconstrained optimum.
  @Test(
    arguments: ["rosenbrock", "beale", "helical_valley", "wood", "ext_rosenbrock_n10"],
    [0, 1])
  func inactiveBoxReachesTheUnconstrainedOptimum(_ name: String, _ methodIndex: Int) throws {
    let p = Self.problem(name)
    let xStar = try #require(p.minimizer)
    let fStar = try #require(p.optimalValue)
    let radius = Vector(count: p.dimension) { i in abs(p.startingPoint[i] - xStar[i]) + 1 }
    let bounds = Self.box(xStar - radius, xStar + radius)
    let s = minimize(
      p.objective, from: p.startingPoint, bounds: bounds, using: Self.methods[methodIndex],
      options: MinimizeOptions(gradientTolerance: 1e-8))
    #expect(s.isSuccess, "\(name) \(s.method): \(s.message)")
    #expect(abs(s.value - fStar) <= 1e-10, "\(name) \(s.method): f = \(s.value)")
    #expect(bounds.contains(s.x))
  }

  /// Hock & Schittkowski problem 38 is MGH Wood on [−10, 10]⁴ from (−3, −1, −3, −1): f* = 0 at
  /// (1, 1, 1, 1).
  @Test(arguments: [0, 1])
  func hs038WoodInABox(_ methodIndex: Int) {
    let p = Self.problem("wood")
    let bounds = Self.box(Vector(repeating: -10, count: 4), Vector(repeating: 10, count: 4))
    let s = minimize(
      p.objective, from: [-3, -1, -3, -1], bounds: bounds, using: Self.methods[methodIndex],
      options: MinimizeOptions(gradientTolerance: 1e-8))
    #expect(s.isSuccess, "\(s.method): \(s.message)")
    for i in 0..<4 { #expect(abs(s.x[i] - 1) <= 1e-6) }
  }

  /// Extended Rosenbrock (n = 10) with x₂ᵢ₋₁ ≤ 0.5: the problem separates into five Rosenbrock
  /// pairs, each solved at (0.5, 0.25) with value 0.25, so f* = 1.25.
  @Test(arguments: [0, 1])
  func extendedRosenbrockCutByBounds(_ methodIndex: Int) {
    let p = Self.problem("ext_rosenbrock_n10")
    let upper = Vector(count: 10) { $0 % 2 == 0 ? 0.5 : .infinity }
    let bounds = Self.box(Vector(repeating: -.infinity, count: 10), upper)
    let s = minimize(
      p.objective, from: p.startingPoint, bounds: bounds, using: Self.methods[methodIndex],
      options: MinimizeOptions(gradientTolerance: 1e-9))
    #expect(s.isSuccess, "\(s.method): \(s.message)")
    #expect(abs(s.value - 1.25) <= 1e-12)
    for i in stride(from: 0, to: 10, by: 2) {
      #expect(s.x[i] == 0.5)
      #expect(abs(s.x[i + 1] - 0.25) <= 1e-8)
    }
  }

  /// Beale with x₁ ≤ 2 (unconstrained minimizer (3, 0.5)): the solution is on the bound,
  /// (2, 0.17008792) with f = 0.52334483601, the value SciPy's L-BFGS-B reaches (gtol 10⁻¹²).
  @Test(arguments: [0, 1])
  func bealeCutByABound(_ methodIndex: Int) {
    let p = Self.problem("beale")
    let bounds = Self.box([-.infinity, -.infinity], [2, .infinity])
    let s = minimize(
      p.objective, from: p.startingPoint, bounds: bounds, using: Self.methods[methodIndex],
      options: MinimizeOptions(gradientTolerance: 1e-9))
    #expect(s.isSuccess, "\(s.method): \(s.message)")
    #expect(s.x[0] == 2)
    #expect(abs(s.x[1] - 0.17008792) <= 1e-7)
    #expect(abs(s.value - 0.5233448360104925) <= 1e-10)
    #expect(s.gradient[0] < -1)
  }

  /// HS21 without its (inactive) linear constraint: 0.01x₁² + x₂² − 100 on [2, 50] × [−50, 50]
  /// from the infeasible (−1, −1), which is projected; f* = −99.96 at (2, 0).
  @Test(arguments: [0, 1])
  func hs021BoundsOnly(_ methodIndex: Int) {
    let p = HockSchittkowski.hs021
    let s = minimize(
      p.objective, from: p.startingPoint, bounds: p.bounds, using: Self.methods[methodIndex])
    #expect(s.isSuccess, "\(s.method): \(s.message)")
    #expect(s.note != nil)
    #expect(abs(s.value - p.optimalValue) <= 1e-10)
    #expect(s.x[0] == 2)
    #expect(abs(s.x[1]) <= 1e-7)
  }
}
