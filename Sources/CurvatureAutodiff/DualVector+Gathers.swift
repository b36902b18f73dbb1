#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  // Gathers, slices, concatenation and matrix products on dual vectors. The linear ones act on
  // the value and the tangent alike; the bilinear product W·x has the dual forward rule
  // w·a + ε(ẇ·a + w·ȧ) and the dual pullback v ↦ (v xᵀ, Wᵀ v).
  extension DualVector {
    /// The elements at even 0-based indices.
    @differentiable(reverse)
    public func evenIndexed() -> DualVector {
      mapParts { $0.evenIndexed() }
    }

    @usableFromInline
    @derivative(of: evenIndexed)
    func _vjpEvenIndexed() -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      let n = count
      return (
        evenIndexed(),
        { v in v.mapParts { $0.embedded(start: 0, spacing: 2, length: n) } }
      )
    }

    /// The elements at odd 0-based indices.
    @differentiable(reverse)
    public func oddIndexed() -> DualVector {
      mapParts { $0.oddIndexed() }
    }

    @usableFromInline
    @derivative(of: oddIndexed)
    func _vjpOddIndexed() -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      let n = count
      return (
        oddIndexed(),
        { v in v.mapParts { $0.embedded(start: 1, spacing: 2, length: n) } }
      )
    }

    /// All but the first k elements.
    @differentiable(reverse)
    public func droppingFirst(_ k: Int) -> DualVector { elements(in: k..<count) }

    @usableFromInline
    @derivative(of: droppingFirst)
    func _vjpDroppingFirst(_ k: Int) -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      _vjpElements(in: k..<count)
    }

    /// All but the last k elements.
    @differentiable(reverse)
    public func droppingLast(_ k: Int) -> DualVector { elements(in: 0..<(count - k)) }

    @usableFromInline
    @derivative(of: droppingLast)
    func _vjpDroppingLast(_ k: Int) -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      _vjpElements(in: 0..<(count - k))
    }

    /// The contiguous elements with indices in `range`.
    @differentiable(reverse)
    public func elements(in range: Range<Int>) -> DualVector {
      precondition(
        range.lowerBound >= 0 && range.upperBound <= count,
        "range \(range) out of bounds for vector size \(count)")
      if range.isEmpty { return .zero }
      return mapParts { $0.elements(in: range) }
    }

    /// Pullback of a slice: zero-pads both parts of the cotangent back to length n.
    @usableFromInline
    @derivative(of: elements)
    func _vjpElements(in range: Range<Int>) -> (
      value: DualVector, pullback: (DualVector) -> DualVector
    ) {
      let n = count
      return (
        elements(in: range),
        { v in
          v.mapParts { $0.embedded(start: range.lowerBound, spacing: 1, length: n) }
        }
      )
    }

    /// The elements x[indices[k]].
    @differentiable(reverse)
    public func gathering(_ indices: [Int]) -> DualVector {
      let n = count
      for i in indices { precondition(i >= 0 && i < n, "gather index \(i) out of range 0..<\(n)") }
      let a = value
      let da = tangent
      return DualVector(value: indices.map { a[$0] }, tangent: indices.map { da[$0] })
    }

    /// Pullback of a gather: scatter-add of both parts.
    @usableFromInline
    @derivative(of: gathering)
    func _vjpGathering(_ indices: [Int]) -> (
      value: DualVector, pullback: (DualVector) -> DualVector
    ) {
      let n = count
      return (
        gathering(indices),
        { v in
          v.mapParts { part in
            let p = part.storage
            var out = [Double](repeating: 0, count: n)
            for (k, i) in indices.enumerated() { out[i] += p[k] }
            return DVector(out)
          }
        }
      )
    }

    /// The concatenation [x; y] (here an empty vector has length 0).
    @differentiable(reverse)
    public func concatenated(with other: DualVector) -> DualVector {
      DualVector(value: value + other.value, tangent: tangent + other.tangent)
    }

    /// Pullback of [x; y]: splits both parts of the cotangent at x's length.
    @usableFromInline
    @derivative(of: concatenated)
    func _vjpConcatenated(with other: DualVector)
      -> (value: DualVector, pullback: (DualVector) -> (DualVector, DualVector))
    {
      let n = count
      return (
        concatenated(with: other),
        { v in
          if v.isEmpty { return (.zero, .zero) }
          let m = v.count
          return (
            v.mapParts { $0.elements(in: 0..<n) }, v.mapParts { $0.elements(in: n..<m) }
          )
        }
      )
    }

    /// A·x for a constant matrix A: A·a + εA·ȧ.
    @differentiable(reverse)
    public func leftMultiplied(by matrix: Matrix) -> DualVector {
      if isEmpty { return DualVector(constant: [Double](repeating: 0, count: matrix.rows)) }
      return mapParts {
        DVector(
          matrixVectorKernel(
            matrix.storage, rows: matrix.rows, columns: matrix.columns, $0.storage))
      }
    }

    /// Pullback of A·x: v ↦ Aᵀv (both parts).
    @usableFromInline
    @derivative(of: leftMultiplied)
    func _vjpLeftMultiplied(by matrix: Matrix) -> (
      value: DualVector, pullback: (DualVector) -> DualVector
    ) {
      (
        leftMultiplied(by: matrix),
        { v in
          v.mapParts {
            DVector(
              transposeMatrixVectorKernel(
                matrix.storage, rows: matrix.rows, columns: matrix.columns, $0.storage))
          }
        }
      )
    }

    /// W·x where `self` holds the `rows × columns` matrix W row-major: w·a + ε(ẇ·a + w·ȧ).
    @differentiable(reverse)
    public func packedMatrixProduct(_ x: DualVector, rows: Int, columns: Int) -> DualVector {
      if isEmpty || x.isEmpty {
        return DualVector(constant: [Double](repeating: 0, count: rows))
      }
      return dualMatrixVectorProduct(
        value, tangent, x.value, x.tangent, rows: rows, columns: columns)
    }

    /// Pullback of W·x in dual arithmetic: v = c + εċ ↦ (c aᵀ + ε(ċ aᵀ + c ȧᵀ),
    /// wᵀc + ε(wᵀċ + ẇᵀc)). The parts of W, x and v are each written out once.
    @usableFromInline
    @derivative(of: packedMatrixProduct)
    func _vjpPackedMatrixProduct(_ x: DualVector, rows: Int, columns: Int) -> (
      value: DualVector, pullback: (DualVector) -> (DualVector, DualVector)
    ) {
      if isEmpty || x.isEmpty {
        // Only the operand that is present gets a cotangent: (v aᵀ) without W, (Wᵀv) without x.
        let w = isEmpty ? nil : (value, tangent)
        let a = x.isEmpty ? nil : (x.value, x.tangent)
        return (
          DualVector(constant: [Double](repeating: 0, count: rows)),
          { v in
            if v.isEmpty { return (.zero, .zero) }
            let (c, dc) = (v.value, v.tangent)
            let gw = a.map { a, da in dualOuterProduct(c, dc, a, da) } ?? .zero
            let gx =
              w.map { w, dw in
                dualTransposeProduct(w, dw, c, dc, rows: rows, columns: columns)
              } ?? .zero
            return (gw, gx)
          }
        )
      }
      let (w, dw) = (value, tangent)
      let (a, da) = (x.value, x.tangent)
      return (
        dualMatrixVectorProduct(w, dw, a, da, rows: rows, columns: columns),
        { v in
          if v.isEmpty { return (.zero, .zero) }
          let (c, dc) = (v.value, v.tangent)
          return (
            dualOuterProduct(c, dc, a, da),
            dualTransposeProduct(w, dw, c, dc, rows: rows, columns: columns)
          )
        }
      )
    }
  }

  /// w·a + ε(ẇ·a + w·ȧ) for the row-major `rows × columns` matrix w.
  func dualMatrixVectorProduct(
    _ w: [Double], _ dw: [Double], _ a: [Double], _ da: [Double], rows: Int, columns: Int
  ) -> DualVector {
    let wa = matrixVectorKernel(w, rows: rows, columns: columns, a)
    let dwa = matrixVectorKernel(dw, rows: rows, columns: columns, a)
    let wda = matrixVectorKernel(w, rows: rows, columns: columns, da)
    return DualVector(value: wa, tangent: mapElements(dwa, wda) { $0 + $1 })
  }

  /// c aᵀ + ε(ċ aᵀ + c ȧᵀ).
  func dualOuterProduct(_ c: [Double], _ dc: [Double], _ a: [Double], _ da: [Double])
    -> DualVector
  {
    DualVector(
      value: outerProductKernel(c, a),
      tangent: mapElements(outerProductKernel(dc, a), outerProductKernel(c, da)) { $0 + $1 })
  }

  /// wᵀc + ε(wᵀċ + ẇᵀc) for the row-major `rows × columns` matrix w.
  func dualTransposeProduct(
    _ w: [Double], _ dw: [Double], _ c: [Double], _ dc: [Double], rows: Int, columns: Int
  ) -> DualVector {
    DualVector(
      value: transposeMatrixVectorKernel(w, rows: rows, columns: columns, c),
      tangent: mapElements(
        transposeMatrixVectorKernel(w, rows: rows, columns: columns, dc),
        transposeMatrixVectorKernel(dw, rows: rows, columns: columns, c)
      ) { $0 + $1 })
  }
#endif
