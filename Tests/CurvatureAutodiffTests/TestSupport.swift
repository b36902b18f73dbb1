import Curvature
import CurvatureAutodiff
import _Differentiation

/// ‖a − b‖ / max(‖b‖, 1e-300).
func relativeError(_ a: [Double], _ b: [Double]) -> Double {
  precondition(a.count == b.count, "sizes \(a.count) and \(b.count)")
  var num = 0.0
  var den = 0.0
  for i in a.indices {
    num += (a[i] - b[i]) * (a[i] - b[i])
    den += b[i] * b[i]
  }
  return num.squareRoot() / Swift.max(den.squareRoot(), 1e-300)
}

/// |a − b| / max(|b|, 1e-300).
func relativeError(_ a: Double, _ b: Double) -> Double {
  Swift.abs(a - b) / Swift.max(Swift.abs(b), 1e-300)
}

/// Central-difference gradient of a scalar function, step h·(1 + |xᵢ|).
func centralDifferenceGradient(_ f: ([Double]) -> Double, at x: [Double], step: Double = 1e-5)
  -> [Double]
{
  var g = [Double](repeating: 0, count: x.count)
  var p = x
  for i in x.indices {
    let h = step * (1 + Swift.abs(x[i]))
    p[i] = x[i] + h
    let fp = f(p)
    p[i] = x[i] - h
    let fm = f(p)
    p[i] = x[i]
    g[i] = (fp - fm) / (2 * h)
  }
  return g
}

/// Central difference of a vector function along v: (g(x + hv) − g(x − hv)) / 2h.
func centralDifferenceDirectional(
  _ g: ([Double]) -> [Double], at x: [Double], direction v: [Double], step: Double = 1e-5
) -> [Double] {
  let plus = g(zip(x, v).map { $0 + step * $1 })
  let minus = g(zip(x, v).map { $0 - step * $1 })
  return zip(plus, minus).map { ($0 - $1) / (2 * step) }
}

/// Deterministic pseudo-random values in [lo, hi).
func seededValues(_ count: Int, seed: UInt64, in range: ClosedRange<Double> = -1...1) -> [Double] {
  var rng = SplitMix64(seed: seed)
  return (0..<count).map { _ in
    range.lowerBound + (range.upperBound - range.lowerBound) * rng.uniform()
  }
}
