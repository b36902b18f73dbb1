import Testing

@testable import Curvature

/// A call counter shared with a residual closure (each test runs its cases on one thread).
private final class ResidualCallCounter: @unchecked Sendable {
  var calls = 0
}

/// Rosenbrock's residuals r = s·(10(x₂ − x₁²), 1 − x₁) with their Jacobian and products.
private func scaledRosenbrockResiduals(_ s: Double) -> FunctionResiduals {
  FunctionResiduals(
    dimension: 2, residualCount: 2,
    residuals: { x, r in
      r[0] = s * 10 * (x[1] - x[0] * x[0])
      r[1] = s * (1 - x[0])
    },
    jacobian: { x in Matrix([[s * -20 * x[0], s * 10], [-s, 0]]) },
    jacobianProduct: { x, v, out in
      out[0] = s * (-20 * x[0] * v[0] + 10 * v[1])
      out[1] = -s * v[0]
    },
    jacobianTransposeProduct: { x, w, out in
      out[0] = s * (-20 * x[0] * w[0] - w[1])
      out[1] = s * 10 * w[0]
    })
}

/// Rosenbrock's residuals whose second component is NaN from the (k+1)-th evaluation on.
private func rosenbrockResidualsFailingAfter(_ k: Int) -> FunctionResiduals {
  let counter = ResidualCallCounter()
  return FunctionResiduals(
    dimension: 2, residualCount: 2,
    residuals: { x, r in
      counter.calls += 1
      r[0] = 10 * (x[1] - x[0] * x[0])
      r[1] = counter.calls > k ? .nan : 1 - x[0]
    },
    jacobian: { x in Matrix([[-20 * x[0], 10], [-1, 0]]) },
    jacobianProduct: { x, v, out in
      out[0] = -20 * x[0] * v[0] + 10 * v[1]
      out[1] = -v[0]
    },
    jacobianTransposeProduct: { x, w, out in
      out[0] = -20 * x[0] * w[0] - w[1]
      out[1] = 10 * w[0]
    })
}

/// f(x) = s·½xᵀAx with A = diag(1, 2, …, n): a quadratic whose gradient and Hessian are s times
/// those of a well-scaled one.
private func scaledQuadratic(_ n: Int, scale s: Double) -> FunctionObjective {
  FunctionObjective(
    dimension: n,
    gradient: { x, g in
      var f = 0.0
      for i in 0..<n {
        let d = s * Double(i + 1)
        f += 0.5 * d * x[i] * x[i]
        g[i] = d * x[i]
      }
      return f
    },
    hessian: { _ in Matrix(rows: n, columns: n) { i, j in i == j ? s * Double(i + 1) : 0 } })
}

/// f(x) = a·(x₁ + x₂).
private func linearFunction(slope a: Double) -> FunctionObjective {
  FunctionObjective(
    dimension: 2,
    gradient: { x, g in
      g[0] = a
      g[1] = a
      return a * (x[0] + x[1])
    })
}

