/// Counts oracle calls and converts them to passes (``PassCost``) for the current batch.
final class TrainingMeter {
  var counts = TrainingCounts()
  var passes = 0.0
  /// |B|/m for the current batch.
  var batchFraction = 1.0
  /// The last full-batch value-and-gradient evaluation (point, value, gradient), reused when
  /// the next step starts at the same point.
  var cachedPoint: Vector?
  var cachedValue = Double.nan
  var cachedGradient = Vector()

  func charge(_ weight: Double) { passes += weight * batchFraction }
}

/// Trains parameters with any ``GradientTransformation`` on a ``TrainingObjective``, one step per
/// mini-batch (Optax's training loop with the typed context of this package):
///
///     gₖ = ∇f_B(xₖ);  uₖ = T(gₖ; context);  xₖ₊₁ = xₖ + uₖ.
///
/// Each step's ``UpdateContext`` carries xₖ, f_B(xₖ), gₖ, the step number, a per-step seed, and
/// closures bound to the current batch: value and value-and-gradient re-evaluation (for line
/// searches and Hessian-free backtracking), and the Hessian-vector and Gauss-Newton products at
/// xₖ (prepared lazily on first use). Every call is counted and charged in gradient-equivalent
/// passes over the data set with the weights of ``PassCost`` scaled by |B|/m.
///
/// Mini-batches (``TrainingOptions/batchSize``) walk through a fresh SplitMix64 permutation of
/// the samples each epoch (the last batch of an epoch may be smaller). Full-batch training
/// caches the last value-and-gradient evaluation by point, so a step that starts where a line
/// search accepted its last trial pays nothing for f(xₖ) and ∇f(xₖ); it records the loss at
/// every step and can stop on ‖∇f‖∞. Mini-batch training records the full-data loss every
/// ``TrainingOptions/recordInterval`` passes, outside the pass count and the clock.
///
/// Bounded: stops on the pass budget, the step limit, the gradient tolerance, the target loss,
/// a non-finite loss, gradient or update (an update with a NaN or infinite element is not
/// applied, so the parameters returned are finite), a loss below
/// ``TrainingOptions/unboundedLoss`` (``TrainingStatus/unboundedBelow``), or
/// ``TrainingOptions/stallSteps`` updates of zeros in a row at a non-zero gradient
/// (``TrainingStatus/stalled``). A starting point of the wrong length or an objective without
/// parameters evaluates nothing and ends with ``TrainingStatus/invalidProblem`` and a note, as
/// `minimize` answers the same input.
public func train<T: GradientTransformation>(
  _ transformation: T, objective: some TrainingObjective, from initial: Vector,
  options: TrainingOptions = TrainingOptions()
) -> TrainingResult {
  let n = objective.dimension
  let m = objective.sampleCount
  if n == 0 || initial.count != n {
    return TrainingResult(
      parameters: initial, loss: .nan, gradientNormInfinity: .nan, steps: 0, passes: 0,
      seconds: 0, status: .invalidProblem, counts: TrainingCounts(), history: [],
      note: n == 0
        ? "The objective has no parameters."
        : "The starting point has \(initial.count) elements but the objective has \(n) parameters.")
  }
  let meter = TrainingMeter()
  let full = objective.oracle(samples: nil)
  let fullBatch = options.batchSize == nil || options.batchSize! >= m
  let clock = ContinuousClock()
  var seconds = 0.0
  var x = initial
  var state = transformation.initialState(for: x)
  var history: [TrainingRecord] = []
  var schedule =
    fullBatch
    ? nil : MiniBatchSchedule(sampleCount: m, size: options.batchSize!, seed: options.seed)
  let interval = options.recordInterval ?? (options.passes / 100)
  var nextRecord = 0.0
  var step = 0
  var status = TrainingStatus.passBudget
  var zeroUpdates = 0
  var note: String? = nil
  var lastStepCost = 0.0
  var lastMetrics: [String: Double] = [:]
  /// Held-out metrics when step k is due (nil otherwise), outside the clock and the count.
  func metricsDue(_ k: Int, force: Bool = false) -> [String: Double]? {
    guard let e = options.evaluation, force || k % e.interval == 0 else { return nil }
    lastMetrics = e.metrics(x)
    return lastMetrics
  }

  func record(_ loss: Double) {
    history.append(
      TrainingRecord(
        step: step, passes: meter.passes, seconds: seconds, loss: loss,
        metrics: metricsDue(step, force: true) ?? [:]))
  }
  /// Why a loss (and its gradient) ends training: non-finite, or below the unbounded loss.
  func lossStop(_ loss: Double, gradientFinite: Bool = true) -> TrainingStatus? {
    if !loss.isFinite || !gradientFinite { return .nonFinite }
    if loss < options.unboundedLoss { return .unboundedBelow }
    return nil
  }
  func reachedTarget(_ loss: Double) -> Bool {
    if let t = options.targetLoss, loss <= t { return true }
    return false
  }

  while true {
    if step >= options.maxSteps {
      status = .stepLimit
      break
    }
    // Stop before a step predicted (by the previous one, its gradient included) to take the
    // passes past the budget; the final point's loss below is monitoring, not charged.
    if meter.passes >= options.passes || meter.passes + lastStepCost > options.passes {
      status = .passBudget
      break
    }
    let start = clock.now
    // The batch of this step.
    let oracle: MiniBatchOracle
    if fullBatch {
      oracle = full
      meter.batchFraction = 1
    } else {
      let samples = schedule!.next()
      oracle = objective.oracle(samples: samples)
      meter.batchFraction = Double(samples.count) / Double(Swift.max(m, 1))
    }
    let passesBefore = meter.passes
    // Value and gradient at xₖ (free when a full-batch line search just evaluated it).
    var g = Vector.zeros(n)
    let f: Double
    if fullBatch, let p = meter.cachedPoint, p == x {
      f = meter.cachedValue
      g = meter.cachedGradient
    } else {
      f = oracle.valueAndGradient(x, &g)
      meter.counts.gradients += 1
      meter.charge(PassCost.gradient)
    }
    seconds += durationSeconds(clock.now - start)
    if g.count != n {
      // Checked where it enters, before any transformation reads it.
      note =
        "The objective's gradient has \(g.count) elements but the objective has \(n) parameters."
      status = .invalidProblem
      break
    }
    let due = options.evaluation.map { step % $0.interval == 0 } ?? false
    if fullBatch {
      history.append(
        TrainingRecord(
          step: step, passes: passesBefore, seconds: seconds, loss: f,
          metrics: metricsDue(step) ?? [:]))
      if let stop = lossStop(f, gradientFinite: g.isFinite) {
        status = stop
        break
      }
      if options.gradientTolerance > 0 && g.normInfinity <= options.gradientTolerance {
        status = .gradientTolerance
        break
      }
      if reachedTarget(f) {
        status = .targetLoss
        break
      }
    } else {
      if passesBefore >= nextRecord || step == 0 || due {
        let loss = full.value(x)
        history.append(
          TrainingRecord(
            step: step, passes: passesBefore, seconds: seconds, loss: loss,
            metrics: metricsDue(step) ?? [:]))
        nextRecord = passesBefore + interval
        if let stop = lossStop(loss) {
          status = stop
          break
        }
        if reachedTarget(loss) {
          status = .targetLoss
          break
        }
      }
      if let stop = lossStop(f, gradientFinite: g.isFinite) {
        status = stop
        break
      }
    }
    let stepStart = clock.now
    let context = makeContext(
      oracle: oracle, meter: meter, parameters: x, value: f, gradient: g, step: step,
      seed: options.seed, cacheEvaluations: fullBatch, budget: options.passes)
    var u = g
    transformation.update(&u, state: &state, context: context)
    // An update with a NaN or infinite element (a transform fed NaN curvature, say) is not
    // applied: the parameters stay the last finite ones, whose loss was finite.
    if !u.isFinite {
      seconds += durationSeconds(clock.now - stepStart)
      status = .nonFinite
      break
    }
    // An update of zeros where the gradient is not zero moves nothing; a run of them means the
    // transformation has given up (a failed line search), and waiting is pointless.
    if maximumMagnitude(u) == 0 && maximumMagnitude(g) > 0 {
      zeroUpdates += 1
      if zeroUpdates >= options.stallSteps {
        step += 1
        seconds += durationSeconds(clock.now - stepStart)
        status = .stalled
        break
      }
    } else {
      zeroUpdates = 0
    }
    apply(u, to: &x)
    step += 1
    seconds += durationSeconds(clock.now - stepStart)
    lastStepCost = meter.passes - passesBefore
    if let reason = transformation.stopReason(state) {
      status = reason
      break
    }
    if let observer = options.observer {
      let progress = TrainingProgress(
        step: step, passes: meter.passes, seconds: seconds, batchLoss: f, parameters: x,
        metrics: lastMetrics)
      if observer(progress) == .stop {
        status = .stoppedByObserver
        break
      }
    }
  }
  // Final monitoring (not counted).
  var g = Vector.zeros(n)
  let loss = full.valueAndGradient(x, &g)
  if !fullBatch || history.last?.step != step {
    record(loss)
  } else if options.evaluation != nil, let last = history.indices.last {
    history[last].metrics = metricsDue(step, force: true) ?? [:]
  }
  return TrainingResult(
    parameters: x, loss: loss, gradientNormInfinity: g.count == n ? g.normInfinity : .nan,
    steps: step, passes: meter.passes, seconds: seconds, status: status, counts: meter.counts,
    history: history, note: note)
}

