/// What ``TrainingOptions/observer`` sees after each step.
public struct TrainingProgress: Sendable {
  /// Steps taken so far.
  public var step: Int
  /// Passes spent so far.
  public var passes: Double
  /// Seconds spent in steps so far.
  public var seconds: Double
  /// The loss on the step's batch at the parameters before the step.
  public var batchLoss: Double
  /// The parameters after the step.
  public var parameters: Vector
  /// The last held-out metrics (``TrainingOptions/evaluation``), empty when none were taken.
  public var metrics: [String: Double]
}

/// The observer's answer.
public enum TrainingDecision: Sendable, Hashable {
  /// Go on.
  case proceed
  /// Stop now with ``TrainingStatus/stoppedByObserver``.
  case stop
}

/// Held-out metrics recorded in the history every ``interval`` steps (and at the start and the
/// end), outside the pass count and the clock.
public struct TrainingEvaluation: Sendable {
  /// Steps between two evaluations.
  public var interval: Int
  /// θ ↦ named metrics (e.g. "test loss", "test accuracy").
  public var metrics: @Sendable (Vector) -> [String: Double]

  /// Metrics every `interval` steps.
  ///
  /// - Precondition: `interval ≥ 1`.
  public init(every interval: Int, _ metrics: @escaping @Sendable (Vector) -> [String: Double]) {
    precondition(interval >= 1, "the evaluation interval must be at least 1, got \(interval)")
    self.interval = interval
    self.metrics = metrics
  }
}

extension NetworkObjective {
  /// Held-out metrics of this network on other data: "test loss" (the same loss, without the
  /// penalty) and, for classifiers (softmax cross-entropy, or one logistic output), "test
  /// accuracy" (``accuracy(at:)``).
  public func evaluation(inputs: Matrix, targets: Matrix, every interval: Int)
    -> TrainingEvaluation
  {
    let plain = NetworkObjective(
      network: network, inputs: inputs, targets: targets, loss: loss)
    let classifier = loss == .softmaxCrossEntropy || (loss == .logistic && targets.columns == 1)
    return TrainingEvaluation(every: interval) { x in
      var m = ["test loss": plain.value(at: x)]
      if classifier { m["test accuracy"] = plain.accuracy(at: x) }
      return m
    }
  }

  /// The fraction of samples whose largest output is at the position of the target's largest
  /// entry (ties to the first); with one output, whose logit's sign matches target > ½.
  public func accuracy(at x: Vector) -> Double {
    let z = predictions(x, inputs: inputs)
    var correct = 0
    if z.columns == 1 {
      for i in 0..<z.rows where (z[i, 0] > 0) == (targets[i, 0] > 0.5) { correct += 1 }
      return Double(correct) / Double(Swift.max(z.rows, 1))
    }
    for i in 0..<z.rows {
      var best = 0
      var label = 0
      for j in 1..<z.columns {
        if z[i, j] > z[i, best] { best = j }
        if targets[i, j] > targets[i, label] { label = j }
      }
      if best == label { correct += 1 }
    }
    return Double(correct) / Double(Swift.max(z.rows, 1))
  }
}