/// Solves at the edges of the Double range and with models that cannot move x: each ends with
/// a termination that says what happened, in a few iterations, instead of running to a limit or
/// claiming convergence.
@Suite struct NumericalRangeTests {
  /// g and H scaled by 10²⁰⁰: gᵀg overflows, yet the dogleg step, which is scale-free, is the
  /// same as for the unscaled pair (each leg and the Cauchy point, definite and indefinite).
  @Test func doglegStepIsScaleFreeBeyondTheRangeOfTheSquaredNorm() throws {
    let h = Matrix([[5, 2, 0], [2, 4, 1], [0, 1, 3]])
    let indefinite = Matrix([[1, 0, 0], [0, -2, 0], [0, 0, 3]])
    let g: Vector = [1, -2, 0.5]
    let s = 1e200
    #expect(!(dot(g.scaled(by: s), g.scaled(by: s))).isFinite)
    for hessian in [h, indefinite] {
      let scaled = Matrix(rows: 3, columns: 3) { i, j in s * hessian[i, j] }
      for radius in [0.05, 0.2, 0.4, 100] {
        let plain = try #require(Dogleg.step(hessian: hessian, gradient: g, radius: radius))
        let big = try #require(
          Dogleg.step(hessian: scaled, gradient: g.scaled(by: s), radius: radius))
        #expect(big.step.isFinite)
        #expect((big.step - plain.step).norm <= 1e-14 * Swift.max(1, plain.step.norm))
        #expect(big.hitsBoundary == plain.hitsBoundary)
      }
    }
  }

  /// A nearly singular H = 10⁻³⁰⁰·I makes ‖p_U‖ = ‖g‖/uᵀHu overflow; with a zero component in g
  /// the Cauchy point used to be ∞·0 = NaN there, and so the whole step. The step is the
  /// steepest-descent step to the boundary.
  @Test func doglegWithANearlySingularHessianStaysFinite() throws {
    let h = Matrix(rows: 3, columns: 3) { i, j in i == j ? 1e-300 : 0 }
    let g: Vector = [1e150, 0, -2e150]
    let step = try #require(Dogleg.step(hessian: h, gradient: g, radius: 0.5))
    let expected = g.scaled(by: -0.5 / g.norm)
    #expect(step.step.isFinite)
    #expect((step.step - expected).norm <= 1e-15)
    #expect(step.hitsBoundary)
  }

  /// The dogleg trust region on f = 10²⁰⁰·½xᵀAx: its steps used to be NaN (‖g‖²/gᵀHg = ∞/∞),
  /// which made the radius NaN, and the method ran to the iteration limit without moving. (The
  /// solve now scales such an objective; the tolerance asks ∇f to fall by 10⁻⁶ of its start, as
  /// 10⁻⁶ does on the unscaled quadratic. Asking ‖∇f‖∞ ≤ 10⁻⁶, a fall by 10⁻²⁰⁶, would need the
  /// scaled f to fall below the underflow threshold.)
  @Test(arguments: [1, 2, 7]) func doglegTrustRegionSolvesAHugelyScaledQuadratic(n: Int) {
    let x0 = Vector(count: n) { Double($0) * 0.3 - 1.1 }
    let s = minimize(
      scaledQuadratic(n, scale: 1e200), from: x0, using: .trustRegion(.dogleg),
      options: .init(gradientTolerance: 1e194))
    #expect(s.termination == .gradientTolerance, "\(s.briefReport)")
    #expect(s.statistics.iterations <= 20)
  }

  /// Hessian-vector products 10³⁰⁸ times too large: the model's steps (about 10⁻³⁰⁸) leave x
  /// unchanged, and with both reductions at rounding level they used to be accepted on every
  /// iteration until the evaluation limit.
  @Test(arguments: [TrustRegionSubproblem.steihaug, .gltr])
  func aModelWhoseStepsCannotMoveXCollapsesTheRegion(subproblem: TrustRegionSubproblem) {
    let f = FunctionObjective(
      dimension: 3,
      gradient: { x, g in
        for i in 0..<3 { g[i] = x[i] }
        return 0.5 * x.normSquared
      },
      hessianVectorProduct: { _, v, r in for i in 0..<3 { r[i] = 1e308 * v[i] } })
    let s = minimize(f, from: [1, 2, 3], using: .trustRegion(subproblem))
    #expect(s.termination == .trustRegionCollapsed, "\(s.briefReport)")
    #expect(s.statistics.iterations <= 5)
    #expect(s.value <= 7)
  }

  /// A Hessian 10³⁰⁰ times too large: the modified Newton step leaves x unchanged, f(x + p) = f(x)
  /// passes the Armijo test on rounding alone, and the step used to be accepted again and again
  /// until the evaluation limit.
  @Test func aNewtonStepThatCannotMoveXEndsTheSearch() {
    let f = FunctionObjective(
      dimension: 2,
      gradient: { x, g in
        g[0] = x[0]
        g[1] = x[1]
        return 0.5 * x.normSquared
      },
      hessian: { _ in Matrix([[1e300, -1e300], [-1e300, 1e300]]) })
    let s = minimize(f, from: [1, 2], using: .modifiedNewton())
    #expect(s.termination == .lineSearchFailed, "\(s.briefReport)")
    #expect(s.statistics.iterations == 0)
    #expect(s.x == [1, 2])
  }

  /// f = 10⁻⁵(x₁ + x₂) from x₀ = (10⁴⁰, 10⁴⁰): every step a search can take (α ≤ 10¹⁰) is below
  /// the rounding of x, so x + αp = x. Gradient descent used to accept that non-step until the
  /// evaluation limit; now every line-search method stops at once.
  @Test(arguments: MethodKind.allCases)
  func aSearchWhoseStepsCannotMoveXFails(kind: MethodKind) {
    let f = linearFunction(slope: 1e-5)
    let s = minimize(
      f, from: [1e40, 1e40], using: kind.method, options: .init(gradientTolerance: 1e-40))
    #expect(s.termination == .lineSearchFailed, "\(kind): \(s.briefReport)")
    #expect(s.statistics.iterations == 0)
    #expect(s.statistics.evaluations.gradients <= 100)
  }

  /// f = 10⁻³⁰(x₁ + x₂) from x₀ = (10²⁰, 10²⁰) used to be such a problem too (the steps were
  /// below the rounding of x); the solve now scales its gradient to 1, the steps move x, and the
  /// quasi-Newton methods find the linear function unbounded below, as it is. No method claims
  /// success, and each stops within a few hundred evaluations.
  @Test(arguments: MethodKind.superlinear)
  func aTinyLinearFunctionIsFoundUnbounded(kind: MethodKind) {
    let f = linearFunction(slope: 1e-30)
    let s = minimize(
      f, from: [1e20, 1e20], using: kind.method, options: .init(gradientTolerance: 1e-40))
    #expect(!s.termination.isSuccess, "\(kind): \(s.briefReport)")
    if kind.rawValue.contains("bfgs") {
      #expect(s.termination == .unboundedBelow, "\(kind): \(s.briefReport)")
    }
    #expect(s.statistics.evaluations.gradients <= 400)
  }

  /// A Hessian that claims curvature −10⁻³¹⁰ on f = 10⁻¹⁵⁰·½‖x − 1‖², whose gradient passes the test
  /// from the start: every probe reports negative curvature, and each escape step lowers f a
  /// little without ever leaving the stationary region. The methods used to escape again and
  /// again until the evaluation limit (9,000 to 60,000 iterations); now they stop after
  /// ``SecondOrderEscape/maximumConsecutiveEscapes`` escapes in a row.
  @Test(arguments: [
    "newton-cg", "modified-newton", "trust-ncg", "trust-krylov", "trust-exact", "dogleg",
  ])
  func escapesThatNeverLeaveTheStationaryRegionEnd(method: String) {
    let methods: [String: any MinimizationMethod] = [
      "newton-cg": .newtonCG(), "modified-newton": .modifiedNewton(),
      "trust-ncg": .trustRegion(.steihaug), "trust-krylov": .trustRegion(.gltr),
      "trust-exact": .trustRegion(.exact), "dogleg": .trustRegion(.dogleg),
    ]
    let s = 1e-150
    let c = -1e-300 * 1e-10  // subnormal, formed at run time (a literal would warn)
    let f = FunctionObjective(
      dimension: 3,
      gradient: { x, g in
        for i in 0..<3 { g[i] = s * (x[i] - 1) }
        return 0.5 * s * (x - [1, 1, 1]).normSquared
      },
      hessianVectorProduct: { _, v, r in for i in 0..<3 { r[i] = c * v[i] } },
      hessian: { _ in Matrix(rows: 3, columns: 3) { i, j in i == j ? c : 0 } })
    let solution = minimize(
      f, from: [3, -2, 5], using: methods[method]!, options: .init(maxIterations: 100_000))
    #expect(solution.termination == .negativeCurvatureAtStationaryPoint, "\(solution.briefReport)")
    #expect(solution.statistics.iterations <= 3 * SecondOrderEscape.maximumConsecutiveEscapes)
  }

  /// Residuals of size 10³⁰⁰: finite, but ½‖r‖² and Jᵀr overflow. Every least-squares method and
  /// root finder stops at the start with a note, where some used to report convergence.
  @Test func residualsWhoseSumOfSquaresOverflowsStopAtTheStart() {
    let r = scaledRosenbrockResiduals(1e300)
    let methods: [any LeastSquaresMethod] = [
      .levenbergMarquardt(), .levenbergMarquardt(.matrixFree), .gaussNewton(), .dogleg(),
    ]
    for method in methods {
      let s = leastSquares(r, from: [-1.2, 1], using: method)
      #expect(s.termination == .nonFiniteValue, "\(s.method): \(s.termination)")
      #expect(s.statistics.iterations == 0)
      #expect(s.note?.contains("overflows") == true)
    }
    let finders: [any RootFindingMethod] = [.hybrid(), .newton(), .broyden()]
    for method in finders {
      let s = findRoot(r, from: [-1.2, 1], using: method)
      #expect(s.termination == .nonFiniteValue, "\(s.method): \(s.termination)")
      #expect(s.note?.contains("overflows") == true)
    }
    // Scaled by 10¹⁵⁰ the squares stay finite and Levenberg-Marquardt converges as usual.
    let moderate = leastSquares(scaledRosenbrockResiduals(1e150), from: [-1.2, 1])
    #expect(moderate.isSuccess)
    #expect(Swift.abs(moderate.x[0] - 1) <= 1e-8 && Swift.abs(moderate.x[1] - 1) <= 1e-8)
  }

  /// Residuals that turn NaN after three evaluations: the rejected trials shrink the step until
  /// the step test passes, which Levenberg-Marquardt used to report as convergence
  /// (`stepTolerance`). The best finite point comes back with `nonFiniteValue`.
  @Test(arguments: [LevenbergMarquardt.Subproblem.qr, .matrixFree])
  func residualsThatTurnNaNAreNotReportedAsConvergence(subproblem: LevenbergMarquardt.Subproblem) {
    let s = leastSquares(
      rosenbrockResidualsFailingAfter(3), from: [-1.2, 1], using: .levenbergMarquardt(subproblem))
    #expect(s.termination == .nonFiniteValue, "\(s.method): \(s.termination)")
    #expect(s.x.isFinite && s.residuals.isFinite)
    #expect(s.sumOfSquares < 24.2)
  }
}
