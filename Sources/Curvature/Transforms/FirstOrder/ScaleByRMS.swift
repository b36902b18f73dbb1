/// RMSProp's scaling (Tieleman & Hinton 2012; Optax's `scale_by_rms`):
/// ν ← ρν + (1 − ρ)u², u ← u / (√ν + ε).
public struct ScaleByRMS: GradientTransformation {
  /// The running mean square ν.
  public struct State: Sendable, Codable, Equatable {
    /// ν.
    public var meanSquare: Vector
  }
  /// ρ.
  public var decay: Double
  /// ε.
  public var epsilon: Double
  /// ν₀ (every element).
  public var initialScale: Double
  /// RMSProp scaling with ρ = 0.9, ε = 1e-8.
  public init(decay: Double = 0.9, epsilon: Double = 1e-8, initialScale: Double = 0) {
    self.decay = decay
    self.epsilon = epsilon
    self.initialScale = initialScale
  }
  /// ν = ν₀.
  public func initialState(for parameters: Vector) -> State {
    State(meanSquare: Vector(repeating: initialScale, count: parameters.count))
  }
  /// ν ← ρν + (1 − ρ)u²; u ← u/(√ν + ε).
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    checkSameCount(updates.count, state.meanSquare.count)
    let (rho, eps) = (decay, epsilon)
    state.meanSquare.withUnsafeMutableBufferPointer { v in
      updates.withUnsafeMutableBufferPointer { u in
        for i in 0..<u.count {
          v[i] = rho * v[i] + (1 - rho) * u[i] * u[i]
          u[i] = u[i] / (v[i].squareRoot() + eps)
        }
      }
    }
  }
}

/// AdaGrad's scaling (Duchi, Hazan & Singer 2011; Optax's `scale_by_rss`):
/// s ← s + u², u ← u/√(s + ε) (0 where s = 0).
public struct ScaleByRootSumOfSquares: GradientTransformation {
  /// The accumulated squares s.
  public struct State: Sendable, Codable, Equatable {
    /// s.
    public var sumOfSquares: Vector
  }
  /// s₀ (every element).
  public var initialAccumulator: Double
  /// ε.
  public var epsilon: Double
  /// AdaGrad scaling with s₀ = 0.1 and ε = 1e-7 (Optax's defaults).
  public init(initialAccumulator: Double = 0.1, epsilon: Double = 1e-7) {
    self.initialAccumulator = initialAccumulator
    self.epsilon = epsilon
  }
  /// s = s₀.
  public func initialState(for parameters: Vector) -> State {
    State(sumOfSquares: Vector(repeating: initialAccumulator, count: parameters.count))
  }
  /// s ← s + u²; u ← u/√(s + ε).
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    checkSameCount(updates.count, state.sumOfSquares.count)
    let eps = epsilon
    state.sumOfSquares.withUnsafeMutableBufferPointer { s in
      updates.withUnsafeMutableBufferPointer { u in
        for i in 0..<u.count {
          s[i] += u[i] * u[i]
          u[i] = s[i] > 0 ? u[i] / (s[i] + eps).squareRoot() : 0
        }
      }
    }
  }
}
