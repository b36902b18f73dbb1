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
      return dualBatchedLinear(
        DualParts(self), DualParts(batch), outputs: outputs, inputs: inputs)
    }

    /// Pullback of Y = X·Wᵀ in dual arithmetic, with V = C + εĊ:
    /// W̄ = CᵀX + ε(ĊᵀX + CᵀẊ), X̄ = C·W + ε(Ċ·W + C·Ẇ). The parts of W and X are written out
    /// once, in the forward pass, and shared by the pullback; products with a part known to
    /// be zero (the tangent of a constant) are skipped.
    @usableFromInline
    @derivative(of: batchedLinear)
    func _vjpBatchedLinear(_ batch: DualVector, outputs: Int, inputs: Int) -> (
      value: DualVector, pullback: (DualVector) -> (DualVector, DualVector)
    ) {
      let w = isEmpty ? nil : DualParts(self)
      let x = batch.isEmpty ? nil : DualParts(batch)
      let y: DualVector
      if let w, let x {
        y = dualBatchedLinear(w, x, outputs: outputs, inputs: inputs)
      } else {
        y = batchedLinear(batch, outputs: outputs, inputs: inputs)
      }
      return (
        y,
        { v in
          if v.isEmpty { return (.zero, .zero) }
          let c = DualParts(v)
          var gw = DualVector.zero
          if let x {
            // W̄ = CᵀX + ε(ĊᵀX + CᵀẊ).
            gw = DualVector(
              value: batchedLinearWeightGradient(
                c.value, x.value, outputs: outputs, inputs: inputs),
              tangent: sumOfProducts(
                c.tangentIsZero || x.valueIsZero
                  ? nil
                  : {
                    batchedLinearWeightGradient(
                      c.tangent, x.value, outputs: outputs, inputs: inputs)
                  },
                x.tangentIsZero
                  ? nil
                  : {
                    batchedLinearWeightGradient(
                      c.value, x.tangent, outputs: outputs, inputs: inputs)
                  },
                count: outputs * inputs))
          }
          var gx = DualVector.zero
          if let w {
            // X̄ = C·W + ε(Ċ·W + C·Ẇ).
            gx = DualVector(
              value: batchedLinearInputGradient(
                c.value, w.value, outputs: outputs, inputs: inputs),
              tangent: sumOfProducts(
                c.tangentIsZero || w.valueIsZero
                  ? nil
                  : {
                    batchedLinearInputGradient(
                      c.tangent, w.value, outputs: outputs, inputs: inputs)
                  },
                w.tangentIsZero
                  ? nil
                  : {
                    batchedLinearInputGradient(
                      c.value, w.tangent, outputs: outputs, inputs: inputs)
                  },
                count: c.value.count / outputs * inputs))
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
      let t = rowSoftmaxTangent(p, tangent, width: width, wantsProbabilityTangent: false).mean
      return DualVector(value: lse, tangent: t)
    }

    /// Pullback of the row-wise log-sum-exp in dual arithmetic, with ū = c + εċ:
    /// z̄ᵢⱼ = cᵢpᵢⱼ + ε(ċᵢpᵢⱼ + cᵢṗᵢⱼ), where ṗᵢⱼ = pᵢⱼ(żᵢⱼ − Σₖ pᵢₖżᵢₖ).
    ///
    /// The cotangent ū is usually the broadcast of the pullback of a sum (one element read
    /// for every row): its parts are written out once, before the loop, never read element by
    /// element (each read of ``value`` would write out the whole broadcast again, which made
    /// this pullback quadratic in the batch size).
    @usableFromInline
    @derivative(of: rowLogSumExp)
    func _vjpRowLogSumExp(width: Int) -> (
      value: DualVector, pullback: (DualVector) -> DualVector
    ) {
      if isEmpty { return (.zero, { _ in .zero }) }
      let (lse, p) = rowSoftmax(value, width: width)
      let (t, pDot) = rowSoftmaxTangent(p, tangent, width: width, wantsProbabilityTangent: true)
      return (
        DualVector(value: lse, tangent: t),
        { u in
          if u.isEmpty { return .zero }
          let (gv, gt) = rowSoftmaxPullback(p, pDot, u.value, u.tangent, width: width)
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
  /// The value and tangent parts of a dual vector written out once, with whether each part
  /// is known to be zero without reading it (the tangent of a constant is a broadcast zero).
  @usableFromInline
  struct DualParts {
    @usableFromInline let value: [Double]
    @usableFromInline let tangent: [Double]
    @usableFromInline let valueIsZero: Bool
    @usableFromInline let tangentIsZero: Bool

    @usableFromInline
    init(_ x: DualVector) {
      value = x.value
      tangent = x.tangent
      valueIsZero = x.real.isKnownZero
      tangentIsZero = x.epsilon.isKnownZero
    }
  }

  /// Y = X·Wᵀ + ε(Ẋ·Wᵀ + X·Ẇᵀ) from written-out parts, skipping products with a zero part.
  @usableFromInline
  func dualBatchedLinear(_ w: DualParts, _ x: DualParts, outputs: Int, inputs: Int) -> DualVector {
    let y = batchedLinearKernel(w.value, x.value, outputs: outputs, inputs: inputs)
    let tangent = sumOfProducts(
      x.tangentIsZero || w.valueIsZero
        ? nil : { batchedLinearKernel(w.value, x.tangent, outputs: outputs, inputs: inputs) },
      w.tangentIsZero || x.valueIsZero
        ? nil : { batchedLinearKernel(w.tangent, x.value, outputs: outputs, inputs: inputs) },
      count: y.count)
    return DualVector(value: y, tangent: tangent)
  }

  /// a() + b() for the products that are not known to be zero (nil); zeros of `count`
  /// elements when both are.
  @usableFromInline
  func sumOfProducts(_ a: (() -> [Double])?, _ b: (() -> [Double])?, count: Int) -> [Double] {
    switch (a, b) {
    case (let a?, let b?): return mapElements(a(), b()) { $0 + $1 }
    case (let a?, nil): return a()
    case (nil, let b?): return b()
    case (nil, nil): return [Double](repeating: 0, count: count)
    }
  }

  /// The tangent of the row-wise log-sum-exp, tᵢ = Σⱼ pᵢⱼżᵢⱼ, and (when asked) the tangent of
  /// the row softmax, ṗᵢⱼ = pᵢⱼ(żᵢⱼ − tᵢ), for the softmax p and the tangent ż of a
  /// row-major matrix with rows of `width` elements.
  @usableFromInline
  func rowSoftmaxTangent(
    _ p: [Double], _ dz: [Double], width: Int, wantsProbabilityTangent: Bool
  ) -> (mean: [Double], probabilityTangent: [Double]) {
    precondition(
      p.count == dz.count, "dimension mismatch: values \(p.count), tangents \(dz.count)")
    let rows = p.count / width
    var t = [Double](repeating: 0, count: rows)
    var pDot = [Double](repeating: 0, count: wantsProbabilityTangent ? p.count : 0)
    p.withUnsafeBufferPointer { pp in
      dz.withUnsafeBufferPointer { pz in
        t.withUnsafeMutableBufferPointer { pt in
          pDot.withUnsafeMutableBufferPointer { pd in
            for i in 0..<rows {
              let r = i * width
              var s = 0.0
              for j in 0..<width { s += pp[r + j] * pz[r + j] }
              pt[i] = s
              if wantsProbabilityTangent {
                for j in 0..<width { pd[r + j] = pp[r + j] * (pz[r + j] - s) }
              }
            }
          }
        }
      }
    }
    return (t, pDot)
  }

  /// The parts of the pullback of the dual row-wise log-sum-exp for the cotangent c + εċ
  /// (one element per row): (cᵢpᵢⱼ, ċᵢpᵢⱼ + cᵢṗᵢⱼ).
  @usableFromInline
  func rowSoftmaxPullback(
    _ p: [Double], _ pDot: [Double], _ c: [Double], _ dc: [Double], width: Int
  ) -> (value: [Double], tangent: [Double]) {
    let rows = p.count / width
    precondition(
      c.count == rows && dc.count == rows && pDot.count == p.count,
      "dimension mismatch: \(rows) rows, cotangent \(c.count) and \(dc.count)")
    var gt = [Double]()
    let gv = [Double](unsafeUninitializedCapacity: p.count) { out, written in
      gt = [Double](unsafeUninitializedCapacity: p.count) { outT, writtenT in
        p.withUnsafeBufferPointer { pp in
          pDot.withUnsafeBufferPointer { pd in
            c.withUnsafeBufferPointer { pc in
              dc.withUnsafeBufferPointer { pdc in
                guard let v = out.baseAddress, let t = outT.baseAddress else { return }
                for i in 0..<rows {
                  let (ci, dci) = (pc[i], pdc[i])
                  let r = i * width
                  for j in 0..<width {
                    (v + r + j).initialize(to: ci * pp[r + j])
                    (t + r + j).initialize(to: dci * pp[r + j] + ci * pd[r + j])
                  }
                }
              }
            }
          }
        }
        writtenT = p.count
      }
      written = p.count
    }
    return (gv, gt)
  }
#endif
