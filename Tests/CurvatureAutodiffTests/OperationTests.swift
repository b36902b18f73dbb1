import Curvature
import CurvatureAutodiff
import Testing
import _Differentiation

// Every operation of DifferentiableVectorProtocol, checked on both conforming types through one
// generic function per case: the reverse-mode gradient against central differences, the dual
// gradient against the real one, the dual directional derivative against gᵀv, and the exact
// Hessian-vector product against central differences of the gradient and for symmetry.

let weights6: [Double] = [0.3, -1.1, 0.7, 2.0, -0.4, 1.3]
let weights5: [Double] = [1.5, -0.2, 0.9, -1.7, 0.6]
let matrix3x6 = Matrix(rows: 3, columns: 6) { i, j in Double((i + 1) * (j + 2) % 7) / 7 - 0.4 }

@differentiable(reverse)
func caseSum<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  let s = x.sum()
  return s * s
}
@differentiable(reverse)
func caseSquaredNorm<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.tanh().squaredNorm() * x.sum()
}
@differentiable(reverse)
func caseLogSumExp<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.squared().scaled(by: 3).logSumExp() * x.sum()
}
@differentiable(reverse)
func caseDot<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar { x.dot(x.exp()) }
@differentiable(reverse)
func caseAdd<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  (x + x.squared() * x).dot(V(constant: weights6))
}
@differentiable(reverse)
func caseSubtract<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  (x.exp() - x.squared()).dot(V(constant: weights6))
}
@differentiable(reverse)
func caseMultiply<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  (x * x.tanh()).dot(V(constant: weights6))
}
@differentiable(reverse)
func caseDivide<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  (x.exp() / x.squared().adding(1)).dot(V(constant: weights6))
}
@differentiable(reverse)
func caseScaleOperator<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  (2.5 * x).tanh().dot(V(constant: weights6))
}
@differentiable(reverse)
func caseScaled<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.scaled(by: -0.7).exp().dot(V(constant: weights6))
}
@differentiable(reverse)
func caseAdding<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.adding(0.5).log().dot(V(constant: weights6))
}
@differentiable(reverse)
func caseExp<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.exp().dot(V(constant: weights6))
}
@differentiable(reverse)
func caseLog<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.log().dot(V(constant: weights6))
}
@differentiable(reverse)
func caseTanh<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.tanh().dot(V(constant: weights6))
}
@differentiable(reverse)
func caseSoftplus<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.scaled(by: 3).softplus().dot(V(constant: weights6))
}
@differentiable(reverse)
func caseSquared<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.squared().squared().dot(V(constant: weights6))
}
@differentiable(reverse)
func caseSquareRoot<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.squareRoot().dot(V(constant: weights6))
}
@differentiable(reverse)
func caseEvenOdd<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  (x.evenIndexed() * x.oddIndexed().exp()).squared().sum()
}
@differentiable(reverse)
func caseStridedOddLength<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.evenIndexed().squaredNorm() * x.oddIndexed().exp().sum()
}
@differentiable(reverse)
func caseDropping<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  (x.droppingFirst(1) - x.droppingLast(1).squared()).squared().sum()
}
@differentiable(reverse)
func caseSlices<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.elements(in: 1..<4).tanh().sum() * x.elements(in: 3..<6).squared().sum()
}
@differentiable(reverse)
func caseGather<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.gathering([0, 2, 2, 5, 2]).squared().exp().dot(V(constant: weights5))
}
@differentiable(reverse)
func caseConcatenate<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.elements(in: 0..<2).concatenated(with: x.exp().elements(in: 3..<6)).squared()
    .dot(V(constant: weights5))
}
@differentiable(reverse)
func caseConstantMatrix<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  x.leftMultiplied(by: matrix3x6).scaled(by: 2).softplus().sum()
}
@differentiable(reverse)
func casePackedMatrix<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  let w = x.elements(in: 0..<4)
  let v = x.elements(in: 4..<6)
  return w.packedMatrixProduct(v, rows: 2, columns: 2).tanh().squared().sum()
}
@differentiable(reverse)
func caseScalarArithmetic<V: DifferentiableVectorProtocol>(_ x: V) -> V.Scalar {
  let a = x.sum()
  let b = x.dot(x)
  return (a - b) * x.exp().sum() + a.scaled(by: 2).adding(1) * a
}

/// One operation under test, specialized to both vector types.
struct OperationCase: Sendable, CustomTestStringConvertible {
  let name: String
  let point: [Double]
  let real: @Sendable @differentiable(reverse) (DVector) -> Double
  let dual: @Sendable @differentiable(reverse) (DualVector) -> DualScalar
  var testDescription: String { name }

  init(
    _ name: String, point: [Double] = [0.4, 0.9, 0.25, 1.3, 0.6, 0.8],
    _ real: @escaping @Sendable @differentiable(reverse) (DVector) -> Double,
    _ dual: @escaping @Sendable @differentiable(reverse) (DualVector) -> DualScalar
  ) {
    self.name = name
    self.point = point
    self.real = real
    self.dual = dual
  }

