import Foundation
import RealModule
import Synchronization
import Testing

@testable import Curvature

/// Objectives and method lists shared by the Newton, trust-region and second-order tests.
enum SecondOrderFixtures {
  /// Rosenbrock f = 100(y − x²)² + (1 − x)² with its exact Hessian-vector product.
  static let rosenbrock = FunctionObjective(
    dimension: 2,
    gradient: { x, g in
      let a = x[1] - x[0] * x[0]
      let b = 1 - x[0]
      g[0] = -400 * x[0] * a - 2 * b
      g[1] = 200 * a
      return 100 * a * a + b * b
    },
    hessianVectorProduct: { x, v, hv in
      let h00 = 1200 * x[0] * x[0] - 400 * x[1] + 2
      let h01 = -400 * x[0]
      hv[0] = h00 * v[0] + h01 * v[1]
      hv[1] = h01 * v[0] + 200 * v[1]
    })

  /// Rosenbrock with the gradient only (products by finite differences).
  static let rosenbrockGradientOnly = FunctionObjective(
    dimension: 2, gradient: rosenbrock.gradientFunction)

  /// A strongly convex smooth function in n = 10 variables:
  /// f = Σ exp(xᵢ) + ½xᵀAx − bᵀx with A = tridiag(−1, 2, −1), bᵢ = i − 3.
  /// ∇f = exp(x) + Ax − b, ∇²f = diag(exp(x)) + A ≻ 0.
  static let convexExponential: FunctionObjective = {
    let n = 10
    @Sendable func ax(_ x: Vector) -> Vector {
      Vector(count: n) { i in
        2 * x[i] - (i > 0 ? x[i - 1] : 0) - (i + 1 < n ? x[i + 1] : 0)
      }
    }
    return FunctionObjective(
      dimension: n,
      gradient: { x, g in
        let a = ax(x)
        var f = 0.0
        for i in 0..<n {
          let e = Double.exp(x[i])
          let b = Double(i) - 3
          f += e + 0.5 * x[i] * a[i] - b * x[i]
          g[i] = e + a[i] - b
        }
        return f
      },
      hessianVectorProduct: { x, v, hv in
        let a = ax(v)
        for i in 0..<n { hv[i] = Double.exp(x[i]) * v[i] + a[i] }
      })
  }()

  /// The pure saddle f = x² − y² (unbounded below along y).
  static let saddle = FunctionObjective(
    dimension: 2,
    gradient: { x, g in
      g[0] = 2 * x[0]
      g[1] = -2 * x[1]
      return x[0] * x[0] - x[1] * x[1]
    },
    hessianVectorProduct: { _, v, hv in
      hv[0] = 2 * v[0]
      hv[1] = -2 * v[1]
    })

  /// f = x² + (y² − 1)²: a saddle at the origin (∇²f = diag(2, −4)) and minima at (0, ±1), f* = 0.
  static let boundedSaddle = FunctionObjective(
    dimension: 2,
    gradient: { x, g in
      let c = x[1] * x[1] - 1
      g[0] = 2 * x[0]
      g[1] = 4 * x[1] * c
      return x[0] * x[0] + c * c
    },
    hessianVectorProduct: { x, v, hv in
      hv[0] = 2 * v[0]
      hv[1] = (12 * x[1] * x[1] - 4) * v[1]
    })

  /// f = −(x² + y²) + x⁴ + y⁴: a local maximum at the origin (∇²f = −2I) and minima at
  /// (±1/√2, ±1/√2), f* = −1/2.
  static let localMaximum = FunctionObjective(
    dimension: 2,
    gradient: { x, g in
      var f = 0.0
      for i in 0..<2 {
        f += -x[i] * x[i] + x[i] * x[i] * x[i] * x[i]
        g[i] = -2 * x[i] + 4 * x[i] * x[i] * x[i]
      }
      return f
    },
    hessianVectorProduct: { x, v, hv in
      for i in 0..<2 { hv[i] = (-2 + 12 * x[i] * x[i]) * v[i] }
    })

