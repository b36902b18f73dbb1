import Curvature

/// The extended Rosenbrock function (Moré, Garbow & Hillstrom, ACM TOMS 7(1), 1981, problem 21):
///
///     f(x) = Σᵢ₌₁^{n/2} 100(x₂ᵢ − x₂ᵢ₋₁²)² + (1 − x₂ᵢ₋₁)²     (1-based indices, n even),
///
/// a sum of n/2 independent two-dimensional Rosenbrock valleys. x₀ = (−1.2, 1, −1.2, 1, …),
/// f* = 0 at x* = (1, …, 1). With t = x₂ᵢ − x₂ᵢ₋₁², each pair has
///
///     ∂f/∂x₂ᵢ₋₁ = −400x₂ᵢ₋₁t − 2(1 − x₂ᵢ₋₁),   ∂f/∂x₂ᵢ = 200t,
///
/// and a 2 × 2 Hessian block [[1200x₂ᵢ₋₁² − 400x₂ᵢ + 2, −400x₂ᵢ₋₁], [−400x₂ᵢ₋₁, 200]], so the
/// Hessian-vector product is exact and costs about one gradient. Every evaluation is a single pass
/// over unsafe buffers that allocates nothing beyond its output.
public struct ExtendedRosenbrock: HessianVectorProductObjective, TwiceDifferentiableObjective,
  Hashable
{
  /// The number of variables n (even).
  public let dimension: Int

  /// The n-variable function; n must be even and positive.
  public init(dimension: Int) {
    precondition(
      dimension > 0 && dimension % 2 == 0,
      "ExtendedRosenbrock needs an even positive dimension, got \(dimension)")
    self.dimension = dimension
  }

  /// The standard starting point (−1.2, 1, −1.2, 1, …).
  public var startingPoint: Vector {
    Vector(count: dimension) { $0 % 2 == 0 ? -1.2 : 1 }
  }

  /// The minimizer (1, …, 1).
  public var minimizer: Vector { Vector(repeating: 1, count: dimension) }

  /// The optimal value f* = 0.
  public var optimalValue: Double { 0 }

  @inline(__always)
  private func checkPoint(_ x: Vector) {
    precondition(
      x.count == dimension,
      "dimension mismatch: point has \(x.count) elements, ExtendedRosenbrock has \(dimension)")
  }

  /// f(x).
  public func value(at x: Vector) -> Double {
    checkPoint(x)
    return x.withUnsafeBufferPointer { px in
      guard let p = px.baseAddress else { return 0 }
      var s0 = 0.0
      var s1 = 0.0
      var i = 0
      while i + 4 <= dimension {
        let t0 = p[i + 1] - p[i] * p[i]
        let u0 = 1 - p[i]
        let t1 = p[i + 3] - p[i + 2] * p[i + 2]
        let u1 = 1 - p[i + 2]
        s0 += 100 * t0 * t0 + u0 * u0
        s1 += 100 * t1 * t1 + u1 * u1
        i += 4
      }
      if i < dimension {
        let t = p[i + 1] - p[i] * p[i]
        let u = 1 - p[i]
        s0 += 100 * t * t + u * u
      }
      return s0 + s1
    }
  }

  /// f(x) and ∇f(x), in one pass (the value is bit-identical to ``value(at:)``).
  public func value(at x: Vector, gradient: inout Vector) -> Double {
    checkPoint(x)
    if gradient.count != dimension { gradient = .zeros(dimension) }
    let n = dimension
    return x.withUnsafeBufferPointer { px in
      gradient.withUnsafeMutableBufferPointer { pg in
        guard let p = px.baseAddress, let g = pg.baseAddress else { return 0 }
        var s0 = 0.0
        var s1 = 0.0
        var i = 0
        while i + 4 <= n {
          let x0 = p[i]
          let t0 = p[i + 1] - x0 * x0
          let u0 = 1 - x0
          let x1 = p[i + 2]
          let t1 = p[i + 3] - x1 * x1
          let u1 = 1 - x1
          s0 += 100 * t0 * t0 + u0 * u0
          s1 += 100 * t1 * t1 + u1 * u1
          g[i] = -400 * x0 * t0 - 2 * u0
          g[i + 1] = 200 * t0
          g[i + 2] = -400 * x1 * t1 - 2 * u1
          g[i + 3] = 200 * t1
          i += 4
        }
        if i < n {
          let x0 = p[i]
          let t = p[i + 1] - x0 * x0
          let u = 1 - x0
          s0 += 100 * t * t + u * u
          g[i] = -400 * x0 * t - 2 * u
          g[i + 1] = 200 * t
        }
        return s0 + s1
      }
    }
  }

  /// Writes the exact product ∇²f(x)·v into `result` (block by block).
  public func hessianVectorProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    checkPoint(x)
    precondition(
      v.count == dimension,
      "dimension mismatch: direction has \(v.count) elements, ExtendedRosenbrock has \(dimension)")
    if result.count != dimension { result = .zeros(dimension) }
    let n = dimension
    x.withUnsafeBufferPointer { px in
      v.withUnsafeBufferPointer { pv in
        result.withUnsafeMutableBufferPointer { pr in
          guard let p = px.baseAddress, let d = pv.baseAddress, let r = pr.baseAddress else {
            return
          }
          var i = 0
          while i < n {
            let (hoo, hoe) = Self.hessianBlock(p[i], p[i + 1])
            r[i] = hoo * d[i] + hoe * d[i + 1]
            r[i + 1] = hoe * d[i] + 200 * d[i + 1]
            i += 2
          }
        }
      }
    }
  }

  /// The varying entries of one pair's Hessian block [[hoo, hoe], [hoe, 200]]:
  /// hoo = 1200x₂ᵢ₋₁² − 400x₂ᵢ + 2 and hoe = −400x₂ᵢ₋₁.
  @inline(__always)
  private static func hessianBlock(_ xo: Double, _ xe: Double) -> (Double, Double) {
    (1200 * xo * xo - 400 * xe + 2, -400 * xo)
  }

  /// The dense n × n Hessian: the 2 × 2 blocks above on the diagonal, zeros elsewhere. It takes
  /// 8n² bytes, so it is meant for the dense methods at small n (the peers give SciPy's
  /// trust-exact the dense Hessian up to n = 1000); the large solvers use products.
  public func hessian(at x: Vector) -> Matrix {
    checkPoint(x)
    var h = Matrix(rows: dimension, columns: dimension)
    var i = 0
    while i < dimension {
      let (hoo, hoe) = Self.hessianBlock(x[i], x[i + 1])
      h[i, i] = hoo
      h[i, i + 1] = hoe
      h[i + 1, i] = hoe
      h[i + 1, i + 1] = 200
      i += 2
    }
    return h
  }
}
