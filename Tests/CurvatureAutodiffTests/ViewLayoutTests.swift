import Curvature
import CurvatureAutodiff
import Testing
import _Differentiation

// DVector operations that only re-index or rescale (gathers, slices, scaling, shifts, the
// pullbacks of gathers and sums) return views of their operand's buffer instead of copies.
// These tests check that every view reads the same numbers as the dense computation, that
// gradients and Hessian-vector products through views match finite differences, that
// structured (embedded) cotangents add correctly in every combination, and that shared
// buffers never alias under mutation.

/// A view-producing composition and the same computation on plain arrays.
struct ViewCase: Sendable, CustomTestStringConvertible {
  let name: String
  let view: @Sendable (DVector) -> DVector
  let reference: @Sendable ([Double]) -> [Double]
  var testDescription: String { name }
}

private func evens(_ a: [Double]) -> [Double] { stride(from: 0, to: a.count, by: 2).map { a[$0] } }
private func odds(_ a: [Double]) -> [Double] { stride(from: 1, to: a.count, by: 2).map { a[$0] } }

let viewCases: [ViewCase] = [
  ViewCase(name: "even", view: { $0.evenIndexed() }, reference: evens),
  ViewCase(name: "odd", view: { $0.oddIndexed() }, reference: odds),
  ViewCase(
    name: "odd of even", view: { $0.evenIndexed().oddIndexed() },
    reference: { odds(evens($0)) }),
  ViewCase(
    name: "slice of odd", view: { $0.oddIndexed().elements(in: 1..<3) },
    reference: { Array(odds($0)[1..<3]) }),
  ViewCase(
    name: "scaled even", view: { $0.evenIndexed().scaled(by: -2.5) },
    reference: { evens($0).map { -2.5 * $0 } }),
  ViewCase(
    name: "shifted then scaled", view: { $0.droppingFirst(1).adding(-1).scaled(by: 3) },
    reference: { $0.dropFirst().map { 3 * ($0 - 1) } }),
  ViewCase(
    name: "shift of scaled", view: { $0.scaled(by: 2).adding(0.5) },
    reference: { $0.map { 2 * $0 + 0.5 } }),
  ViewCase(
    name: "even of shifted", view: { $0.adding(1).evenIndexed().droppingLast(1) },
    reference: { Array(evens($0.map { $0 + 1 }).dropLast()) }),
  ViewCase(
    name: "negated slice", view: { DVector.zero - $0.elements(in: 2..<5) },
    reference: { $0[2..<5].map { -$0 } }),
]

@Suite("DVector views and structured cotangents")
struct ViewLayoutTests {
  static let point: [Double] = [0.5, -1.5, 2.25, 0.75, -0.125, 3, 1.25]

  @Test("Views read the same elements as dense computation", arguments: viewCases)
  func viewMatchesReference(_ c: ViewCase) {
    let v = c.view(DVector(Self.point))
    let expected = c.reference(Self.point)
    #expect(v.count == expected.count)
    #expect(v.storage == expected, "\(c.name): \(v.storage) vs \(expected)")
    #expect(Vector(v).storage == expected)
    // Elementwise operations and reductions on a view agree with the dense copy.
    let dense = DVector(expected)
    #expect(v.squared().storage == dense.squared().storage)
    #expect(v.exp().storage == dense.exp().storage)
    #expect(relativeError(v.sum(), dense.sum()) < 1e-15)
    #expect(relativeError(v.squaredNorm(), dense.squaredNorm()) < 1e-15)
    #expect((v + dense).storage == (dense + dense).storage)
    #expect((v * dense).storage == (dense * dense).storage)
  }