  /// A saddle hidden in n = 6 variables: f = Σ_{i<5} (i+1)·xᵢ² + (x₅² − 1)², stationary at 0 with
  /// one negative eigenvalue (−4) among positive ones; minima at x₅ = ±1, f* = 0.
  static let hiddenSaddle = FunctionObjective(
    dimension: 6,
    gradient: { x, g in
      var f = 0.0
      for i in 0..<5 {
        f += Double(i + 1) * x[i] * x[i]
        g[i] = 2 * Double(i + 1) * x[i]
      }
      let c = x[5] * x[5] - 1
      g[5] = 4 * x[5] * c
      return f + c * c
    })

  /// f = x² − y² + 10²⁰·|y|³: ∇²f(0) = diag(2, −2), but every representable step along y raises f,
  /// so no method can leave the saddle at the origin.
  static let stuckSaddle = FunctionObjective(
    dimension: 2,
    gradient: { x, g in
      let y = x[1]
      g[0] = 2 * x[0]
      g[1] = -2 * y + 3e20 * y * Swift.abs(y)
      return x[0] * x[0] - y * y + 1e20 * Swift.abs(y) * y * y
    },
    hessianVectorProduct: { x, v, hv in
      hv[0] = 2 * v[0]
      hv[1] = (-2 + 6e20 * Swift.abs(x[1])) * v[1]
    })

  /// f = −Σxᵢ, unbounded below, with zero curvature.
  static let unbounded = FunctionObjective(
    dimension: 3,
    gradient: { x, g in
      for i in 0..<3 { g[i] = -1 }
      return -x.sum
    },
    hessianVectorProduct: { _, _, hv in hv.fill(0) })

  /// Rosenbrock (gradient only) whose value and gradient become NaN after `k` gradient calls.
  static func nanAfter(_ k: Int) -> FunctionObjective {
    let counter = CallCounter()
    return FunctionObjective(
      dimension: 2,
      gradient: { x, g in
        let f = rosenbrock.gradientFunction(x, &g)
        if counter.increment() > k {
          g.fill(.nan)
          return .nan
        }
        return f
      })
  }

  /// The methods under test.
  enum Method: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case newtonCG, modifiedNewton, steihaug, gltr, exact, dogleg

    var method: any MinimizationMethod {
      switch self {
      case .newtonCG: return NewtonCG()
      case .modifiedNewton: return ModifiedNewton()
      case .steihaug: return TrustRegion(subproblem: .steihaug)
      case .gltr: return TrustRegion(subproblem: .gltr)
      case .exact: return TrustRegion(subproblem: .exact)
      case .dogleg: return TrustRegion(subproblem: .dogleg)
      }
    }

    var testDescription: String { rawValue }
  }
}

/// A thread-safe call counter for closures that must be `Sendable`.
final class CallCounter: Sendable {
  private let count = Mutex(0)
  func increment() -> Int {
    count.withLock { value in
      value += 1
      return value
    }
  }
}

@Suite struct NewtonTests {
  typealias F = SecondOrderFixtures

  @Test(arguments: F.Method.allCases)
  func solvesRosenbrock(_ m: F.Method) {
    let s = minimize(F.rosenbrock, from: [-1.2, 1], using: m.method)
    #expect(s.termination == .gradientTolerance)
    #expect(s.gradientNorm <= 1e-6)
    #expect(abs(s.x[0] - 1) < 1e-5 && abs(s.x[1] - 1) < 1e-5)
    #expect(s.value < 1e-10)
  }

  @Test(arguments: F.Method.allCases)
  func solvesRosenbrockWithFiniteDifferenceCurvature(_ m: F.Method) {
    let s = minimize(F.rosenbrockGradientOnly, from: [-1.2, 1], using: m.method)
    #expect(s.termination == .gradientTolerance)
    #expect(abs(s.x[0] - 1) < 1e-5 && abs(s.x[1] - 1) < 1e-5)
    #expect(s.statistics.evaluations.differenceGradients > 0)
  }

