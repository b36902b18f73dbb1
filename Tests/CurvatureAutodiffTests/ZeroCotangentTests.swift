import Curvature
import CurvatureAutodiff
import Testing
import _Differentiation

// An empty storage is the zero vector of any length (AdditiveArithmetic.zero cannot know n).
// Swift's reverse mode hands `.zero` to pullbacks of unused results, so every pullback must
// accept it and return zero cotangents; forward operations must accept empty operands too.

/// A unary vector operation under test.
struct UnaryCase<V: Differentiable & Sendable>: Sendable, CustomTestStringConvertible {
  let name: String
  let op: @Sendable @differentiable(reverse) (V) -> V
  var testDescription: String { name }
}

@differentiable(reverse)
func unaryOps<V: DifferentiableVectorProtocol>(_ name: String, _ x: V) -> V {
  switch name {
  case "exp": return x.exp()
  case "log": return x.log()
  case "tanh": return x.tanh()
  case "softplus": return x.softplus()
  case "squared": return x.squared()
  case "squareRoot": return x.squareRoot()
  case "scaled": return x.scaled(by: 3)
  case "double*": return 3 * x
  case "adding": return x.adding(2)
  case "evenIndexed": return x.evenIndexed()
  case "oddIndexed": return x.oddIndexed()
  case "droppingFirst": return x.droppingFirst(1)
  case "droppingLast": return x.droppingLast(2)
  case "elements": return x.elements(in: 1..<3)
  case "gathering": return x.gathering([3, 0, 0])
  case "leftMultiplied":
    return x.leftMultiplied(by: Matrix(rows: 2, columns: 4) { i, j in Double(i + j) })
  case "packedMatrixProduct":
    return x.packedMatrixProduct(x.elements(in: 0..<2), rows: 2, columns: 2)
  case "concatenated": return x.concatenated(with: x.exp())
  case "add": return x + x.exp()
  case "subtract": return x - x.exp()
  case "multiply": return x * x.exp()
  default: return x / x.exp()
  }
}

let unaryNames = [
  "exp", "log", "tanh", "softplus", "squared", "squareRoot", "scaled", "double*", "adding",
  "evenIndexed", "oddIndexed", "droppingFirst", "droppingLast", "elements", "gathering",
  "leftMultiplied", "packedMatrixProduct", "concatenated", "add", "subtract", "multiply", "divide",
]

@Suite("Empty (zero) cotangents and operands")
struct ZeroCotangentTests {
  static let point: [Double] = [0.5, 1.5, 2.5, 0.75]

  @Test("DVector pullbacks accept the empty zero cotangent", arguments: unaryNames)
  func realPullbackOfZero(_ name: String) {
    let (_, pullback) = valueWithPullback(at: DVector(Self.point)) { x in unaryOps(name, x) }
    let g = pullback(.zero)
    #expect(g == .zero, "\(name): \(g)")
    let (_, pullbackOne) = valueWithPullback(at: DVector(Self.point)) { x in
      unaryOps(name, x).sum()
    }
    #expect(pullbackOne(0) == .zero)
    let (_, pullbackNorm) = valueWithPullback(at: DVector(Self.point)) { x in
      unaryOps(name, x).squaredNorm()
    }
    #expect(pullbackNorm(0) == .zero)
    let (_, pullbackLSE) = valueWithPullback(at: DVector(Self.point)) { x in
      unaryOps(name, x).logSumExp()
    }
    #expect(pullbackLSE(0) == .zero)
  }

  @Test("DualVector pullbacks accept the empty zero cotangent", arguments: unaryNames)
  func dualPullbackOfZero(_ name: String) {
    let x = DualVector(value: Self.point, tangent: [1, 0, -1, 2])
    let (_, pullback) = valueWithPullback(at: x) { x in unaryOps(name, x) }
    #expect(pullback(.zero) == .zero, "\(name)")
    let (_, pullbackSum) = valueWithPullback(at: x) { x in unaryOps(name, x).sum() }
    #expect(pullbackSum(.zero) == .zero)
    let (_, pullbackNorm) = valueWithPullback(at: x) { x in unaryOps(name, x).squaredNorm() }
    #expect(pullbackNorm(.zero) == .zero)
    let (_, pullbackLSE) = valueWithPullback(at: x) { x in unaryOps(name, x).logSumExp() }
    #expect(pullbackLSE(.zero) == .zero)
  }

