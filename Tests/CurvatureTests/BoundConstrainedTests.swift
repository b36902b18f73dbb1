import RealModule
import Synchronization
import Testing

@testable import Curvature

/// Records every point at which the objective was evaluated.
private final class PointRecorder: Sendable {
  let points = Mutex<[Vector]>([])
  func record(_ x: Vector) { points.withLock { $0.append(x) } }
  var all: [Vector] { points.withLock { $0 } }
}

/// The Rosenbrock function 100(x₂ − x₁²)² + (1 − x₁)² with its exact Hessian-vector product;
/// every evaluated point (value, gradient) is passed to `record`.
private func rosenbrock(record: (@Sendable (Vector) -> Void)? = nil) -> FunctionObjective {
  FunctionObjective(
    dimension: 2,
    value: { x in
      record?(x)
      let a = x[1] - x[0] * x[0]
      return 100 * a * a + (1 - x[0]) * (1 - x[0])
    },
    gradient: { x, g in
      record?(x)
      let a = x[1] - x[0] * x[0]
      g[0] = -400 * x[0] * a - 2 * (1 - x[0])
      g[1] = 200 * a
      return 100 * a * a + (1 - x[0]) * (1 - x[0])
    },
    hessianVectorProduct: { x, v, out in
      let h00 = 1200 * x[0] * x[0] - 400 * x[1] + 2
      let h01 = -400 * x[0]
      out[0] = h00 * v[0] + h01 * v[1]
      out[1] = h01 * v[0] + 200 * v[1]
    })
}

/// ½xᵀAx − bᵀx with A = tridiag(−1, 4, −1) (n × n, symmetric positive definite).
private func tridiagonalQuadratic(_ b: Vector) -> FunctionObjective {
  let n = b.count
  @Sendable func multiply(_ v: Vector, _ out: inout Vector) {
    for i in 0..<n {
      var s = 4 * v[i]
      if i > 0 { s -= v[i - 1] }
      if i + 1 < n { s -= v[i + 1] }
      out[i] = s
    }
  }
  return FunctionObjective(
    dimension: n,
    gradient: { x, g in
      multiply(x, &g)
      let f = 0.5 * dot(x, g) - dot(b, x)
      axpy(-1, b, &g)
      return f
    },
    hessianVectorProduct: { _, v, out in multiply(v, &out) })
}

private let methods: [any BoundConstrainedMethod] = [
  LBFGSB(), LBFGSB(lineSearch: .backtracking), ProjectedNewtonCG(),
]

private func box(_ lower: [Double], _ upper: [Double]) -> Bounds {
  try! Bounds(lower: Vector(lower), upper: Vector(upper))
}

@Suite struct BoundConstrainedTests {
  // MARK: The compact representation

