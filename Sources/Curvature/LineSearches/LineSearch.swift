/// One evaluation of the line function φ(α) = f(x + α·p) and its derivative φ'(α) = ∇f(x + α·p)ᵀp.
///
/// A value-only evaluation (see ``LineSearch/usesDerivatives``) reports `derivative` as NaN.
public typealias LineSearchSample = (value: Double, derivative: Double)

/// A one-dimensional search for a step length α > 0 along a descent direction p, working on the
/// line function φ(α) = f(x + α·p), with φ(0) = f(x) and φ'(0) = ∇f(x)ᵀp < 0.
///
/// The search calls `phi` at trial steps; the caller evaluates f (and ∇f) at x + α·p and may keep
/// the gradient of the last trial, so that when the accepted step is the last one evaluated (the
/// common case) the method needs no extra gradient evaluation. `SolverRun.searchLine` does exactly
/// that for the methods of this package.
///
/// Every search is bounded: at most `maxEvaluations` calls of `phi`, step lengths in
/// [`minStep`, `maxStep`]; a non-finite trial value makes it shrink the step and go on.
///
/// Conditions (Nocedal & Wright, *Numerical Optimization*, 2nd ed., §3.1):
/// - sufficient decrease (Armijo): φ(α) ≤ φ(0) + c₁·α·φ'(0);
/// - strong curvature: |φ'(α)| ≤ c₂·|φ'(0)|, with 0 < c₁ < c₂ < 1.
public protocol LineSearch: Sendable {
  /// A short name for reports (`zoom`, `More-Thuente`, ...).
  var name: String { get }
  /// Whether the search reads φ'(α) at trial steps. When false, the caller may evaluate values
  /// only (and compute the gradient once, at the accepted step).
  var usesDerivatives: Bool { get }
  /// Searches along the line.
  ///
  /// - Parameters:
  ///   - phi: α ↦ (φ(α), φ'(α)).
  ///   - value0: φ(0) = f(x).
  ///   - slope0: φ'(0) = ∇f(x)ᵀp, which must be negative.
  ///   - initialStep: the first trial step α₀ > 0.
  func search(
    _ phi: (Double) -> LineSearchSample, value0: Double, slope0: Double, initialStep: Double
  ) -> LineSearchResult
}

/// Why a line search stopped.
public enum LineSearchStatus: String, Sendable, Hashable, Codable, CaseIterable {
  /// The search's acceptance conditions hold at the returned step.
  case satisfied
  /// The evaluation budget was spent; the returned step is the best point found (0 if none
  /// decreased φ).
  case maxEvaluations
  /// φ'(0) ≥ 0 (or not finite): p is not a descent direction. No evaluation was spent.
  case notDescentDirection
  /// φ(0), φ'(0) or the initial step is not finite, or the initial step is not positive.
  case invalidInput
  /// Every trial step gave NaN or ±∞, even after shrinking the step down to `minStep`.
  case nonFiniteValues
  /// The step had to go below `minStep` (the direction gives no decrease at any useful length).
  case stepTooSmall
  /// The step reached `maxStep` and φ was still decreasing: f looks unbounded below along p.
  case maximumStepReached
  /// The bracketing interval shrank to rounding level without the conditions holding.
  case intervalTooSmall
}

/// The outcome of a line search.
public struct LineSearchResult: Sendable, Hashable {
  /// The returned step α: the accepted step on success, otherwise the best step found with
  /// φ(α) < φ(0), or 0 when no trial decreased φ.
  public var step: Double
  /// φ(step) (φ(0) when step is 0).
  public var value: Double
  /// φ'(step) (NaN when the search ran on values only, φ'(0) when step is 0).
  public var derivative: Double
  /// Calls of φ.
  public var evaluations: Int
  /// Why the search stopped.
  public var status: LineSearchStatus

  /// Creates a result.
  public init(
    step: Double, value: Double, derivative: Double, evaluations: Int, status: LineSearchStatus
  ) {
    self.step = step
    self.value = value
    self.derivative = derivative
    self.evaluations = evaluations
    self.status = status
  }

  /// Whether the acceptance conditions hold.
  public var isSatisfied: Bool { status == .satisfied }

  /// Whether the returned step moves (α > 0) to a finite point that decreased φ below `value0`.
  public func decreases(from value0: Double) -> Bool {
    step > 0 && value.isFinite && value < value0
  }
}

/// Bookkeeping shared by the line searches: counts calls of φ and remembers the best finite trial
/// (lowest φ), which is what a search returns when it fails.
struct LineSearchTracker {
  let value0: Double
  let slope0: Double
  var evaluations = 0
  var bestStep = 0.0
  var bestValue: Double
  var bestDerivative: Double

  init(value0: Double, slope0: Double) {
    self.value0 = value0
    self.slope0 = slope0
    bestValue = value0
    bestDerivative = slope0
  }

  /// Evaluates φ(α), counting it and remembering it when it is the lowest finite value so far.
  mutating func evaluate(_ phi: (Double) -> LineSearchSample, _ alpha: Double) -> LineSearchSample {
    evaluations += 1
    let s = phi(alpha)
    if s.value.isFinite && s.value < bestValue && !s.derivative.isInfinite {
      bestStep = alpha
      bestValue = s.value
      bestDerivative = s.derivative
    }
    return s
  }

  /// A successful result at (α, φ, φ').
  func accept(_ alpha: Double, _ s: LineSearchSample) -> LineSearchResult {
    LineSearchResult(
      step: alpha, value: s.value, derivative: s.derivative, evaluations: evaluations,
      status: .satisfied)
  }

  /// A result with the best trial found (or step 0) and the given status.
  func fail(_ status: LineSearchStatus) -> LineSearchResult {
    LineSearchResult(
      step: bestStep, value: bestValue, derivative: bestDerivative, evaluations: evaluations,
      status: status)
  }

  /// The result when φ(0), φ'(0) or α₀ make a search impossible, or nil when they are usable.
  static func checkInput(value0: Double, slope0: Double, initialStep: Double)
    -> LineSearchResult?
  {
    if !value0.isFinite || slope0.isNaN || slope0.isInfinite || !initialStep.isFinite
      || !(initialStep > 0)
    {
      return LineSearchResult(
        step: 0, value: value0, derivative: slope0, evaluations: 0, status: .invalidInput)
    }
    if !(slope0 < 0) {
      return LineSearchResult(
        step: 0, value: value0, derivative: slope0, evaluations: 0, status: .notDescentDirection)
    }
    return nil
  }
}

/// Whether a sample is usable: finite value, and a finite derivative unless it was not computed.
func isUsable(_ s: LineSearchSample, derivatives: Bool) -> Bool {
  s.value.isFinite && (!derivatives || s.derivative.isFinite)
}
