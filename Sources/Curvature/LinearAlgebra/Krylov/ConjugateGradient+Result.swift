extension ConjugateGradient {
  /// Why a conjugate gradient solve stopped.
  public enum Termination: Sendable, Hashable {
    /// The residual met the tolerance: ‖b − Ax‖ ≤ max(η‖b‖, absoluteTolerance).
    case converged
    /// A direction p with pᵀAp < 0 (within the curvature threshold): A is not positive definite.
    case negativeCurvature
    /// A direction p with 0 ≤ pᵀAp ≤ ε‖p‖², ε the curvature threshold: A is (numerically)
    /// singular along p.
    case zeroCurvature
    /// A relative-progress test on the quadratic model fired: Martens' (see ``MartensStopping``)
    /// or Nash and Sofer's quadratic test (see ``ConjugateGradient/quadraticTest``).
    case relativeProgress
    /// The iteration limit was reached first.
    case maxIterations
    /// The right-hand side, the initial guess, an operator output or a recurrence value was NaN or
    /// infinite. The solution is the last finite iterate.
    case nonFinite
    /// The preconditioner gave rᵀM⁻¹r ≤ 0 for r ≠ 0, so M⁻¹ is not positive definite.
    case preconditionerNotPositive

    /// Whether the solve met its residual tolerance.
    public var isConverged: Bool { self == .converged }

    /// Whether CG stopped on a direction of non-positive curvature (negative or zero).
    public var isNonPositiveCurvature: Bool { self == .negativeCurvature || self == .zeroCurvature }
  }

  /// Martens' relative-progress stopping rule for Hessian-free optimization (Martens 2010).
  ///
  /// With q(x) = ½xᵀAx − bᵀx the quadratic whose minimizer CG approaches, stop at iteration i when
  ///
  ///     i > k,   q(xᵢ) < 0   and   (q(xᵢ) − q(xᵢ₋ₖ)) / q(xᵢ) < k·ε,   k = max(kₘᵢₙ, ⌊f·i⌋),
  ///
  /// that is, when the average relative decrease of q over the last k iterations falls below ε.
  /// Martens uses ε = 5·10⁻⁴, kₘᵢₙ = 10 and f = 0.1.
  public struct MartensStopping: Sendable, Hashable {
    /// ε, the average relative decrease per iteration below which CG stops.
    public var tolerance: Double
    /// kₘᵢₙ, the smallest window.
    public var minimumWindow: Int
    /// f, the window as a fraction of the iteration count.
    public var windowFraction: Double

    /// The rule with Martens' constants by default (ε = 5·10⁻⁴, kₘᵢₙ = 10, f = 0.1).
    public init(tolerance: Double = 5e-4, minimumWindow: Int = 10, windowFraction: Double = 0.1) {
      precondition(tolerance >= 0, "Martens tolerance must be non-negative, got \(tolerance)")
      precondition(minimumWindow >= 1, "Martens window must be at least 1, got \(minimumWindow)")
      self.tolerance = tolerance
      self.minimumWindow = minimumWindow
      self.windowFraction = windowFraction
    }

    /// The window k = max(kₘᵢₙ, ⌊f·i⌋) at iteration i.
    public func window(atIteration i: Int) -> Int {
      Swift.max(minimumWindow, Int(windowFraction * Double(i)))
    }
  }

  /// An iterate kept for backtracking: Martens' Hessian-free method evaluates the true objective
  /// at a few stored CG iterates and keeps the best (Martens 2010).
  public struct Snapshot: Sendable, Hashable {
    /// The CG iteration i at which the iterate was recorded (0 is the initial guess).
    public var iteration: Int
    /// The iterate xᵢ.
    public var x: Vector
    /// The quadratic model value q(xᵢ) = ½xᵢᵀAxᵢ − bᵀxᵢ.
    public var modelValue: Double
  }

  /// The outcome of a conjugate gradient solve.
  public struct Result: Sendable {
    /// The last iterate x (the solution when ``termination`` is `.converged`). When CG stops on
    /// non-positive curvature from the zero initial guess this is the iterate reached before the
    /// bad direction; for a Newton system A p = −g it is then still a descent direction (zero if
    /// curvature failed at the first iteration).
    public var solution: Vector
    /// Why the solve stopped.
    public var termination: Termination
    /// The number of CG iterations (updates of x) performed.
    public var iterations: Int
    /// ‖r‖ = ‖b − Ax‖ of the returned solution, from the residual recurrence.
    public var residualNorm: Double
    /// ‖b‖, the reference of the relative tolerance.
    public var rhsNorm: Double
    /// The direction p with pᵀAp ≤ ε‖p‖² when CG stopped on non-positive curvature, else nil.
    public var negativeCurvatureDirection: Vector?
    /// The Rayleigh quotient pᵀAp/‖p‖² of that direction, else nil.
    public var curvature: Double?
    /// q(x) = ½xᵀAx − bᵀx at the returned solution, computed as −½xᵀ(b + r) from the residual
    /// recurrence r = b − Ax.
    public var modelValue: Double
    /// Iterates recorded at geometrically spaced iterations (see
    /// ``ConjugateGradient/snapshotGrowth``), in increasing order of iteration and always ending
    /// with the returned solution; empty when snapshots are off.
    public var snapshots: [Snapshot]
    /// The number of applications of the operator A.
    public var operatorApplications: Int
    /// The number of applications of the preconditioner M⁻¹.
    public var preconditionerApplications: Int
  }
}