  /// B = θI − WMWᵀ equals the BFGS recursion B ← B − BssᵀB/sᵀBs + yyᵀ/yᵀs started from θI with
  /// the newest θ (Byrd, Nocedal & Schnabel 1994, Theorem 2.3), on random pairs with sᵀy > 0.
  @Test func compactFormMatchesTheBFGSRecursion() {
    var rng = SplitMix64(seed: 7)
    let n = 6
    var model = CompactLBFGSMatrix(memory: 4)
    var pairs: [(Vector, Vector)] = []
    for _ in 0..<6 {
      let s = Vector(count: n) { _ in 2 * rng.uniform() - 1 }
      // y = As for a fixed SPD A keeps sᵀy > 0.
      let y = Vector(count: n) { i in
        (Double(i) + 2) * s[i] + 0.3 * s[(i + 1) % n] + 0.3 * s[(i + n - 1) % n]
      }
      let stored = model.update(s: s, y: y)
      #expect(stored)
      pairs.append((s, y))
    }
    #expect(model.count == 4)
    let kept = pairs.suffix(4)
    // Dense recursion from θI.
    var b = Matrix(rows: n, columns: n)
    for i in 0..<n { b[i, i] = model.theta }
    for (s, y) in kept {
      let bs = b * s
      let sbs = dot(s, bs)
      let sy = dot(s, y)
      for i in 0..<n {
        for j in 0..<n { b[i, j] += -bs[i] * bs[j] / sbs + y[i] * y[j] / sy }
      }
    }
    for k in 0..<n {
      let e = Vector.basis(k, count: n)
      let compact = model.apply(e)
      let dense = b * e
      for i in 0..<n { #expect(abs(compact[i] - dense[i]) <= 1e-10 * (1 + abs(dense[i]))) }
    }
  }

  /// Pairs with sᵀy ≤ ε‖y‖² are skipped.
  @Test func skipsPairsWithoutPositiveCurvature() {
    var model = CompactLBFGSMatrix(memory: 3)
    let negative = model.update(s: [1, 0], y: [-1, 0.5])
    let orthogonal = model.update(s: [1, 0], y: [0, 1])
    #expect(!negative && !orthogonal)
    #expect(model.count == 0)
    let good = model.update(s: [1, 0], y: [2, 0])
    #expect(good)
    #expect(model.theta == 2)
  }

  /// The Cauchy point with B = I on a box is the projected gradient step P(x − t*g) with t* the
  /// minimizer of the piecewise quadratic; here every variable but one hits its bound.
  @Test func cauchyPointWithIdentityModel() {
    let bounds = box([0, 0, 0], [1, 1, 1])
    let x: Vector = [0.5, 0.5, 0.5]
    let g: Vector = [-1, 2, 0.1]
    let model = CompactLBFGSMatrix(memory: 5)
    let cp = LBFGSB.cauchyPoint(x: x, gradient: g, bounds: bounds, model: model)
    // Breakpoints 0.5 (x₁ → 1) and 0.25 (x₂ → 0); with B = I, m(t) decreases until t = 1 on the
    // last segment, so x₃ = 0.5 − 0.1.
    #expect(cp.point[0] == 1 && cp.point[1] == 0)
    #expect(abs(cp.point[2] - 0.4) <= 1e-14)
    #expect(cp.free == [false, false, true])
  }

  /// The projected gradient of a free variable far from the origin is its gradient exactly:
  /// forming P(x − g) − x rounded −2 away against x = 10¹⁷ and gave 0.
  @Test func projectedGradientKeepsSmallComponentsAtLargeX() {
    let bounds = box([-.infinity, 0], [0.5, .infinity])
    #expect(bounds.projectedGradientNorm(at: [0.5, 1e17], gradient: [-1, -2]) == 2)
    // On an active bound the blocked direction counts for nothing; the open one counts fully.
    #expect(bounds.projectedGradientNorm(at: [0.5, 3], gradient: [-1, 0]) == 0)
    #expect(bounds.projectedGradientNorm(at: [0.5, 3], gradient: [1, 0]) == 1)
    // At x = 0.25 the step back to the bound is 0.25, smaller than g.
    #expect(bounds.projectedGradientNorm(at: [0.25, 3], gradient: [-1, 0]) == 0.25)
    #expect(bounds.projectedGradientNorm(at: [0.25, 3], gradient: [.nan, 0]).isNaN)
  }

  /// −x₁ − 2x₂ with x₁ ≤ 0.5 and x₂ ≥ 0 is unbounded along x₂: no method may call a point of
  /// that ray converged (projected Newton-CG did, once x₂ reached 10¹⁷).
  @Test(arguments: methods.indices)
  func unboundedAlongAFreeDirectionIsNeverConverged(_ index: Int) {
    let method = methods[index]
    let linear = FunctionObjective(
      dimension: 2,
      gradient: { x, g in
        g[0] = -1
        g[1] = -2
        return -x[0] - 2 * x[1]
      })
    let s = minimize(
      linear, from: [-1.2, 1], bounds: box([-.infinity, 0], [0.5, .infinity]), using: method)
    #expect(!s.isSuccess, "\(method.name): \(s.termination) at \(s.x)")
    // Backtracking never lengthens the unit step, so that search gains 2 per iteration.
    #expect(s.value < -1000)
  }

  // MARK: Solutions on the bounds

  /// Rosenbrock on [−2, 0.5] × [−2, 2]: the solution (0.5, 0.25) has ∇f = (−1, 0) ≠ 0 but a zero
  /// projected gradient.
  @Test(arguments: methods.indices)
  func rosenbrockOnABox(_ index: Int) {
    let method = methods[index]
    let bounds = box([-2, -2], [0.5, 2])
    let s = minimize(
      rosenbrock(), from: [-1.2, 1], bounds: bounds, using: method,
      options: MinimizeOptions(gradientTolerance: 1e-8))
    #expect(s.termination == .gradientTolerance, "\(method.name): \(s.message)")
    #expect(abs(s.x[0] - 0.5) <= 1e-9)
    #expect(abs(s.x[1] - 0.25) <= 1e-7)
    #expect(abs(s.value - 0.25) <= 1e-10)
    #expect(abs(s.gradient[0] + 1) <= 1e-6)
    #expect(bounds.projectedGradientNorm(at: s.x, gradient: s.gradient) <= 1e-8)
    #expect(s.note == nil)
  }

  /// A strictly convex quadratic with a known active set: x* has components at 0, at 1 and
  /// inside, with multipliers λ = Ax* − b of the right signs (KKT holds, so x* is the unique
  /// minimizer).
  @Test(arguments: methods.indices)
  func quadraticWithKnownActiveSet(_ index: Int) {
    let method = methods[index]
    let n = 12
    let xStar = Vector(count: n) { i in [0, 1, 0.3, 0.7, 0, 0.5][i % 6] }
    let multipliers = Vector(count: n) { i in [1.5, -2, 0, 0, 0.25, 0][i % 6] }
    var ax = Vector.zeros(n)
    for i in 0..<n {
      ax[i] = 4 * xStar[i] - (i > 0 ? xStar[i - 1] : 0) - (i + 1 < n ? xStar[i + 1] : 0)
    }
    let b = ax - multipliers
    let bounds = try! Bounds(lower: .zeros(n), upper: Vector(repeating: 1, count: n))
    let s = minimize(
      tridiagonalQuadratic(b), from: Vector(repeating: 0.5, count: n), bounds: bounds,
      using: method, options: MinimizeOptions(gradientTolerance: 1e-8))
    #expect(s.isSuccess, "\(method.name): \(s.message)")
    for i in 0..<n { #expect(abs(s.x[i] - xStar[i]) <= 1e-8, "\(method.name) x[\(i)]") }
    // The active set is exact: bound components sit on their bounds.
    for i in 0..<n where multipliers[i] != 0 { #expect(s.x[i] == xStar[i]) }
  }

  /// One-sided bounds: min Σ(xᵢ − cᵢ)² with xᵢ ≥ 0 only has x* = max(c, 0).
  @Test(arguments: methods.indices)
  func oneSidedBounds(_ index: Int) {
    let method = methods[index]
    let c: Vector = [-1, 2, -0.5, 3, 0]
    let f = FunctionObjective(
      dimension: 5,
      gradient: { x, g in
        var v = 0.0
        for i in 0..<5 {
          g[i] = 2 * (x[i] - c[i])
          v += (x[i] - c[i]) * (x[i] - c[i])
        }
        return v
      }, hessianVectorProduct: { _, v, out in for i in 0..<5 { out[i] = 2 * v[i] } })
    let bounds = try! Bounds(lower: .zeros(5), upper: Vector(repeating: .infinity, count: 5))
    let s = minimize(f, from: [1, 1, 1, 1, 1], bounds: bounds, using: method)
    #expect(s.isSuccess, "\(method.name): \(s.message)")
    for i in 0..<5 { #expect(abs(s.x[i] - max(c[i], 0)) <= 1e-8) }
  }

  /// Indefinite: f = x₁² − x₂² on [−1, 1]²; the minimizers are (0, ±1) with f = −1, found only by
  /// following negative curvature to the bound.
  @Test(arguments: methods.indices)
  func negativeCurvatureToTheBound(_ index: Int) {
    let method = methods[index]
    let f = FunctionObjective(
      dimension: 2,
      gradient: { x, g in
        g[0] = 2 * x[0]
        g[1] = -2 * x[1]
        return x[0] * x[0] - x[1] * x[1]
      },
      hessianVectorProduct: { _, v, out in
        out[0] = 2 * v[0]
        out[1] = -2 * v[1]
      })
    let s = minimize(f, from: [0.5, 0.1], bounds: box([-1, -1], [1, 1]), using: method)
    #expect(s.isSuccess, "\(method.name): \(s.message)")
    #expect(abs(s.value + 1) <= 1e-10)
    #expect(abs(s.x[1] - 1) <= 1e-12)
  }

  // MARK: Infinite bounds

  /// With every bound infinite L-BFGS-B is L-BFGS: on Rosenbrock from (−1.2, 1) with m = 10 and
  /// gtol 10⁻⁶ SciPy's L-BFGS-B (the same method without bounds) takes 37 iterations and 45
  /// evaluations; this implementation must stay in that range, and close to the unconstrained
  /// ``LBFGS`` (which differs in its line-search constants and first step).
  @Test func infiniteBoundsBehaveLikeLBFGS() {
    let s = minimize(rosenbrock(), from: [-1.2, 1], bounds: .unbounded(2))
    #expect(s.termination == .gradientTolerance, "\(s.message)")
    #expect(abs(s.x[0] - 1) <= 1e-5 && abs(s.x[1] - 1) <= 1e-5)
    #expect((30...45).contains(s.statistics.iterations))
    #expect(s.statistics.evaluations.gradients <= 55)
    // The unconstrained L-BFGS of this package on the same problem.
    let free = minimize(rosenbrock(), from: [-1.2, 1], using: .lbfgs())
    #expect(free.termination == .gradientTolerance)
    #expect(
      abs(s.statistics.iterations - free.statistics.iterations) <= 8,
      "L-BFGS-B \(s.statistics.iterations), L-BFGS \(free.statistics.iterations)")
    let small = minimize(
      rosenbrock(), from: [-1.2, 1], bounds: .unbounded(2), using: .lbfgsb(memory: 3))
    #expect(small.termination == .gradientTolerance)
    let pn = minimize(
      rosenbrock(), from: [-1.2, 1], bounds: .unbounded(2), using: .projectedNewtonCG())
    #expect(pn.termination == .gradientTolerance, "\(pn.message)")
    #expect(abs(pn.x[0] - 1) <= 1e-6)
  }

  // MARK: Feasibility of every evaluation

  /// Every point the solvers evaluate lies in the box, on problems whose unconstrained steps
  /// overshoot the bounds (Rosenbrock cut at x₁ ≤ 0.5, and a function decreasing towards +∞).
  @Test(arguments: methods.indices)
  func everyTrialPointIsInsideTheBox(_ index: Int) {
    let method = methods[index]
    let recorder = PointRecorder()
    let bounds = box([-2, -2], [0.5, 2])
    let s = minimize(
      rosenbrock(record: { recorder.record($0) }), from: [-1.9, -1.9], bounds: bounds,
      using: method)
    #expect(s.isSuccess, "\(method.name): \(s.message)")
    #expect(!recorder.all.isEmpty)
    let outside = recorder.all.filter { !bounds.contains($0) }
    #expect(outside.isEmpty, "\(method.name) evaluated \(outside.count) points outside the box")

    // f = −Σxᵢ + 10⁻³‖x‖²: unconstrained minimizer at 500, box [0, 1]: x* = 1.
    let linear = PointRecorder()
    let n = 6
    let f = FunctionObjective(
      dimension: n,
      gradient: { x, g in
        linear.record(x)
        for i in 0..<n { g[i] = -1 + 2e-3 * x[i] }
        return -x.sum + 1e-3 * x.normSquared
      }, hessianVectorProduct: { _, v, out in for i in 0..<n { out[i] = 2e-3 * v[i] } })
    let unit = try! Bounds(lower: .zeros(n), upper: Vector(repeating: 1, count: n))
    let t = minimize(f, from: Vector(count: n) { Double($0) / 10 }, bounds: unit, using: method)
    #expect(t.isSuccess, "\(method.name): \(t.message)")
    for i in 0..<n { #expect(t.x[i] == 1) }
    #expect(linear.all.allSatisfy { unit.contains($0) })
  }

  // MARK: Inputs

  @Test func startingPointOutsideIsProjected() {
    let bounds = box([-2, -2], [0.5, 2])
    let s = minimize(rosenbrock(), from: [3, -5], bounds: bounds)
    #expect(s.isSuccess)
    #expect(s.note?.contains("projected") == true)
    #expect(abs(s.x[0] - 0.5) <= 1e-7)
  }

  /// With no iterations allowed, the (projected) start is returned; an observer can stop the
  /// solve; memory 0 gives projected steepest descent, which still converges on a quadratic.
  @Test func limitsObserverAndZeroMemory() {
    let bounds = box([-2, -2], [0.5, 2])
    let none = minimize(
      rosenbrock(), from: [1, 1], bounds: bounds, options: MinimizeOptions(maxIterations: 0))
    #expect(none.termination == .iterationLimit)
    #expect(none.x == [0.5, 1])
    let stopped = minimize(
      rosenbrock(), from: [-1.2, 1], bounds: bounds, using: .projectedNewtonCG(),
      observer: { $0.iteration >= 2 ? .stop : .continue })
    #expect(stopped.termination == .stoppedByObserver)
    #expect(stopped.statistics.iterations == 2)
    let c: Vector = [0.3, -4, 0.8]
    let quadratic = FunctionObjective(
      dimension: 3,
      gradient: { x, g in
        var f = 0.0
        for i in 0..<3 {
          let d = x[i] - c[i]
          let w = Double(i + 1)
          g[i] = w * d
          f += 0.5 * w * d * d
        }
        return f
      })
    let unit = box([0, 0, 0], [1, 1, 1])
    let s = minimize(quadratic, from: [1, 1, 0], bounds: unit, using: LBFGSB(memory: 0))
    #expect(s.isSuccess, "\(s.message)")
    #expect(abs(s.x[0] - 0.3) <= 1e-6)
    #expect(s.x[1] == 0)
    #expect(abs(s.x[2] - 0.8) <= 1e-6)
  }

  @Test func invertedBoundsThrowAtConstruction() {
    #expect(throws: Bounds.ConfigurationError.inverted(index: 1, lower: 3, upper: 2)) {
      try Bounds(lower: [0, 3], upper: [1, 2])
    }
  }

  @Test(arguments: methods.indices)
  func nonFiniteStartingPoint(_ index: Int) {
    let s = minimize(
      rosenbrock(), from: [.nan, 0], bounds: box([-2, -2], [2, 2]), using: methods[index])
    #expect(s.termination == .nonFiniteStartingPoint)
    #expect(s.statistics.evaluations.gradients == 0)
  }

  @Test func boundsOfTheWrongDimension() {
    let s = minimize(rosenbrock(), from: [0, 0], bounds: .unbounded(3))
    #expect(s.termination == .invalidProblem)
    #expect(s.note?.contains("bounds") == true)
  }

  /// An objective that returns NaN from the k-th evaluation on: the solve ends without crashing or
  /// hanging, and returns a finite point inside the box no worse than the start.
  @Test(arguments: methods.indices)
  func objectiveTurningNaN(_ index: Int) {
    let method = methods[index]
    let recorder = PointRecorder()
    let inner = rosenbrock()
    let f = FunctionObjective(
      dimension: 2,
      gradient: { x, g in
        recorder.record(x)
        let v = inner.gradientFunction(x, &g)
        if recorder.all.count > 6 {
          g[0] = .nan
          g[1] = .nan
          return .nan
        }
        return v
      }, hessianVectorProduct: inner.hessianVectorProductFunction)
    let bounds = box([-2, -2], [0.5, 2])
    let s = minimize(f, from: [-1.2, 1], bounds: bounds, using: method)
    #expect(!s.isSuccess)
    // The termination names the cause (projected Newton-CG used to say its region collapsed).
    #expect(
      s.termination == .nonFiniteValue || s.termination == .lineSearchFailed,
      "\(method.name): \(s.termination)")
    #expect(s.value.isFinite && s.value <= 24.2)
    #expect(bounds.contains(s.x))
    #expect(s.statistics.evaluations.gradients < 200)
  }

  /// The iteration history reports projected-gradient norms, which reach zero at a bound
  /// solution where ‖∇f‖∞ stays 1.
  @Test func historyReportsProjectedGradient() {
    var options = MinimizeOptions(gradientTolerance: 1e-9)
    options.recordHistory = true
    let s = minimize(
      rosenbrock(), from: [-1.2, 1], bounds: box([-2, -2], [0.5, 2]), options: options)
    #expect(s.history.last!.gradientNorm <= 1e-9)
    #expect(s.gradientNorm > 0.99)
  }

  /// Classic bound-constrained problems of Hock & Schittkowski (1981) with known solutions.
  @Test(arguments: methods.indices)
  func hockSchittkowskiBoundProblems(_ index: Int) {
    let method = methods[index]
    let options = MinimizeOptions(gradientTolerance: 1e-8)
    // HS3: x₂ + 10⁻⁵(x₂ − x₁)², x₂ ≥ 0; x₀ = (10, 1); f* = 0 at (0, 0).
    let hs3 = FunctionObjective(
      dimension: 2,
      gradient: { x, g in
        let d = x[1] - x[0]
        g[0] = -2e-5 * d
        g[1] = 1 + 2e-5 * d
        return x[1] + 1e-5 * d * d
      })
    let s3 = minimize(
      hs3, from: [10, 1], bounds: box([-.infinity, 0], [.infinity, .infinity]), using: method,
      options: options)
    #expect(s3.isSuccess, "HS3 \(method.name): \(s3.message)")
    #expect(abs(s3.value) <= 1e-8)
    // HS4: (x₁ + 1)³/3 + x₂, x₁ ≥ 1, x₂ ≥ 0; f* = 8/3 at (1, 0).
    let hs4 = FunctionObjective(
      dimension: 2,
      gradient: { x, g in
        g[0] = (x[0] + 1) * (x[0] + 1)
        g[1] = 1
        return (x[0] + 1) * (x[0] + 1) * (x[0] + 1) / 3 + x[1]
      })
    let s4 = minimize(
      hs4, from: [1.125, 0.125], bounds: box([1, 0], [.infinity, .infinity]), using: method,
      options: options)
    #expect(s4.isSuccess, "HS4 \(method.name): \(s4.message)")
    #expect(s4.x == [1, 0])
    #expect(abs(s4.value - 8.0 / 3) <= 1e-12)
    // HS5: sin(x₁ + x₂) + (x₁ − x₂)² − 1.5x₁ + 2.5x₂ + 1 on [−1.5, 4] × [−3, 3]; x₀ = (0, 0);
    // f* = −√3/2 − π/3 at (−π/3 + ½, −π/3 − ½) (interior).
    let hs5 = FunctionObjective(
      dimension: 2,
      gradient: { x, g in
        let c = Double.cos(x[0] + x[1])
        let d = x[0] - x[1]
        g[0] = c + 2 * d - 1.5
        g[1] = c - 2 * d + 2.5
        return Double.sin(x[0] + x[1]) + d * d - 1.5 * x[0] + 2.5 * x[1] + 1
      })
    let s5 = minimize(
      hs5, from: [0, 0], bounds: box([-1.5, -3], [4, 3]), using: method, options: options)
    #expect(s5.isSuccess, "HS5 \(method.name): \(s5.message)")
    #expect(abs(s5.value - (-(3.0).squareRoot() / 2 - Double.pi / 3)) <= 1e-10)
    #expect(abs(s5.x[0] - (-Double.pi / 3 + 0.5)) <= 1e-6)
    // HS45: 2 − x₁x₂x₃x₄x₅/120, 0 ≤ xᵢ ≤ i; x₀ = (2, …, 2); f* = 1 at (1, 2, 3, 4, 5).
    let hs45 = FunctionObjective(
      dimension: 5,
      gradient: { x, g in
        var p = 1.0
        for i in 0..<5 { p *= x[i] }
        for i in 0..<5 {
          var q = 1.0
          for j in 0..<5 where j != i { q *= x[j] }
          g[i] = -q / 120
        }
        return 2 - p / 120
      })
    let s45 = minimize(
      hs45, from: [2, 2, 2, 2, 2], bounds: box([0, 0, 0, 0, 0], [1, 2, 3, 4, 5]), using: method,
      options: options)
    #expect(s45.isSuccess, "HS45 \(method.name): \(s45.message)")
    #expect(s45.x == [1, 2, 3, 4, 5])
    #expect(abs(s45.value - 1) <= 1e-14)
  }

  /// HS110 (n = 10): Σ[ln²(xᵢ − 2) + ln²(10 − xᵢ)] − (Πxᵢ)^0.2 on [2.001, 9.999]¹⁰, x₀ = 9;
  /// f* = −45.77847 at xᵢ = 9.35025655. f is undefined outside (2, 10), so an evaluation outside
  /// the box would show as NaN.
  @Test(arguments: methods.indices)
  func hs110(_ index: Int) {
    let method = methods[index]
    let n = 10
    let f = FunctionObjective(
      dimension: n,
      gradient: { x, g in
        var sum = 0.0
        var logProduct = 0.0
        for i in 0..<n {
          let a = Double.log(x[i] - 2)
          let b = Double.log(10 - x[i])
          sum += a * a + b * b
          logProduct += Double.log(x[i])
        }
        let p = Double.exp(0.2 * logProduct)
        for i in 0..<n {
          g[i] =
            2 * Double.log(x[i] - 2) / (x[i] - 2) - 2 * Double.log(10 - x[i]) / (10 - x[i])
            - 0.2 * p / x[i]
        }
        return sum - p
      })
    let bounds = try! Bounds(
      lower: Vector(repeating: 2.001, count: n), upper: Vector(repeating: 9.999, count: n))
    let s = minimize(
      f, from: Vector(repeating: 9, count: n), bounds: bounds, using: method,
      options: MinimizeOptions(gradientTolerance: 1e-7))
    #expect(s.isSuccess, "\(method.name): \(s.message)")
    #expect(abs(s.value + 45.77847) <= 1e-5)
    for i in 0..<n { #expect(abs(s.x[i] - 9.350265833) <= 1e-6) }
  }
}
