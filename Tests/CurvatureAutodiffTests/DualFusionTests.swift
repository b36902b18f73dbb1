import Curvature
import Testing
import _Differentiation

@testable import CurvatureAutodiff

// Exact Hessian-vector products through the fused dual kernels: the one-pass value-and-tangent
// sum and difference (plain operands and the deferred even/odd interleave of gather cotangents) and the
// scaling views of s·x for a dual scalar s with zero tangent. Each product is checked against
// its closed form and against central differences of reverse-mode gradients.

/// Extended Rosenbrock, Σₖ 100(x₂ₖ₊₁ − x₂ₖ²)² + (x₂ₖ − 1)² (Moré, Garbow & Hillstrom 1981).
func fusionRosenbrock<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  let a = x.evenIndexed()
  let b = x.oddIndexed()
  return (b - a.squared()).squaredNorm().scaled(by: 100) + a.adding(-1).squaredNorm()
}

/// ‖x + x²‖² + ‖x − x²‖² (plain-operand sum and difference of duals).
func fusionPlainSumDifference<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  let s = x.squared()
  return (x + s).squaredNorm() + (x - s).squaredNorm()
}

@Suite("Fused dual kernels")
struct DualFusionTests {
  static func point(_ n: Int) -> [Double] { seededValues(n, seed: 11, in: -1.5...1.5) }
  static func direction(_ n: Int) -> [Double] { seededValues(n, seed: 23) }

  /// The exact product through AutodiffObjective's dual pass, and the central difference of
  /// its reverse-mode gradients along v.
  static func products(_ objective: AutodiffObjective, _ x: [Double], _ v: [Double])
    -> (exact: [Double], difference: [Double], gradient: [Double], dualGradient: [Double])
  {
    let (_, g, hv) = objective.valueGradientAndHessianVectorProduct(
      at: Vector(x), direction: Vector(v))
    let grad: ([Double]) -> [Double] = { p in
      var out = Vector.zeros(p.count)
      _ = objective.value(at: Vector(p), gradient: &out)
      return out.storage
    }
    let fd = centralDifferenceDirectional(grad, at: x, direction: v)
    return (hv.storage, fd, grad(x), g.storage)
  }

  /// A point, a direction and the autodiff extended Rosenbrock objective with n variables.
  static func rosenbrockCase(_ n: Int) -> (x: [Double], v: [Double], objective: AutodiffObjective) {
    let objective = AutodiffObjective(
      dimension: n, { x in fusionRosenbrock(x) }, { x in fusionRosenbrock(x) })
    return (point(n), direction(n), objective)
  }

  @Test("extended Rosenbrock HVP matches the closed form and differences", arguments: [2, 8, 64])
  func rosenbrock(_ n: Int) {
    let (x, v, objective) = Self.rosenbrockCase(n)
    let r = Self.products(objective, x, v)
    var closed = [Double](repeating: 0, count: n)
    for k in stride(from: 0, to: n, by: 2) {
      let (a, b) = (x[k], x[k + 1])
      let haa = 1200 * a * a - 400 * b + 2
      let hab = -400 * a
      closed[k] = haa * v[k] + hab * v[k + 1]
      closed[k + 1] = hab * v[k] + 200 * v[k + 1]
    }
    #expect(relativeError(r.exact, closed) < 1e-14, "\(r.exact) vs \(closed)")
    #expect(relativeError(r.exact, r.difference) < 1e-7)
    #expect(relativeError(r.dualGradient, r.gradient) < 1e-14)
  }

  @Test("plain dual sum and difference: HVP matches the closed form", arguments: [1, 5, 33])
  func plainSumDifference(_ n: Int) {
    let x = Self.point(n)
    let v = Self.direction(n)
    let objective = AutodiffObjective(
      dimension: n, { x in fusionPlainSumDifference(x) }, { x in fusionPlainSumDifference(x) })
    let r = Self.products(objective, x, v)
    // f = Σ (x + x²)² + (x − x²)² = Σ 2x² + 2x⁴, so f'' = 4 + 24x² elementwise.
    let closed = (0..<n).map { (4 + 24 * x[$0] * x[$0]) * v[$0] }
    #expect(relativeError(r.exact, closed) < 1e-14, "\(r.exact) vs \(closed)")
    #expect(relativeError(r.exact, r.difference) < 1e-7)
  }

  @Test("‖x‖⁴: s·x with a dual scalar of non-zero tangent", arguments: [1, 6, 17])
  func quartic(_ n: Int) {
    let x = Self.point(n)
    let v = Self.direction(n)
    let objective = AutodiffObjective(
      dimension: n,
      { (x: DVector) -> Double in
        let s = x.squaredNorm()
        return s * s
      },
      { (x: DualVector) -> DualScalar in
        let s = x.squaredNorm()
        return s * s
      })
    let r = Self.products(objective, x, v)
    // ∇²‖x‖⁴ v = 4‖x‖² v + 8 (xᵀv) x.
    let xx = x.reduce(0) { $0 + $1 * $1 }
    let xv = zip(x, v).reduce(0) { $0 + $1.0 * $1.1 }
    let closed = (0..<n).map { 4 * xx * v[$0] + 8 * xv * x[$0] }
    #expect(relativeError(r.exact, closed) < 1e-14, "\(r.exact) vs \(closed)")
    #expect(relativeError(r.exact, r.difference) < 1e-7)
  }