/// The per-step context: counted closures bound to the batch and to xₖ.
private func makeContext(
  oracle: MiniBatchOracle, meter: TrainingMeter, parameters x: Vector, value f: Double,
  gradient g: Vector, step: Int, seed: UInt64, cacheEvaluations: Bool, budget: Double
) -> UpdateContext {
  let valueAt: (Vector) -> Double = { p in
    meter.counts.values += 1
    meter.charge(PassCost.value)
    return oracle.value(p)
  }
  let gradientAt: (Vector, inout Vector) -> Double = { p, out in
    meter.counts.gradients += 1
    meter.charge(PassCost.gradient)
    let v = oracle.valueAndGradient(p, &out)
    if cacheEvaluations {
      meter.cachedPoint = p
      meter.cachedValue = v
      meter.cachedGradient = out
    }
    return v
  }
  var hvp: ((Vector, inout Vector) -> Void)? = nil
  if let prepare = oracle.hessianVectorProduct {
    let product = prepare(x)
    hvp = { v, out in
      meter.counts.hessianVectorProducts += 1
      meter.charge(PassCost.hessianVectorProduct)
      product(v, &out)
    }
  }
  var gn: ((Vector, inout Vector) -> Void)? = nil
  if let prepare = oracle.gaussNewtonProduct {
    let lazy = LazyProduct()
    gn = { v, out in
      if lazy.product == nil {
        meter.counts.gaussNewtonPreparations += 1
        meter.charge(PassCost.gaussNewtonPreparation)
        lazy.product = prepare(x)
      }
      meter.counts.gaussNewtonProducts += 1
      meter.charge(PassCost.gaussNewtonProduct)
      lazy.product!(v, &out)
    }
  }
  var statistics: ((FisherEstimate) -> [LayerStatistics])? = nil
  if let layers = oracle.layerStatistics {
    let statisticsSeed = seed &+ 0xD1B5_4A32_D192_ED03 &* UInt64(step + 1)
    statistics = { estimate in
      meter.counts.layerStatistics += 1
      meter.charge(PassCost.layerStatistics)
      return layers(x, estimate, statisticsSeed)
    }
  }
  var forms: (([Vector]) -> Matrix)? = nil
  if let prepare = oracle.gaussNewtonForms {
    let lazy = LazyForms()
    forms = { directions in
      if lazy.forms == nil {
        meter.counts.gaussNewtonPreparations += 1
        meter.charge(PassCost.gaussNewtonPreparation)
        lazy.forms = prepare(x)
      }
      meter.counts.gaussNewtonForms += directions.count
      meter.charge(PassCost.gaussNewtonForm * Double(directions.count))
      return lazy.forms!(directions)
    }
  }
  return UpdateContext(
    parameters: x, value: f, gradient: g, iteration: step,
    seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(step + 1), evaluateValue: valueAt,
    evaluateGradient: gradientAt, hessianVectorProduct: hvp, gaussNewtonProduct: gn,
    layerStatistics: statistics, gaussNewtonForms: forms,
    budgetRemaining: budget.isFinite
      ? { (budget - meter.passes) / Swift.max(meter.batchFraction, .leastNormalMagnitude) } : nil)
}

/// Gauss-Newton forms prepared on first use.
private final class LazyForms {
  var forms: (([Vector]) -> Matrix)?
}

/// A product prepared on first use.
private final class LazyProduct {
  var product: ((Vector, inout Vector) -> Void)?
}

/// A duration in seconds.
private func durationSeconds(_ d: Duration) -> Double {
  let c = d.components
  return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}
