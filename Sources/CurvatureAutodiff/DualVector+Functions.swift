#if canImport(_Differentiation)
  import _Differentiation
  import RealModule

  // Elementwise functions y = φ(x) on dual vectors: forward φ(a) + εφ'(a)ȧ; pullback
  // v ↦ v ⊙ φ'(x) with φ'(x) = φ'(a) + εφ''(a)ȧ evaluated in dual arithmetic.
  extension DualVector {
    /// Elementwise exp: eᵃ + ε eᵃȧ.
    @differentiable(reverse)
    public func exp() -> DualVector {
      if isEmpty { return .zero }
      let e = mapElements(value) { Double.exp($0) }
      return DualVector(value: e, tangent: mapElements(e, tangent) { $0 * $1 })
    }

    /// Pullback of exp: v ↦ v ⊙ exp(x) (exp is its own derivative).
    @usableFromInline
    @derivative(of: exp)
    func _vjpExp() -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      let y = exp()
      return (y, { v in DualVector.product(v, y) })
    }

    /// Elementwise log: log a + ε ȧ/a.
    @differentiable(reverse)
    public func log() -> DualVector {
      if isEmpty { return .zero }
      let a = value
      return DualVector(
        value: mapElements(a) { Double.log($0) }, tangent: mapElements(tangent, a) { $0 / $1 })
    }

    /// Pullback of log: v ↦ v ⊘ x.
    @usableFromInline
    @derivative(of: log)
    func _vjpLog() -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      (log(), { v in DualVector.quotient(v, self) })
    }

    /// Elementwise tanh: t + ε(1 − t²)ȧ with t = tanh a.
    @differentiable(reverse)
    public func tanh() -> DualVector {
      if isEmpty { return .zero }
      let t = mapElements(value) { Double.tanh($0) }
      return DualVector(value: t, tangent: mapElements(t, tangent) { (1 - $0 * $0) * $1 })
    }

    /// Pullback of tanh: v ↦ v ⊙ (1 − y²), where 1 − y² = (1 − t²) − 2εt·ẏ in dual form.
    @usableFromInline
    @derivative(of: tanh)
    func _vjpTanh() -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      let y = tanh()
      let slope =
        y.isEmpty
        ? DualVector.zero
        : DualVector(
          value: mapElements(y.value) { 1 - $0 * $0 },
          tangent: mapElements(y.value, y.tangent) { -2 * $0 * $1 })
      return (y, { v in DualVector.product(v, slope) })
    }

    /// Elementwise φ (``ElementwiseFunction``): φ(a) + εφ'(a)ȧ.
    @differentiable(reverse,wrt: self)
    public func applying(_ function: ElementwiseFunction) -> DualVector {
      if isEmpty { return .zero }
      return applyingParts(function, value, tangent)
    }

    /// Pullback of φ: v ↦ v ⊙ φ'(x), where φ'(x) = φ'(a) + εφ''(a)ȧ.
    @usableFromInline
    @derivative(of: applying, wrt: self)
    func _vjpApplying(_ function: ElementwiseFunction)
      -> (value: DualVector, pullback: (DualVector) -> DualVector)
    {
      if isEmpty { return (.zero, { _ in .zero }) }
      // The parts are written out once for the value and the slope.
      let a = value
      let da = tangent
      let y = applyingParts(function, a, da)
      let slope = DualVector(
        value: mapElements(a) { function.derivative($0) },
        tangent: mapElements(a, da) { function.secondDerivative($0) * $1 })
      return (y, { v in DualVector.product(v, slope) })
    }

    /// Elementwise sin: sin a + ε cos a·ȧ.
    @differentiable(reverse)
    public func sin() -> DualVector { applying(.sin) }

    /// Elementwise cos: cos a − ε sin a·ȧ.
    @differentiable(reverse)
    public func cos() -> DualVector { applying(.cos) }

    /// Elementwise tan: tan a + ε(1 + tan²a)ȧ.
    @differentiable(reverse)
    public func tan() -> DualVector { applying(.tan) }

    /// Elementwise softplus: softplus(a) + ε σ(a)ȧ with the logistic function σ.
    @differentiable(reverse)
    public func softplus() -> DualVector {
      if isEmpty { return .zero }
      let a = value
      return DualVector(
        value: mapElements(a) { softplusScalar($0) },
        tangent: mapElements(a, tangent) { logisticScalar($0) * $1 })
    }

    /// Pullback of softplus: v ↦ v ⊙ σ(x), where σ(x) = σ(a) + ε σ(a)(1 − σ(a))ȧ.
    @usableFromInline
    @derivative(of: softplus)
    func _vjpSoftplus() -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      if isEmpty { return (.zero, { _ in .zero }) }
      // The parts are written out once; σ(a) serves the tangent of the value and the slope.
      let a = value
      let da = tangent
      let s = mapElements(a) { logisticScalar($0) }
      let y = DualVector(
        value: mapElements(a) { softplusScalar($0) }, tangent: mapElements(s, da) { $0 * $1 })
      let slope = DualVector(value: s, tangent: mapElements(s, da) { $0 * (1 - $0) * $1 })
      return (y, { v in DualVector.product(v, slope) })
    }

    /// Elementwise square: a² + 2εaȧ, both parts in one pass that reads a and ȧ once.
    @differentiable(reverse)
    public func squared() -> DualVector {
      if isEmpty { return .zero }
      let a = real.unembedded
      let da = epsilon.unembedded
      let (value, tangent) = mapCompactPair(
        a, da, a, da, { a, _, _, _ in a * a }, { a, da, _, _ in 2 * a * da })
      return DualVector(real: value, epsilon: tangent)
    }

    /// Pullback of x²: v ↦ v ⊙ 2x.
    @usableFromInline
    @derivative(of: squared)
    func _vjpSquared() -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      let twice = scaled(by: 2)
      return (squared(), { v in DualVector.product(v, twice) })
    }

    /// Elementwise square root: √a + ε ȧ/(2√a).
    @differentiable(reverse)
    public func squareRoot() -> DualVector {
      if isEmpty { return .zero }
      let r = mapElements(value) { $0.squareRoot() }
      return DualVector(value: r, tangent: mapElements(tangent, r) { $0 / (2 * $1) })
    }

    /// Pullback of √x: v ↦ v ⊘ (2√x).
    @usableFromInline
    @derivative(of: squareRoot)
    func _vjpSquareRoot() -> (value: DualVector, pullback: (DualVector) -> DualVector) {
      let y = squareRoot()
      let twice = y.scaled(by: 2)
      return (y, { v in DualVector.quotient(v, twice) })
    }

    /// log-sum-exp in dual arithmetic: lse(a) + ε softmax(a)ᵀȧ.
    @differentiable(reverse)
    public func logSumExp() -> DualScalar {
      let (value, p) = logSumExpAndSoftmax(self.value)
      if isEmpty { return DualScalar(value: value, tangent: 0) }
      return DualScalar(value: value, tangent: sumElements(p, tangent) { $0 * $1 })
    }

    /// φ(a) + εφ'(a)ȧ from the written-out parts.
    func applyingParts(_ function: ElementwiseFunction, _ a: [Double], _ da: [Double])
      -> DualVector
    {
      DualVector(
        value: mapElements(a) { function.value($0) },
        tangent: mapElements(a, da) { function.derivative($0) * $1 })
    }

    /// Pullback of log-sum-exp: s ↦ s·softmax(x) in dual arithmetic, where the dual softmax is
    /// p + ε p ⊙ (ȧ − pᵀȧ).
    @usableFromInline
    @derivative(of: logSumExp)
    func _vjpLogSumExp() -> (value: DualScalar, pullback: (DualScalar) -> DualVector) {
      if isEmpty { return (logSumExp(), { _ in .zero }) }
      // One softmax and one read of each part serve the value and the pullback.
      let da = tangent
      let (lse, p) = logSumExpAndSoftmax(value)
      let mean = sumElements(p, da) { $0 * $1 }  // pᵀȧ
      let y = DualScalar(value: lse, tangent: mean)
      let softmax = DualVector(value: p, tangent: mapElements(p, da) { $0 * ($1 - mean) })
      return (y, { s in softmax.scaledByDual(s) })
    }
  }
#endif