  @Test("dot with a constant-tangent scalar seed: s·y views", arguments: [3, 10])
  func dotProduct(_ n: Int) {
    let x = Self.point(n)
    let v = Self.direction(n)
    let c = seededValues(n, seed: 5)
    let objective = AutodiffObjective(
      dimension: n,
      { (x: DVector) -> Double in x.dot(x.squared()).scaled(by: 3) + x.dot(DVector(c)) },
      { (x: DualVector) -> DualScalar in
        x.dot(x.squared()).scaled(by: 3) + x.dot(DualVector(constant: c))
      })
    let r = Self.products(objective, x, v)
    // f = 3 Σ x³ + cᵀx, so f'' = 18x elementwise.
    let closed = (0..<n).map { 18 * x[$0] * v[$0] }
    #expect(relativeError(r.exact, closed) < 1e-14, "\(r.exact) vs \(closed)")
    #expect(relativeError(r.exact, r.difference) < 1e-7)
  }

  /// The embedded cotangents of the even and odd gathers, combined with the public + and −
  /// in both orders (even part on the left and on the right), against the dense result.
  @Test("even/odd gather cotangents interleave each part when read", arguments: [1, 2, 7, 8])
  func interleave(_ n: Int) {
    let x = DualVector(value: Self.point(n), tangent: Self.direction(n))
    let (_, evenPullback) = valueWithPullback(at: x) { x in x.evenIndexed() }
    let (_, oddPullback) = valueWithPullback(at: x) { x in x.oddIndexed() }
    let ne = (n + 1) / 2
    let no = n / 2
    let p = DualVector(value: seededValues(ne, seed: 1), tangent: seededValues(ne, seed: 2))
    let q = DualVector(value: seededValues(no, seed: 3), tangent: seededValues(no, seed: 4))
    let even = evenPullback(p)
    let odd = no > 0 ? oddPullback(q) : DualVector(constant: [Double](repeating: 0, count: n))
    func dense(_ sign: Double, _ evenSign: Double) -> DualVector {
      var value = [Double](repeating: 0, count: n)
      var tangent = [Double](repeating: 0, count: n)
      for k in 0..<ne {
        value[2 * k] = evenSign * p.value[k]
        tangent[2 * k] = evenSign * p.tangent[k]
      }
      for k in 0..<no {
        value[2 * k + 1] = sign * q.value[k]
        tangent[2 * k + 1] = sign * q.tangent[k]
      }
      return DualVector(value: value, tangent: tangent)
    }
    let cases: [(DualVector, DualVector)] = [
      (even + odd, dense(1, 1)), (odd + even, dense(1, 1)),
      (even - odd, dense(-1, 1)), (odd - even, dense(1, -1)),
    ]
    for (index, (got, expected)) in cases.enumerated() {
      // Either part may be read first.
      if index % 2 == 0 {
        #expect(got.value == expected.value)
        #expect(got.tangent == expected.tangent)
      } else {
        #expect(got.tangent == expected.tangent)
        #expect(got.value == expected.value)
      }
    }
  }

  /// The Hessian-vector product alone reads only the tangent of the dual gradient: the
  /// gradient, the deferred interleave of the value parts, is never written out, and the
  /// product is bit for bit the one that comes with the gradient.
  @Test("an HVP alone does not write the gradient out", arguments: [2, 8, 64])
  func productWithoutGradient(_ n: Int) {
    let (x, v, objective) = Self.rosenbrockCase(n)
    let (_, pullback) = valueWithPullback(
      at: DualVector(value: x, tangent: v), of: objective.dualFunction)
    let g = pullback(DualScalar(value: 1, tangent: 0))
    let hv = g.tangent
    #expect(g.real.lazySum?.interleaveSigns != nil)
    #expect(g.real.lazySum?.isWrittenOut == false)
    #expect(g.epsilon.lazySum?.isWrittenOut == true)
    var alone = Vector.zeros(n)
    objective.hessianVectorProduct(at: Vector(x), direction: Vector(v), into: &alone)
    let (_, gradient, withGradient) = objective.valueGradientAndHessianVectorProduct(
      at: Vector(x), direction: Vector(v))
    #expect(alone.storage == hv)
    #expect(alone == withGradient)
    #expect(g.value == gradient.storage)
    #expect(g.real.lazySum?.isWrittenOut == true)
  }
}
