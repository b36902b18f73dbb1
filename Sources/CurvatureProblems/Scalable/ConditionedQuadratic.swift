import Curvature
import RealModule

/// A diagonal convex quadratic with a prescribed condition number:
///
///     f(x) = ½ Σᵢ Dᵢxᵢ² − Σᵢ xᵢ,   Dᵢ = κ^{(i−1)/(n−1)}  (i = 1…n),
///
/// so the Hessian D has eigenvalues log-spaced from 1 to κ. The minimizer is x* = 1/D (elementwise)
/// and f* = −½ Σᵢ 1/Dᵢ. With κ = 10⁴ and n = 10 000 this is the peer harness's
/// `quadratic_n10000` (f* = −543.0095975636877, x₀ = 0): a clean test of how Krylov and
/// quasi-Newton methods handle ill-conditioning (CG needs about √κ iterations; Nocedal & Wright,
/// *Numerical Optimization*, 2nd ed., section 5.1). Dᵢ is computed as 10^{log₁₀(κ)·(i−1)/(n−1)},
/// the formula the peer harness evaluates.
public struct ConditionedQuadratic: HessianVectorProductObjective, Hashable {
  /// The Hessian's diagonal D.
  public let diagonal: Vector
  /// The condition number κ = D_n / D_1.
  public let conditionNumber: Double

  /// The n-variable quadratic with condition number κ ≥ 1.
  public init(dimension n: Int, conditionNumber kappa: Double = 1e4) {
    precondition(n > 0, "ConditionedQuadratic needs a positive dimension, got \(n)")
    precondition(
      kappa >= 1 && kappa.isFinite, "condition number must be finite and at least 1, got \(kappa)")
    let exponent = Double.log10(kappa)
    diagonal =
      n == 1
      ? [1]
      : Vector(count: n) { i in Double.pow(10, exponent * Double(i) / Double(n - 1)) }
    conditionNumber = kappa
  }

  /// The number of variables n.
  public var dimension: Int { diagonal.count }

  /// The standard starting point x₀ = 0.
  public var startingPoint: Vector { .zeros(dimension) }

  /// The minimizer x* = 1/D.
  public var minimizer: Vector { diagonal.map { 1 / $0 } }

  /// The optimal value f* = −½ Σᵢ 1/Dᵢ.
  public var optimalValue: Double {
    diagonal.withUnsafeBufferPointer { d in
      var s = 0.0
      for v in d { s += 1 / v }
      return -0.5 * s
    }
  }

  @inline(__always)
  private func checkPoint(_ x: Vector) {
    precondition(
      x.count == dimension,
      "dimension mismatch: point has \(x.count) elements, ConditionedQuadratic has \(dimension)")
  }

  /// f(x) = ½ Σ Dᵢxᵢ² − Σ xᵢ.
  public func value(at x: Vector) -> Double {
    checkPoint(x)
    return x.withUnsafeBufferPointer { px in
      diagonal.withUnsafeBufferPointer { pd in
        var q = 0.0
        var s = 0.0
        for i in 0..<px.count {
          q += pd[i] * px[i] * px[i]
          s += px[i]
        }
        return 0.5 * q - s
      }
    }
  }

  /// f(x) and ∇f(x) = D·x − 1.
  public func value(at x: Vector, gradient: inout Vector) -> Double {
    checkPoint(x)
    if gradient.count != dimension { gradient = .zeros(dimension) }
    return x.withUnsafeBufferPointer { px in
      diagonal.withUnsafeBufferPointer { pd in
        gradient.withUnsafeMutableBufferPointer { pg in
          var q = 0.0
          var s = 0.0
          for i in 0..<px.count {
            let dx = pd[i] * px[i]
            q += dx * px[i]
            s += px[i]
            pg[i] = dx - 1
          }
          return 0.5 * q - s
        }
      }
    }
  }

  /// Writes ∇²f(x)·v = D·v into `result`.
  public func hessianVectorProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    checkPoint(x)
    precondition(
      v.count == dimension,
      "dimension mismatch: direction has \(v.count) elements, ConditionedQuadratic has \(dimension)"
    )
    if result.count != dimension { result = .zeros(dimension) }
    v.withUnsafeBufferPointer { pv in
      diagonal.withUnsafeBufferPointer { pd in
        result.withUnsafeMutableBufferPointer { pr in
          for i in 0..<pv.count { pr[i] = pd[i] * pv[i] }
        }
      }
    }
  }
}
