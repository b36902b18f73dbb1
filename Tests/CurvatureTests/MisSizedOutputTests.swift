import Testing

@testable import Curvature

/// f = Σ dᵢ(xᵢ − 1)²/2 on n = 2 whose gradient, product or Hessian closure writes an output of
/// the wrong size from its `after`-th call on (earlier calls are correct).
private func misSized(_ part: String, after: Int = 0) -> FunctionObjective {
  let calls = Calls()
  let d: [Double] = [1, 3]
  var product: (@Sendable (Vector, Vector, inout Vector) -> Void)? = nil
  var hessian: (@Sendable (Vector) -> Matrix)? = nil
  switch part {
  case "hessian":
    hessian = { _ in Matrix(rows: 1, columns: 2) }
  case "product":
    product = { _, _, r in r = .zeros(5) }
  default:
    product = { _, v, r in for i in 0..<2 { r[i] = d[i] * v[i] } }
  }
  return FunctionObjective(
    dimension: 2,
    gradient: { x, g in
      calls.gradients += 1
      if part == "gradient" && calls.gradients > after {
        g = .zeros(3)
        return 0
      }
      for i in 0..<2 { g[i] = d[i] * (x[i] - 1) }
      return 0.5 * (d[0] * (x[0] - 1) * (x[0] - 1) + d[1] * (x[1] - 1) * (x[1] - 1))
    },
    hessianVectorProduct: product, hessian: hessian)
}

private final class Calls: @unchecked Sendable { var gradients = 0 }

@Suite("Outputs of the wrong size")
struct MisSizedOutputTests {
  @Test(
    "a gradient of the wrong size, at x₀ or midway, is invalidProblem naming both sizes",
    arguments: [0, 1])
  func gradient(after: Int) {
    for (name, method) in SolverInvariantTests.methods {
      let s = minimize(misSized("gradient", after: after), from: [4, -2], using: method)
      #expect(s.termination == .invalidProblem, "\(name): \(s.briefReport)")
      #expect(s.note == "The objective's gradient has 3 elements but the problem has 2.", "\(name)")
      #expect(s.x.isFinite && s.x.count == 2, "\(name)")
    }
    let bounded = minimize(
      misSized("gradient", after: after), from: [4, -2],
      bounds: try! Bounds(lower: [0, 0], upper: [5, 5]),
      using: .lbfgsb())
    #expect(bounded.termination == .invalidProblem)
  }

  @Test("a Hessian-vector product of the wrong size is invalidProblem naming both sizes")
  func product() {
    for (name, method) in [
      ("newton-cg", NewtonCG()), ("trust-ncg", TrustRegion(subproblem: .steihaug)),
      ("trust-krylov", TrustRegion(subproblem: .gltr)),
    ] as [(String, any MinimizationMethod)] {
      let s = minimize(misSized("product"), from: [4, -2], using: method)
      #expect(s.termination == .invalidProblem, "\(name): \(s.briefReport)")
      #expect(
        s.note == "The objective's Hessian-vector product has 5 elements but the problem has 2.",
        "\(name)")
    }
  }

  @Test("a dense Hessian of the wrong shape is invalidProblem naming both shapes")
  func hessian() {
    let methods: [any MinimizationMethod] = [
      SolverInvariantTests.methods[5].1, TrustRegion(subproblem: .exact), NewtonCG(),
    ]
    for method in methods {
      let s = minimize(misSized("hessian"), from: [4, -2], using: method)
      #expect(s.termination == .invalidProblem, "\(method.name): \(s.briefReport)")
      #expect(s.note == "The objective's Hessian is 1 × 2 but the problem has 2 variables.")
    }
  }
}

