// curvature-mpi-check: the MPI binding's tests, run as a separate executable under mpirun (a
// collective that does not match hangs, so these cannot run inside a test runner's parallel
// workers). `scripts/run-tests.sh` launches it at -np 1, 2 and 3 (oversubscribed), always under
// `timeout`, and checks that a rank killed mid-solve ends the job:
//
//   mpirun -np 2 .build/debug/curvature-mpi-check              # the checks
//   mpirun -np 2 .build/debug/curvature-mpi-check --die-rank 1  # rank 1 kills itself mid-solve
//
// Rank 0 prints one line per check and a closing "N passed, N failed"; the exit code is 1 when a
// check failed on any rank.
import CommandLineSupport
import Curvature
import CurvatureAutodiff
import CurvatureMPI
import CurvatureProblems

#if canImport(Glibc)
  import Glibc
#endif

let world: MPICommunicator
do { world = try MPICommunicator.world() } catch {
  print("curvature-mpi-check: \(error)")
  exit(1)
}

let victim: Int
do {
  var options = try CommandLineOptions(Array(CommandLine.arguments.dropFirst()))
  victim = try options.int("die-rank", default: -1)
  try options.finish()
} catch {
  print("curvature-mpi-check: \(error)")
  exit(2)
}

var passed = 0
var failed = 0

/// Runs a check on every rank; it passes when it passes on all of them.
@MainActor func check(_ name: String, _ body: () throws -> String?) {
  var detail: String?
  do { detail = try body() } catch { detail = "threw \(error)" }
  // One sum tells every rank which ranks failed; the first of them prints its detail.
  var failingRanks = Vector.zeros(world.size)
  if detail != nil { failingRanks[world.rank] = 1 }
  world.sum(&failingRanks)
  if let first = failingRanks.firstIndex(where: { $0 > 0 }) {
    failed += 1
    if first == world.rank {
      print("✘ \(name) (rank \(world.rank) of \(world.size)): \(detail!)")
    }
  } else {
    passed += 1
    if world.rank == 0 { print("✔ \(name) (\(world.size) ranks)") }
  }
  try? world.barrier()
}

/// Element i of rank r's buffer: sums that depend on the order of the additions.
func rankBuffer(rank r: Int, count n: Int) -> Vector {
  let scale = [1.0, 1e-16, -1.0, 3e-17, 0.5][r % 5]
  return Vector(count: n) { i in scale * (1 + Double(i % 9) / 8) + 1e-3 * Double(r) }
}

/// A call counter for closures run on one thread.
final class Counter: @unchecked Sendable { var count = 0 }

func relativeDifference(_ a: Vector, _ b: Vector) -> Double {
  (a - b).norm / max(b.norm, 1e-300)
}

// MARK: The data every check shares

let samples = 3000
let features = 15
let full = LogisticRegression.synthetic(samples: samples, features: features, seed: 11)
let shard = LogisticRegression.synthetic(
  samples: samples, features: features, seed: 11, rows: world.shard(of: samples))

// MARK: A rank that dies (a launch of its own: the job must end, not hang)

if victim >= 0 {
  guard victim < world.size else {
    print("curvature-mpi-check: --die-rank wants a rank in 0..<\(world.size)")
    exit(2)
  }
  let calls = Counter()
  let dying = FunctionObjective(
    dimension: features,
    gradient: { x, g in
      calls.count += 1
      if world.rank == victim && calls.count == 4 {
        writeToStandardError(
          "curvature-mpi-check: rank \(victim) kills itself in its 4th gradient\n")
        kill(getpid(), SIGKILL)
      }
      return shard.value(at: x, gradient: &g)
    })
  let f = try! DataParallelObjective(meanOf: dying, samples: shard.sampleCount, over: world)
  _ = minimize(f, from: .zeros(features), using: LBFGS())
  print("curvature-mpi-check: rank \(world.rank) finished a solve it should not have finished")
  exit(3)
}

// MARK: The sum and the broadcast

