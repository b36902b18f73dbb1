import RealModule
import Testing

@testable import Curvature

/// Rosenbrock's function 100(x₂ − x₁²)² + (1 − x₁)², minimizer (1, 1).
let rosenbrock2D = FunctionObjective(
  dimension: 2,
  gradient: { x, g in
    let a = x[1] - x[0] * x[0]
    let b = 1 - x[0]
    g[0] = -400 * x[0] * a - 2 * b
    g[1] = 200 * a
    return 100 * a * a + b * b
  })

/// f(x) = ½xᵀAx − bᵀx with A tridiagonal (diagonal 2..n+1, off-diagonal −1/2), positive definite,
/// and b = (1, …, 1). The minimizer solves Ax = b.
func convexQuadratic(_ n: Int) -> FunctionObjective {
  FunctionObjective(
    dimension: n,
    gradient: { x, g in
      var f = 0.0
      for i in 0..<n {
        var ax = Double(i + 2) * x[i]
        if i > 0 { ax -= 0.5 * x[i - 1] }
        if i + 1 < n { ax -= 0.5 * x[i + 1] }
        g[i] = ax - 1
        f += 0.5 * x[i] * ax - x[i]
      }
      return f
    })
}

/// The minimizer of ``convexQuadratic(_:)``: the solution of the tridiagonal system Ax = 1
/// by Gaussian elimination without pivoting (A is diagonally dominant).
func quadraticMinimizer(_ n: Int) -> [Double] {
  var diag = (0..<n).map { Double($0 + 2) }
  var rhs = [Double](repeating: 1, count: n)
  for i in 1..<max(n, 1) {
    let m = -0.5 / diag[i - 1]
    diag[i] -= m * -0.5
    rhs[i] -= m * rhs[i - 1]
  }
  var x = [Double](repeating: 0, count: n)
  for i in stride(from: n - 1, through: 0, by: -1) {
    let next = i + 1 < n ? x[i + 1] : 0
    x[i] = (rhs[i] + 0.5 * next) / diag[i]
  }
  return x
}

/// The methods under test, by name (parameterized tests need Sendable, printable arguments).
enum MethodKind: String, CaseIterable, Sendable, CustomStringConvertible {
  case bfgs, bfgsMoreThuente, lbfgs, lbfgsCompact, lbfgsCompactSingle, lbfgsZoom, cgFletcherReeves,
    cgPolakRibiere,
    cgHestenesStiefel, cgDaiYuan, cgHagerZhang, gradientDescent
  var description: String { rawValue }

  var method: any MinimizationMethod {
    switch self {
    case .bfgs: return .bfgs()
    case .bfgsMoreThuente: return .bfgs(lineSearch: MoreThuente())
    case .lbfgs: return .lbfgs()
    // The compact ("vector-free") form that L-BFGS uses from n = 4096, forced at every size.
    case .lbfgsCompact: return LBFGS(compactMinimumDimension: 0)
    // The same with the history stored in single precision.
    case .lbfgsCompactSingle: return LBFGS(compactMinimumDimension: 0, historyPrecision: .single)
    case .lbfgsZoom: return .lbfgs(lineSearch: StrongWolfe())
    case .cgFletcherReeves: return .nonlinearCG(.fletcherReeves)
    case .cgPolakRibiere: return .nonlinearCG(.polakRibiere)
    case .cgHestenesStiefel: return .nonlinearCG(.hestenesStiefel)
    case .cgDaiYuan: return .nonlinearCG(.daiYuan)
    case .cgHagerZhang: return .nonlinearCG(.hagerZhang)
    case .gradientDescent: return .gradientDescent
    }
  }

  static let superlinear: [MethodKind] = allCases.filter { $0 != .gradientDescent }
}

