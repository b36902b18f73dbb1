import Curvature
import CurvatureAutodiff
import Testing
import _Differentiation

@differentiable(reverse)
func matrixVectorLoss(_ a: DMatrix, _ x: DVector) -> Double {
  (a * x).tanh().dot(DVector([0.5, -1.5]))
}

@differentiable(reverse)
func matrixMatrixLoss(_ a: DMatrix, _ b: DMatrix) -> Double {
  (a * b).flattened().squared().sum()
}

/// The batched form of ``TanhNetworkLoss``: H = tanh(W X + b 1ᵀ), predictions wᵀH + c.
@differentiable(reverse)
func batchedNetworkLoss(_ p: DVector, inputs: DMatrix, targets: DVector, hidden h: Int) -> Double {
  let d = inputs.rows
  let m = inputs.columns
  let w1 = DMatrix(reshaping: p.elements(in: 0..<(h * d)), rows: h, columns: d)
  let b1 = p.elements(in: (h * d)..<(h * d + h))
  let w2 = DMatrix(reshaping: p.elements(in: (h * d + h)..<(h * d + 2 * h)), rows: 1, columns: h)
  let c = p.elements(in: (h * d + 2 * h)..<(h * d + 2 * h + 1))
  let hiddenLayer = (w1 * inputs).addingToEachColumn(b1).tanh()
  let predictions = (w2 * hiddenLayer).addingToEachColumn(c).flattened()
  return (predictions - targets).squared().sum().scaled(by: 1 / Double(m))
}

@Suite("Differentiable matrices")
struct DMatrixTests {
  let a = DMatrix(rows: 2, columns: 3, storage: [0.3, -0.2, 0.8, 1.1, 0.4, -0.7])
  let x = DVector([0.5, -1, 0.25])

  @Test("A·x pullbacks with respect to A and x match central differences")
  func matrixVector() {
    let (ga, gx) = gradient(at: a, x, of: matrixVectorLoss)
    let fdA = centralDifferenceGradient(
      { matrixVectorLoss(DMatrix(rows: 2, columns: 3, storage: $0), x) }, at: a.storage)
    let fdX = centralDifferenceGradient({ matrixVectorLoss(a, DVector($0)) }, at: x.storage)
    #expect(relativeError(ga.storage, fdA) < 1e-8)
    #expect(relativeError(gx.storage, fdX) < 1e-8)
    #expect((a * x).storage == (a.matrix * Vector(x)).storage)
  }

  @Test("A·B pullbacks match the closed form (2 C Bᵀ, 2 Aᵀ C)")
  func matrixMatrix() {
    let b = a.transposed()
    let (ga, gb) = gradient(at: a, b, of: matrixMatrixLoss)
    let c = a * b
    let expectedA = (c * b.transposed()).flattened().scaled(by: 2)
    let expectedB = (a.transposed() * c).flattened().scaled(by: 2)
    #expect(relativeError(ga.storage, expectedA.storage) < 1e-14)
    #expect(relativeError(gb.storage, expectedB.storage) < 1e-14)
    let fdA = centralDifferenceGradient(
      { matrixMatrixLoss(DMatrix(rows: 2, columns: 3, storage: $0), b) }, at: a.storage)
    #expect(relativeError(ga.storage, fdA) < 1e-8)
  }

  @Test("batched MLP with DMatrix equals the packed per-sample MLP, value and gradient")
  func batchedNetwork() {
    let loss = TanhNetworkLoss.synthetic(samples: 6, features: 3, hidden: 4)
    let n = loss.dimension
    let p = seededValues(n, seed: 31)
    let inputs = DMatrix(
      rows: 3, columns: 6,
      storage: (0..<3).flatMap { j in loss.inputs.map { $0[j] } })
    let targets = DVector(loss.targets)
    let (value, g) = valueWithGradient(at: DVector(p)) { p in
      batchedNetworkLoss(p, inputs: inputs, targets: targets, hidden: 4)
    }
    let packed = AutodiffObjective(loss)
    var gp = Vector.zeros(n)
    let vp = packed.value(at: Vector(p), gradient: &gp)
    #expect(relativeError(value, vp) < 1e-13)
    #expect(relativeError(g.storage, gp.storage) < 1e-12)
  }

  @Test("conversions to and from Curvature types keep the elements")
  func conversions() {
    let m = Matrix([[1, 2], [3, 4]])
    #expect(DMatrix(m).matrix == m)
    #expect(Vector(DVector([1, 2])) == Vector([1, 2]))
    #expect(DVector(Vector([3, 4])).vector == Vector([3, 4]))
    #expect(Vector(value: DualVector(value: [1, 2], tangent: [0, 0])) == Vector([1, 2]))
  }
}
