#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  extension DualVector: DifferentiableBatchVectorProtocol {
    /// Y = X·Wᵀ in dual arithmetic: X·Wᵀ + ε(Ẋ·Wᵀ + X·Ẇᵀ).
    @differentiable(reverse)
    public func batchedLinear(_ batch: DualVector, outputs: Int, inputs: Int) -> DualVector {
      if batch.isEmpty { return .zero }
      if isEmpty {
        return DualVector(constant: [Double](repeating: 0, count: batch.count / inputs * outputs))
      }
      let y = batchedLinearKernel(value, batch.value, outputs: outputs, inputs: inputs)
      let a = batchedLinearKernel(value, batch.tangent, outputs: outputs, inputs: inputs)
      let b = batchedLinearKernel(tangent, batch.value, outputs: outputs, inputs: inputs)
      return DualVector(value: y, tangent: mapElements(a, b) { $0 + $1 })
    }

    /// Pullback of Y = X·Wᵀ in dual arithmetic, with V = C + εĊ:
    /// W̄ = CᵀX + ε(ĊᵀX + CᵀẊ), X̄ = C·W + ε(Ċ·W + C·Ẇ).
    @usableFromInline
    @derivative(of: batchedLinear)
    func _vjpBatchedLinear(_ batch: DualVector, outputs: Int, inputs: Int) -> (
      value: DualVector, pullback: (DualVector) -> (DualVector, DualVector)
    ) {
      let w = self
      return (
        batchedLinear(batch, outputs: outputs, inputs: inputs),
        { v in
          if v.isEmpty { return (.zero, .zero) }
          var gw = DualVector.zero
          if !batch.isEmpty {
            gw = DualVector(
              value: batchedLinearWeightGradient(
                v.value, batch.value, outputs: outputs, inputs: inputs),
              tangent: mapElements(
                batchedLinearWeightGradient(
                  v.tangent, batch.value, outputs: outputs, inputs: inputs),
                batchedLinearWeightGradient(
                  v.value, batch.tangent, outputs: outputs, inputs: inputs)
              ) { $0 + $1 })
          }
          var gx = DualVector.zero
          if !w.isEmpty {
            gx = DualVector(
              value: batchedLinearInputGradient(v.value, w.value, outputs: outputs, inputs: inputs),
              tangent: mapElements(
                batchedLinearInputGradient(v.tangent, w.value, outputs: outputs, inputs: inputs),
                batchedLinearInputGradient(v.value, w.tangent, outputs: outputs, inputs: inputs)
              ) { $0 + $1 })
          }
          return (gw, gx)
        }
      )
    }

    /// X + 1·bᵀ, applied to the value and the tangent.
    @differentiable(reverse)
    public func addingToEachRow(_ bias: DualVector) -> DualVector {
      if bias.isEmpty { return self }
      precondition(!isEmpty, "addingToEachRow: the matrix is empty, its row count is unknown")
      return DualVector(
        value: addRowBiasKernel(value, bias.value), tangent: addRowBiasKernel(tangent, bias.tangent)
      )
    }

    /// Pullback of X + 1·bᵀ (linear): V̄ ↦ (V̄, column sums of V̄), on both parts.
    @usableFromInline
    @derivative(of: addingToEachRow)
    func _vjpAddingToEachRow(_ bias: DualVector) -> (
      value: DualVector, pullback: (DualVector) -> (DualVector, DualVector)
    ) {
      let w = bias.count
      return (
        addingToEachRow(bias),
        { v in
          if v.isEmpty || w == 0 { return (v, .zero) }
          return (
            v,
            DualVector(
              value: columnSumsKernel(v.value, width: w),
              tangent: columnSumsKernel(v.tangent, width: w))
          )
        }
      )
    }

    /// Row-wise log-sum-exp in dual arithmetic: uᵢ + ε Σⱼ pᵢⱼżᵢⱼ.
    @differentiable(reverse)
    public func rowLogSumExp(width: Int) -> DualVector {
      if isEmpty { return .zero }
      let (lse, p) = rowSoftmax(value, width: width)
      let rows = lse.count
      var t = [Double](repeating: 0, count: rows)
      for i in 0..<rows {
        var s = 0.0
        for j in 0..<width { s += p[i * width + j] * tangent[i * width + j] }
        t[i] = s
      }
      return DualVector(value: lse, tangent: t)
    }

    /// Pullback of the row-wise log-sum-exp in dual arithmetic, with ū = c + εċ:
    /// z̄ᵢⱼ = cᵢpᵢⱼ + ε(ċᵢpᵢⱼ + cᵢṗᵢⱼ), where ṗᵢⱼ = pᵢⱼ(żᵢⱼ − Σₖ pᵢₖżᵢₖ).
    @usableFromInline
    @derivative(of: rowLogSumExp)
    func _vjpRowLogSumExp(width: Int) -> (
      value: DualVector, pullback: (DualVector) -> DualVector
    ) {
      if isEmpty { return (.zero, { _ in .zero }) }
      let (lse, p) = rowSoftmax(value, width: width)
      let rows = lse.count
      var pDot = [Double](repeating: 0, count: p.count)
      var t = [Double](repeating: 0, count: rows)
      for i in 0..<rows {
        var s = 0.0
        for j in 0..<width { s += p[i * width + j] * tangent[i * width + j] }
        t[i] = s
        for j in 0..<width { pDot[i * width + j] = p[i * width + j] * (tangent[i * width + j] - s) }
      }
      return (
        DualVector(value: lse, tangent: t),
        { u in
          if u.isEmpty { return .zero }
          var gv = p
          var gt = p
          for i in 0..<rows {
            for j in 0..<width {
              let k = i * width + j
              gv[k] = u.value[i] * p[k]
              gt[k] = u.tangent[i] * p[k] + u.value[i] * pDot[k]
            }
          }
          return DualVector(value: gv, tangent: gt)
        }
      )
    }

    /// Y = X·Wᵀ with constant X: X·Wᵀ + εX·Ẇᵀ.
    @differentiable(reverse,wrt: self)
    public func batchedLinear(constantBatch batch: [Double], outputs: Int, inputs: Int)
      -> DualVector
    {
      if isEmpty {
        return DualVector(constant: [Double](repeating: 0, count: batch.count / inputs * outputs))
      }
      return DualVector(
        value: batchedLinearKernel(value, batch, outputs: outputs, inputs: inputs),
        tangent: batchedLinearKernel(tangent, batch, outputs: outputs, inputs: inputs))
    }

    /// Pullback with respect to W (linear): C + εĊ ↦ CᵀX + εĊᵀX.
    @usableFromInline
    @derivative(of: batchedLinear(constantBatch:outputs:inputs:), wrt: self)
    func _vjpBatchedLinearConstant(constantBatch batch: [Double], outputs: Int, inputs: Int)
      -> (value: DualVector, pullback: (DualVector) -> DualVector)
    {
      (
        batchedLinear(constantBatch: batch, outputs: outputs, inputs: inputs),
        { v in
          v.mapLinear { batchedLinearWeightGradient($0, batch, outputs: outputs, inputs: inputs) }
        }
      )
    }

    /// xᵀc in dual arithmetic: aᵀc + εȧᵀc.
    @differentiable(reverse,wrt: self)
    public func dot(constant c: [Double]) -> DualScalar {
      if isEmpty { return .zero }
      return DualScalar(
        value: sumElements(value, c) { $0 * $1 }, tangent: sumElements(tangent, c) { $0 * $1 })
    }

    /// Pullback of xᵀc: s + εṡ ↦ s·c + εṡ·c.
    @usableFromInline
    @derivative(of: dot(constant:), wrt: self)
    func _vjpDotConstant(constant c: [Double]) -> (
      value: DualScalar, pullback: (DualScalar) -> DualVector
    ) {
      (
        dot(constant: c),
        { s in
          DualVector(
            value: mapElements(c) { s.value * $0 }, tangent: mapElements(c) { s.tangent * $0 })
        }
      )
    }

    /// x − c (the tangent is unchanged).
    @differentiable(reverse,wrt: self)
    public func subtracting(constant c: [Double]) -> DualVector {
      if isEmpty { return DualVector(constant: mapElements(c) { -$0 }) }
      return DualVector(value: mapElements(value, c) { $0 - $1 }, tangent: tangent)
    }

    /// Pullback of x − c: v ↦ v.
    @usableFromInline
    @derivative(of: subtracting(constant:), wrt: self)
    func _vjpSubtractingConstant(constant c: [Double]) -> (
      value: DualVector, pullback: (DualVector) -> DualVector
    ) {
      (subtracting(constant: c), { v in v })
    }
  }
#endif