  @Test(arguments: F.Method.allCases)
  func solvesStronglyConvexProblem(_ m: F.Method) {
    let s = minimize(F.convexExponential, from: .zeros(10), using: m.method)
    #expect(s.termination == .gradientTolerance)
    // The optimality condition exp(x) + Ax = b at the returned point.
    var g = Vector.zeros(10)
    _ = F.convexExponential.value(at: s.x, gradient: &g)
    #expect(g.normInfinity <= 1e-6)
    #expect(s.statistics.iterations < 30)
  }

  @Test(arguments: [NewtonCG.ForcingTerm.nocedalWright, .eisenstatWalker, .constant(0.1)])
  func forcingTermsAllConverge(_ forcing: NewtonCG.ForcingTerm) {
    let s = minimize(F.rosenbrock, from: [-1.2, 1], using: .newtonCG(forcing: forcing))
    #expect(s.termination == .gradientTolerance)
    #expect(abs(s.x[0] - 1) < 1e-5)
  }

  /// A badly scaled convex problem: f = Σ ½sᵢxᵢ² + ¼(xᵢ − 1)⁴ + ½Σ(xᵢ − xᵢ₊₁)², sᵢ = 10^(i/3),
  /// n = 20 (Hessian diagonal from 1 to about 10⁶). The Jacobi preconditioner from the exact
  /// diagonal cuts the CG iterations.
  @Test func jacobiPreconditionerReducesCGIterations() {
    let n = 20
    let s = (0..<n).map { Double.pow(10, Double($0) / 3) }
    let f = FunctionObjective(
      dimension: n,
      gradient: { x, g in
        var v = 0.0
        for i in 0..<n {
          let c = x[i] - 1
          v += 0.5 * s[i] * x[i] * x[i] + 0.25 * c * c * c * c
          g[i] = s[i] * x[i] + c * c * c
        }
        for i in 0..<(n - 1) {
          let d = x[i] - x[i + 1]
          v += 0.5 * d * d
          g[i] += d
          g[i + 1] -= d
        }
        return v
      },
      hessianVectorProduct: { x, v, hv in
        for i in 0..<n {
          let c = x[i] - 1
          hv[i] = (s[i] + 3 * c * c) * v[i]
        }
        for i in 0..<(n - 1) {
          let d = v[i] - v[i + 1]
          hv[i] += d
          hv[i + 1] -= d
        }
      })
    let diagonal: @Sendable (Vector) -> Vector = { x in
      Vector(count: n) { i in
        let c = x[i] - 1
        return s[i] + 3 * c * c + (i == 0 || i == n - 1 ? 1 : 2)
      }
    }
    let start = Vector(repeating: 3, count: n)
    let plain = minimize(f, from: start, using: .newtonCG())
    let jacobi = minimize(f, from: start, using: .newtonCG(hessianDiagonal: diagonal))
    #expect(plain.termination == .gradientTolerance)
    #expect(jacobi.termination == .gradientTolerance)
    #expect((plain.x - jacobi.x).normInfinity < 1e-6)
    #expect(jacobi.statistics.cgIterations < plain.statistics.cgIterations / 2)
  }

  @Test(arguments: ["wolfe", "moreThuente", "hagerZhang", "armijo"])
  func libraryLineSearchesWork(_ name: String) {
    let search: any LineSearch =
      switch name {
      case "wolfe": StrongWolfe()
      case "moreThuente": MoreThuente()
      case "hagerZhang": HagerZhang()
      default: BacktrackingArmijo(valueOnly: true)
      }
    for method in [
      NewtonCG(lineSearch: search) as any MinimizationMethod, ModifiedNewton(lineSearch: search),
    ] {
      let s = minimize(F.rosenbrock, from: [-1.2, 1], using: method)
      #expect(s.termination == .gradientTolerance)
      #expect(abs(s.x[0] - 1) < 1e-5 && abs(s.x[1] - 1) < 1e-5)
      // The saddle check still applies with any line search.
      let saddle = minimize(F.boundedSaddle, from: [0, 0], using: method)
      #expect(saddle.termination == .gradientTolerance)
      #expect(abs(abs(saddle.x[1]) - 1) < 1e-6)
    }
  }

