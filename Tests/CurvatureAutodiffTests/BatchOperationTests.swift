import Curvature
import CurvatureAutodiff
import Foundation
import Testing
import _Differentiation

// The batched layer operations of DifferentiableBatchVectorProtocol on both vector types: the
// reverse-mode gradient and the gradient of the dual route (the value part of one dual reverse
// pass) against central differences of values, and the exact Hessian-vector product (its
// tangent part) against central differences of gradients. The cases exercise the pullbacks
// that had to be rewritten so that they never read a broadcast or re-indexed cotangent element
// by element: the row-wise log-sum-exp with the broadcast cotangent of a sum, with a
// non-uniform cotangent whose tangent part is not zero, and on a view; the batched linear map
// with both operands varying and with a constant batch (a tangent known to be zero).
//
// Every operand of a two-operand operation depends on x in the generic cases (a constant operand
// of a two-operand operation in generic code is hazard 7 of CompilerHazardTests); the constant
// batch goes through concrete closures.

/// Σᵢ lse(zᵢ) over rows of 3 (the cotangent of lse is the broadcast of the sum's pullback).
@differentiable(reverse)
func batchCaseRowLogSumExpSum<V: DifferentiableBatchVectorProtocol>(_ x: V) -> V.Scalar {
  x.rowLogSumExp(width: 3).sum()
}

/// Σᵢ lse(zᵢ)² + Σ lse(2z): non-uniform cotangents with tangent parts, and a scaled view.
@differentiable(reverse)
func batchCaseRowLogSumExpSquared<V: DifferentiableBatchVectorProtocol>(_ x: V) -> V.Scalar {
  x.rowLogSumExp(width: 3).squared().sum() + x.scaled(by: 2).rowLogSumExp(width: 2).sum()
}

/// The softmax cross-entropy of a tiny two-layer network whose weights and inputs are both
/// parts of x: W (2 × 3) = x[0..<6], b = x[6..<8], X (4 × 3) = x[8..<20].
@differentiable(reverse)
func batchCaseLinearLayer<V: DifferentiableBatchVectorProtocol>(_ x: V) -> V.Scalar {
  let w = x.elements(in: 0..<6)
  let b = x.elements(in: 6..<8)
  let batch = x.elements(in: 8..<20).tanh()
  let z = w.batchedLinear(batch, outputs: 2, inputs: 3).addingToEachRow(b)
  return z.rowLogSumExp(width: 2).sum() - z.dot(constant: [1, 0, 0, 1, 1, 0, 0, 1])
}

/// The data of the constant-batch cases (4 samples × 3 inputs).
let batchCaseData: [Double] = [0.5, -1.2, 0.3, 1.1, 0.4, -0.7, -0.2, 0.9, 1.4, 0.6, -0.5, -1.0]

/// W (2 × 3) = x[0..<6] applied to the constant data through the two-operand product, whose
/// batch tangent is a known zero on dual vectors; then the logistic and squared-error losses.
@differentiable(reverse)
func batchCaseConstantBatchReal(_ x: DVector) -> Double {
  let w = x.elements(in: 0..<6)
  let z = w.batchedLinear(DVector(constant: batchCaseData), outputs: 2, inputs: 3)
    .addingToEachRow(x.elements(in: 6..<8))
  return z.softplus().sum() + z.subtracting(constant: [1, 0, 0, 1, 1, 0, 0, 1]).squaredNorm()
}

/// The same function on dual vectors.
@differentiable(reverse)
func batchCaseConstantBatchDual(_ x: DualVector) -> DualScalar {
  let w = x.elements(in: 0..<6)
  let z = w.batchedLinear(DualVector(constant: batchCaseData), outputs: 2, inputs: 3)
    .addingToEachRow(x.elements(in: 6..<8))
  return z.softplus().sum() + z.subtracting(constant: [1, 0, 0, 1, 1, 0, 0, 1]).squaredNorm()
}

/// The same map through the constant-batch product, with the row-wise log-sum-exp.
@differentiable(reverse)
func batchCaseConstantProduct<V: DifferentiableBatchVectorProtocol>(_ x: V) -> V.Scalar {
  let z = x.elements(in: 0..<6).batchedLinear(
    constantBatch: batchCaseData, outputs: 2, inputs: 3)
  return z.rowLogSumExp(width: 2).squared().sum()
}

/// One batched case on both vector types.
struct BatchOperationCase: Sendable, CustomTestStringConvertible {
  let name: String
  let dimension: Int
  let real: @Sendable @differentiable(reverse) (DVector) -> Double
  let dual: @Sendable @differentiable(reverse) (DualVector) -> DualScalar
  var testDescription: String { name }

