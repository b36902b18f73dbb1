/// Elementwise clipping uᵢ ← min(max(uᵢ, −c), c) (Optax's `clip`).
public struct ClipByValue: GradientTransformation {
  /// c > 0.
  public var maxAbsValue: Double
  /// Clips each element to [−c, c].
  public init(_ maxAbsValue: Double) {
    precondition(maxAbsValue >= 0, "clip bound must be non-negative, got \(maxAbsValue)")
    self.maxAbsValue = maxAbsValue
  }
  /// No state.
  public func initialState(for parameters: Vector) -> EmptyState { EmptyState() }
  /// uᵢ ← min(max(uᵢ, −c), c).
  public func update(_ updates: inout Vector, state: inout EmptyState, context: UpdateContext) {
    let c = maxAbsValue
    updates.transform { Swift.min(Swift.max($0, -c), c) }
  }
}

/// Rescales the whole direction when its norm exceeds c: u ← u·c/‖u‖₂ if ‖u‖₂ > c (Pascanu et
/// al. 2013; Optax's `clip_by_global_norm`).
public struct ClipByGlobalNorm: GradientTransformation {
  /// c > 0.
  public var maxNorm: Double
  /// Clips the Euclidean norm to `maxNorm`.
  public init(_ maxNorm: Double) {
    precondition(maxNorm > 0, "clip norm must be positive, got \(maxNorm)")
    self.maxNorm = maxNorm
  }
  /// No state.
  public func initialState(for parameters: Vector) -> EmptyState { EmptyState() }
  /// u ← u·c/‖u‖ when ‖u‖ > c.
  public func update(_ updates: inout Vector, state: inout EmptyState, context: UpdateContext) {
    let n = updates.norm
    if n > maxNorm { updates.scale(by: maxNorm / n) }
  }
}
