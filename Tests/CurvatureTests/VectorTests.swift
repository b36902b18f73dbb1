import RealModule
import Testing

@testable import Curvature

@Suite struct VectorTests {
  @Test func dotMatchesNaiveSumForAllTailLengths() {
    var rng = SplitMix64(seed: 7)
    for n in [0, 1, 3, 7, 8, 9, 17, 100] {
      let x = Vector(count: n) { _ in rng.uniform() - 0.5 }
      let y = Vector(count: n) { _ in rng.uniform() - 0.5 }
      var naive = 0.0
      for i in 0..<n { naive += x[i] * y[i] }
      #expect(abs(dot(x, y) - naive) <= 1e-14 * Double(max(n, 1)))
    }
  }

  @Test func axpyScaleAndNorms() {
    var y: Vector = [1, 2, 3]
    axpy(2, [1, -1, 0.5], &y)
    #expect(y == [3, 0, 4])
    #expect(y.norm == 5)
    #expect(y.norm1 == 7)
    #expect(y.normInfinity == 4)
    y.scale(by: -0.5)
    #expect(y == [-1.5, 0, -2])
  }

  @Test func normAvoidsOverflowAndUnderflow() {
    let big: Vector = [3e200, 4e200]
    #expect(abs(big.norm / 5e200 - 1) < 1e-15)
    let tiny: Vector = [3e-200, 4e-200]
    #expect(abs(tiny.norm / 5e-200 - 1) < 1e-15)
    #expect(Vector([1, .nan]).norm.isNaN)
    #expect(Vector([1, .nan]).normInfinity.isNaN)
  }

  @Test func splitMix64MatchesPeerCheckValues() {
    var rng = SplitMix64(seed: 42)
    #expect(rng.uniform() == 0.7415648787718233)
    #expect(rng.uniform() == 0.1599103928769201)
    #expect(rng.uniform() == 0.27860113025513866)
  }

  @Test func formattingWithoutFoundation() {
    #expect(formatNumber(0.1) == "0.1")
    #expect(formatNumber(1e-7, significantDigits: 3) == "1e-07")
    #expect(formatScientific(12345.678, digits: 2) == "1.23e+04")
    #expect(formatFixed(2.5, digits: 1) == "2.5")
    #expect(formatNumber(.nan) == "nan")
  }

  @Test func centralDifferenceHessianVectorProductIsAccurate() {
    // f(x) = Σ exp(xᵢ) xᵢ², Hessian diagonal: exp(x)(x² + 4x + 2).
    let f = FunctionObjective(
      dimension: 3,
      gradient: { x, g in
        var s = 0.0
        for i in 0..<x.count {
          let e = Double.exp(x[i])
          s += e * x[i] * x[i]
          g[i] = e * (x[i] * x[i] + 2 * x[i])
        }
        return s
      })
    let x: Vector = [0.3, -1.2, 2.0]
    let v: Vector = [1, 2, -0.5]
    let exact = Vector(count: 3) { i in
      Double.exp(x[i]) * (x[i] * x[i] + 4 * x[i] + 2) * v[i]
    }
    for scheme in FiniteDifferenceHessianVectorProduct.allCases {
      var oracle = Oracle(f, curvature: .finiteDifference(scheme))
      var hv = Vector.zeros(3)
      oracle.hessianVectorProduct(at: x, direction: v, into: &hv)
      let rel = (hv - exact).norm / exact.norm
      #expect(rel < (scheme == .central ? 1e-8 : 1e-6), "\(scheme) relative error \(rel)")
      #expect(oracle.counts.hessianVectorProducts == 1)
      #expect(oracle.counts.differenceGradients == 2)
    }
  }
}