/// r(x) = (x₁ − 1, x₂ + 2) (m = n = 2) whose `part` ("residuals", "jacobian", "Jv" or "JTw")
/// has the wrong size from its `after`-th call on.
private func misSizedResiduals(_ part: String, after: Int = 0) -> FunctionResiduals {
  let calls = Calls()
  var jacobian: (@Sendable (Vector) -> Matrix)? = nil
  var product: (@Sendable (Vector, Vector, inout Vector) -> Void)? = nil
  var transposeProduct: (@Sendable (Vector, Vector, inout Vector) -> Void)? = nil
  switch part {
  case "jacobian":
    jacobian = { _ in Matrix(rows: 3, columns: 2) }
  case "Jv", "JTw":
    product = { _, v, out in out = part == "Jv" ? .zeros(4) : v }
    transposeProduct = { _, w, out in out = part == "JTw" ? .zeros(1) : w }
  default:
    jacobian = { _ in Matrix(rows: 2, columns: 2) { i, j in i == j ? 1 : 0 } }
  }
  return FunctionResiduals(
    dimension: 2, residualCount: 2,
    residuals: { x, r in
      calls.gradients += 1
      if part == "residuals" && calls.gradients > after {
        r = .zeros(7)
        return
      }
      r[0] = x[0] - 1
      r[1] = x[1] + 2
    }, jacobian: jacobian, jacobianProduct: product, jacobianTransposeProduct: transposeProduct)
}

@Suite("Residual outputs of the wrong size")
struct MisSizedResidualTests {
  @Test(
    "least squares and root finding end with invalidProblem naming the oracle and both sizes",
    arguments: [
      ("residuals", "The residual vector has 7 elements but the problem has 2 residuals."),
      ("jacobian", "The Jacobian is 3 × 2 but the problem has 2 residuals and 2 variables."),
      ("Jv", "The Jacobian product J·v has 4 elements but the problem has 2 residuals."),
      ("JTw", "The Jacobian product Jᵀ·w has 1 elements but the problem has 2 variables."),
    ])
  func residuals(part: String, note: String) {
    let leastSquaresMethods: [any LeastSquaresMethod] =
      part == "Jv" || part == "JTw"
      ? [LevenbergMarquardt(.matrixFree), GaussNewton(.matrixFree)]
      : [.levenbergMarquardt(), .gaussNewton(), .dogleg()]
    for method in leastSquaresMethods {
      let s = leastSquares(misSizedResiduals(part), from: [4, 4], using: method)
      #expect(s.termination == .invalidProblem, "\(method.name): \(s.briefReport)")
      #expect(s.note == note, "\(method.name)")
    }
    guard part == "residuals" || part == "jacobian" else { return }
    for method in [.hybrid(), .newton(), .broyden()] as [any RootFindingMethod] {
      let s = findRoot(misSizedResiduals(part), from: [4, 4], using: method)
      #expect(s.termination == .invalidProblem, "\(method.name): \(s.briefReport)")
      #expect(s.note == note, "\(method.name)")
    }
  }
}

@Suite("Constraint outputs of the wrong size")
struct MisSizedConstraintTests {
  /// min (x₁ − 1)² + (x₂ − 2)² subject to x₁ + x₂ = 1, with one output of the wrong size.
  static func solve(_ part: String) -> ConstrainedSolution {
    let f = FunctionObjective(
      dimension: 2,
      gradient: { x, g in
        if part == "gradient" {
          g = .zeros(1)
          return 0
        }
        g[0] = 2 * (x[0] - 1)
        g[1] = 2 * (x[1] - 2)
        return (x[0] - 1) * (x[0] - 1) + (x[1] - 2) * (x[1] - 2)
      })
    let c = FunctionConstraints(
      dimension: 2, equalityCount: 1,
      equalities: { x in part == "values" ? [x[0] + x[1] - 1, 0] : [x[0] + x[1] - 1] },
      equalityJacobian: { _ in part == "jacobian" ? Matrix([[1, 1, 0]]) : Matrix([[1, 1]]) })
    return minimize(f, from: [0, 0], subjectTo: c)
  }

  @Test(
    "SQP ends with invalidProblem naming the output and both sizes",
    arguments: [
      ("gradient", "The objective's gradient: 1 elements, but the problem has 2."),
      ("values", "The equality constraints: 2 elements, but the problem has 1."),
      ("jacobian", "The equality Jacobian: 1 × 3, but the problem needs 1 × 2."),
    ])
  func constraints(part: String, note: String) {
    let s = Self.solve(part)
    #expect(s.termination == .invalidProblem, "\(part): \(s.briefReport)")
    #expect(s.note == note, "\(part)")
    let good = Self.solve("none")
    #expect(good.isSuccess)
    #expect(abs(good.x[0] - 0) < 1e-6 && abs(good.x[1] - 1) < 1e-6)
  }
}