  @Test("binary pullbacks return zero for both operands")
  func binaryPullbacks() {
    let a = DVector([1, 2, 3])
    let b = DVector([4, 5, 6])
    // Note: an array of binary `@differentiable(reverse) (DVector, DVector) -> DVector`
    // closures crashes SILGen in Swift 6.3.1 (reabstraction thunk of the tuple-returning
    // pullback, signal 11 in ResultPlanner::planSingleFromIndirect), so each operation is
    // differentiated directly.
    func expectZero(_ pullback: (DVector) -> (DVector, DVector)) {
      let (ga, gb) = pullback(.zero)
      #expect(ga == .zero && gb == .zero)
    }
    expectZero(valueWithPullback(at: a, b) { (x: DVector, y: DVector) in x + y }.1)
    expectZero(valueWithPullback(at: a, b) { (x: DVector, y: DVector) in x - y }.1)
    expectZero(valueWithPullback(at: a, b) { (x: DVector, y: DVector) in x * y }.1)
    expectZero(valueWithPullback(at: a, b) { (x: DVector, y: DVector) in x / y }.1)
    expectZero(
      valueWithPullback(at: a, b) { (x: DVector, y: DVector) in x.concatenated(with: y) }.1)
    let (_, dotPullback) = valueWithPullback(at: a, b) { $0.dot($1) }
    let (da, db) = dotPullback(0)
    #expect(da == .zero && db == .zero)
  }

  @Test("operations accept empty operands as zero")
  func emptyOperands() {
    let x = DVector([1, -2, 3])
    #expect((DVector.zero + x).storage == x.storage)
    #expect((x + .zero).storage == x.storage)
    #expect((x - .zero).storage == x.storage)
    #expect((DVector.zero - x).storage == [-1, 2, -3])
    #expect((x * .zero).isEmpty)
    #expect((DVector.zero / x).isEmpty)
    #expect(DVector.zero.sum() == 0)
    #expect(x.dot(.zero) == 0)
    #expect(DVector.zero.exp().isEmpty)
    #expect(DVector.zero.materialized(count: 2).storage == [0, 0])
    var y = DVector.zero
    y.move(by: x)
    #expect(y.storage == x.storage)
    y.move(by: .zero)
    #expect(y.storage == x.storage)
    #expect(DVector([0, 0]) == .zero)
    let d = DualVector(value: [1, 2], tangent: [3, 4])
    #expect((DualVector.zero + d) == d)
    #expect((d * .zero).isEmpty)
    #expect(DualVector.zero.sum() == .zero)
    #expect(DualVector.zero.dot(d) == .zero)
    #expect(
      DMatrix.zero + DMatrix(rows: 1, columns: 2, storage: [1, 2])
        == DMatrix(rows: 1, columns: 2, storage: [1, 2]))
  }

  @Test("DMatrix pullbacks accept the zero cotangent")
  func matrixPullbacks() {
    let a = DMatrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6])
    let x = DVector([1, -1, 2])
    let (_, mv) = valueWithPullback(at: a, x) { $0 * $1 }
    let (ga, gx) = mv(.zero)
    #expect(ga == .zero && gx == .zero)
    let (_, mm) = valueWithPullback(at: a, a.transposed()) { $0 * $1 }
    let (g1, g2) = mm(.zero)
    #expect(g1 == .zero && g2 == .zero)
    let (_, bias) = valueWithPullback(at: a, DVector([1, 2])) { $0.addingToEachColumn($1) }
    let (gb1, gb2) = bias(.zero)
    #expect(gb1 == .zero && gb2 == .zero)
    let (_, flat) = valueWithPullback(at: a) { $0.flattened() }
    #expect(flat(.zero) == .zero)
    let (_, tr) = valueWithPullback(at: a) { $0.transposed() }
    #expect(tr(.zero) == .zero)
    let (_, reshape) = valueWithPullback(at: x) { DMatrix(reshaping: $0, rows: 1, columns: 3) }
    #expect(reshape(.zero) == .zero)
  }
}
