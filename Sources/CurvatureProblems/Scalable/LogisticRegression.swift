import Curvature
import RealModule

/// L2-regularized logistic regression without intercept, labels yᵢ = ±1:
///
///     f(x) = (1/m) Σᵢ log(1 + exp(−yᵢaᵢᵀx)) + (λ/2)‖x‖²,
///
/// where aᵢ is row i of the m × d feature matrix A and n = d. With zᵢ = yᵢaᵢᵀx and the logistic
/// function σ(t) = 1/(1 + e^{−t}),
///
///     ∇f(x) = −(1/m) Σᵢ yᵢσ(−zᵢ)aᵢ + λx,
///     ∇²f(x)·v = (1/m) Aᵀ(W(Av)) + λv,   W = diag(yᵢ²σ(zᵢ)σ(−zᵢ)),
///
/// (Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed., section 4.4).
/// The loss log(1 + e^{−z}) is evaluated as the softplus max(−z, 0) + log1p(e^{−|z|}), which
/// neither overflows nor loses the small values for large margins; σ is evaluated on the side
/// where the exponential is at most one.
///
/// A value can stand for a subset of the samples (``rows``) for mini-batch training: the data
/// term then averages over those rows only, the regularization is unchanged. ``batch(rows:)``
/// makes such a view without copying the data (the feature storage is shared copy-on-write);
/// ``value(at:rows:gradient:)`` evaluates on arbitrary row indices. An empty set of rows has a
/// data term of zero.
public struct LogisticRegression: HessianVectorProductObjective, TwiceDifferentiableObjective {
  /// The m × d feature matrix A (all samples).
  public let features: Matrix
  /// The labels y (±1), one per row of A.
  public let labels: Vector
  /// The regularization weight λ ≥ 0.
  public let regularization: Double
  /// The rows of A this objective averages over (all rows unless made by ``batch(rows:)``).
  public let rows: Range<Int>

  /// Logistic regression on all rows of `features`.
  public init(features: Matrix, labels: Vector, regularization: Double) {
    precondition(
      features.rows == labels.count,
      "dimension mismatch: features have \(features.rows) rows, labels \(labels.count) elements")
    precondition(
      regularization >= 0 && regularization.isFinite,
      "regularization must be finite and non-negative, got \(regularization)")
    self.features = features
    self.labels = labels
    self.regularization = regularization
    self.rows = 0..<features.rows
  }

  private init(base: LogisticRegression, rows: Range<Int>) {
    features = base.features
    labels = base.labels
    regularization = base.regularization
    self.rows = rows
  }

  /// The same problem restricted to the samples `rows` (indices into the full data), without
  /// copying the data: f_B(x) = (1/|B|) Σ_{i∈B} log(1 + exp(−yᵢaᵢᵀx)) + (λ/2)‖x‖².
  public func batch(rows: Range<Int>) -> LogisticRegression {
    precondition(
      rows.lowerBound >= 0 && rows.upperBound <= features.rows,
      "batch rows \(rows) out of range 0..<\(features.rows)")
    return LogisticRegression(base: self, rows: rows)
  }

  /// The number of variables n = d.
  public var dimension: Int { features.columns }

  /// The number of samples the objective averages over.
  public var sampleCount: Int { rows.count }

  /// The standard starting point x₀ = 0 (where f = log 2).
  public var startingPoint: Vector { .zeros(dimension) }

  /// f(x) over ``rows``.
  public func value(at x: Vector) -> Double {
    checkPoint(x)
    var none = Vector()
    return evaluate(at: x, rows: rows, gradient: &none, wantGradient: false)
  }

  /// f(x) and ∇f(x) over ``rows``, in one pass over the data.
  public func value(at x: Vector, gradient: inout Vector) -> Double {
    checkPoint(x)
    return evaluate(at: x, rows: rows, gradient: &gradient, wantGradient: true)
  }

  /// f(x) averaged over the given row indices (into the full data; repeats allowed).
  public func value(at x: Vector, rows indices: [Int]) -> Double {
    checkPoint(x)
    checkIndices(indices)
    var none = Vector()
    return evaluate(at: x, rows: indices, gradient: &none, wantGradient: false)
  }

  /// f(x) and ∇f(x) averaged over the given row indices (into the full data; repeats allowed).
  public func value(at x: Vector, rows indices: [Int], gradient: inout Vector) -> Double {
    checkPoint(x)
    checkIndices(indices)
    return evaluate(at: x, rows: indices, gradient: &gradient, wantGradient: true)
  }