  static let all: [BatchOperationCase] = [
    .init(
      name: "rowLogSumExp, broadcast cotangent", dimension: 12,
      real: { batchCaseRowLogSumExpSum($0) }, dual: { batchCaseRowLogSumExpSum($0) }),
    .init(
      name: "rowLogSumExp, cotangent with tangent part, on a view", dimension: 12,
      real: { batchCaseRowLogSumExpSquared($0) }, dual: { batchCaseRowLogSumExpSquared($0) }),
    .init(
      name: "batchedLinear, both operands vary", dimension: 20,
      real: { batchCaseLinearLayer($0) }, dual: { batchCaseLinearLayer($0) }),
    .init(
      name: "batchedLinear, constant batch (zero tangent)", dimension: 8,
      real: { batchCaseConstantBatchReal($0) }, dual: { batchCaseConstantBatchDual($0) }),
    .init(
      name: "batchedLinear(constantBatch:)", dimension: 6,
      real: { batchCaseConstantProduct($0) }, dual: { batchCaseConstantProduct($0) }),
  ]

  var point: [Double] { seededValues(dimension, seed: 31, in: -1...1) }
  var direction: [Double] { seededValues(dimension, seed: 32, in: -1...1) }

  func gradient(_ x: [Double]) -> [Double] {
    _Differentiation.gradient(at: DVector(x), of: real).materialized(count: x.count).storage
  }

  /// The dual gradient ∇f(x) + ε∇²f(x)v.
  func dualGradient(_ x: [Double], _ v: [Double]) -> DualVector {
    let (_, pullback) = valueWithPullback(at: DualVector(value: x, tangent: v), of: dual)
    return pullback(DualScalar(value: 1, tangent: 0))
  }
}

@Suite("Batched layer operations against finite differences")
struct BatchOperationTests {
  @Test("reverse-mode gradient matches central differences", arguments: BatchOperationCase.all)
  func gradientMatchesDifferences(_ c: BatchOperationCase) {
    let fd = centralDifferenceGradient({ c.real(DVector($0)) }, at: c.point)
    #expect(relativeError(c.gradient(c.point), fd) < 1e-8, "\(c.name)")
  }

  @Test("the dual route's gradient matches central differences", arguments: BatchOperationCase.all)
  func dualGradientMatchesDifferences(_ c: BatchOperationCase) {
    let x = c.point
    let g = c.dualGradient(x, c.direction)
    let fd = centralDifferenceGradient({ c.dual(DualVector(constant: $0)).value }, at: x)
    #expect(relativeError(g.value, fd) < 1e-8, "\(c.name)")
    #expect(relativeError(g.value, c.gradient(x)) < 1e-13, "\(c.name)")
  }

  @Test("the dual forward tangent is the directional derivative", arguments: BatchOperationCase.all)
  func dualTangentIsDirectionalDerivative(_ c: BatchOperationCase) {
    let (x, v) = (c.point, c.direction)
    let y = c.dual(DualVector(value: x, tangent: v))
    let directional = zip(c.gradient(x), v).map { $0 * $1 }.reduce(0, +)
    #expect(relativeError(y.value, c.real(DVector(x))) < 1e-14, "\(c.name)")
    #expect(relativeError(y.tangent, directional) < 1e-12, "\(c.name)")
  }

  @Test(
    "exact Hessian-vector product matches differences of gradients",
    arguments: BatchOperationCase.all)
  func hessianVectorProductMatchesDifferences(_ c: BatchOperationCase) {
    let (x, v) = (c.point, c.direction)
    let hv = c.dualGradient(x, v).tangent
    let fd = centralDifferenceDirectional({ c.gradient($0) }, at: x, direction: v)
    #expect(relativeError(hv, fd) < 1e-6, "\(c.name): \(hv) vs \(fd)")
  }

  /// With a uniform cotangent (the broadcast of a sum) on a large batch, the row-wise
  /// log-sum-exp's dual pullback is linear in the batch: 20 000 rows take milliseconds (the
  /// per-element reads it once did cost 20 000² element writes). The product also matches the
  /// closed form: for f = Σᵢ lse(zᵢ), (∇²f·v)ᵢⱼ = pᵢⱼ(vᵢⱼ − pᵢᵀvᵢ).
  @Test func rowLogSumExpDualPullbackOnALargeBatch() {
    let rows = 20_000
    let width = 3
    let x = seededValues(rows * width, seed: 33, in: -2...2)
    let v = seededValues(rows * width, seed: 34, in: -1...1)
    let (_, pullback) = valueWithPullback(at: DualVector(value: x, tangent: v)) { z in
      batchCaseRowLogSumExpSum(z)
    }
    let hv = pullback(DualScalar(value: 1, tangent: 0)).tangent
    var worst = 0.0
    for i in stride(from: 0, to: rows, by: 997) {
      let z = x[(i * width)..<((i + 1) * width)]
      let m = z.max()!
      let e = z.map { Foundation.exp($0 - m) }
      let s = e.reduce(0, +)
      let p = e.map { $0 / s }
      let pv = (0..<width).map { p[$0] * v[i * width + $0] }.reduce(0, +)
      for j in 0..<width {
        worst = Swift.max(worst, Swift.abs(hv[i * width + j] - p[j] * (v[i * width + j] - pv)))
      }
    }
    #expect(worst <= 1e-15)
  }
}