for algorithm in MPIReduction.allCases {
  check("sum (\(algorithm.rawValue)) equals the sum of every rank's buffer") {
    var comm = world
    comm.reduction = algorithm
    for n in [0, 1, 5, 300_000] {
      var expected = rankBuffer(rank: 0, count: n)
      var magnitude = expected.map(abs)
      for q in 1..<max(world.size, 1) {
        let b = rankBuffer(rank: q, count: n)
        for i in 0..<n {
          expected[i] = expected[i] + b[i]
          magnitude[i] += abs(b[i])
        }
      }
      var buffer = rankBuffer(rank: world.rank, count: n)
      try comm.allreduceSum(&buffer)
      guard comm.agreeBitwise(buffer) else { return "n = \(n): the ranks' sums differ" }
      for i in 0..<n {
        let error = abs(buffer[i] - expected[i])
        if algorithm == .rankOrdered && buffer[i].bitPattern != expected[i].bitPattern {
          return "n = \(n), element \(i): \(buffer[i]) is not the rank-ordered \(expected[i])"
        }
        if error > 4e-16 * Double(world.size) * magnitude[i] {
          return "n = \(n), element \(i): \(buffer[i]) against \(expected[i])"
        }
      }
    }
    return nil
  }
}

check("broadcast copies the last rank's buffer; mismatched lengths are an error on every rank") {
  var b = rankBuffer(rank: world.rank, count: 17).storage
  try world.broadcast(&b, root: world.size - 1)
  guard b == rankBuffer(rank: world.size - 1, count: 17).storage else { return "wrong contents" }
  guard world.size > 1 else { return nil }
  var short = [Double](repeating: 0, count: world.rank == 0 ? 3 : 4)
  do {
    try world.broadcast(&short, root: 1)
    return "no error for lengths \(short.count) against the root's 4"
  } catch {
    if case .lengthMismatch(_, _, 4)? = error as? MPIError { return nil }
    return "wrong error \(error)"
  }
}

// MARK: Sharded objectives

check("a sharded objective's value, gradient and Hessian-vector product are the unsharded ones") {
  let f = try DataParallelObjective(meanOf: shard, samples: shard.sampleCount, over: world)
  let x = Vector(count: features) { 0.2 * Double($0 % 4) - 0.3 }
  let v = Vector(count: features) { Double($0 % 3) - 1 }
  var g = Vector.zeros(features)
  var gFull = Vector.zeros(features)
  let value = f.value(at: x, gradient: &g)
  let valueFull = full.value(at: x, gradient: &gFull)
  var hv = Vector.zeros(features)
  var hvFull = Vector.zeros(features)
  f.hessianVectorProduct(at: x, direction: v, into: &hv)
  full.hessianVectorProduct(at: x, direction: v, into: &hvFull)
  if abs(value - valueFull) > 1e-15 * valueFull { return "f = \(value) against \(valueFull)" }
  let bare = f.value(at: x)
  let bareFull = full.value(at: x)
  if abs(bare - bareFull) > 1e-15 * bareFull { return "bare f = \(bare) against \(bareFull)" }
  if relativeDifference(g, gFull) > 1e-14 {
    return "gradient off by \(relativeDifference(g, gFull))"
  }
  if relativeDifference(hv, hvFull) > 1e-14 {
    return "product off by \(relativeDifference(hv, hvFull))"
  }
  return nil
}

/// The pieces of a solve every rank must agree on, as numbers.
func fingerprint(_ s: Solution) -> Vector {
  let e = s.statistics.evaluations
  return Vector(
    s.x.storage
      + [
        s.value, Double(Termination.allCases.firstIndex(of: s.termination)!),
        Double(s.statistics.iterations), Double(e.values), Double(e.gradients),
        Double(e.hessianVectorProducts), Double(s.statistics.cgIterations),
      ])
}

let solveOptions = {
  var o = MinimizeOptions()
  o.gradientTolerance = 1e-10
  return o
}()

let methods: [(String, any MinimizationMethod)] = [
  ("L-BFGS", LBFGS()), ("Newton-CG", NewtonCG()),
  ("trust-region Newton-CG", TrustRegion(subproblem: .steihaug)),
]
for (name, method) in methods {
  check("\(name): every rank ends identically, within 1e-12 of the serial solve") {
    let f = try DataParallelObjective(meanOf: shard, samples: shard.sampleCount, over: world)
    let s = minimize(f, from: .zeros(features), using: method, options: solveOptions)
    guard world.agreeBitwise(fingerprint(s)) else { return "the ranks' solves differ" }
    let serial = minimize(full, from: .zeros(features), using: method, options: solveOptions)
    guard s.termination == .gradientTolerance else { return "stopped with \(s.termination)" }
    let d = relativeDifference(s.x, serial.x)
    if d > 1e-12 { return "‖x − x_serial‖/‖x_serial‖ = \(d)" }
    return nil
  }
}

