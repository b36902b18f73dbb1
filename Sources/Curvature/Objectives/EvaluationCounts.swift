/// How many times each oracle was called during a solve or a training run.
///
/// A finite-difference Hessian-vector product counts once in ``hessianVectorProducts`` and adds
/// the gradients it cost to ``differenceGradients`` (two for central, one for forward differences),
/// so that gradient-equivalent work is `gradients + differenceGradients` plus the exact products.
public struct EvaluationCounts: Sendable, Hashable, Codable {
  /// Objective values computed without a gradient.
  public var values = 0
  /// Value-and-gradient evaluations.
  public var gradients = 0
  /// Hessian-vector products, exact or by differences.
  public var hessianVectorProducts = 0
  /// Gradients spent on finite-difference Hessian-vector products.
  public var differenceGradients = 0
  /// Dense Hessian evaluations.
  public var hessians = 0
  /// Residual vector evaluations.
  public var residuals = 0
  /// Jacobian-vector and transposed-Jacobian-vector products.
  public var jacobianProducts = 0
  /// Dense Jacobian evaluations.
  public var jacobians = 0

  /// All counts zero.
  public init() {}

  /// Adds the counts of `other`.
  public static func += (a: inout EvaluationCounts, b: EvaluationCounts) {
    a.values += b.values
    a.gradients += b.gradients
    a.hessianVectorProducts += b.hessianVectorProducts
    a.differenceGradients += b.differenceGradients
    a.hessians += b.hessians
    a.residuals += b.residuals
    a.jacobianProducts += b.jacobianProducts
    a.jacobians += b.jacobians
  }
}
