import Curvature
import CurvatureAutodiff
import Foundation
import Testing
import _Differentiation

// Whole objectives written once over DifferentiableVectorProtocol, checked against analytic
// gradients and Hessian-vector products (extended Rosenbrock, logistic regression, a least-
// squares type conforming to AutodiffObjectiveFunction) or central differences (a tanh MLP).

/// Extended Rosenbrock f = Σᵢ 100(x₂ᵢ₊₁ − x₂ᵢ²)² + (x₂ᵢ − 1)² (0-based pairs).
@differentiable(reverse)
func extendedRosenbrock<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  let a = x.evenIndexed()
  let b = x.oddIndexed()
  return (b - a.squared()).squared().sum().scaled(by: 100) + a.adding(-1).squared().sum()
}

/// Analytic gradient and Hessian-vector product of extended Rosenbrock.
func rosenbrockAnalytic(_ x: [Double], _ v: [Double]) -> (gradient: [Double], hv: [Double]) {
  var g = [Double](repeating: 0, count: x.count)
  var hv = g
  for i in stride(from: 0, to: x.count, by: 2) {
    let (a, b) = (x[i], x[i + 1])
    g[i] = -400 * a * (b - a * a) + 2 * (a - 1)
    g[i + 1] = 200 * (b - a * a)
    hv[i] = (1200 * a * a - 400 * b + 2) * v[i] - 400 * a * v[i + 1]
    hv[i + 1] = -400 * a * v[i] + 200 * v[i + 1]
  }
  return (g, hv)
}

/// L2-regularized logistic regression with the labels folded into the rows, bᵢ = yᵢaᵢ:
/// f = (1/m) Σ softplus(−bᵢᵀx) + (λ/2)‖x‖².
struct LogisticLoss: AutodiffObjectiveFunction {
  let rows: Matrix
  let lambda: Double
  var dimension: Int { rows.columns }

  @differentiable(reverse,wrt: x)
  func callAsFunction<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
    let data = x.leftMultiplied(by: rows).scaled(by: -1).softplus().sum()
    return data.scaled(by: 1 / Double(rows.rows)) + x.dot(x).scaled(by: lambda / 2)
  }

  /// Synthetic data: features uniform in [−1, 1), labels from sin-weights with 10% flips.
  static func synthetic(samples m: Int, features d: Int, seed: UInt64) -> LogisticLoss {
    var rng = SplitMix64(seed: seed)
    var a = Matrix(rows: m, columns: d)
    for i in 0..<m {
      var margin = 0.0
      for j in 0..<d {
        a[i, j] = 2 * rng.uniform() - 1
        margin += a[i, j] * sin(Double(j + 1))
      }
      let y: Double = (margin >= 0) == (rng.uniform() >= 0.1) ? 1 : -1
      for j in 0..<d { a[i, j] *= y }
    }
    return LogisticLoss(rows: a, lambda: 1e-3)
  }

  /// Analytic ∇f = −(1/m) Bᵀσ(−Bx) + λx and ∇²f·v = (1/m) Bᵀ(σ(z)σ(−z) ⊙ Bv) + λv.
  func analytic(_ x: Vector, _ v: Vector) -> (gradient: Vector, hv: Vector) {
    let z = rows * x
    let bv = rows * v
    let m = Double(rows.rows)
    let s = z.map { 1 / (1 + exp($0)) }  // σ(−z)
    let w = Vector(count: z.count) { i in s[i] * (1 - s[i]) * bv[i] }
    let g = rows.transposeMultiply(s).scaled(by: -1 / m) + x.scaled(by: lambda)
    let hv = rows.transposeMultiply(w).scaled(by: 1 / m) + v.scaled(by: lambda)
    return (g, hv)
  }
}

/// A one-hidden-layer tanh network with squared loss on fixed data. The parameters are
/// packed as [W (h × d) | b (h) | w (h) | c (1)]; the prediction for sample xₖ is
/// wᵀtanh(W xₖ + b) + c and the loss (1/m) Σₖ (predictionₖ − tₖ)².
struct TanhNetworkLoss: AutodiffObjectiveFunction {
  let inputs: [[Double]]
  let targets: [Double]
  let hidden: Int
  var features: Int { inputs[0].count }
  var dimension: Int { hidden * features + 2 * hidden + 1 }