check("Hessian-free (full batch): every rank ends identically, within 1e-10 of the serial run") {
  let f = try DataParallelObjective(meanOf: shard, samples: shard.sampleCount, over: world)
  let hf = Optimizers.hessianFree(curvature: .hessian, initialDamping: 1e-3, maxCGIterations: 50)
  let options = TrainingOptions(passes: 1000, maxSteps: 15)
  let r = train(
    hf, objective: DeterministicTrainingObjective(f), from: .zeros(features), options: options)
  let s = train(
    hf, objective: DeterministicTrainingObjective(full), from: .zeros(features), options: options)
  let counts = [r.counts.gradients, r.counts.hessianVectorProducts, r.steps].map(Double.init)
  guard world.agreeBitwise(Vector(r.parameters.storage + [r.loss] + counts)) else {
    return "the ranks' runs differ"
  }
  let d = relativeDifference(r.parameters, s.parameters)
  if d > 1e-10 { return "‖θ − θ_serial‖/‖θ_serial‖ = \(d)" }
  if r.steps != s.steps { return "\(r.steps) steps against \(s.steps)" }
  return nil
}

check("mini-batch Hessian-free on a sharded network: every rank ends identically, near serial") {
  let spirals = ModelObjective.spiralsClassifier(
    data: TwoSpirals(samplesPerClass: 150), hiddenWidths: [8])
  let local = spirals.shard(samples: world.shard(of: spirals.sampleCount))
  let objective = try DataParallelTrainingObjective(shard: local, over: world)
  let start = spirals.model.initialParameters(seed: 2)
  let hf = Optimizers.hessianFree(initialDamping: 0.1, maxCGIterations: 20)
  let options = TrainingOptions(passes: 3, batchSize: 50, seed: 9)
  let r = train(hf, objective: objective, from: start, options: options)
  let s = train(hf, objective: spirals, from: start, options: options)
  guard world.agreeBitwise(Vector(r.parameters.storage + [r.loss, Double(r.steps)])) else {
    return "the ranks' runs differ"
  }
  let d = relativeDifference(r.parameters, s.parameters)
  if d > 1e-9 { return "‖θ − θ_serial‖/‖θ_serial‖ = \(d)" }
  return nil
}

check("the README example (L-BFGS on a sharded logistic regression) converges") {
  // README.md of this package, with m = 20,000.
  let m = 20_000
  let shard = LogisticRegression.synthetic(samples: m, rows: world.shard(of: m))
  let f = try DataParallelObjective(meanOf: shard, samples: shard.sampleCount, over: world)
  let solution = minimize(f, from: .zeros(f.dimension), using: .lbfgs())
  return solution.termination == .gradientTolerance ? nil : "stopped with \(solution.termination)"
}

// MARK: Faults

check("NaN on the last rank ends every rank with the serial run's termination") {
  let calls = Counter()
  let last = world.size - 1
  let poisoned = FunctionObjective(
    dimension: features,
    gradient: { x, g in
      calls.count += 1
      if world.rank == last && calls.count > 5 {
        for i in 0..<g.count { g[i] = .nan }
        return .nan
      }
      return shard.value(at: x, gradient: &g)
    })
  let f = try DataParallelObjective(meanOf: poisoned, samples: shard.sampleCount, over: world)
  let s = minimize(f, from: .zeros(features), using: LBFGS())
  guard world.agreeBitwise(fingerprint(s)) else { return "the ranks stopped differently" }
  let serialCalls = Counter()
  let serialPoisoned = FunctionObjective(
    dimension: features,
    gradient: { x, g in
      serialCalls.count += 1
      if serialCalls.count > 5 {
        for i in 0..<g.count { g[i] = .nan }
        return .nan
      }
      return full.value(at: x, gradient: &g)
    })
  let serial = minimize(serialPoisoned, from: .zeros(features), using: LBFGS())
  if s.isSuccess || s.termination != serial.termination {
    return "stopped with \(s.termination), the serial run with \(serial.termination)"
  }
  if !s.x.isFinite { return "the returned point is not finite" }
  return nil
}

check("shards of different dimensions are a typed error on every rank") {
  let odd = LogisticRegression.synthetic(
    samples: 40, features: world.rank == 0 && world.size > 1 ? 3 : 4, seed: 1,
    rows: world.shard(of: 40))
  do {
    _ = try DataParallelObjective(meanOf: odd, samples: odd.sampleCount, over: world)
    return world.size > 1 ? "no error" : nil
  } catch {
    if case .dimensionMismatch? = error as? DataParallelError {
      return world.size > 1 ? nil : "error with one rank"
    }
    return "wrong error \(error)"
  }
}

if world.rank == 0 { print("\(passed) passed, \(failed) failed") }
try? MPICommunicator.finalize()
exit(failed == 0 ? 0 : 1)
