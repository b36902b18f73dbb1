/// Closure-based constraints cₑ(x) = 0 and cᵢ(x) ≥ 0 with dense Jacobians.
public struct FunctionConstraints: ConstraintFunctions {
  /// The number of variables n.
  public let dimension: Int
  /// The number of equality constraints.
  public let equalityCount: Int
  /// The number of inequality constraints.
  public let inequalityCount: Int
  let equalityFunction: @Sendable (Vector) -> Vector
  let inequalityFunction: @Sendable (Vector) -> Vector
  let equalityJacobianFunction: @Sendable (Vector) -> Matrix
  let inequalityJacobianFunction: @Sendable (Vector) -> Matrix

  /// Creates constraints; pass nil closures for an absent kind.
  public init(
    dimension: Int,
    equalityCount: Int = 0,
    equalities: (@Sendable (Vector) -> Vector)? = nil,
    equalityJacobian: (@Sendable (Vector) -> Matrix)? = nil,
    inequalityCount: Int = 0,
    inequalities: (@Sendable (Vector) -> Vector)? = nil,
    inequalityJacobian: (@Sendable (Vector) -> Matrix)? = nil
  ) {
    precondition(
      (equalityCount == 0) || (equalities != nil && equalityJacobian != nil),
      "\(equalityCount) equality constraints need their values and Jacobian")
    precondition(
      (inequalityCount == 0) || (inequalities != nil && inequalityJacobian != nil),
      "\(inequalityCount) inequality constraints need their values and Jacobian")
    self.dimension = dimension
    self.equalityCount = equalityCount
    self.inequalityCount = inequalityCount
    self.equalityFunction = equalities ?? { _ in Vector() }
    self.inequalityFunction = inequalities ?? { _ in Vector() }
    self.equalityJacobianFunction =
      equalityJacobian ?? { x in Matrix(rows: 0, columns: x.count) }
    self.inequalityJacobianFunction =
      inequalityJacobian ?? { x in Matrix(rows: 0, columns: x.count) }
  }

  /// cₑ(x).
  public func equalities(at x: Vector) -> Vector { equalityFunction(x) }
  /// cᵢ(x).
  public func inequalities(at x: Vector) -> Vector { inequalityFunction(x) }
  /// ∂cₑ/∂x.
  public func equalityJacobian(at x: Vector) -> Matrix { equalityJacobianFunction(x) }
  /// ∂cᵢ/∂x.
  public func inequalityJacobian(at x: Vector) -> Matrix { inequalityJacobianFunction(x) }

  /// The constraint violation max(maxⱼ|cₑⱼ(x)|, maxⱼ max(0, −cᵢⱼ(x))).
  public func violation(at x: Vector) -> Double {
    var v = 0.0
    for c in equalities(at: x) { v = Swift.max(v, Swift.abs(c)) }
    for c in inequalities(at: x) { v = Swift.max(v, -c) }
    return v
  }
}