  @Test("Views keep −0.0 and do not alias their source under mutation")
  func signOfZeroAndAliasing() {
    let z = DVector([-0.0, 1, -0.0, 2])
    #expect(z.evenIndexed().storage.allSatisfy { $0 == 0 && $0.sign == .minus })
    #expect(z.droppingFirst(2).storage[0].sign == .minus)

    var x = DVector([1, 2, 3, 4, 5])
    var even = x.evenIndexed()
    let scaled = x.scaled(by: 2)
    even.storage[0] = 99
    #expect(x.storage == [1, 2, 3, 4, 5])
    #expect(even.storage == [99, 3, 5])
    x.storage[1] = -7
    #expect(scaled.storage == [2, 4, 6, 8, 10])
    #expect(even.storage == [99, 3, 5])
    #expect(x.oddIndexed().storage == [-7, 4])
    var shifted = x.adding(1)
    shifted.storage.append(0)
    #expect(shifted.storage == [2, -6, 4, 5, 6, 0])
    #expect(x.storage == [1, -7, 3, 4, 5])
  }

  @Test("A repeated-value vector reads as the constant", arguments: [1, 4])
  func repeatingView(_ n: Int) {
    let r = DVector(repeating: 1.5, count: n)
    #expect(r.count == n)
    #expect(r.storage == [Double](repeating: 1.5, count: n))
    #expect(r.sum() == 1.5 * Double(n))
    #expect((r + DVector([Double](repeating: 1, count: n))).storage.allSatisfy { $0 == 2.5 })
    #expect(DVector(repeating: 2, count: 0).isEmpty)
  }

  @Test("Even and odd cotangents interleave into the full gradient", arguments: [1, 2, 5, 8])
  func evenOddCotangentsInterleave(_ n: Int) {
    let x = DVector(seededValues(n, seed: UInt64(n)))
    let (_, pullback) = valueWithPullback(at: x) { x in
      x.evenIndexed().squaredNorm().scaled(by: 3) + x.oddIndexed().sum()
    }
    let g = pullback(1).storage
    let xs = x.storage
    let expected = (0..<n).map { i in i % 2 == 0 ? 6 * xs[i] : 1.0 }
    #expect(g == expected)
  }

  @Test("Structured cotangents add in every combination")
  func structuredAddition() {
    let x = DVector([1, 2, 3, 4, 5])
    let (_, evenPB) = valueWithPullback(at: x) { $0.evenIndexed() }
    let (_, oddPB) = valueWithPullback(at: x) { $0.oddIndexed() }
    let (_, slicePB) = valueWithPullback(at: x) { $0.elements(in: 1..<3) }
    let e = evenPB(DVector([10, 20, 30]))
    let o = oddPB(DVector([-1, -2]).scaled(by: 2))
    let s = slicePB(DVector([7, 8]))
    let dense = DVector([1, 1, 1, 1, 1])
    #expect(e.storage == [10, 0, 20, 0, 30])
    #expect(o.storage == [0, -2, 0, -4, 0])
    #expect((e + o).storage == [10, -2, 20, -4, 30])
    #expect((o + e).storage == [10, -2, 20, -4, 30])
    #expect((e - o).storage == [10, 2, 20, 4, 30])
    #expect((o - e).storage == [-10, -2, -20, -4, -30])
    #expect((e + e).storage == [20, 0, 40, 0, 60])
    #expect((e + s).storage == [10, 7, 28, 0, 30])
    #expect((s + o).storage == [0, 5, 8, -4, 0])
    #expect((e + dense).storage == [11, 1, 21, 1, 31])
    #expect((dense - o).storage == [1, 3, 1, 5, 1])
    #expect((e + .zero).storage == e.storage)
    #expect((DVector.zero + o).storage == o.storage)
    #expect((e.scaled(by: 0.5) + o).storage == [5, -2, 10, -4, 15])
    #expect((e * dense).storage == e.storage)
    #expect(e.sum() == 60)
    #expect(o.squaredNorm() == 20)
    #expect(evenPB(.zero) == .zero)
    #expect(e == DVector([10, 0, 20, 0, 30]))
    #expect(e.evenIndexed().storage == [10, 20, 30])
    #expect(e.adding(1).storage == [11, 1, 21, 1, 31])
    var m = e
    m.move(by: o)
    #expect(m.storage == [10, -2, 20, -4, 30])
    var zero = DVector.zero
    zero.move(by: o)
    #expect(zero.storage == o.storage)
  }