  @Test func cgIterateVariantConverges() {
    let s = minimize(
      F.rosenbrock, from: [-1.2, 1], using: .newtonCG(negativeCurvatureStep: .cgIterate))
    #expect(s.termination == .gradientTolerance)
    #expect(abs(s.x[0] - 1) < 1e-5)
  }

  @Test(arguments: ModifiedNewton.Modification.allCases)
  func modificationsAllConverge(_ modification: ModifiedNewton.Modification) {
    for start: Vector in [[-1.2, 1], [2, -1], [-3, -4]] {
      let s = minimize(
        F.rosenbrock, from: start, using: .modifiedNewton(modification: modification))
      #expect(s.termination == .gradientTolerance)
      #expect(abs(s.x[0] - 1) < 1e-5 && abs(s.x[1] - 1) < 1e-5)
    }
  }

  @Test func modifiedNewtonDirectionDescendsOnIndefiniteHessian() {
    // H = diag(1, −3) with g = (1, 1): the pure Newton step −H⁻¹g = (−1, 1/3) is not a descent
    // direction along y; every modification must give gᵀp < 0.
    let h = Matrix([[1, 0], [0, -3]])
    let g: Vector = [1, 1]
    for modification in ModifiedNewton.Modification.allCases {
      let (p, modified) = ModifiedNewton(modification: modification).direction(
        hessian: h, gradient: g)
      #expect(modified)
      #expect(dot(g, p) < 0)
    }
    // Eigenvalue modification flips −3 to 3: p = (−1, −1/3).
    let (p, _) = ModifiedNewton(modification: .eigenvalue).direction(hessian: h, gradient: g)
    #expect(abs(p[0] + 1) < 1e-12 && abs(p[1] + 1.0 / 3) < 1e-12)
  }

  /// Exact Newton converges quadratically: ‖gₖ₊₁‖ ≤ C·‖gₖ‖² in the final phase.
  @Test func modifiedNewtonConvergesQuadratically() {
    let s = minimize(
      F.convexExponential, from: .init(repeating: 2, count: 10), using: .modifiedNewton(),
      options: .init(gradientTolerance: 1e-12, recordHistory: true))
    #expect(s.termination == .gradientTolerance)
    let norms = s.history.map(\.gradientNorm)
    var checked = 0
    for k in 0..<(norms.count - 1) where norms[k] < 1e-1 && norms[k + 1] > 1e-14 {
      #expect(norms[k + 1] <= 10 * norms[k] * norms[k])
      checked += 1
    }
    #expect(checked >= 2)
  }

  /// Newton-CG with ηₖ = min(0.5, √‖gₖ‖) converges superlinearly (order 3/2):
  /// ‖gₖ₊₁‖/‖gₖ‖ → 0, with ‖gₖ₊₁‖ ≤ C‖gₖ‖^{3/2} in the final phase.
  @Test func newtonCGConvergesSuperlinearly() {
    let s = minimize(
      F.convexExponential, from: .init(repeating: 2, count: 10), using: .newtonCG(),
      options: .init(gradientTolerance: 1e-10, recordHistory: true))
    #expect(s.termination == .gradientTolerance)
    let norms = s.history.map(\.gradientNorm)
    var ratios: [Double] = []
    for k in 0..<(norms.count - 1) where norms[k] < 1e-1 {
      ratios.append(norms[k + 1] / norms[k])
      #expect(norms[k + 1] <= 10 * Double.pow(norms[k], 1.5))
    }
    #expect(ratios.count >= 2)
    #expect((ratios.last ?? 1) < 1e-2)
  }

  // MARK: Bad input

  @Test(arguments: F.Method.allCases)
  func nonFiniteStartingPoint(_ m: F.Method) {
    let s = minimize(F.rosenbrock, from: [.nan, 1], using: m.method)
    #expect(s.termination == .nonFiniteStartingPoint)
    #expect(!s.isSuccess)
  }

