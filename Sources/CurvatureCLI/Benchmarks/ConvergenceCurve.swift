import Curvature

/// One iterate of a solve, for convergence curves: the objective value f(xₖ) and the first-order
/// measure the solver tests (‖∇f(xₖ)‖∞, or the stationarity residual ‖∇ₓL‖∞ of a constrained
/// solve).
public struct IterationPoint: Sendable, Hashable, Codable {
  /// The iteration number k (0 is the starting point).
  public var iteration: Int
  /// f(xₖ).
  public var value: Double
  /// The gradient (or stationarity) norm at xₖ.
  public var gradientNorm: Double

  /// A point.
  public init(iteration: Int, value: Double, gradientNorm: Double) {
    self.iteration = iteration
    self.value = value
    self.gradientNorm = gradientNorm
  }
}

/// Records the iterates a solver reports to its observer (`Observer`, called once per iteration
/// with an `IterationSummary`).
final class IterationRecorder {
  /// The points so far.
  private(set) var points: [IterationPoint] = []
  /// The factor applied to values and gradient norms: 2 for least-squares solvers, which report
  /// the cost ½‖r‖² and its gradient Jᵀr while the problems use f = ‖r‖².
  let scale: Double

  /// A recorder scaling values and gradient norms by `scale`.
  init(scale: Double = 1) { self.scale = scale }

  /// An observer that appends each summary and lets the solve go on.
  var observer: Observer {
    { [self] summary in
      points.append(
        IterationPoint(
          iteration: summary.iteration, value: scale * summary.value,
          gradientNorm: scale * summary.gradientNorm))
      return .continue
    }
  }
}

/// The iterates of one (problem, method) solve, drawn by ``Plots/convergenceCurves(_:)``.
public struct ConvergenceCurve: Sendable, Codable {
  /// The suite the problem was run in (`mgh`, `least-squares`, ...).
  public var suite: String
  /// The problem name.
  public var problem: String
  /// The method name.
  public var method: String
  /// The published optimal value f*, when known.
  public var optimalValue: Double?
  /// The iterates.
  public var points: [IterationPoint]

  /// A curve.
  public init(
    suite: String, problem: String, method: String, optimalValue: Double?,
    points: [IterationPoint]
  ) {
    self.suite = suite
    self.problem = problem
    self.method = method
    self.optimalValue = optimalValue
    self.points = points
  }

  /// The smallest gap drawn: |f − f*| below it (an exact hit, or rounding) is drawn at this floor
  /// so that the log axis can show it.
  public static let gapFloor = 1e-16

  /// The plotted distance to the optimum: |f(xₖ) − f*| (floored at ``gapFloor``), or f(xₖ) itself
  /// when f* is unknown (nil, hence not drawn, where it is not positive).
  public func gap(_ p: IterationPoint) -> Double? {
    guard p.value.isFinite else { return nil }
    if let fStar = optimalValue { return Swift.max(Swift.abs(p.value - fStar), Self.gapFloor) }
    return p.value > 0 ? p.value : nil
  }
}
