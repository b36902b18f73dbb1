#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  // Gathers, slices, concatenation and matrix products. Their pullbacks are the adjoint
  // scatters and transposed products; an empty (zero) cotangent gives zero cotangents.
  extension DVector {
    /// The elements at even 0-based indices: x₀, x₂, x₄, … (a view: O(1), no copy).
    @differentiable(reverse)
    public func evenIndexed() -> DVector {
      stridedView(from: 0, by: 2, count: (count + 1) / 2)
    }

    @usableFromInline
    @derivative(of: evenIndexed)
    func _vjpEvenIndexed() -> (value: DVector, pullback: (DVector) -> DVector) {
      let n = count
      return (evenIndexed(), { v in v.embedded(start: 0, spacing: 2, length: n) })
    }

    /// The elements at odd 0-based indices: x₁, x₃, x₅, … (a view: O(1), no copy).
    @differentiable(reverse)
    public func oddIndexed() -> DVector {
      stridedView(from: 1, by: 2, count: count / 2)
    }

    @usableFromInline
    @derivative(of: oddIndexed)
    func _vjpOddIndexed() -> (value: DVector, pullback: (DVector) -> DVector) {
      let n = count
      return (oddIndexed(), { v in v.embedded(start: 1, spacing: 2, length: n) })
    }

    /// All but the first k elements.
    @differentiable(reverse)
    public func droppingFirst(_ k: Int) -> DVector { elements(in: k..<count) }

    @usableFromInline
    @derivative(of: droppingFirst)
    func _vjpDroppingFirst(_ k: Int) -> (value: DVector, pullback: (DVector) -> DVector) {
      _vjpElements(in: k..<count)
    }

    /// All but the last k elements.
    @differentiable(reverse)
    public func droppingLast(_ k: Int) -> DVector { elements(in: 0..<(count - k)) }

    @usableFromInline
    @derivative(of: droppingLast)
    func _vjpDroppingLast(_ k: Int) -> (value: DVector, pullback: (DVector) -> DVector) {
      _vjpElements(in: 0..<(count - k))
    }

    /// The contiguous elements with indices in `range` (a view: O(1), no copy).
    @differentiable(reverse)
    public func elements(in range: Range<Int>) -> DVector {
      precondition(
        range.lowerBound >= 0 && range.upperBound <= count,
        "range \(range) out of bounds for vector size \(count)")
      return stridedView(from: range.lowerBound, by: 1, count: range.count)
    }

    /// Pullback of a slice: zero-pads the cotangent back to length n.
    @usableFromInline
    @derivative(of: elements)
    func _vjpElements(in range: Range<Int>) -> (value: DVector, pullback: (DVector) -> DVector) {
      let n = count
      return (
        elements(in: range),
        { v in v.embedded(start: range.lowerBound, spacing: 1, length: n) }
      )
    }

    /// The elements x[indices[k]], k = 0..<indices.count.
    @differentiable(reverse)
    public func gathering(_ indices: [Int]) -> DVector {
      let n = count
      let x = storage
      return DVector(
        indices.map { i in
          precondition(i >= 0 && i < n, "gather index \(i) out of range 0..<\(n)")
          return x[i]
        })
    }

    /// Pullback of a gather: scatter-add, x̄[indices[k]] += v[k].
    @usableFromInline
    @derivative(of: gathering)
    func _vjpGathering(_ indices: [Int]) -> (value: DVector, pullback: (DVector) -> DVector) {
      let n = count
      return (
        gathering(indices),
        { v in
          if v.isEmpty { return .zero }
          let vs = v.storage
          var out = [Double](repeating: 0, count: n)
          for (k, i) in indices.enumerated() { out[i] += vs[k] }
          return DVector(out)
        }
      )
    }

    /// The concatenation [x; y] (here an empty vector has length 0).
    @differentiable(reverse)
    public func concatenated(with other: DVector) -> DVector {
      DVector(storage + other.storage)
    }

    /// Pullback of [x; y]: splits the cotangent at x's length.
    @usableFromInline
    @derivative(of: concatenated)
    func _vjpConcatenated(with other: DVector)
      -> (value: DVector, pullback: (DVector) -> (DVector, DVector))
    {
      let n = count
      return (
        concatenated(with: other),
        { v in
          if v.isEmpty { return (.zero, .zero) }
          let m = v.count - n
          return (v.stridedView(from: 0, by: 1, count: n), v.stridedView(from: n, by: 1, count: m))
        }
      )
    }

    /// A·x for a constant matrix A.
    @differentiable(reverse)
    public func leftMultiplied(by matrix: Matrix) -> DVector {
      if isEmpty { return DVector(repeating: 0, count: matrix.rows) }
      return DVector(
        matrixVectorKernel(matrix.storage, rows: matrix.rows, columns: matrix.columns, storage))
    }

    /// Pullback of A·x: v ↦ Aᵀv.
    @usableFromInline
    @derivative(of: leftMultiplied)
    func _vjpLeftMultiplied(by matrix: Matrix) -> (
      value: DVector, pullback: (DVector) -> DVector
    ) {
      (
        leftMultiplied(by: matrix),
        { v in
          v.isEmpty
            ? .zero
            : DVector(
              transposeMatrixVectorKernel(
                matrix.storage, rows: matrix.rows, columns: matrix.columns, v.storage))
        }
      )
    }

    /// W·x where `self` holds the `rows × columns` matrix W row-major.
    @differentiable(reverse)
    public func packedMatrixProduct(_ x: DVector, rows: Int, columns: Int) -> DVector {
      if isEmpty || x.isEmpty { return DVector(repeating: 0, count: rows) }
      return DVector(matrixVectorKernel(storage, rows: rows, columns: columns, x.storage))
    }

    /// Pullback of W·x: v ↦ (v xᵀ, Wᵀv).
    @usableFromInline
    @derivative(of: packedMatrixProduct)
    func _vjpPackedMatrixProduct(_ x: DVector, rows: Int, columns: Int) -> (
      value: DVector, pullback: (DVector) -> (DVector, DVector)
    ) {
      // W and x are written out once, for the value and the pullback.
      let w = storage
      let a = x.storage
      let y =
        isEmpty || x.isEmpty
        ? DVector(repeating: 0, count: rows)
        : DVector(matrixVectorKernel(w, rows: rows, columns: columns, a))
      return (
        y,
        { v in
          if v.isEmpty { return (.zero, .zero) }
          let c = v.storage
          let gw = a.isEmpty ? DVector.zero : DVector(outerProductKernel(c, a))
          let gx =
            w.isEmpty
            ? DVector.zero
            : DVector(transposeMatrixVectorKernel(w, rows: rows, columns: columns, c))
          return (gw, gx)
        }
      )
    }
  }
#endif