  @Test(arguments: F.Method.allCases)
  func nanAfterSomeEvaluationsReturnsBestFinitePoint(_ m: F.Method) {
    let s = minimize(F.nanAfter(6), from: [-1.2, 1], using: m.method)
    #expect(s.termination == .nonFiniteValue)
    #expect(s.value.isFinite && s.x.isFinite)
    #expect(s.value <= 24.2)  // f(−1.2, 1) = 24.2
    #expect(s.statistics.evaluations.gradients < 200)
  }

  @Test(arguments: F.Method.allCases)
  func unboundedObjectiveIsReported(_ m: F.Method) {
    var options = MinimizeOptions()
    options.unboundedValue = -1e5
    let s = minimize(F.unbounded, from: .zeros(3), using: m.method, options: options)
    #expect(s.termination == .unboundedBelow)
    #expect(!s.isSuccess)
    // Line searches double the step along zero curvature; trust regions grow to maxRadius = 1000.
    #expect(s.statistics.iterations < 100)
  }

  @Test(arguments: F.Method.allCases)
  func iterationLimitZeroReturnsTheStart(_ m: F.Method) {
    let s = minimize(
      F.rosenbrock, from: [-1.2, 1], using: m.method, options: .init(maxIterations: 0))
    #expect(s.termination == .iterationLimit)
    #expect(abs(s.value - 24.2) < 1e-12)
    #expect(s.statistics.evaluations.gradients == 1)
    #expect(s.statistics.evaluations.hessianVectorProducts == 0)
  }

  @Test(arguments: F.Method.allCases)
  func evaluationLimitStops(_ m: F.Method) {
    let s = minimize(
      F.rosenbrock, from: [-1.2, 1], using: m.method, options: .init(maxEvaluations: 6))
    #expect(s.termination == .evaluationLimit)
    let e = s.statistics.evaluations
    #expect(e.values + e.gradients <= 8)
    #expect(s.value < 24.2)
  }

  @Test(arguments: F.Method.allCases)
  func iterationLimitStopsEarly(_ m: F.Method) {
    let s = minimize(
      F.rosenbrock, from: [-1.2, 1], using: m.method, options: .init(maxIterations: 3))
    #expect(s.termination == .iterationLimit)
    #expect(s.statistics.iterations == 3)
    #expect(s.value < 24.2)
  }

  // MARK: Large problems (CURVATURE_LARGE_TESTS=1)

  /// Extended Rosenbrock with n = 10⁴ for the product-based methods: the probe and the Krylov
  /// solvers stay O(n) per product, and the solve matches the small case's iteration count.
  @Test(
    .enabled(if: ProcessInfo.processInfo.environment["CURVATURE_LARGE_TESTS"] == "1"),
    arguments: [F.Method.newtonCG, .steihaug, .gltr])
  func extendedRosenbrockLarge(_ m: F.Method) {
    let n = 10_000
    let f = FunctionObjective(
      dimension: n,
      gradient: { x, g in
        var v = 0.0
        for i in stride(from: 0, to: n, by: 2) {
          let a = x[i + 1] - x[i] * x[i]
          let b = 1 - x[i]
          v += 100 * a * a + b * b
          g[i] = -400 * x[i] * a - 2 * b
          g[i + 1] = 200 * a
        }
        return v
      },
      hessianVectorProduct: { x, v, hv in
        for i in stride(from: 0, to: n, by: 2) {
          let h00 = 1200 * x[i] * x[i] - 400 * x[i + 1] + 2
          let h01 = -400 * x[i]
          hv[i] = h00 * v[i] + h01 * v[i + 1]
          hv[i + 1] = h01 * v[i] + 200 * v[i + 1]
        }
      })
    let start = Vector(count: n) { $0 % 2 == 0 ? -1.2 : 1 }
    let s = minimize(f, from: start, using: m.method)
    #expect(s.termination == .gradientTolerance)
    #expect(s.x.allSatisfy { abs($0 - 1) < 1e-5 })
    #expect(s.statistics.iterations < 100)
  }
}
