// curvature-mpi: replicated solves and training on data split across MPI ranks, and the sum's
// bandwidth. Build once, then launch one process per rank:
//
//   swift build -c release --package-path Integrations/CurvatureMPI
//   mpirun -np 2 Integrations/CurvatureMPI/.build/release/curvature-mpi solve \
//     --samples 1000000 --features 100 --method lbfgs
//   mpirun -np 2 Integrations/CurvatureMPI/.build/release/curvature-mpi allreduce --count 10000000
//
// Only rank 0 writes to standard output (one writer per stream); errors go to standard error.
import CommandLineSupport
import Curvature
import CurvatureAutodiff
import CurvatureMPI
import CurvatureProblems
import RealModule

#if canImport(Glibc)
  import Glibc
#endif

let usage = """
  usage: curvature-mpi solve [--samples M] [--features D] [--method lbfgs|newton-cg|trust-ncg|hessian-free]
                             [--reduction reduce-broadcast|rank-ordered|native] [--gtol T] [--repeat K]
                             [--compare-serial]
         curvature-mpi train [--optimizer hf|adam|lbfgs] [--passes P] [--batch-size B] [--seed S]
         curvature-mpi allreduce [--count N] [--repeat K]
  Logistic regression (the seeded synthetic data of the peer harness, λ = 1e-3) with M samples
  split into contiguous shards, one per rank; every rank runs the same solve. `train` trains the
  two-spirals classifier (tanh MLP 2-32-32-2, 2000 samples, split into shards) with `train` on
  DataParallelTrainingObjective: the batches are the serial run's, drawn from global indices.
  """

func fail(_ message: String) -> Never {
  writeToStandardError("curvature-mpi: \(message)\n")
  exit(2)
}

