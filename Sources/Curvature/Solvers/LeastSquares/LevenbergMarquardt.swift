/// The Levenberg-Marquardt method for min ½‖r(x)‖² (Levenberg 1944, Marquardt 1963), in the
/// trust-region form of Moré, "The Levenberg-Marquardt algorithm: implementation and theory",
/// Numerical Analysis, Lecture Notes in Mathematics 630, 1978 (the algorithm of MINPACK's
/// `lmder`).
///
/// Each iteration solves the damped linearized problem
///
///     p(λ) = argminₚ ‖J p + r‖² + λ‖D p‖²,   i.e.   (JᵀJ + λD²) p = −Jᵀr,
///
/// with λ ≥ 0 chosen so that p lies in the scaled trust region ‖D p‖ ≤ Δ (λ = 0 when the
/// Gauss-Newton step fits, otherwise ‖D p(λ)‖ ≈ Δ within 10 %). See ``Subproblem`` for how p(λ)
/// is computed. The step is judged by the ratio ρ of the actual to the predicted reduction of
/// ‖r‖², and Δ grows or shrinks with ρ (Moré 1978, section 4; Nocedal & Wright, *Numerical
/// Optimization*, 2nd ed., section 10.3).
public struct LevenbergMarquardt: LeastSquaresMethod {
  /// How the damped step p(λ) is computed.
  public enum Subproblem: String, Sendable, Hashable, Codable, CaseIterable {
    /// Dense Jacobian: one Householder QR factorization J = QR per iteration, then for each trial
    /// λ the QR factorization of the 2n × n matrix [R; √λ D] gives p(λ) (the idea of MINPACK's
    /// `qrsolv`), and λ is found by Moré's safeguarded Newton iteration on
    /// φ(λ) = ‖D p(λ)‖ − Δ. The scaling D holds the largest column norms ‖J eⱼ‖ seen so far.
    case qr
    /// Jacobian products only: preconditioned conjugate gradients on (JᵀJ + λD²)p = −Jᵀr
    /// through the operator v ↦ Jᵀ(J v) + λD²v (two Jacobian products per CG iteration), with
    /// Marquardt's scaling D² ≈ diag(JᵀJ) (exact for n ≤ 32, Hutchinson estimates otherwise) and
    /// λ adapted by the ratio test (Nielsen's rule, Madsen, Nielsen & Tingleff 2004, "Methods for
    /// non-linear least squares problems", section 3.2): λ ← λ·max(⅓, 1 − (2ρ − 1)³) after a
    /// good step, λ ← λν, ν ← 2ν after a rejected one.
    case matrixFree
  }

  /// How p(λ) is computed.
  public var subproblem: Subproblem
  /// The initial radius is `initialRadiusFactor`·‖D x₀‖ (or the factor itself when D x₀ = 0);
  /// MINPACK's `factor`, 100 by default. ``Subproblem/matrixFree`` has no radius and starts
  /// from λ₀ = 10⁻³ relative to the scaling D² ≈ diag(JᵀJ).
  public var initialRadiusFactor: Double

  /// Levenberg-Marquardt with the given subproblem solver.
  public init(_ subproblem: Subproblem = .qr, initialRadiusFactor: Double = 100) {
    precondition(
      initialRadiusFactor > 0, "initialRadiusFactor must be positive, got \(initialRadiusFactor)")
    self.subproblem = subproblem
    self.initialRadiusFactor = initialRadiusFactor
  }

  /// `Levenberg-Marquardt` or `Levenberg-Marquardt (matrix-free)`.
  public var name: String {
    subproblem == .qr ? "Levenberg-Marquardt" : "Levenberg-Marquardt (matrix-free)"
  }

  /// Runs the method.
  public func run(_ run: inout ResidualSolverRun) -> Termination {
    switch subproblem {
    case .qr: return runDense(&run)
    case .matrixFree: return runMatrixFree(&run)
    }
  }
}

extension LeastSquaresMethod where Self == LevenbergMarquardt {
  /// Levenberg-Marquardt (Moré 1978): `.levenbergMarquardt()` with a dense QR subproblem, or
  /// `.levenbergMarquardt(.matrixFree)` with conjugate gradients on Jacobian products.
  public static func levenbergMarquardt(
    _ subproblem: LevenbergMarquardt.Subproblem = .qr, initialRadiusFactor: Double = 100
  ) -> LevenbergMarquardt {
    LevenbergMarquardt(subproblem, initialRadiusFactor: initialRadiusFactor)
  }
}
