import Curvature
import Testing
import _Differentiation

@testable import CurvatureAutodiff

// Lazy sums (DVector + view, and the cotangent sums of reverse-mode accumulation) are added
// where they are read: by the even/odd interleave of gather cotangents, by the write-out of
// `storage`, or by elementwise kernels; every other reader writes the sum out once. These tests
// check that gradients and exact Hessian-vector products through lazy sums equal the same
// computation with the laziness bypassed (an identity gather, which writes its value and its
// cotangent out) and central differences, for compositions that mix gathers, slices, scaling,
// shifts and sums read several times, with n odd and even, and that every view of a lazy sum
// reads the same numbers as the written-out sum.

/// The identity gather: the same vector written out, whose pullback writes the cotangent out
/// too (so that no lazy sum crosses it), when `bypass` is set.
@differentiable(reverse,wrt: x)
func bypassed<V: DifferentiableVectorProtocol>(_ x: V, _ bypass: Bool) -> V {
  if bypass { return x.gathering(Array(0..<withoutDerivative(at: x).count)) }
  return x
}

/// 100‖b − a₀..ₘ²‖² + ‖a − 1‖² with a, b the even and odd elements (m = b.count): the
/// cotangent of a is the lazy sum of the product pullback and a shifted view of x.
@differentiable(reverse,wrt: x)
func lazyRosenbrockLike<V: DifferentiableVectorProtocol>(_ x: V, _ bypass: Bool) -> V.Scalar {
  let a = bypassed(x.evenIndexed(), bypass)
  let b = x.oddIndexed()
  let m = withoutDerivative(at: b).count
  return (b - a.elements(in: 0..<m).squared()).squaredNorm().scaled(by: 100)
    + a.adding(-1).squaredNorm()
}

/// Σ exp(y) + ‖y‖² + 3 Σ y_even + ‖2·y_odd + 1‖² with y = x read four times: the cotangents
/// of y add a dense array, a scaled view and two embedded views.
@differentiable(reverse,wrt: x)
func lazyThreeUses<V: DifferentiableVectorProtocol>(_ x: V, _ bypass: Bool) -> V.Scalar {
  let y = bypassed(x, bypass)
  return y.exp().sum().scaled(by: 0.25) + y.squaredNorm()
    + y.evenIndexed().sum().scaled(by: 3) + y.oddIndexed().scaled(by: 2).adding(1).squaredNorm()
}

/// A forward sum of two slices, s = x₁..ₙ + ½x₀..ₙ₋₁ (lazy), read by five kernels.
@differentiable(reverse,wrt: x)
func lazyForwardSum<V: DifferentiableVectorProtocol>(_ x: V, _ bypass: Bool) -> V.Scalar {
  let s = bypassed(x.droppingFirst(1) + x.droppingLast(1).scaled(by: 0.5), bypass)
  return s.squared().sum() + s.tanh().dot(s) + s.adding(0.5).squaredNorm()
    + (s * s.scaled(by: -1)).sum().scaled(by: 0.1) + s.softplus().sum()
}

/// Views of a lazy forward sum: its even elements, its shifted odd elements and its sum, and a
/// second lazy sum of the first with a scaled view.
@differentiable(reverse,wrt: x)
func lazySumViews<V: DifferentiableVectorProtocol>(_ x: V, _ bypass: Bool) -> V.Scalar {
  let s = bypassed(x.droppingFirst(1) + x.droppingLast(1).adding(-0.5), bypass)
  let t = bypassed(s + s.scaled(by: 0.5).squared(), bypass)
  return s.evenIndexed().squaredNorm() + s.oddIndexed().adding(0.5).squared().sum()
    + s.sum() + t.evenIndexed().scaled(by: -2).exp().sum() + t.squaredNorm().scaled(by: 0.5)
}