  @differentiable(reverse,wrt: x)
  func callAsFunction<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
    let h = hidden
    let d = features
    let w1 = x.elements(in: 0..<(h * d))
    let b1 = x.elements(in: (h * d)..<(h * d + h))
    let w2 = x.elements(in: (h * d + h)..<(h * d + 2 * h))
    let c = x.elements(in: (h * d + 2 * h)..<(h * d + 2 * h + 1))
    let p0 = (w1.packedMatrixProduct(V(constant: inputs[0]), rows: h, columns: d) + b1).tanh()
    let r0 = (p0.dot(w2) + c.sum()).adding(-targets[0])
    var loss = r0 * r0
    for k in 1..<inputs.count {
      let hk = (w1.packedMatrixProduct(V(constant: inputs[k]), rows: h, columns: d) + b1).tanh()
      let r = (hk.dot(w2) + c.sum()).adding(-targets[k])
      loss = loss + r * r
    }
    return loss.scaled(by: 1 / Double(inputs.count))
  }

  static func synthetic(samples m: Int, features d: Int, hidden h: Int) -> TanhNetworkLoss {
    let values = seededValues(m * d + m, seed: 7)
    let inputs = (0..<m).map { k in Array(values[(k * d)..<((k + 1) * d)]) }
    return TanhNetworkLoss(inputs: inputs, targets: Array(values[(m * d)...]), hidden: h)
  }
}

/// The documentation example of ``AutodiffObjectiveFunction``: f = ½‖Ax − b‖².
struct LeastSquares: AutodiffObjectiveFunction {
  let a: Matrix
  let b: Vector
  var dimension: Int { a.columns }
  @differentiable(reverse,wrt: x)
  func callAsFunction<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
    let r = x.leftMultiplied(by: a) - V(constant: b.storage)
    return r.squared().sum().scaled(by: 0.5)
  }
}