@Suite struct QuasiNewtonTests {
  @Test(arguments: MethodKind.superlinear)
  func solvesRosenbrock(kind: MethodKind) {
    let s = minimize(
      rosenbrock2D, from: [-1.2, 1], using: kind.method, options: .init(maxIterations: 2000))
    #expect(s.termination == .gradientTolerance, "\(kind): \(s.briefReport)")
    #expect(s.gradientNorm <= 1e-6)
    #expect(Swift.abs(s.x[0] - 1) < 1e-5 && Swift.abs(s.x[1] - 1) < 1e-5, "\(kind): \(s.x)")
    #expect(s.statistics.evaluations.values == 0)
    #expect(
      s.statistics.lineSearchEvaluations == s.statistics.evaluations.gradients - 1,
      "\(kind): every evaluation after the first is spent in a line search")
  }

  @Test(arguments: MethodKind.allCases)
  func solvesAConvexQuadratic(kind: MethodKind) {
    let n = 20
    let s = minimize(
      convexQuadratic(n), from: .zeros(n), using: kind.method, options: .init(maxIterations: 5000))
    #expect(s.termination == .gradientTolerance, "\(kind): \(s.briefReport)")
    #expect(s.gradientNorm <= 1e-6)
    // λmin(A) ≥ 1, so ‖x − x*‖₂ ≤ ‖∇f(x)‖₂ ≤ √n·1e-6.
    let exact = quadraticMinimizer(n)
    for i in 0..<n { #expect(Swift.abs(s.x[i] - exact[i]) <= 5e-6) }
  }

  /// With memory ≥ n and an exact line search, L-BFGS on a quadratic generates the conjugate
  /// gradient iterates and ends in at most n steps (N&W §7.2 and Theorem 5.3); with a tight zoom
  /// (c₂ = 1e-3) it measured 5, 10 and 18 iterations for n = 5, 10, 20. With the default inexact
  /// search (c₂ = 0.9, unit steps accepted) it measured 10, 14 and 19.
  @Test(arguments: [5, 10, 20])
  func lbfgsOnAQuadraticWithFullMemory(n: Int) {
    let exact = minimize(
      convexQuadratic(n), from: .zeros(n),
      using: .lbfgs(memory: n, lineSearch: StrongWolfe(c2: 1e-3)))
    #expect(exact.termination == .gradientTolerance)
    #expect(exact.statistics.iterations <= n + 1, "\(exact.statistics.iterations) iterations")
    let inexact = minimize(convexQuadratic(n), from: .zeros(n), using: .lbfgs(memory: n))
    #expect(inexact.termination == .gradientTolerance)
    #expect(inexact.statistics.iterations <= n + 5, "\(inexact.statistics.iterations) iterations")
  }

  /// BFGS and L-BFGS share H₁ = (I − ρsyᵀ)γ₀I(I − ρysᵀ) + ρssᵀ, so with the same search their
  /// first two iterates coincide (BFGS configured like L-BFGS: scaled H₀, zoom search, first trial
  /// min(1, 1/‖∇f‖), unit trials later); later L-BFGS rescales H₀ each iteration and they part.
  @Test func bfgsAndLBFGSAgreeOnTheFirstTwoSteps() {
    let opts = MinimizeOptions(maxIterations: 2, recordHistory: true)
    let bfgs = BFGS(
      lineSearch: StrongWolfe(), scalesInitialHessian: true, usesFletcherInitialStep: false,
      firstStepScale: 1)
    let a = minimize(rosenbrock2D, from: [-1.2, 1], using: bfgs, options: opts)
    let b = minimize(
      rosenbrock2D, from: [-1.2, 1], using: .lbfgs(lineSearch: StrongWolfe()), options: opts)
    #expect(a.history.count == 3 && b.history.count == 3)
    for (u, v) in zip(a.history, b.history) {
      #expect(Swift.abs(u.value - v.value) <= 1e-10 * Swift.max(1, Swift.abs(u.value)))
    }
    #expect(Swift.abs(a.x[0] - b.x[0]) < 1e-10 && Swift.abs(a.x[1] - b.x[1]) < 1e-10)
  }

  @Test func lbfgsHistoryTwoLoopMatchesDenseInverse() {
    // One pair in 2-D: H = (I − ρsyᵀ)γI(I − ρysᵀ) + ρssᵀ.
    var h = LBFGSHistory(capacity: 3, dimension: 2)
    var s: Vector = [1, 0.5]
    var y: Vector = [2, 0.25]
    #expect(h.push(s: &s, y: &y, threshold: 1e-10))
    let sv: Vector = [1, 0.5]
    let yv: Vector = [2, 0.25]
    let rho = 1 / dot(sv, yv)
    let gamma = dot(sv, yv) / yv.normSquared
    var dense = [[0.0, 0.0], [0.0, 0.0]]
    for i in 0..<2 {
      for j in 0..<2 {
        var v = 0.0
        for k in 0..<2 {
          let left = (i == k ? 1.0 : 0.0) - rho * sv[i] * yv[k]
          let right = (k == j ? 1.0 : 0.0) - rho * yv[k] * sv[j]
          v += left * gamma * right
        }
        dense[i][j] = v + rho * sv[i] * sv[j]
      }
    }
    let q: Vector = [0.3, -1.7]
    var r = Vector.zeros(2)
    h.apply(to: q, into: &r)
    for i in 0..<2 {
      let expected = dense[i][0] * q[0] + dense[i][1] * q[1]
      #expect(Swift.abs(r[i] - expected) < 1e-14)
    }
    // The secant equation H y = s.
    var hy = Vector.zeros(2)
    h.apply(to: yv, into: &hy)
    #expect(Swift.abs(hy[0] - 1) < 1e-14 && Swift.abs(hy[1] - 0.5) < 1e-14)
    // A pair with negative curvature is refused.
    var s2: Vector = [1, 0]
    var y2: Vector = [-1, 0]
    #expect(!h.push(s: &s2, y: &y2, threshold: 1e-10))
    #expect(h.count == 1)
  }

  @Test func gradientDescentMakesSteadyProgressOnRosenbrock() {
    let s = minimize(
      rosenbrock2D, from: [-1.2, 1], using: .gradientDescent, options: .init(maxIterations: 200))
    // Measured f = 0.764 after 200 iterations (from 24.2); steepest descent crawls in the valley.
    #expect(s.termination == .iterationLimit)
    #expect(s.value < 1 && s.value.isFinite)
  }
}