func seconds(_ d: Duration) -> Double {
  Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func reduction(named name: String) -> MPIReduction {
  switch name {
  case "reduce-broadcast": return .reduceThenBroadcast
  case "rank-ordered": return .rankOrdered
  case "native": return .native
  default: fail("unknown reduction '\(name)' (reduce-broadcast, rank-ordered, native)")
  }
}

/// One solve of `objective` with the named method; Hessian-free runs through `train`.
func solve<F: HessianVectorProductObjective>(
  _ objective: F, method: String, gradientTolerance: Double
) -> (x: Vector, value: Double, gradientNorm: Double, iterations: Int, stop: String, counts: [Int])
{
  var options = MinimizeOptions()
  options.gradientTolerance = gradientTolerance
  let s: Solution
  switch method {
  case "lbfgs":
    s = minimize(objective, from: .zeros(objective.dimension), using: LBFGS(), options: options)
  case "newton-cg":
    s = minimize(objective, from: .zeros(objective.dimension), using: NewtonCG(), options: options)
  case "trust-ncg":
    s = minimize(
      objective, from: .zeros(objective.dimension), using: TrustRegion(subproblem: .steihaug),
      options: options)
  case "hessian-free":
    let r = train(
      Optimizers.hessianFree(curvature: .hessian, initialDamping: 1e-3, maxCGIterations: 250),
      objective: DeterministicTrainingObjective(objective), from: .zeros(objective.dimension),
      options: TrainingOptions(passes: 10_000, maxSteps: 200, gradientTolerance: gradientTolerance))
    let c = r.counts
    return (
      r.parameters, r.loss, r.gradientNormInfinity, r.steps, r.status.rawValue,
      [c.values, c.gradients, c.hessianVectorProducts]
    )
  default: fail("unknown method '\(method)' (lbfgs, newton-cg, trust-ncg, hessian-free)")
  }
  let e = s.statistics.evaluations
  return (
    s.x, s.value, s.gradientNorm, s.statistics.iterations, s.termination.rawValue,
    [e.values, e.gradients, e.hessianVectorProducts]
  )
}

func runSolve(_ options: inout CommandLineOptions, world: MPICommunicator) throws {
  let m = try options.int("samples", default: 100_000)
  let d = try options.int("features", default: 100)
  let method = options.string("method", default: "lbfgs")
  let tolerance = try options.double("gtol", default: 1e-6)
  let repeats = try options.int("repeat", default: 1)
  let compareSerial = options.flag("compare-serial")
  var world = world
  world.reduction = reduction(named: options.string("reduction", default: "reduce-broadcast"))
  try options.finish()
  guard m > 0, d > 0, repeats > 0 else {
    fail("--samples, --features and --repeat must be positive")
  }
  let collective = CountingCollective(world)
  let clock = ContinuousClock()
  let setupStart = clock.now
  let shard = LogisticRegression.synthetic(samples: m, features: d, rows: world.shard(of: m))
  let objective = try DataParallelObjective(
    meanOf: shard, samples: shard.sampleCount, over: collective)
  let setup = seconds(clock.now - setupStart)
  var times: [Double] = []
  // One untimed solve first (page faults of fresh buffers, as the benchmarks report warm runs).
  var result = solve(objective, method: method, gradientTolerance: tolerance)
  var sums = 0
  var words = 0
  for _ in 0..<repeats {
    try world.barrier()
    let before = (collective.sums, collective.words)
    let start = clock.now
    result = solve(objective, method: method, gradientTolerance: tolerance)
    // The slowest rank's time is the job's.
    times.append(try maximum(seconds(clock.now - start), world))
    (sums, words) = (collective.sums - before.0, collective.words - before.1)
  }
  let agree =
    world.agreeBitwise(result.x)
    && world.agreeBitwise(Vector(([result.iterations] + result.counts).map(Double.init)))
  if world.rank == 0 {
    let best = times.min()!
    let median = times.sorted()[times.count / 2]
    print(
      "ranks \(world.size), reduction \(world.reduction.rawValue), m = \(m), d = \(d), method \(method)"
    )
    print("setup (shard generation) \(format(setup)) s on rank 0")
    print(
      "stop \(result.stop), iterations \(result.iterations), values/gradients/products \(result.counts), "
        + "f = \(result.value), ‖∇f‖∞ = \(result.gradientNorm)")
    print(
      "sums per solve \(sums), words \(words) (\(format(Double(words) * 8 / 1e6)) MB)")
    print(
      "solve seconds: min \(format(best)), median \(format(median)) over \(repeats); per iteration "
        + "min \(format(best / Double(max(result.iterations, 1)) * 1e3)) ms")
    print("ranks agree bit for bit: \(agree ? "yes" : "NO")")
  }
  if !agree { world.abort("the ranks' solves differ") }
  if compareSerial {
    // Rank 0 solves the concatenated data on its own; the others wait.
    if world.rank == 0 {
      let full = LogisticRegression.synthetic(samples: m, features: d)
      let serial = solve(full, method: method, gradientTolerance: tolerance)
      let difference = (result.x - serial.x).norm / max(serial.x.norm, 1e-300)
      print(
        "serial solve: stop \(serial.stop), iterations \(serial.iterations), f = \(serial.value); "
          + "‖x − x_serial‖/‖x_serial‖ = \(difference)")
    }
    try world.barrier()
  }
}

/// The largest of `value` over the ranks (one sum of p words).
func maximum(_ value: Double, _ world: MPICommunicator) throws -> Double {
  var words = Vector.zeros(world.size)
  words[world.rank] = value
  try world.allreduceSum(&words)
  return words.max()!
}

/// x with four significant digits.
func format(_ x: Double) -> String {
  guard x.isFinite, x != 0 else { return "\(x)" }
  let digits = 3 - Int((Double.log10(abs(x))).rounded(.down))
  let scale = Double.pow(10, Double(digits))
  return "\((x * scale).rounded() / scale)"
}

func runTrain(_ options: inout CommandLineOptions, world: MPICommunicator) throws {
  let name = options.string("optimizer", default: "hf")
  let passes = try options.double("passes", default: 50)
  let batch = try options.int("batch-size", default: name == "lbfgs" ? 0 : 500)
  let seed = try options.int("seed", default: 1)
  try options.finish()
  guard passes > 0, batch >= 0, seed >= 0 else {
    fail("--passes must be positive, --batch-size and --seed non-negative")
  }
  let transformation: AnyGradientTransformation
  switch name {
  case "hf":
    transformation = AnyGradientTransformation(
      Optimizers.hessianFree(initialDamping: 0.1, maxCGIterations: 50))
  case "adam":
    transformation = AnyGradientTransformation(Optimizers.adam(learningRate: .constant(1e-2)))
  case "lbfgs": transformation = AnyGradientTransformation(Optimizers.lbfgs())
  default: fail("unknown optimizer '\(name)' (hf, adam, lbfgs)")
  }
  let spirals = ModelObjective.spiralsClassifier()
  let local = spirals.shard(samples: world.shard(of: spirals.sampleCount))
  let objective = try DataParallelTrainingObjective(shard: local, over: world)
  let start = spirals.model.initialParameters(seed: UInt64(seed))
  let r = train(
    transformation, objective: objective, from: start,
    options: TrainingOptions(
      passes: passes, batchSize: batch == 0 ? nil : batch, seed: UInt64(seed)))
  let agree = world.agreeBitwise(Vector(r.parameters.storage + [r.loss, Double(r.steps)]))
  let slowest = try maximum(r.seconds, world)
  if world.rank == 0 {
    print(
      "ranks \(world.size), optimizer \(name), samples \(objective.sampleCount), batch \(batch == 0 ? "full" : "\(batch)")"
    )
    print(
      "stop \(r.status.rawValue), steps \(r.steps), passes \(format(r.passes)), loss \(r.loss), ‖∇f‖∞ \(r.gradientNormInfinity)"
    )
    print("seconds \(format(slowest)) (slowest rank)")
    print("ranks agree bit for bit: \(agree ? "yes" : "NO")")
  }
  if !agree { world.abort("the ranks' runs differ") }
}

func runAllreduce(_ options: inout CommandLineOptions, world: MPICommunicator) throws {
  let n = try options.int("count", default: 10_000_000)
  let repeats = try options.int("repeat", default: 5)
  try options.finish()
  guard n > 0, repeats > 0 else { fail("--count and --repeat must be positive") }
  let clock = ContinuousClock()
  if world.rank == 0 {
    print(
      "ranks \(world.size), \(n) words (\(format(Double(n) * 8 / 1e6)) MB) per sum, best of \(repeats)"
    )
  }
  for algorithm in MPIReduction.allCases {
    var comm = world
    comm.reduction = algorithm
    var buffer = Vector(repeating: Double(world.rank + 1), count: n)
    var best = Double.infinity
    for _ in 0..<repeats {
      for i in 0..<n { buffer[i] = Double(world.rank + 1) }
      try world.barrier()
      let start = clock.now
      try comm.allreduceSum(&buffer)
      best = min(best, try maximum(seconds(clock.now - start), world))
    }
    let expected = Double(world.size * (world.size + 1) / 2)
    guard buffer.allSatisfy({ $0 == expected }) else { world.abort("wrong sum with \(algorithm)") }
    if world.rank == 0 {
      let bytes = Double(n) * 8
      print(
        "\(algorithm.rawValue): \(format(best * 1e3)) ms, \(format(bytes / best / 1e9)) GB/s of buffer, "
          + "ring-equivalent bus bandwidth \(format(2 * Double(world.size - 1) / Double(world.size) * bytes / best / 1e9)) GB/s"
      )
    }
  }
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") {
  print(usage)
  exit(0)
}
do {
  var options = try CommandLineOptions(arguments, flagNames: ["compare-serial"])
  let world = try MPICommunicator.world()
  switch options.command {
  case "solve": try runSolve(&options, world: world)
  case "allreduce": try runAllreduce(&options, world: world)
  case "train": try runTrain(&options, world: world)
  default: fail("unknown command '\(options.command ?? "")'\n\(usage)")
  }
  try MPICommunicator.finalize()
} catch {
  fail("\(error)")
}
