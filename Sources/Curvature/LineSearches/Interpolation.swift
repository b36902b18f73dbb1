import RealModule

/// Step-length interpolation formulas shared by the line searches (Nocedal & Wright, 2nd ed.,
/// §3.5, "Step-length selection algorithms").
public enum StepInterpolation {
  /// The minimizer of the cubic that matches φ and φ' at two steps a and b (N&W eq. 3.59):
  ///
  ///     d₁ = φ'(a) + φ'(b) − 3(φ(a) − φ(b))/(a − b),  d₂ = sign(b − a)·√(d₁² − φ'(a)φ'(b)),
  ///     α = b − (b − a)·(φ'(b) + d₂ − d₁)/(φ'(b) − φ'(a) + 2d₂).
  ///
  /// Returns nil when the cubic has no local minimizer or the formula is not finite.
  public static func cubicMinimizer(
    _ a: Double, _ fa: Double, _ da: Double, _ b: Double, _ fb: Double, _ db: Double
  ) -> Double? {
    guard a != b else { return nil }
    let d1 = da + db - 3 * (fa - fb) / (a - b)
    let disc = d1 * d1 - da * db
    guard disc >= 0 else { return nil }
    let d2 = (b > a ? 1.0 : -1.0) * disc.squareRoot()
    let den = db - da + 2 * d2
    guard den != 0 else { return nil }
    let t = b - (b - a) * (db + d2 - d1) / den
    return t.isFinite ? t : nil
  }

  /// The minimizer of the quadratic q with q(a) = φ(a), q'(a) = φ'(a), q(b) = φ(b):
  ///
  ///     c = (φ(b) − φ(a) − φ'(a)(b − a))/(b − a)²,  α = a − φ'(a)/(2c),
  ///
  /// or nil when c ≤ 0 (no minimizer) or the result is not finite.
  public static func quadraticMinimizer(
    _ a: Double, _ fa: Double, _ da: Double, _ b: Double, _ fb: Double
  ) -> Double? {
    let h = b - a
    guard h != 0 else { return nil }
    let c = (fb - fa - da * h) / (h * h)
    guard c > 0 else { return nil }
    let t = a - da / (2 * c)
    return t.isFinite ? t : nil
  }

  /// The backtracking cubic through φ(0), φ'(0), φ(α₀) and φ(α₁) (N&W eq. 3.58 and the
  /// formula after it), with α₁ the newer step:
  ///
  ///     [a, b]ᵀ = 1/(α₀²α₁²(α₁ − α₀)) · [[α₀², −α₁²], [−α₀³, α₁³]] · [φ(α₁) − φ(0) − φ'(0)α₁,
  ///               φ(α₀) − φ(0) − φ'(0)α₀]ᵀ,
  ///     α₂ = (−b + √(b² − 3aφ'(0)))/(3a),
  ///
  /// falling back to the quadratic minimizer −φ'(0)/(2b) when a = 0. Nil when there is none.
  public static func backtrackingCubic(
    value0: Double, slope0: Double, _ a0: Double, _ f0: Double, _ a1: Double, _ f1: Double
  ) -> Double? {
    guard a0 != a1, a0 > 0, a1 > 0 else { return nil }
    let r1 = f1 - value0 - slope0 * a1
    let r0 = f0 - value0 - slope0 * a0
    let factor = 1 / (a0 * a0 * a1 * a1 * (a1 - a0))
    let a = factor * (a0 * a0 * r1 - a1 * a1 * r0)
    let b = factor * (-a0 * a0 * a0 * r1 + a1 * a1 * a1 * r0)
    var t: Double
    if a == 0 {
      guard b > 0 else { return nil }
      t = -slope0 / (2 * b)
    } else {
      let disc = b * b - 3 * a * slope0
      guard disc >= 0 else { return nil }
      // Written to avoid cancellation when b > 0.
      let root = disc.squareRoot()
      t = b > 0 ? -slope0 / (b + root) : (-b + root) / (3 * a)
    }
    return t.isFinite ? t : nil
  }
}