@Suite("Objectives written once, differentiated twice")
struct ObjectiveTests {
  @Test(
    "extended Rosenbrock: gradient and exact HVP equal the analytic formulas",
    arguments: [2, 10, 1000])
  func rosenbrock(n: Int) {
    let objective = AutodiffObjective(
      dimension: n, { x in extendedRosenbrock(x) }, { x in extendedRosenbrock(x) })
    let x = Vector(seededValues(n, seed: 11, in: -1.5...1.5))
    let v = Vector(seededValues(n, seed: 12))
    var g = Vector.zeros(n)
    let f = objective.value(at: x, gradient: &g)
    let (ga, hva) = rosenbrockAnalytic(x.storage, v.storage)
    var fa = 0.0
    for i in stride(from: 0, to: n, by: 2) {
      fa += 100 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i]) + (x[i] - 1) * (x[i] - 1)
    }
    #expect(relativeError(f, fa) < 1e-14)
    #expect(relativeError(objective.value(at: x), fa) < 1e-14)
    #expect(relativeError(g.storage, ga) < 1e-7)
    let (fd, gd, hv) = objective.valueGradientAndHessianVectorProduct(at: x, direction: v)
    #expect(relativeError(fd, fa) < 1e-14)
    #expect(relativeError(gd.storage, ga) < 1e-12)
    #expect(relativeError(hv.storage, hva) < 1e-12)
  }

  @Test("extended Rosenbrock at the standard start and at the minimizer")
  func rosenbrockKnownValues() {
    let n = 6
    let objective = AutodiffObjective(
      dimension: n, { x in extendedRosenbrock(x) }, { x in extendedRosenbrock(x) })
    let x0 = Vector(count: n) { $0 % 2 == 0 ? -1.2 : 1 }
    #expect(relativeError(objective.value(at: x0), 3 * 24.2) < 1e-14)
    var g = Vector.zeros(n)
    #expect(objective.value(at: .init(repeating: 1, count: n), gradient: &g) == 0)
    #expect(g.storage == [Double](repeating: 0, count: n))
    var hv = Vector.zeros(n)
    objective.hessianVectorProduct(
      at: .init(repeating: 1, count: n), direction: .basis(0, count: n), into: &hv)
    #expect(hv.storage == [802, -400, 0, 0, 0, 0])
  }

  @Test("logistic regression: gradient and exact HVP equal the analytic formulas")
  func logisticRegression() {
    let loss = LogisticLoss.synthetic(samples: 200, features: 10, seed: 42)
    let objective = AutodiffObjective(loss)
    let x = Vector(seededValues(10, seed: 3))
    let v = Vector(seededValues(10, seed: 4))
    let (ga, hva) = loss.analytic(x, v)
    var g = Vector.zeros(10)
    _ = objective.value(at: x, gradient: &g)
    #expect(relativeError(g.storage, ga.storage) < 1e-7)
    var hv = Vector.zeros(10)
    objective.hessianVectorProduct(at: x, direction: v, into: &hv)
    #expect(relativeError(hv.storage, hva.storage) < 1e-12)
  }

  @Test("tanh MLP: gradient and HVP match central differences; Hessian is symmetric")
  func tanhNetwork() {
    let loss = TanhNetworkLoss.synthetic(samples: 6, features: 3, hidden: 4)
    let objective = AutodiffObjective(loss)
    let n = loss.dimension
    let x = Vector(seededValues(n, seed: 21))
    let v = Vector(seededValues(n, seed: 22))
    var g = Vector.zeros(n)
    _ = objective.value(at: x, gradient: &g)
    let fd = centralDifferenceGradient({ objective.value(at: Vector($0)) }, at: x.storage)
    #expect(relativeError(g.storage, fd) < 1e-8)
    var hv = Vector.zeros(n)
    objective.hessianVectorProduct(at: x, direction: v, into: &hv)
    let hfd = centralDifferenceDirectional(
      { p in
        var gp = Vector.zeros(n)
        _ = objective.value(at: Vector(p), gradient: &gp)
        return gp.storage
      }, at: x.storage, direction: v.storage)
    #expect(relativeError(hv.storage, hfd) < 1e-7)
    let u = Vector(seededValues(n, seed: 23))
    var hu = Vector.zeros(n)
    objective.hessianVectorProduct(at: x, direction: u, into: &hu)
    // uᵀ(Hv) = vᵀ(Hu) for a symmetric Hessian.
    #expect(relativeError(dot(u, hv), dot(v, hu)) < 1e-12)
  }

  @Test("the adapter plugs into FunctionObjective with exact curvature")
  func functionObjective() {
    let n = 4
    let objective = AutodiffObjective(
      dimension: n, { x in extendedRosenbrock(x) }, { x in extendedRosenbrock(x) }
    )
    .functionObjective
    #expect(objective.hasExactCurvature)
    let x = Vector([0.5, -0.2, 1.1, 0.3])
    let v = Vector([1, 2, -1, 0.5])
    var hv = Vector.zeros(n)
    objective.hessianVectorProduct(at: x, direction: v, into: &hv)
    #expect(relativeError(hv.storage, rosenbrockAnalytic(x.storage, v.storage).hv) < 1e-12)
    var oracle = Oracle(objective)
    var r = Vector.zeros(n)
    oracle.hessianVectorProduct(at: x, direction: v, into: &r)
    #expect(oracle.counts.hessianVectorProducts == 1)
    #expect(oracle.counts.differenceGradients == 0)
  }

  @Test("Newton-CG with exact dual products converges quadratically on logistic regression")
  func newtonWithExactProducts() {
    let loss = LogisticLoss.synthetic(samples: 200, features: 10, seed: 42)
    let objective = AutodiffObjective(loss)
    var x = Vector.zeros(10)
    var g = Vector.zeros(10)
    var norms: [Double] = []
    let cg = ConjugateGradient(relativeTolerance: 1e-13)
    for _ in 0..<8 {
      _ = objective.value(at: x, gradient: &g)
      norms.append(g.normInfinity)
      if g.normInfinity < 1e-13 { break }
      let point = x
      let step = cg.solve(
        { v, hv in objective.hessianVectorProduct(at: point, direction: v, into: &hv) }, rhs: g)
      x = x - step.solution
    }
    #expect(norms.last! < 1e-13, "gradient norms \(norms)")
    #expect(norms.count <= 8, "gradient norms \(norms)")
    // Quadratic convergence: once close, each step roughly squares the gradient norm.
    if let k = norms.firstIndex(where: { $0 < 1e-3 }), k + 1 < norms.count {
      #expect(norms[k + 1] < 100 * norms[k] * norms[k] + 1e-14, "gradient norms \(norms)")
    }
  }

  @Test("least squares (the documentation example): ∇f = Aᵀ(Ax − b), ∇²f·v = AᵀAv")
  func leastSquares() {
    let a = Matrix(rows: 5, columns: 3) { i, j in Double((i + 2 * j) % 5) - 1.5 }
    let b = Vector([1, -2, 0.5, 3, -1])
    let objective = AutodiffObjective(LeastSquares(a: a, b: b))
    let x = Vector([0.3, -0.7, 1.2])
    let v = Vector([2, 1, -1])
    let (value, g, hv) = objective.valueGradientAndHessianVectorProduct(at: x, direction: v)
    let r = a * x - b
    #expect(relativeError(value, 0.5 * r.normSquared) < 1e-14)
    #expect(relativeError(g.storage, a.transposeMultiply(r).storage) < 1e-14)
    #expect(relativeError(hv.storage, a.transposeMultiply(a * v).storage) < 1e-14)
  }

  @Test("non-finite points give non-finite results, not a crash")
  func nonFinitePoints() {
    let objective = AutodiffObjective(
      dimension: 4, { x in extendedRosenbrock(x) }, { x in extendedRosenbrock(x) })
    let x = Vector([.nan, 1, .infinity, 1])
    var g = Vector.zeros(4)
    #expect(!objective.value(at: x, gradient: &g).isFinite)
    #expect(!g.isFinite)
    let (_, _, hv) = objective.valueGradientAndHessianVectorProduct(
      at: x, direction: Vector([1, 0, 0, 0]))
    #expect(!hv.isFinite)
    let logistic = AutodiffObjective(LogisticLoss.synthetic(samples: 20, features: 3, seed: 1))
    var lg = Vector.zeros(3)
    #expect(!logistic.value(at: Vector([.nan, 0, 0]), gradient: &lg).isFinite)
    // Huge margins stay finite: softplus and its derivative never overflow.
    #expect(logistic.value(at: Vector([800, -800, 0]), gradient: &lg).isFinite)
    #expect(lg.isFinite)
  }
}
