import RealModule

/// Adam's preconditioning (Kingma & Ba 2015; Optax's `scale_by_adam`):
/// m ← β₁m + (1 − β₁)u, v ← β₂v + (1 − β₂)u², t ← t + 1,
/// u ← m̂ / (√(v̂ + ε_root) + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).
public struct ScaleByAdam: GradientTransformation {
  /// The moment estimates and the count.
  public struct State: Sendable, Codable, Equatable {
    /// First moment m.
    public var mean: Vector
    /// Second moment v.
    public var secondMoment: Vector
    /// Updates so far t.
    public var count: Int
  }
  /// β₁.
  public var beta1: Double
  /// β₂.
  public var beta2: Double
  /// ε outside the square root.
  public var epsilon: Double
  /// ε inside the square root.
  public var epsilonRoot: Double
  /// Adam with the usual defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
  public init(
    beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, epsilonRoot: Double = 0
  ) {
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.epsilonRoot = epsilonRoot
  }
  /// m = v = 0, t = 0.
  public func initialState(for parameters: Vector) -> State {
    State(mean: .zeros(parameters.count), secondMoment: .zeros(parameters.count), count: 0)
  }
  /// One Adam step on the direction.
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    checkSameCount(updates.count, state.mean.count)
    state.count += 1
    let t = Double(state.count)
    let c1 = 1 / (1 - Double.pow(beta1, t))
    let c2 = 1 / (1 - Double.pow(beta2, t))
    let (b1, b2, eps, epsRoot) = (beta1, beta2, epsilon, epsilonRoot)
    state.mean.withUnsafeMutableBufferPointer { m in
      state.secondMoment.withUnsafeMutableBufferPointer { v in
        updates.withUnsafeMutableBufferPointer { u in
          for i in 0..<u.count {
            let g = u[i]
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            u[i] = (m[i] * c1) / ((v[i] * c2 + epsRoot).squareRoot() + eps)
          }
        }
      }
    }
  }
}