/// One composition under test, with and without the bypass.
struct LazyCase: Sendable, CustomTestStringConvertible {
  let name: String
  let real: @Sendable @differentiable(reverse) (DVector) -> Double
  let dual: @Sendable @differentiable(reverse) (DualVector) -> DualScalar
  let realBypassed: @Sendable @differentiable(reverse) (DVector) -> Double
  let dualBypassed: @Sendable @differentiable(reverse) (DualVector) -> DualScalar
  var testDescription: String { name }
}

let lazyCases: [LazyCase] = [
  LazyCase(
    name: "Rosenbrock-like", real: { lazyRosenbrockLike($0, false) },
    dual: { lazyRosenbrockLike($0, false) }, realBypassed: { lazyRosenbrockLike($0, true) },
    dualBypassed: { lazyRosenbrockLike($0, true) }),
  LazyCase(
    name: "x read four times", real: { lazyThreeUses($0, false) },
    dual: { lazyThreeUses($0, false) }, realBypassed: { lazyThreeUses($0, true) },
    dualBypassed: { lazyThreeUses($0, true) }),
  LazyCase(
    name: "forward sum read five times", real: { lazyForwardSum($0, false) },
    dual: { lazyForwardSum($0, false) }, realBypassed: { lazyForwardSum($0, true) },
    dualBypassed: { lazyForwardSum($0, true) }),
  LazyCase(
    name: "views of lazy sums", real: { lazySumViews($0, false) },
    dual: { lazySumViews($0, false) }, realBypassed: { lazySumViews($0, true) },
    dualBypassed: { lazySumViews($0, true) }),
]

@Suite("Lazy cotangent sums")
struct LazyCotangentTests {
  static let sizes = [1, 2, 3, 8, 13]

  @Test(
    "gradients and HVPs through lazy sums equal the eager ones and differences",
    arguments: lazyCases, sizes)
  func gradientAndProduct(_ c: LazyCase, _ n: Int) {
    let x = seededValues(n, seed: 101 + UInt64(n), in: -1.2...1.2)
    let v = seededValues(n, seed: 202 + UInt64(n))
    let lazy = AutodiffObjective(dimension: n, c.real, c.dual)
    let eager = AutodiffObjective(dimension: n, c.realBypassed, c.dualBypassed)
    var g = Vector.zeros(n)
    var ge = Vector.zeros(n)
    let f = lazy.value(at: Vector(x), gradient: &g)
    let fe = eager.value(at: Vector(x), gradient: &ge)
    #expect(relativeError(f, fe) < 1e-15)
    #expect(relativeError(g.storage, ge.storage) < 1e-15, "\(g) vs \(ge)")
    let fd = centralDifferenceGradient({ p in lazy.value(at: Vector(p)) }, at: x)
    #expect(relativeError(g.storage, fd) < 1e-7, "\(g) vs \(fd)")

    let (dualValue, dualGradient, hv) = lazy.valueGradientAndHessianVectorProduct(
      at: Vector(x), direction: Vector(v))
    let (_, _, hve) = eager.valueGradientAndHessianVectorProduct(
      at: Vector(x), direction: Vector(v))
    #expect(relativeError(dualValue, f) < 1e-15)
    #expect(relativeError(dualGradient.storage, g.storage) < 1e-15)
    #expect(relativeError(hv.storage, hve.storage) < 1e-15, "\(hv) vs \(hve)")
    let gradient: ([Double]) -> [Double] = { p in
      var out = Vector.zeros(n)
      _ = lazy.value(at: Vector(p), gradient: &out)
      return out.storage
    }
    let hfd = centralDifferenceDirectional(gradient, at: x, direction: v)
    #expect(relativeError(hv.storage, hfd) < 1e-7, "\(hv) vs \(hfd)")
  }

