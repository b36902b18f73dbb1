#if canImport(_Differentiation)
  import _Differentiation
  import Curvature
  import RealModule

  /// The batched layer operations that the training models need on top of
  /// ``DifferentiableVectorProtocol``: a mini-batch is stored as one row-major matrix (one row
  /// per sample) inside a vector, so that a dense layer over the whole batch is one operation
  /// with one vectorized pullback.
  ///
  /// Constant data (inputs, targets) enters only through the `constant` forms below, which are
  /// differentiable with respect to `self` alone. Mixing a constant operand into an operation
  /// differentiable in both operands makes the compiler emit a generic "subset parameters"
  /// thunk whose symbol name does not record the generic signature; the same name emitted by
  /// code generic over ``DifferentiableVectorProtocol`` in another module of the same binary
  /// then resolves to the wrong thunk and crashes at run time (Swift 6.3.1).
  ///
  /// Conformed by ``DVector`` (reverse mode: value and gradient) and ``DualVector``
  /// (forward-over-reverse: exact Hessian-vector products, and forward tangents J·v for the
  /// generalized Gauss-Newton product). Every requirement is concrete (no generic parameters of
  /// its own), the form that is safe in Swift 6.3.1.
  public protocol DifferentiableBatchVectorProtocol: DifferentiableVectorProtocol {
    /// The dense layer product over a batch, Y = X·Wᵀ, where `self` holds W (`outputs × inputs`,
    /// row-major) and `batch` holds X (`B × inputs`, one sample per row); Y is `B × outputs`.
    /// Differentiable with respect to both W and X: W̄ = Ȳᵀ·X, X̄ = Ȳ·W.
    @differentiable(reverse)
    func batchedLinear(_ batch: Self, outputs: Int, inputs: Int) -> Self
    /// Y = X + 1·bᵀ: adds the bias b (length w) to every row of the `B × w` matrix X in `self`.
    /// The pullback is (Ȳ, Σ_rows Ȳ).
    @differentiable(reverse)
    func addingToEachRow(_ bias: Self) -> Self
    /// The row-wise log-sum-exp of the `B × width` matrix Z in `self`:
    /// uᵢ = log Σⱼ exp(zᵢⱼ), computed as mᵢ + log Σⱼ exp(zᵢⱼ − mᵢ) with mᵢ = maxⱼ zᵢⱼ.
    /// Its gradient is the row-wise softmax pᵢⱼ = exp(zᵢⱼ − uᵢ).
    @differentiable(reverse)
    func rowLogSumExp(width: Int) -> Self
    /// Y = X·Wᵀ for constant data X (`B × inputs`, row-major) and W in `self`; differentiable
    /// with respect to W only (W̄ = ȲᵀX).
    @differentiable(reverse,wrt: self)
    func batchedLinear(constantBatch batch: [Double], outputs: Int, inputs: Int) -> Self
    /// xᵀc with a constant vector c.
    @differentiable(reverse,wrt: self)
    func dot(constant c: [Double]) -> Scalar
    /// x − c with a constant vector c.
    @differentiable(reverse,wrt: self)
    func subtracting(constant c: [Double]) -> Self
  }

  /// Row-wise log-sum-exp of a row-major `rows × width` array and the softmax probabilities.
  @usableFromInline
  func rowSoftmax(_ z: [Double], width: Int) -> (lse: [Double], probabilities: [Double]) {
    precondition(
      width > 0 && z.count % width == 0, "rowLogSumExp: \(z.count) elements, width \(width)")
    let rows = z.count / width
    var lse = [Double](repeating: 0, count: rows)
    var p = [Double](repeating: 0, count: z.count)
    z.withUnsafeBufferPointer { pz in
      p.withUnsafeMutableBufferPointer { pp in
        for i in 0..<rows {
          var m = -Double.infinity
          for j in 0..<width { m = Swift.max(m, pz[i * width + j]) }
          var s = 0.0
          for j in 0..<width {
            let e = Double.exp(pz[i * width + j] - m)
            pp[i * width + j] = e
            s += e
          }
          for j in 0..<width { pp[i * width + j] /= s }
          lse[i] = m + Double.log(s)
        }
      }
    }
    return (lse, p)
  }

  /// Y = X·Wᵀ for row-major W (`outputs × inputs`) and X (`B × inputs`).
  @usableFromInline
  func batchedLinearKernel(_ w: [Double], _ x: [Double], outputs: Int, inputs: Int) -> [Double] {
    precondition(
      w.count == outputs * inputs,
      "dimension mismatch: weights have \(w.count) elements for \(outputs) × \(inputs)")
    precondition(
      inputs > 0 && x.count % inputs == 0,
      "dimension mismatch: batch has \(x.count) elements, not a multiple of \(inputs) inputs")
    let b = x.count / inputs
    return matrixMultiplyKernel(
      x, transposeKernel(w, rows: outputs, columns: inputs), m: b, k: inputs, n: outputs)
  }

  /// W̄ = Ȳᵀ·X (`outputs × inputs`) for Ȳ (`B × outputs`) and X (`B × inputs`).
  @usableFromInline
  func batchedLinearWeightGradient(_ v: [Double], _ x: [Double], outputs: Int, inputs: Int)
    -> [Double]
  {
    let b = x.count / inputs
    return matrixMultiplyKernel(
      transposeKernel(v, rows: b, columns: outputs), x, m: outputs, k: b, n: inputs)
  }

  /// X̄ = Ȳ·W (`B × inputs`) for Ȳ (`B × outputs`) and W (`outputs × inputs`).
  @usableFromInline
  func batchedLinearInputGradient(_ v: [Double], _ w: [Double], outputs: Int, inputs: Int)
    -> [Double]
  {
    let b = v.count / outputs
    return matrixMultiplyKernel(v, w, m: b, k: outputs, n: inputs)
  }

  /// X + 1·bᵀ for a row-major matrix X with rows of length b.count.
  @usableFromInline
  func addRowBiasKernel(_ x: [Double], _ bias: [Double]) -> [Double] {
    let w = bias.count
    precondition(
      w > 0 && x.count % w == 0,
      "dimension mismatch: matrix has \(x.count) elements, bias \(w) (not a row length)")
    return [Double](unsafeUninitializedCapacity: x.count) { out, written in
      x.withUnsafeBufferPointer { px in
        bias.withUnsafeBufferPointer { pb in
          guard let d = out.baseAddress, let s = px.baseAddress, let b = pb.baseAddress else {
            return
          }
          for i in 0..<(x.count / w) {
            let r = i * w
            for j in 0..<w { (d + r + j).initialize(to: s[r + j] + b[j]) }
          }
        }
      }
      written = x.count
    }
  }

  /// The column sums Σᵢ Vᵢⱼ of a row-major matrix with rows of length `width`.
  @usableFromInline
  func columnSumsKernel(_ v: [Double], width: Int) -> [Double] {
    var out = [Double](repeating: 0, count: width)
    v.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer { o in
        for i in 0..<(v.count / width) {
          let r = i * width
          for j in 0..<width { o[j] += p[r + j] }
        }
      }
    }
    return out
  }

  /// Vᵢⱼ = sᵢ·Pᵢⱼ for a row-major P with rows of length `width` and one factor per row.
  @usableFromInline
  func scaleRows(_ p: [Double], by s: [Double], width: Int) -> [Double] {
    precondition(
      width > 0 && p.count == s.count * width,
      "dimension mismatch: \(p.count) elements, \(s.count) rows of \(width)")
    return [Double](unsafeUninitializedCapacity: p.count) { out, written in
      p.withUnsafeBufferPointer { pp in
        s.withUnsafeBufferPointer { ps in
          guard let d = out.baseAddress else { return }
          for i in 0..<s.count {
            let si = ps[i]
            let r = i * width
            for j in 0..<width { (d + r + j).initialize(to: pp[r + j] * si) }
          }
        }
      }
      written = p.count
    }
  }
#endif
