import RealModule

/// A step-size schedule t ↦ ηₜ (Optax's schedules), evaluated at the update count t = 0, 1, ...
public enum Schedule: Sendable, Hashable, Codable {
  /// ηₜ = η.
  case constant(Double)
  /// ηₜ = η₀·r^(t/T), or r^⌊t/T⌋ when `staircase`.
  case exponentialDecay(initial: Double, transitionSteps: Int, decayRate: Double, staircase: Bool)
  /// ηₜ = η₀·((1 − α)·½(1 + cos(π·min(t, T)/T)) + α) (Loshchilov & Hutter 2017).
  case cosineDecay(initial: Double, decaySteps: Int, alpha: Double)
  /// Linear warm-up from `initial` to `peak` over `warmupSteps`, then cosine decay to `end` at
  /// `decaySteps` (counted from t = 0, so the cosine part lasts decaySteps − warmupSteps).
  case warmupCosineDecay(
    initial: Double, peak: Double, warmupSteps: Int, decaySteps: Int, end: Double)
  /// Linear interpolation from `initial` to `end` over `transitionSteps`, constant afterwards.
  case linear(initial: Double, end: Double, transitionSteps: Int)

  /// ηₜ at step t.
  public func value(at t: Int) -> Double {
    let step = Double(Swift.max(t, 0))
    switch self {
    case .constant(let v):
      return v
    case .exponentialDecay(let v0, let steps, let rate, let staircase):
      guard steps > 0 else { return v0 }
      var p = step / Double(steps)
      if staircase { p = p.rounded(.down) }
      return v0 * Double.pow(rate, p)
    case .cosineDecay(let v0, let steps, let alpha):
      guard steps > 0 else { return v0 }
      let c = Swift.min(step, Double(steps)) / Double(steps)
      return v0 * ((1 - alpha) * 0.5 * (1 + Double.cos(Double.pi * c)) + alpha)
    case .warmupCosineDecay(let v0, let peak, let warm, let total, let end):
      if step < Double(warm) {
        return v0 + (peak - v0) * step / Double(warm)
      }
      let span = Double(Swift.max(total - warm, 1))
      let c = Swift.min(step - Double(warm), span) / span
      return end + (peak - end) * 0.5 * (1 + Double.cos(Double.pi * c))
    case .linear(let v0, let v1, let steps):
      guard steps > 0 else { return v1 }
      let c = Swift.min(step, Double(steps)) / Double(steps)
      return v0 + (v1 - v0) * c
    }
  }
}
