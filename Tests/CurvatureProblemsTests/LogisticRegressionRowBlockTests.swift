import Curvature
import CurvatureProblems
import RealModule
import Testing

/// The row-blocked sweeps of `LogisticRegression` against a plain row-by-row loop with
/// `dotKernel`, written here from the problem's formulas: the results must be bit-identical.
@Suite struct LogisticRegressionRowBlockTests {
  /// f, ∇f and ∇²f·v by one row at a time, in row order (the arithmetic the blocked sweep keeps).
  static func reference<Rows: Collection<Int>>(
    _ p: LogisticRegression, rows: Rows, at x: Vector, direction v: Vector
  ) -> (value: Double, gradient: [Double], product: [Double]) {
    let d = p.dimension
    let a = p.features.storage
    let inverse = 1 / Double(Swift.max(rows.count, 1))
    var loss = 0.0
    var compensation = 0.0
    var g = [Double](repeating: 0, count: d)
    var hv = [Double](repeating: 0, count: d)
    a.withUnsafeBufferPointer { pa in
      x.withUnsafeBufferPointer { px in
        v.withUnsafeBufferPointer { pv in
          for i in rows {
            let row = UnsafeBufferPointer(rebasing: pa[(i * d)..<((i + 1) * d)])
            let y = p.labels[i]
            let z = y * dotKernel(row, px)
            let term = Swift.max(-z, 0) + Double.log(onePlus: Double.exp(-Swift.abs(z)))
            let sum = loss + term
            compensation +=
              Swift.abs(loss) >= Swift.abs(term) ? (loss - sum) + term : (term - sum) + loss
            loss = sum
            let sigmoidOfNegative: Double
            if z >= 0 {
              let e = Double.exp(-z)
              sigmoidOfNegative = e / (1 + e)
            } else {
              sigmoidOfNegative = 1 / (1 + Double.exp(z))
            }
            let c = -y * sigmoidOfNegative
            for j in 0..<d { g[j] += c * row[j] }
            let e = Double.exp(-Swift.abs(z))
            let w = y * y * (e / ((1 + e) * (1 + e))) * dotKernel(row, pv)
            for j in 0..<d { hv[j] += w * row[j] }
          }
        }
      }
    }
    let lambda = p.regularization
    for j in 0..<d {
      g[j] = g[j] * inverse + lambda * x[j]
      hv[j] = hv[j] * inverse + lambda * v[j]
    }
    return ((loss + compensation) * inverse + 0.5 * lambda * x.normSquared, g, hv)
  }

  @Test(arguments: [(37, 13), (40, 8), (25, 100), (3, 5)])
  func blockedSweepsAreBitIdenticalToRowByRow(samples: Int, features: Int) {
    let p = LogisticRegression.synthetic(samples: samples, features: features)
    var rng = SplitMix64(seed: UInt64(samples * 1000 + features))
    let x = Vector(count: features) { _ in rng.normal() }
    let v = Vector(count: features) { _ in rng.normal() }
    // All rows; an unordered subset with a repeat whose size is not a multiple of 4.
    let subset = [samples - 1, 0, 2, 2, samples / 2, 1, samples - 2].filter { $0 >= 0 }
    for rows in [Array(0..<samples), subset] {
      let expected = Self.reference(p, rows: rows, at: x, direction: v)
      var g = Vector.zeros(features)
      let f = p.value(at: x, rows: rows, gradient: &g)
      var hv = Vector.zeros(features)
      p.hessianVectorProduct(at: x, rows: rows, direction: v, into: &hv)
      #expect(f.bitPattern == expected.value.bitPattern)
      #expect(p.value(at: x, rows: rows).bitPattern == expected.value.bitPattern)
      #expect(g.storage.map(\.bitPattern) == expected.gradient.map(\.bitPattern))
      #expect(hv.storage.map(\.bitPattern) == expected.product.map(\.bitPattern))
    }
    // The full-data entry points sweep the same rows.
    let all = Self.reference(p, rows: 0..<samples, at: x, direction: v)
    var g = Vector.zeros(features)
    #expect(p.value(at: x, gradient: &g).bitPattern == all.value.bitPattern)
    #expect(g.storage.map(\.bitPattern) == all.gradient.map(\.bitPattern))
    var hv = Vector.zeros(features)
    p.hessianVectorProduct(at: x, direction: v, into: &hv)
    #expect(hv.storage.map(\.bitPattern) == all.product.map(\.bitPattern))
  }
}