  /// Functions through chains of views, checked against central differences.
  @differentiable(reverse)
  static func chained(_ x: DVector) -> Double {
    let head = x.droppingLast(1)
    let tail = x.droppingFirst(1)
    let a = x.evenIndexed()
    let b = x.oddIndexed()
    let m = withoutDerivative(at: x.count) / 2
    let pairs = (b - a.elements(in: 0..<m).squared()).squaredNorm().scaled(by: 10)
    let chain = (tail - head.squared()).scaled(by: -0.5).squaredNorm()
    return pairs + chain + a.adding(-1).scaled(by: 2).squaredNorm() + b.adding(0.5).dot(b)
      + x.concatenated(with: a).sum()
  }

  @Test("Gradients through chained views match central differences", arguments: [2, 3, 7])
  func chainedGradient(_ n: Int) {
    let x = seededValues(n, seed: 40 + UInt64(n))
    let g = gradient(at: DVector(x)) { Self.chained($0) }.storage
    let fd = centralDifferenceGradient({ Self.chained(DVector($0)) }, at: x)
    #expect(relativeError(g, fd) < 1e-7)
  }

  /// Extended Rosenbrock written over the protocol, as in the benchmark.
  @differentiable(reverse)
  static func rosenbrock<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
    let a = x.evenIndexed()
    let b = x.oddIndexed()
    return (b - a.squared()).squaredNorm().scaled(by: 100) + a.adding(-1).squaredNorm()
  }

  @Test("Rosenbrock gradient and exact HVP through views", arguments: [2, 6, 10])
  func rosenbrockDerivatives(_ n: Int) {
    let x = seededValues(n, seed: 7 + UInt64(n))
    let v = seededValues(n, seed: 70 + UInt64(n))
    let objective = AutodiffObjective(
      dimension: n, { Self.rosenbrock($0) }, { Self.rosenbrock($0) })
    var g = Vector.zeros(n)
    _ = objective.value(at: Vector(x), gradient: &g)
    var expected = [Double](repeating: 0, count: n)
    var hv = [Double](repeating: 0, count: n)
    for i in stride(from: 0, to: n, by: 2) {
      let t = x[i + 1] - x[i] * x[i]
      expected[i] = -400 * x[i] * t + 2 * (x[i] - 1)
      expected[i + 1] = 200 * t
      let h00 = 1200 * x[i] * x[i] - 400 * x[i + 1] + 2
      let h01 = -400 * x[i]
      hv[i] = h00 * v[i] + h01 * v[i + 1]
      hv[i + 1] = h01 * v[i] + 200 * v[i + 1]
    }
    #expect(relativeError(g.storage, expected) < 1e-14)
    let (value, dualGradient, product) = objective.valueGradientAndHessianVectorProduct(
      at: Vector(x), direction: Vector(v))
    #expect(relativeError(value, objective.value(at: Vector(x))) < 1e-14)
    #expect(relativeError(dualGradient.storage, expected) < 1e-14)
    #expect(relativeError(product.storage, hv) < 1e-13)
  }

  @Test("Dual views carry value and tangent alike")
  func dualViews() {
    let x = DualVector(value: [1, 2, 3, 4, 5], tangent: [5, 4, 3, 2, 1])
    let e = x.evenIndexed()
    #expect(e.value == [1, 3, 5] && e.tangent == [5, 3, 1])
    let s = x.droppingFirst(1).scaled(by: -1).adding(2)
    #expect(s.value == [0, -1, -2, -3] && s.tangent == [-4, -3, -2, -1])
    let (_, pullback) = valueWithPullback(at: x) { x in
      x.evenIndexed().squaredNorm() + x.oddIndexed().sum()
    }
    let g = pullback(DualScalar(value: 1, tangent: 0))
    // ∇ = (2x₀, 1, 2x₂, 1, 2x₄); H·v = (2v₀, 0, 2v₂, 0, 2v₄).
    #expect(g.value == [2, 1, 6, 1, 10])
    #expect(g.tangent == [10, 0, 6, 0, 2])
    var y = e
    y.value[0] = 42
    #expect(x.value == [1, 2, 3, 4, 5])
    #expect(e.value == [1, 3, 5])
  }
}
