import Curvature
import RealModule

/// A test problem from the literature: objective, starting point and published optimum.
///
/// Sum-of-squares problems follow the Moré-Garbow-Hillstrom convention f(x) = Σ rᵢ(x)² (no ½),
/// so that f* matches the paper and the peer harness (../shared/peers/PROBLEMS.md); their
/// residual form is in ``residuals``.
public struct TestProblem: Sendable, Identifiable {
  /// The name shared with the peer harness, e.g. `rosenbrock` or `ext_rosenbrock_n10`.
  public let name: String
  /// The collection: `mgh`, `large` (scalable), `logreg`, `hs` (Hock-Schittkowski), `cutest`
  /// (scalable CUTEst problems outside the peer suites).
  public let collection: String
  /// The problem's number in its source (MGH numbering), if any.
  public let number: Int?
  /// The standard starting point x₀.
  public let startingPoint: Vector
  /// The published optimal value f*, when known.
  public let optimalValue: Double?
  /// A published minimizer x*, when known.
  public let minimizer: Vector?
  /// Values of other local minima that solvers commonly reach (e.g. Freudenstein-Roth 48.98).
  public let localMinima: [Double]
  /// The bibliographic source.
  public let source: String
  /// Value, gradient and exact Hessian-vector products (and a dense Hessian where offered).
  public let objective: FunctionObjective
  /// The residual form r(x) with its Jacobian, for sum-of-squares problems.
  public let residuals: FunctionResiduals?

  /// Creates a problem.
  public init(
    name: String, collection: String, number: Int? = nil, startingPoint: Vector,
    optimalValue: Double?, minimizer: Vector? = nil, localMinima: [Double] = [],
    source: String, objective: FunctionObjective, residuals: FunctionResiduals? = nil
  ) {
    precondition(
      startingPoint.count == objective.dimension,
      "dimension mismatch: starting point has \(startingPoint.count) elements, objective \(objective.dimension)"
    )
    self.name = name
    self.collection = collection
    self.number = number
    self.startingPoint = startingPoint
    self.optimalValue = optimalValue
    self.minimizer = minimizer
    self.localMinima = localMinima
    self.source = source
    self.objective = objective
    self.residuals = residuals
  }

  /// The identifier (the name).
  public var id: String { name }
  /// The number of variables n.
  public var dimension: Int { objective.dimension }
  /// The number of residuals m, for sum-of-squares problems.
  public var residualCount: Int? { residuals?.residualCount }

  /// The log relative error LRE = −log₁₀(|f − f*| / |f*|), or −log₁₀|f| when f* = 0, capped at 15
  /// (the score Ceres and the NIST tests use; LRE ≥ 4 counts as solved). Nil without f*.
  public func logRelativeError(of value: Double) -> Double? {
    guard let fStar = optimalValue else { return nil }
    guard value.isFinite else { return 0 }
    let err = fStar == 0 ? Swift.abs(value) : Swift.abs(value - fStar) / Swift.abs(fStar)
    if err == 0 { return 15 }
    return Swift.max(0, Swift.min(15, -Double.log10(err)))
  }
}
