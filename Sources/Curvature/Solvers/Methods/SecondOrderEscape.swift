/// The second-order stationarity logic of the line-search Newton methods: when the gradient test
/// passes, probe the curvature (``NegativeCurvatureProbe``); if a direction d of negative
/// curvature exists, take a step along it with the second-order Armijo rule of
/// `NewtonLineSearch` and keep iterating; if no acceptable step exists along d, stop with
/// ``Termination/negativeCurvatureAtStationaryPoint`` instead of calling the point a minimum.
enum SecondOrderEscape {
  /// The most escape steps in a row, each from a point that passes the gradient test, before the
  /// method gives up and reports ``Termination/negativeCurvatureAtStationaryPoint``. Leaving a
  /// saddle makes the gradient grow within a few steps; a run of steps that never does is
  /// crawling along curvature the objective does not have (an inconsistent Hessian, or one whose
  /// negative eigenvalue is far below the rounding of f), which would otherwise go on until the
  /// evaluation limit.
  static let maximumConsecutiveEscapes = 20

  /// Counts the escapes in a row (see ``maximumConsecutiveEscapes``); the methods reset it on
  /// every iteration whose gradient test fails.
  struct ConsecutiveCount {
    private var count = 0

    /// Records one more escape; false once there have been more than the maximum in a row.
    mutating func admit() -> Bool {
      count += 1
      return count <= SecondOrderEscape.maximumConsecutiveEscapes
    }

    /// Starts a new run (the gradient test failed).
    mutating func reset() { count = 0 }
  }

  /// What the caller does next.
  enum Decision {
    /// Stop with this termination.
    case stop(Termination)
    /// The escape step was accepted; iterate again.
    case `continue`
  }

  /// Runs the escape along a direction found by a probe, with the method's trial buffers.
  static func lineSearchEscape(
    _ run: inout SolverRun, along d: NegativeCurvatureDirection,
    buffers: inout NewtonLineSearch.Buffers
  ) -> Decision {
    if run.statistics.iterations >= run.options.maxIterations { return .stop(.iterationLimit) }
    if run.evaluationsExhausted { return .stop(.evaluationLimit) }
    switch NewtonLineSearch.search(
      &run, direction: d.direction, initialStep: 1, curvature: d.curvature, buffers: &buffers)
    {
    case .failure(let e):
      return .stop(
        e.termination == .evaluationLimit ? .evaluationLimit : .negativeCurvatureAtStationaryPoint)
    case .success(let o):
      let details = SolverRun.IterationDetails(
        stepLength: o.step, negativeCurvature: true)
      if let t = run.acceptSwapping(
        x: &buffers.point, value: o.value, gradient: &buffers.gradient,
        gradientNormInfinity: o.gradientNormInfinity, details: details),
        t != .gradientTolerance
      {
        return .stop(t)
      }
      return .continue
    }
  }
}
