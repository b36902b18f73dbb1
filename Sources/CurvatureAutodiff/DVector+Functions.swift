#if canImport(_Differentiation)
  import _Differentiation
  import RealModule

  /// softplus(a) = log(1 + eᵃ) = max(a, 0) + log(1 + e^(−|a|)), which never overflows.
  @inlinable @inline(__always)
  func softplusScalar(_ a: Double) -> Double {
    Swift.max(a, 0) + Double.log(onePlus: Double.exp(-Swift.abs(a)))
  }

  /// σ(a) = 1 / (1 + e^(−a)), the derivative of softplus, evaluated without overflow.
  @inlinable @inline(__always)
  func logisticScalar(_ a: Double) -> Double {
    if a >= 0 { return 1 / (1 + Double.exp(-a)) }
    let e = Double.exp(a)
    return e / (1 + e)
  }

  // Elementwise functions y = φ(x) with pullbacks v ↦ v ⊙ φ'(x). Empty in, empty out.
  extension DVector {
    /// Elementwise exp(xᵢ).
    @differentiable(reverse)
    public func exp() -> DVector { mapCompact(unembedded) { Double.exp($0) } }

    @usableFromInline
    @derivative(of: exp)
    func _vjpExp() -> (value: DVector, pullback: (DVector) -> DVector) {
      let y = exp()
      return (y, { v in v * y })
    }

    /// Elementwise log(xᵢ).
    @differentiable(reverse)
    public func log() -> DVector { mapCompact(unembedded) { Double.log($0) } }

    @usableFromInline
    @derivative(of: log)
    func _vjpLog() -> (value: DVector, pullback: (DVector) -> DVector) {
      (
        log(),
        { v in v.isEmpty ? .zero : mapCompact(v.unembedded, unembedded) { $0 / $1 } }
      )
    }

    /// Elementwise tanh(xᵢ).
    @differentiable(reverse)
    public func tanh() -> DVector { mapCompact(unembedded) { Double.tanh($0) } }

    /// Pullback of tanh: v ↦ v ⊙ (1 − y²).
    @usableFromInline
    @derivative(of: tanh)
    func _vjpTanh() -> (value: DVector, pullback: (DVector) -> DVector) {
      let y = tanh()
      return (
        y,
        { v in
          v.isEmpty ? .zero : mapCompact(v.unembedded, y) { $0 * (1 - $1 * $1) }
        }
      )
    }

    /// Elementwise softplus(xᵢ) = log(1 + exp(xᵢ)), computed without overflow.
    @differentiable(reverse)
    public func softplus() -> DVector { mapCompact(unembedded) { softplusScalar($0) } }

    /// Pullback of softplus: v ↦ v ⊙ σ(x) with the logistic function σ.
    @usableFromInline
    @derivative(of: softplus)
    func _vjpSoftplus() -> (value: DVector, pullback: (DVector) -> DVector) {
      (
        softplus(),
        { v in
          v.isEmpty ? .zero : mapCompact(v.unembedded, unembedded) { $0 * logisticScalar($1) }
        }
      )
    }

    /// Elementwise φ(xᵢ) (``ElementwiseFunction``).
    @differentiable(reverse,wrt: self)
    public func applying(_ function: ElementwiseFunction) -> DVector {
      mapCompact(unembedded) { function.value($0) }
    }

    /// Pullback of φ: v ↦ v ⊙ φ'(x).
    @usableFromInline
    @derivative(of: applying, wrt: self)
    func _vjpApplying(_ function: ElementwiseFunction)
      -> (value: DVector, pullback: (DVector) -> DVector)
    {
      (
        applying(function),
        { v in
          v.isEmpty ? .zero : mapCompact(v.unembedded, unembedded) { $0 * function.derivative($1) }
        }
      )
    }

    /// Elementwise sin(xᵢ).
    @differentiable(reverse)
    public func sin() -> DVector { applying(.sin) }

    /// Elementwise cos(xᵢ).
    @differentiable(reverse)
    public func cos() -> DVector { applying(.cos) }

    /// Elementwise tan(xᵢ).
    @differentiable(reverse)
    public func tan() -> DVector { applying(.tan) }

    /// Elementwise xᵢ².
    @differentiable(reverse)
    public func squared() -> DVector { mapCompact(unembedded) { $0 * $0 } }

    /// Pullback of x²: v ↦ 2 v ⊙ x.
    @usableFromInline
    @derivative(of: squared)
    func _vjpSquared() -> (value: DVector, pullback: (DVector) -> DVector) {
      (
        squared(),
        { v in
          v.isEmpty ? .zero : mapCompact(v.unembedded, unembedded) { 2 * $0 * $1 }
        }
      )
    }

    /// Elementwise √xᵢ.
    @differentiable(reverse)
    public func squareRoot() -> DVector { mapCompact(unembedded) { $0.squareRoot() } }

    /// Pullback of √x: v ↦ v ⊘ (2√x).
    @usableFromInline
    @derivative(of: squareRoot)
    func _vjpSquareRoot() -> (value: DVector, pullback: (DVector) -> DVector) {
      let y = squareRoot()
      return (
        y,
        { v in
          v.isEmpty ? .zero : mapCompact(v.unembedded, y) { $0 / (2 * $1) }
        }
      )
    }

    /// log Σᵢ exp(xᵢ) = m + log Σᵢ exp(xᵢ − m), m = maxᵢ xᵢ (−∞ for the empty vector).
    @differentiable(reverse)
    public func logSumExp() -> Double { logSumExpAndSoftmax(storage).value }

    /// Pullback of log-sum-exp: v ↦ v·softmax(x).
    @usableFromInline
    @derivative(of: logSumExp)
    func _vjpLogSumExp() -> (value: Double, pullback: (Double) -> DVector) {
      let (value, p) = logSumExpAndSoftmax(storage)
      return (value, { v in DVector(p).scaled(by: v) })
    }
  }

  /// log Σ exp(aᵢ) and softmax(a), shifted by the maximum so that nothing overflows.
  @inlinable
  func logSumExpAndSoftmax(_ a: [Double]) -> (value: Double, softmax: [Double]) {
    guard let m = a.max(), m.isFinite else {
      return (a.isEmpty ? -.infinity : (a.max() ?? .nan), a.map { _ in .nan })
    }
    let e = mapElements(a) { Double.exp($0 - m) }
    let s = sumElements(e)
    return (m + Double.log(s), mapElements(e) { $0 / s })
  }
#endif