  static let all: [OperationCase] = [
    .init("sum", caseSum, caseSum),
    .init("squaredNorm", caseSquaredNorm, caseSquaredNorm),
    .init("logSumExp", caseLogSumExp, caseLogSumExp),
    .init("dot", caseDot, caseDot),
    .init("add", caseAdd, caseAdd),
    .init("subtract", caseSubtract, caseSubtract),
    .init("multiply", caseMultiply, caseMultiply),
    .init("divide", caseDivide, caseDivide),
    .init("double * vector", caseScaleOperator, caseScaleOperator),
    .init("scaled(by:)", caseScaled, caseScaled),
    .init("adding", caseAdding, caseAdding),
    .init("exp", caseExp, caseExp),
    .init("log", caseLog, caseLog),
    .init("tanh", caseTanh, caseTanh),
    .init("softplus", point: [-2, -0.3, 0.1, 0.5, 1.5, -1], caseSoftplus, caseSoftplus),
    .init("squared", caseSquared, caseSquared),
    .init("squareRoot", caseSquareRoot, caseSquareRoot),
    .init("evenIndexed/oddIndexed", caseEvenOdd, caseEvenOdd),
    .init(
      "evenIndexed/oddIndexed, odd length", point: [0.3, -0.5, 0.8, 0.1, -0.9, 0.4, 0.6],
      caseStridedOddLength, caseStridedOddLength),
    .init("droppingFirst/droppingLast", caseDropping, caseDropping),
    .init("elements(in:)", caseSlices, caseSlices),
    .init("gathering", caseGather, caseGather),
    .init("concatenated", caseConcatenate, caseConcatenate),
    .init("leftMultiplied(by:)", caseConstantMatrix, caseConstantMatrix),
    .init("packedMatrixProduct", casePackedMatrix, casePackedMatrix),
    .init("scalar arithmetic", caseScalarArithmetic, caseScalarArithmetic),
  ]

  func gradient(_ x: [Double]) -> [Double] {
    _Differentiation.gradient(at: DVector(x), of: real).materialized(count: x.count).storage
  }
}

@Suite("Differentiable vector operations")
struct OperationTests {
  static func direction(_ n: Int) -> [Double] {
    (0..<n).map { [0.7, -0.3, 1.1, 0.2, -0.9, 0.5, -0.6][$0 % 7] }
  }

  @Test("reverse-mode gradient matches central differences", arguments: OperationCase.all)
  func gradientMatchesDifferences(_ c: OperationCase) {
    let g = c.gradient(c.point)
    let fd = centralDifferenceGradient({ c.real(DVector($0)) }, at: c.point)
    #expect(relativeError(g, fd) < 1e-8, "\(c.name): \(g) vs \(fd)")
  }

  @Test("dual value and gradient agree with the real pass", arguments: OperationCase.all)
  func dualMatchesReal(_ c: OperationCase) {
    let x = c.point
    let v = Self.direction(x.count)
    let (value, pullback) = valueWithPullback(at: DualVector(value: x, tangent: v), of: c.dual)
    let g = c.gradient(x)
    #expect(relativeError(value.value, c.real(DVector(x))) < 1e-14)
    let directional = zip(g, v).map { $0 * $1 }.reduce(0, +)
    #expect(relativeError(value.tangent, directional) < 1e-12, "\(c.name)")
    let dg = pullback(DualScalar(value: 1, tangent: 0))
    #expect(relativeError(dg.value, g) < 1e-13, "\(c.name)")
  }

  @Test(
    "exact Hessian-vector product matches differences of gradients", arguments: OperationCase.all)
  func hessianVectorProduct(_ c: OperationCase) {
    let x = c.point
    let v = Self.direction(x.count)
    let (_, pullback) = valueWithPullback(at: DualVector(value: x, tangent: v), of: c.dual)
    let hv = pullback(DualScalar(value: 1, tangent: 0)).tangent
    let fd = centralDifferenceDirectional({ c.gradient($0) }, at: x, direction: v)
    #expect(relativeError(hv, fd) < 1e-7, "\(c.name): \(hv) vs \(fd)")
  }

  @Test("Hessian assembled from dual products is symmetric", arguments: OperationCase.all)
  func hessianIsSymmetric(_ c: OperationCase) {
    let x = c.point
    let n = x.count
    let columns: [[Double]] = (0..<n).map { j in
      let e = (0..<n).map { $0 == j ? 1.0 : 0.0 }
      let (_, pullback) = valueWithPullback(at: DualVector(value: x, tangent: e), of: c.dual)
      return pullback(DualScalar(value: 1, tangent: 0)).tangent
    }
    var scale = 1e-300
    for col in columns { for h in col { scale = Swift.max(scale, Swift.abs(h)) } }
    for i in 0..<n {
      for j in 0..<n {
        #expect(Swift.abs(columns[j][i] - columns[i][j]) <= 1e-13 * scale, "\(c.name) [\(i), \(j)]")
      }
    }
  }
}