  /// Writes the exact product ∇²f(x)·v = (1/m) Aᵀ(W(Av)) + λv over ``rows`` into `result`.
  public func hessianVectorProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    checkPoint(x)
    precondition(
      v.count == dimension,
      "dimension mismatch: direction has \(v.count) elements, LogisticRegression has \(dimension)")
    accumulateProduct(at: x, over: rows, direction: v, into: &result)
  }

  /// Writes ∇²f(x)·v averaged over the given row indices into `result`.
  public func hessianVectorProduct(
    at x: Vector, rows indices: [Int], direction v: Vector, into result: inout Vector
  ) {
    checkPoint(x)
    checkIndices(indices)
    precondition(
      v.count == dimension,
      "dimension mismatch: direction has \(v.count) elements, LogisticRegression has \(dimension)")
    accumulateProduct(at: x, over: indices, direction: v, into: &result)
  }

  /// The dense Hessian over ``rows``, ∇²f(x) = (1/m) AᵀWA + λI with W = diag(yᵢ²σ(zᵢ)σ(−zᵢ)),
  /// formed as (1/m) BᵀB + λI from Bᵢ = √wᵢ·aᵢ by a symmetric rank-k update (about m·d²
  /// flops; offered so that dense methods such as trust-exact need no d products per Hessian).
  public func hessian(at x: Vector) -> Matrix {
    checkPoint(x)
    let d = dimension
    var b = Matrix(rows: rows.count, columns: d)
    features.storage.withUnsafeBufferPointer { pa in
      labels.withUnsafeBufferPointer { py in
        x.withUnsafeBufferPointer { px in
          b.storage.withUnsafeMutableBufferPointer { pb in
            guard let out = pb.baseAddress else { return }
            for (k, i) in rows.enumerated() {
              let row = UnsafeBufferPointer(rebasing: pa[(i * d)..<((i + 1) * d)])
              guard let a = row.baseAddress else { continue }
              let y = py[i]
              let z = y * dotKernel(row, px)
              let scale = (y * y * Self.sigmoidDerivative(z)).squareRoot()
              for j in 0..<d { out[k * d + j] = scale * a[j] }
            }
          }
        }
      }
    }
    var h = Matrix(rows: d, columns: d)
    Matrix.symmetricRankKUpdate(
      alpha: 1 / Double(Swift.max(rows.count, 1)), a: b, beta: 0, c: &h)
    for j in 0..<d { h[j, j] += regularization }
    return h
  }

  // MARK: Kernels

  private func checkPoint(_ x: Vector) {
    precondition(
      x.count == dimension,
      "dimension mismatch: point has \(x.count) elements, LogisticRegression has \(dimension)")
  }

  private func checkIndices(_ indices: [Int]) {
    for i in indices {
      precondition(i >= 0 && i < features.rows, "row \(i) out of range 0..<\(features.rows)")
    }
  }

  /// log(1 + e^{t}) without overflow.
  @inline(__always)
  private static func softplus(_ t: Double) -> Double {
    Swift.max(t, 0) + Double.log(onePlus: Double.exp(-Swift.abs(t)))
  }

  /// σ(−z) = 1/(1 + e^{z}), evaluated with an exponential of at most one.
  @inline(__always)
  private static func sigmoidOfNegative(_ z: Double) -> Double {
    if z >= 0 {
      let e = Double.exp(-z)
      return e / (1 + e)
    }
    return 1 / (1 + Double.exp(z))
  }

  /// σ(z)σ(−z) = e^{−|z|}/(1 + e^{−|z|})².
  @inline(__always)
  private static func sigmoidDerivative(_ z: Double) -> Double {
    let e = Double.exp(-Swift.abs(z))
    let d = 1 + e
    return e / (d * d)
  }

  private func evaluate<Rows: Collection<Int>>(
    at x: Vector, rows selected: Rows, gradient: inout Vector, wantGradient: Bool
  ) -> Double {
    let d = dimension
    if wantGradient && gradient.count != d { gradient = .zeros(d) }
    let inverseCount = 1 / Double(Swift.max(selected.count, 1))
    // The loss terms are summed with Neumaier's compensation (Neumaier, ZAMM 54, 1974), so the
    // mean of m equal terms is exact to rounding, whatever m.
    var loss = 0.0
    var compensation = 0.0
    features.storage.withUnsafeBufferPointer { pa in
      labels.withUnsafeBufferPointer { py in
        x.withUnsafeBufferPointer { px in
          gradient.withUnsafeMutableBufferPointer { pg in
            if wantGradient, let g = pg.baseAddress {
              for j in 0..<d { g[j] = 0 }
            }
            sweepRows(
              selected, features: pa, columns: d, x: px, v: nil, out: wantGradient ? pg : nil
            ) { i, ax, _ in
              let z = py[i] * ax
              let term = Self.softplus(-z)
              let sum = loss + term
              compensation +=
                Swift.abs(loss) >= Swift.abs(term) ? (loss - sum) + term : (term - sum) + loss
              loss = sum
              return wantGradient ? -py[i] * Self.sigmoidOfNegative(z) : 0
            }
            if wantGradient, let g = pg.baseAddress, let p = px.baseAddress {
              for j in 0..<d { g[j] = g[j] * inverseCount + regularization * p[j] }
            }
          }
        }
      }
    }
    return (loss + compensation) * inverseCount + 0.5 * regularization * x.normSquared
  }

  private func accumulateProduct<Rows: Collection<Int>>(
    at x: Vector, over selected: Rows, direction v: Vector, into result: inout Vector
  ) {
    let d = dimension
    if result.count != d { result = .zeros(d) }
    let inverseCount = 1 / Double(Swift.max(selected.count, 1))
    features.storage.withUnsafeBufferPointer { pa in
      labels.withUnsafeBufferPointer { py in
        x.withUnsafeBufferPointer { px in
          v.withUnsafeBufferPointer { pv in
            result.withUnsafeMutableBufferPointer { pr in
              guard let r = pr.baseAddress, let q = pv.baseAddress else { return }
              for j in 0..<d { r[j] = 0 }
              sweepRows(selected, features: pa, columns: d, x: px, v: pv, out: pr) { i, ax, av in
                let y = py[i]
                let z = y * ax
                return y * y * Self.sigmoidDerivative(z) * av
              }
              for j in 0..<d { r[j] = r[j] * inverseCount + regularization * q[j] }
            }
          }
        }
      }
    }
  }
}
