import Curvature
import CurvatureAutodiff
import Testing

/// The two-spirals classifier (400 samples) and rank r's contiguous shard of its data.
private let spirals = ModelObjective.spiralsClassifier(
  data: TwoSpirals(samplesPerClass: 200), hiddenWidths: [8])

private func spiralsShard(_ c: some Collective) -> ModelObjective<DenseNetwork> {
  spirals.shard(samples: c.shard(of: spirals.sampleCount))
}

private struct TrainingOutcome: Sendable, Equatable {
  var parameters: Vector
  var loss: Double
  var steps: Int
  var passes: Double
  var status: TrainingStatus
  var counts: TrainingCounts
  var history: [Double]

  init(_ r: TrainingResult) {
    parameters = r.parameters
    loss = r.loss
    steps = r.steps
    passes = r.passes
    status = r.status
    counts = r.counts
    history = r.history.map(\.loss)
  }
}

enum ParallelTrainer: String, CaseIterable, Sendable, CustomStringConvertible {
  case hessianFree, adam
  var description: String { rawValue }
  var transformation: AnyGradientTransformation {
    switch self {
    case .hessianFree:
      return AnyGradientTransformation(
        Optimizers.hessianFree(initialDamping: 0.1, maxCGIterations: 20))
    case .adam: return AnyGradientTransformation(Optimizers.adam(learningRate: .constant(1e-2)))
    }
  }
}

@Suite("Data-parallel training")
struct DataParallelTrainingTests {
  @Test(
    "mini-batch training on sharded data is the serial run on every rank",
    arguments: ParallelTrainer.allCases, [2, 3])
  func shardedTraining(trainer: ParallelTrainer, ranks: Int) {
    let start = spirals.model.initialParameters(seed: 3)
    let options = TrainingOptions(passes: 4, batchSize: 64, seed: 5)
    let serial = TrainingOutcome(
      train(trainer.transformation, objective: spirals, from: start, options: options))
    let results = ThreadCollective.run(ranks: ranks) { c in
      let objective = try! DataParallelTrainingObjective(shard: spiralsShard(c), over: c)
      let r = train(trainer.transformation, objective: objective, from: start, options: options)
      return (TrainingOutcome(r), c.agreeBitwise(r.parameters))
    }
    for r in results {
      #expect(r.0 == results[0].0)
      #expect(r.1)
    }
    let parallel = results[0].0
    #expect(parallel.steps == serial.steps)
    #expect(parallel.counts == serial.counts)
    #expect(parallel.passes == serial.passes)
    #expect((parallel.parameters - serial.parameters).norm <= 1e-9 * serial.parameters.norm)
    #expect(abs(parallel.loss - serial.loss) <= 1e-10 * serial.loss)
    #expect(parallel.loss < serial.history[0])
  }

  @Test("the full-data loss, gradient and Gauss-Newton product are the serial ones")
  func fullDataOracle() {
    let x = spirals.model.initialParameters(seed: 4)
    let v = Vector(count: x.count) { Double($0 % 7) - 3 }
    let reference = spirals.oracle(samples: nil)
    var g = Vector.zeros(x.count)
    let f = reference.valueAndGradient(x, &g)
    var gv = Vector.zeros(x.count)
    reference.gaussNewtonProduct!(x)(v, &gv)
    let batch = [5, 399, 0, 200, 201, 17]
    let batchReference = spirals.oracle(samples: batch)
    var hv = Vector.zeros(x.count)
    batchReference.hessianVectorProduct!(x)(v, &hv)
    let results = ThreadCollective.run(ranks: 3) { c in
      let objective = try! DataParallelTrainingObjective(shard: spiralsShard(c), over: c)
      let oracle = objective.oracle(samples: nil)
      var g = Vector.zeros(x.count)
      let f = oracle.valueAndGradient(x, &g)
      var gv = Vector.zeros(x.count)
      oracle.gaussNewtonProduct!(x)(v, &gv)
      var hv = Vector.zeros(x.count)
      objective.oracle(samples: batch).hessianVectorProduct!(x)(v, &hv)
      return (objective.sampleCount, objective.sampleOffset, f, g, gv, hv)
    }
    #expect(results.map(\.0) == [400, 400, 400])
    #expect(results.map(\.1) == [0, 133, 266])
    for r in results {
      #expect(abs(r.2 - f) <= 1e-14 * f)
      #expect((r.3 - g).norm <= 1e-13 * g.norm)
      #expect((r.4 - gv).norm <= 1e-13 * gv.norm)
      #expect((r.5 - hv).norm <= 1e-13 * hv.norm)
    }
  }
}
