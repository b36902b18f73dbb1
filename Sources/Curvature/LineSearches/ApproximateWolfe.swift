/// Hager and Zhang's approximate Wolfe conditions with CG_DESCENT's constants (SIAM J. Optim.
/// 16(1), 2005, eq. 4.5), as the Newton search and the trust regions use them near the floor of
/// f: a trial whose change of f is at most εₖ = ε·|f| is acceptable when
///
///     σ·φ'(0) ≤ φ'(α) ≤ (2δ − 1)·φ'(0),   ε = 10⁻⁶, δ = 0.1, σ = 0.9,
///
/// which certifies a decrease to first order where f itself is rounding noise. (``HagerZhang``
/// and ``MoreThuente`` carry their own configurable constants.)
enum ApproximateWolfe {
  /// ε of εₖ = ε·|f|.
  static let epsilon = 1e-6
  /// δ.
  static let delta = 0.1
  /// σ.
  static let sigma = 0.9

  /// Whether the derivative φ'(α) at the trial satisfies the conditions for φ'(0) = `slope0`.
  static func holds(derivative: Double, slope0: Double) -> Bool {
    derivative >= sigma * slope0 && derivative <= (2 * delta - 1) * slope0
  }
}
