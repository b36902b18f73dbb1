/// A scalar function f: ℝⁿ → ℝ to be minimized.
///
/// Conform to the refinements to say what else a problem offers: ``DifferentiableObjective``
/// (gradient), ``HessianVectorProductObjective`` (products ∇²f(x)·v), ``TwiceDifferentiableObjective``
/// (a dense Hessian). Solvers convert any of them to ``FunctionObjective``, which holds closures
/// and is what every method consumes, so a method never needs to know where derivatives come from.
public protocol Objective: Sendable {
  /// The number of variables n.
  var dimension: Int { get }
  /// f(x).
  func value(at x: Vector) -> Double
}

/// An objective with a gradient.
public protocol DifferentiableObjective: Objective {
  /// Returns f(x) and writes ∇f(x) into `gradient` (which the callee resizes to n if needed).
  func value(at x: Vector, gradient: inout Vector) -> Double
}

/// An objective with Hessian-vector products ∇²f(x)·v.
public protocol HessianVectorProductObjective: DifferentiableObjective {
  /// Writes ∇²f(x)·v into `result` (resized to n if needed).
  func hessianVectorProduct(at x: Vector, direction v: Vector, into result: inout Vector)
}

/// An objective with a dense Hessian, for small n.
public protocol TwiceDifferentiableObjective: DifferentiableObjective {
  /// The n × n Hessian ∇²f(x).
  func hessian(at x: Vector) -> Matrix
}

/// A residual function r: ℝⁿ → ℝᵐ with Jacobian products, the input of least-squares solvers and
/// the source of Gauss-Newton curvature products Jᵀ(J·v).
public protocol ResidualFunction: Sendable {
  /// The number of variables n.
  var dimension: Int { get }
  /// The number of residuals m.
  var residualCount: Int { get }
  /// Writes r(x) into `residuals` (resized to m if needed).
  func residuals(at x: Vector, into residuals: inout Vector)
  /// Writes J(x)·v (length m) into `result`.
  func jacobianProduct(at x: Vector, direction v: Vector, into result: inout Vector)
  /// Writes J(x)ᵀ·w (length n) into `result`.
  func jacobianTransposeProduct(at x: Vector, vector w: Vector, into result: inout Vector)
}

/// A residual function that can form its m × n Jacobian densely.
public protocol DenseJacobianResidualFunction: ResidualFunction {
  /// The m × n Jacobian J(x), with Jᵢⱼ = ∂rᵢ/∂xⱼ.
  func jacobian(at x: Vector) -> Matrix
}

extension DenseJacobianResidualFunction {
  /// J(x)·v from the dense Jacobian.
  public func jacobianProduct(at x: Vector, direction v: Vector, into result: inout Vector) {
    result = jacobian(at: x) * v
  }

  /// J(x)ᵀ·w from the dense Jacobian.
  public func jacobianTransposeProduct(at x: Vector, vector w: Vector, into result: inout Vector) {
    result = jacobian(at: x).transposeMultiply(w)
  }
}

/// Constraint functions c(x) for constrained optimization: equalities cₑ(x) = 0 and inequalities
/// cᵢ(x) ≥ 0, with their dense Jacobians.
public protocol ConstraintFunctions: Sendable {
  /// The number of variables n.
  var dimension: Int { get }
  /// The number of equality constraints.
  var equalityCount: Int { get }
  /// The number of inequality constraints (written cᵢ(x) ≥ 0).
  var inequalityCount: Int { get }
  /// The equality constraint values cₑ(x).
  func equalities(at x: Vector) -> Vector
  /// The inequality constraint values cᵢ(x).
  func inequalities(at x: Vector) -> Vector
  /// The equality Jacobian (equalityCount × n).
  func equalityJacobian(at x: Vector) -> Matrix
  /// The inequality Jacobian (inequalityCount × n).
  func inequalityJacobian(at x: Vector) -> Matrix
}
