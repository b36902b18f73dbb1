import Curvature

/// One problem of the Moré-Garbow-Hillstrom collection (J. J. Moré, B. S. Garbow, K. E. Hillstrom,
/// "Testing Unconstrained Optimization Software", ACM TOMS 7(1):17-41, 1981): its residuals r(x)
/// and their analytic Jacobian J(x), each written once over ``ScalarMath``.
///
/// ``makeTestProblem()`` turns a definition into a ``TestProblem`` with f(x) = Σ rᵢ(x)² (the MGH
/// convention, no ½), ∇f = 2Jᵀr, and the exact Hessian-vector product
/// ∇²f(x)v = 2(JᵀJ + Σ rᵢ∇²rᵢ)v computed as the ε-part of 2J(x + εv)ᵀr(x + εv) in `Dual`
/// arithmetic.
protocol MGHDefinition: Sendable {
  /// The name shared with the peer harness, e.g. `rosenbrock` or `penalty1_n10`.
  var name: String { get }
  /// The problem's number in MGH (1...35).
  var number: Int { get }
  /// The problem's title in MGH, e.g. "Rosenbrock".
  var title: String { get }
  /// n.
  var dimension: Int { get }
  /// m.
  var residualCount: Int { get }
  /// The standard starting point x₀ from MGH.
  var startingPoint: [Double] { get }
  /// f* (MGH's value; refined digits where a converged extended-precision solve gives them).
  var optimalValue: Double? { get }
  /// A minimizer with f(x*) = f*, when one is known.
  var minimizer: [Double]? { get }
  /// Values of other local minima that solvers commonly reach.
  var localMinima: [Double] { get }
  /// Writes r(x) into `r` (m entries, zero on entry).
  func residuals<T: ScalarMath>(at x: [T], into r: inout [T])
  /// Writes J(x) into `jacobian` (m × n, zero on entry).
  func jacobian<T: ScalarMath>(at x: [T], into jacobian: inout ResidualJacobian<T>)
  /// The ``TestProblem``. A requirement (with the default implementation below) so that each
  /// definition's witness is specialized for its concrete type: called through the existential
  /// list of definitions, an extension-only method would run the generic residual and Jacobian
  /// code unspecialized on every evaluation.
  func makeTestProblem() -> TestProblem
}

extension MGHDefinition {
  /// r(x) as a fresh array.
  func residuals<T: ScalarMath>(at x: [T]) -> [T] {
    precondition(
      x.count == dimension,
      "\(name): x has \(x.count) elements, the problem has n = \(dimension)")
    var r = Array(repeating: T(0), count: residualCount)
    residuals(at: x, into: &r)
    return r
  }

  /// J(x) as a fresh m × n buffer.
  func jacobian<T: ScalarMath>(at x: [T]) -> ResidualJacobian<T> {
    precondition(
      x.count == dimension,
      "\(name): x has \(x.count) elements, the problem has n = \(dimension)")
    var j = ResidualJacobian<T>(rows: residualCount, columns: dimension)
    jacobian(at: x, into: &j)
    return j
  }

  /// 2J(x)ᵀr(x), evaluated in the scalar type of `x`.
  func gradient<T: ScalarMath>(at x: [T]) -> [T] {
    let r = residuals(at: x)
    let jac = jacobian(at: x)
    var g = Array(repeating: T(0), count: dimension)
    for i in 0..<residualCount {
      let ri = r[i]
      for j in 0..<dimension { g[j] += jac[i, j] * ri }
    }
    for j in 0..<dimension { g[j] = 2 * g[j] }
    return g
  }

  /// The literature reference shown in ``TestProblem/source``.
  var source: String {
    "Moré, Garbow & Hillstrom (1981), Testing Unconstrained Optimization Software, "
      + "ACM TOMS 7(1):17-41, problem \(number) (\(title))"
  }

  /// The problem with value, gradient, exact Hessian-vector products, dense Hessian (from n
  /// products) and the residual form with its dense Jacobian.
  func makeTestProblem() -> TestProblem {
    let n = dimension
    let m = residualCount
    let definition = self
    let value: @Sendable (Vector) -> Double = { x in
      let r = definition.residuals(at: x.storage)
      var f = 0.0
      for ri in r { f += ri * ri }
      return f
    }
    let gradient: @Sendable (Vector, inout Vector) -> Double = { x, g in
      let r = definition.residuals(at: x.storage)
      let jac = definition.jacobian(at: x.storage)
      var f = 0.0
      for ri in r { f += ri * ri }
      if g.count != n { g = .zeros(n) }
      for j in 0..<n {
        var s = 0.0
        for i in 0..<m { s += jac[i, j] * r[i] }
        g[j] = 2 * s
      }
      return f
    }
    let hvp: @Sendable (Vector, Vector, inout Vector) -> Void = { x, v, hv in
      precondition(
        v.count == n, "\(definition.name): direction has \(v.count) elements, n = \(n)")
      var xd = [Dual]()
      xd.reserveCapacity(n)
      for k in 0..<n { xd.append(Dual(value: x[k], derivative: v[k])) }
      let g = definition.gradient(at: xd)
      if hv.count != n { hv = .zeros(n) }
      for k in 0..<n { hv[k] = g[k].derivative }
    }
    let hessian: @Sendable (Vector) -> Matrix = { x in
      var h = Matrix(rows: n, columns: n)
      var column = Vector.zeros(n)
      for j in 0..<n {
        hvp(x, .basis(j, count: n), &column)
        for i in 0..<n { h[i, j] = column[i] }
      }
      for i in 0..<n {
        for j in (i + 1)..<max(i + 1, n) {
          let s = 0.5 * (h[i, j] + h[j, i])
          h[i, j] = s
          h[j, i] = s
        }
      }
      return h
    }
    let objective = FunctionObjective(
      dimension: n, value: value, gradient: gradient, hessianVectorProduct: hvp, hessian: hessian)
    let residualFunction = FunctionResiduals(
      dimension: n, residualCount: m,
      residuals: { x, r in
        let values = definition.residuals(at: x.storage)
        if r.count != m { r = .zeros(m) }
        for i in 0..<m { r[i] = values[i] }
      },
      jacobian: { x in
        let jac = definition.jacobian(at: x.storage)
        return Matrix(rows: m, columns: n, storage: jac.entries)
      })
    return TestProblem(
      name: name, collection: "mgh", number: number, startingPoint: Vector(startingPoint),
      optimalValue: optimalValue, minimizer: minimizer.map { Vector($0) },
      localMinima: localMinima, source: source, objective: objective,
      residuals: residualFunction)
  }
}