  @Test("a sum with a view is lazy, a sum of two arrays is not")
  func whichSumsAreLazy() {
    let x = DVector([1, 2, 3, 4, 5, 6])
    let y = DVector([0.5, -1, 2, 0.25, 3, -2])
    #expect((x + y).lazySum == nil)
    #expect((x + y.scaled(by: 2)).lazySum != nil)
    #expect((x.elements(in: 0..<3) + y.oddIndexed()).lazySum != nil)
    // Embedded operands (gather cotangents) keep their interleave; lazy operands nest no deeper.
    let even = x.elements(in: 0..<3).scaled(by: 2).embedded(start: 0, spacing: 2, length: 6)
    #expect((even + even).lazySum == nil)
    #expect((even + even).storage == [4, 0, 8, 0, 12, 0])
    let lazy = x + y.scaled(by: 2)
    #expect((lazy + y.scaled(by: 3)).lazySum == nil)
    #expect(
      (lazy + y.scaled(by: 3)).storage == zip(x.storage, y.storage).map { $0 + 2 * $1 + 3 * $1 })
    let dual = DualVector(value: [1, 2], tangent: [3, 4])
    #expect((dual + dual).real.lazySum == nil)
    #expect((dual + dual.scaled(by: 2)).real.lazySum != nil)
    #expect((dual + dual.scaled(by: 2)).epsilon.lazySum != nil)
  }

  @Test("every view of a lazy sum reads the written-out sum", arguments: [1, 2, 7, 10])
  func viewsOfLazySums(_ n: Int) {
    let a = seededValues(n, seed: 7)
    let b = seededValues(n, seed: 8)
    let dense = zip(a, b).map { $0 + (-1.5) * $1 }
    // Each read of a fresh lazy sum: the first read adds the terms in its own loop, later
    // reads use the written-out sum; both must agree with the eager sum exactly.
    func lazy() -> DVector { DVector(a) + DVector(b).scaled(by: -1.5) }
    let reference = DVector(dense)
    #expect(lazy().lazySum != nil)
    #expect(lazy().storage == dense)
    #expect(Vector(lazy()).storage == dense)
    #expect(lazy() == reference)
    let s = lazy()
    for _ in 0..<3 {
      #expect(s.squared().storage == reference.squared().storage)
      #expect(s.exp().storage == reference.exp().storage)
      #expect(s.sum() == reference.sum())
      #expect(s.squaredNorm() == reference.squaredNorm())
      #expect((s * reference).storage == (reference * reference).storage)
      #expect((reference * s).storage == (reference * reference).storage)
      #expect(s.dot(reference) == reference.dot(reference))
      #expect((s - reference).storage.allSatisfy { $0 == 0 })
    }
    #expect(lazy().scaled(by: 3).storage == reference.scaled(by: 3).storage)
    #expect(lazy().adding(0.5).storage == reference.adding(0.5).storage)
    #expect(lazy().scaled(by: 2).adding(1).storage == reference.scaled(by: 2).adding(1).storage)
    #expect(lazy().evenIndexed().storage == reference.evenIndexed().storage)
    #expect(
      lazy().oddIndexed().scaled(by: -1).storage == reference.oddIndexed().scaled(by: -1).storage)
    #expect(lazy().droppingFirst(1).storage == reference.droppingFirst(1).storage)
    #expect(lazy().evenIndexed().exp().storage == reference.evenIndexed().exp().storage)
    #expect(lazy().oddIndexed().sum() == reference.oddIndexed().sum())
    // Embedded lazy sums: alone, added to a plain vector, and interleaved with each other.
    let m = (n + 1) / 2
    let lazyHalf = DVector(Array(a[0..<m])) + DVector(Array(b[0..<m])).scaled(by: 0.5)
    let half = DVector(zip(a[0..<m], b[0..<m]).map { $0 + 0.5 * $1 })
    #expect(lazyHalf.lazySum != nil)
    let embedded = lazyHalf.evenIndexed().embedded(start: 0, spacing: 2, length: m)
    #expect(
      embedded.storage == half.evenIndexed().embedded(start: 0, spacing: 2, length: m).storage)
    #expect(
      (lazyHalf.embedded(start: 0, spacing: 2, length: n) + DVector(b)).storage
        == (half.embedded(start: 0, spacing: 2, length: n) + DVector(b)).storage)
    if n >= 2 {
      let k = n / 2
      let lazyOdd = DVector(Array(b[0..<k])) + DVector(Array(a[0..<k])).scaled(by: -2)
      let odd = DVector(zip(b[0..<k], a[0..<k]).map { $0 + -2 * $1 })
      for (l, r) in [(lazyHalf, lazyOdd), (lazyHalf, odd), (half, lazyOdd)] {
        let even = l.embedded(start: 0, spacing: 2, length: n)
        let oddPart = r.embedded(start: 1, spacing: 2, length: n)
        let expected =
          (half.embedded(start: 0, spacing: 2, length: n)
          + odd.embedded(start: 1, spacing: 2, length: n)).storage
        #expect((even + oddPart).storage == expected)
        #expect((oddPart + even).storage == expected)
        let difference =
          (half.embedded(start: 0, spacing: 2, length: n)
          - odd.embedded(start: 1, spacing: 2, length: n)).storage
        #expect((even - oddPart).storage == difference)
      }
    }
  }

  @Test("lazy sums and the zero vector; mutation through storage")
  func zeroAndMutation() {
    let x = DVector([1, -2, 3])
    let view = x.scaled(by: 2)
    #expect((DVector.zero + view).storage == [2, -4, 6])
    #expect((view + .zero).storage == [2, -4, 6])
    var s = x + view
    #expect((s + .zero).storage == [3, -6, 9])
    #expect(DVector.lazySum(.zero, view) == nil)
    #expect(s.materialized(count: 3).storage == [3, -6, 9])
    s.storage[1] = 10
    #expect(s.lazySum == nil)
    #expect(s.storage == [3, 10, 9])
    #expect(x.storage == [1, -2, 3])
    var t = x + view
    t.move(by: view)
    #expect(t.storage == [5, -10, 15])
    var u = x + view
    u.storage = [1]
    #expect(u.lazySum == nil && u.count == 1)
    // A zero cotangent through a lazy forward sum gives zero gradients.
    let (_, pullback) = valueWithPullback(at: x) { x in (x + x.scaled(by: 2)).sum() }
    #expect(pullback(0).storage.allSatisfy { $0 == 0 })
    let (_, pullbackOfZero) = valueWithPullback(at: x) { x in
      (x + x.scaled(by: 0)).sum()
    }
    #expect(pullbackOfZero(1).storage == [1, 1, 1])
    // Dual sums with a zero operand.
    let d = DualVector(value: [1, 2], tangent: [3, 4])
    #expect((d + .zero).value == [1, 2])
    #expect((DualVector.zero + d.scaled(by: 2)).tangent == [6, 8])
    let lazyDual = d + d.scaled(by: 2)
    #expect(lazyDual.value == [3, 6] && lazyDual.tangent == [9, 12])
    #expect(lazyDual == DualVector(value: [3, 6], tangent: [9, 12]))
  }

  @Test("reads of a lazy sum from several threads agree")
  func concurrentReads() async {
    let a = seededValues(257, seed: 3)
    let s = DVector(a) + DVector(a).scaled(by: 0.5)
    let expected = a.map { $0 + 0.5 * $0 }
    let results = await withTaskGroup(of: [Double].self) { group in
      for k in 0..<8 {
        group.addTask {
          k % 2 == 0
            ? s.storage : s.evenIndexed().embedded(start: 0, spacing: 1, length: 129).storage
        }
      }
      var out = [[Double]]()
      for await r in group { out.append(r) }
      return out
    }
    let evens = stride(from: 0, to: 257, by: 2).map { expected[$0] }
    for r in results { #expect(r == expected || r == evens) }
  }
}
