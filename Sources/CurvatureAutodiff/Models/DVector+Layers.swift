#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  extension DVector: DifferentiableBatchVectorProtocol {
    /// Y = X·Wᵀ with W in `self` (`outputs × inputs`) and X in `batch` (`B × inputs`).
    /// An empty W gives zeros; an empty X gives the empty (zero) vector.
    @differentiable(reverse)
    public func batchedLinear(_ batch: DVector, outputs: Int, inputs: Int) -> DVector {
      if batch.isEmpty { return .zero }
      if isEmpty { return DVector(repeating: 0, count: batch.count / inputs * outputs) }
      return DVector(batchedLinearKernel(storage, batch.storage, outputs: outputs, inputs: inputs))
    }

    /// Pullback of Y = X·Wᵀ: Ȳ ↦ (Ȳᵀ·X, Ȳ·W). W and X are written out once, in the forward
    /// pass, and shared by the pullback, which writes Ȳ out once.
    @usableFromInline
    @derivative(of: batchedLinear)
    func _vjpBatchedLinear(_ batch: DVector, outputs: Int, inputs: Int) -> (
      value: DVector, pullback: (DVector) -> (DVector, DVector)
    ) {
      let w = isEmpty ? nil : storage
      let x = batch.isEmpty ? nil : batch.storage
      let y: DVector
      if let w, let x {
        y = DVector(batchedLinearKernel(w, x, outputs: outputs, inputs: inputs))
      } else {
        y = batchedLinear(batch, outputs: outputs, inputs: inputs)
      }
      return (
        y,
        { v in
          if v.isEmpty { return (.zero, .zero) }
          let c = v.storage
          let gw =
            x.map {
              DVector(batchedLinearWeightGradient(c, $0, outputs: outputs, inputs: inputs))
            } ?? .zero
          let gx =
            w.map {
              DVector(batchedLinearInputGradient(c, $0, outputs: outputs, inputs: inputs))
            } ?? .zero
          return (gw, gx)
        }
      )
    }

    /// X + 1·bᵀ (an empty bias adds nothing).
    @differentiable(reverse)
    public func addingToEachRow(_ bias: DVector) -> DVector {
      if bias.isEmpty { return self }
      precondition(!isEmpty, "addingToEachRow: the matrix is empty, its row count is unknown")
      return DVector(addRowBiasKernel(storage, bias.storage))
    }

    /// Pullback of X + 1·bᵀ: V̄ ↦ (V̄, column sums of V̄).
    @usableFromInline
    @derivative(of: addingToEachRow)
    func _vjpAddingToEachRow(_ bias: DVector) -> (
      value: DVector, pullback: (DVector) -> (DVector, DVector)
    ) {
      let w = bias.count
      return (
        addingToEachRow(bias),
        { v in
          if v.isEmpty || w == 0 { return (v, .zero) }
          return (v, DVector(columnSumsKernel(v.storage, width: w)))
        }
      )
    }

    /// Row-wise log Σⱼ exp(zᵢⱼ) of the `B × width` matrix in `self`.
    @differentiable(reverse)
    public func rowLogSumExp(width: Int) -> DVector {
      if isEmpty { return .zero }
      return DVector(rowSoftmax(storage, width: width).lse)
    }

    /// Pullback of the row-wise log-sum-exp: ū ↦ ūᵢ·pᵢⱼ with the row softmax p (ū, usually
    /// the broadcast of a sum's pullback, is written out once, before the loop).
    @usableFromInline
    @derivative(of: rowLogSumExp)
    func _vjpRowLogSumExp(width: Int) -> (value: DVector, pullback: (DVector) -> DVector) {
      if isEmpty { return (.zero, { _ in .zero }) }
      let (lse, p) = rowSoftmax(storage, width: width)
      return (
        DVector(lse),
        { u in
          if u.isEmpty { return .zero }
          return DVector(scaleRows(p, by: u.storage, width: width))
        }
      )
    }

    /// Y = X·Wᵀ with constant X.
    @differentiable(reverse,wrt: self)
    public func batchedLinear(constantBatch batch: [Double], outputs: Int, inputs: Int)
      -> DVector
    {
      if isEmpty { return DVector(repeating: 0, count: batch.count / inputs * outputs) }
      return DVector(batchedLinearKernel(storage, batch, outputs: outputs, inputs: inputs))
    }

    /// Pullback of Y = X·Wᵀ with respect to W: Ȳ ↦ ȲᵀX.
    @usableFromInline
    @derivative(of: batchedLinear(constantBatch:outputs:inputs:), wrt: self)
    func _vjpBatchedLinearConstant(constantBatch batch: [Double], outputs: Int, inputs: Int)
      -> (value: DVector, pullback: (DVector) -> DVector)
    {
      (
        batchedLinear(constantBatch: batch, outputs: outputs, inputs: inputs),
        { v in
          v.isEmpty
            ? .zero
            : DVector(
              batchedLinearWeightGradient(v.storage, batch, outputs: outputs, inputs: inputs))
        }
      )
    }

    /// xᵀc.
    @differentiable(reverse,wrt: self)
    public func dot(constant c: [Double]) -> Double {
      if isEmpty { return 0 }
      return sumElements(storage, c) { $0 * $1 }
    }

    /// Pullback of xᵀc: s ↦ s·c.
    @usableFromInline
    @derivative(of: dot(constant:), wrt: self)
    func _vjpDotConstant(constant c: [Double]) -> (value: Double, pullback: (Double) -> DVector) {
      (dot(constant: c), { s in DVector(mapElements(c) { s * $0 }) })
    }

    /// x − c.
    @differentiable(reverse,wrt: self)
    public func subtracting(constant c: [Double]) -> DVector {
      if isEmpty { return DVector(mapElements(c) { -$0 }) }
      return DVector(mapElements(storage, c) { $0 - $1 })
    }

    /// Pullback of x − c: v ↦ v.
    @usableFromInline
    @derivative(of: subtracting(constant:), wrt: self)
    func _vjpSubtractingConstant(constant c: [Double]) -> (
      value: DVector, pullback: (DVector) -> DVector
    ) {
      (subtracting(constant: c), { v in v })
    }
  }
#endif
