import Curvature
import CurvatureProblems
import Testing

/// The seeded logistic regression the data-parallel tests split (m samples, d features).
private let samples = 600
private let features = 12
private let full = LogisticRegression.synthetic(samples: samples, features: features, seed: 7)

/// Rank r's shard of ``full``, generated on its own.
private func shard(_ c: some Collective) -> LogisticRegression {
  LogisticRegression.synthetic(
    samples: samples, features: features, seed: 7, rows: c.shard(of: samples))
}

/// A point away from the minimizer and a direction.
private let point = Vector(count: features) { 0.3 * Double($0 % 5) - 0.4 }
private let direction = Vector(count: features) { Double($0 % 3) - 1 }

private func relativeDifference(_ a: Vector, _ b: Vector) -> Double {
  (a - b).norm / max(b.norm, 1e-300)
}

/// What a replicated solve returns on each rank, for comparison.
struct RankOutcome: Sendable, Equatable {
  var x: Vector
  var value: Double
  var termination: Termination
  var iterations: Int
  var evaluations: EvaluationCounts
  var cgIterations: Int
}

enum ReplicatedMethod: String, CaseIterable, Sendable, CustomStringConvertible {
  case lbfgs, newtonCG, steihaug, exact
  var description: String { rawValue }
  var method: any MinimizationMethod {
    switch self {
    case .lbfgs: return LBFGS()
    case .newtonCG: return NewtonCG()
    case .steihaug: return TrustRegion(subproblem: .steihaug)
    case .exact: return TrustRegion(subproblem: .exact)
    }
  }
}

private func outcome(_ s: Solution) -> RankOutcome {
  RankOutcome(
    x: s.x, value: s.value, termination: s.termination, iterations: s.statistics.iterations,
    evaluations: s.statistics.evaluations, cgIterations: s.statistics.cgIterations)
}

@Suite("Data-parallel objective")
struct DataParallelObjectiveTests {
  @Test("the documentation example: two threads solve one logistic regression")
  func documentationExample() {
    // The example of the DocC article "Data-parallel solves and training", with m = 20,000.
    let results = ThreadCollective.run(ranks: 2) { c in
      let m = 20_000
      let shard = LogisticRegression.synthetic(samples: m, rows: c.shard(of: m))
      let f = try! DataParallelObjective(meanOf: shard, samples: shard.sampleCount, over: c)
      return minimize(f, from: .zeros(f.dimension), using: .lbfgs())
    }
    let serial = minimize(
      LogisticRegression.synthetic(samples: 20_000), from: .zeros(100), using: .lbfgs())
    #expect(results[0].termination == .gradientTolerance)
    #expect(results[0].x == results[1].x)
    #expect((results[0].x - serial.x).norm <= 1e-12 * serial.x.norm)
  }

  @Test("shards generated on their own are the rows of the full data set, bit for bit")
  func shardRowsMatch() {
    let part = LogisticRegression.synthetic(
      samples: samples, features: features, seed: 7, rows: 250..<400)
    #expect(part.sampleCount == 150)
    #expect(
      Array(part.features.storage)
        == Array(full.features.storage[(250 * features)..<(400 * features)]))
    #expect(Array(part.labels) == Array(full.labels[250..<400]))
  }

  @Test(
    "value, gradient, Hessian-vector product and Hessian are the full ones, one sum each",
    arguments: [1, 2, 3])
  func oracleMatchesFull(ranks: Int) throws {
    var g = Vector.zeros(features)
    let f = full.value(at: point, gradient: &g)
    var hv = Vector.zeros(features)
    full.hessianVectorProduct(at: point, direction: direction, into: &hv)
    let h = full.hessian(at: point)
    let results = ThreadCollective.run(ranks: ranks) { base in
      let c = CountingCollective(base)
      let local = shard(c)
      let objective = try! DataParallelObjective(
        meanOf: local, samples: local.sampleCount, over: c)
      let setup = (c.sums, c.words)
      let value = objective.value(at: point)
      let afterValue = (c.sums, c.words)
      var gradient = Vector.zeros(features)
      let f = objective.value(at: point, gradient: &gradient)
      let afterGradient = (c.sums, c.words)
      var product = Vector.zeros(features)
      objective.hessianVectorProduct(at: point, direction: direction, into: &product)
      let afterProduct = (c.sums, c.words)
      let hessian = objective.hessian(at: point)
      return (
        value, f, gradient, product, hessian,
        [
          setup.0, setup.1, afterValue.0, afterValue.1, afterGradient.0, afterGradient.1,
          afterProduct.0, afterProduct.1,
        ]
      )
    }
    let p = ranks
    let n = features
    for r in results {
      #expect(abs(r.0 - f) <= 1e-15 * abs(f))
      #expect(r.1 == r.0)
      #expect(relativeDifference(r.2, g) <= 1e-14)
      #expect(relativeDifference(r.3, hv) <= 1e-14)
      #expect(relativeDifference(Vector(r.4.storage), Vector(h.storage)) <= 1e-14)
      // 2p words to set up, then 1, n + 1 and n words: one sum per oracle call.
      #expect(r.5 == [1, 2 * p, 2, 2 * p + 1, 3, 2 * p + n + 2, 4, 2 * p + 2 * n + 2])
    }
    // Every rank holds the same bits.
    for r in results.dropFirst() {
      #expect(r.0.bitPattern == results[0].0.bitPattern)
      #expect(r.2 == results[0].2 && r.3 == results[0].3)
    }
    if ranks == 1 {
      // One rank is the serial objective exactly (wᵣ = 1).
      #expect(results[0].1.bitPattern == f.bitPattern && results[0].2 == g)
    }
  }

  @Test(
    "replicated solves end identically on every rank and agree with the serial solve",
    arguments: ReplicatedMethod.allCases, [2, 3])
  func replicatedSolve(method: ReplicatedMethod, ranks: Int) {
    let options = {
      var o = MinimizeOptions()
      o.gradientTolerance = 1e-10
      return o
    }()
    let serial = outcome(
      minimize(full, from: .zeros(features), using: method.method, options: options))
    #expect(serial.termination == .gradientTolerance)
    let results = ThreadCollective.run(ranks: ranks) { c in
      let local = shard(c)
      let objective = try! DataParallelObjective(
        meanOf: local, samples: local.sampleCount, over: c)
      let s = minimize(objective, from: .zeros(features), using: method.method, options: options)
      return (outcome(s), c.agreeBitwise(s.x))
    }
    for r in results {
      #expect(r.0 == results[0].0)
      #expect(r.1)
    }
    let parallel = results[0].0
    #expect(parallel.termination == .gradientTolerance)
    #expect(relativeDifference(parallel.x, serial.x) <= 1e-12)
    #expect(abs(parallel.value - serial.value) <= 1e-14 * serial.value)
    #expect(abs(parallel.iterations - serial.iterations) <= 1)
  }

  @Test("NaN on one rank stops every rank with the same termination at the same point")
  func nanOnOneRank() {
    let results = ThreadCollective.run(ranks: 3) { c in
      let local = shard(c)
      let calls = CallCounter()
      let poisoned = FunctionObjective(
        dimension: features,
        gradient: { x, g in
          // Rank 1's data turns NaN from its sixth gradient on.
          calls.count += 1
          if c.rank == 1 && calls.count > 5 {
            for i in 0..<g.count { g[i] = .nan }
            return .nan
          }
          return local.value(at: x, gradient: &g)
        },
        hessianVectorProduct: { x, v, out in
          local.hessianVectorProduct(at: x, direction: v, into: &out)
        })
      let objective = try! DataParallelObjective(
        meanOf: poisoned, samples: local.sampleCount, over: c)
      let s = minimize(objective, from: .zeros(features), using: LBFGS())
      return (outcome(s), s.x.isFinite)
    }
    for r in results {
      #expect(r.0 == results[0].0)
      #expect(r.1)
    }
    // The serial solve of an objective that turns NaN at its sixth gradient ends the same way.
    let calls = CallCounter()
    let serial = FunctionObjective(
      dimension: features,
      gradient: { x, g in
        calls.count += 1
        if calls.count > 5 {
          for i in 0..<g.count { g[i] = .nan }
          return .nan
        }
        return full.value(at: x, gradient: &g)
      })
    let expected = minimize(serial, from: .zeros(features), using: LBFGS())
    #expect(!expected.isSuccess)
    #expect(results[0].0.termination == expected.termination)
    #expect(results[0].0.iterations == expected.statistics.iterations)
    #expect(relativeDifference(results[0].0.x, expected.x) <= 1e-12)
  }

  @Test("a shard gradient of the wrong length ends every rank with nonFiniteValue, no trap")
  func wrongLengthOnOneRank() {
    let results = ThreadCollective.run(ranks: 2) { c in
      let local = shard(c)
      let broken = FunctionObjective(
        dimension: features,
        gradient: { x, g in
          let f = local.value(at: x, gradient: &g)
          if c.rank == 0 { g = .zeros(3) }
          return f
        })
      let objective = try! DataParallelObjective(
        meanOf: broken, samples: local.sampleCount, over: c)
      return minimize(objective, from: .zeros(features), using: LBFGS()).termination
    }
    #expect(results == [.nonFiniteValue, .nonFiniteValue])
  }

  @Test("mismatched dimensions and empty shards are typed errors on every rank")
  func badSetup() {
    let mismatch = ThreadCollective.run(ranks: 3) { c -> DataParallelError? in
      let local = LogisticRegression.synthetic(
        samples: 30, features: c.rank == 2 ? 5 : 4, seed: 1, rows: c.shard(of: 30))
      do {
        _ = try DataParallelObjective(meanOf: local, samples: local.sampleCount, over: c)
        return nil
      } catch { return error as? DataParallelError }
    }
    #expect(mismatch == Array(repeating: .dimensionMismatch(dimensions: [4, 4, 5]), count: 3))
    let empty = ThreadCollective.run(ranks: 2) { c -> DataParallelError? in
      do {
        _ = try DataParallelObjective(meanOf: full, samples: 0, over: c)
        return nil
      } catch { return error as? DataParallelError }
    }
    #expect(empty == [.noSamples, .noSamples])
  }

  @Test("a rank without samples contributes nothing and evaluates nothing")
  func idleRank() {
    let results = ThreadCollective.run(ranks: 3) { c in
      // Rank 1 holds no rows; ranks 0 and 2 split the data unevenly.
      let rows = [0..<100, 100..<100, 100..<samples][c.rank]
      let local = LogisticRegression.synthetic(
        samples: samples, features: features, seed: 7, rows: rows)
      let calls = CallCounter()
      let counted = FunctionObjective(
        dimension: features,
        gradient: { x, g in
          calls.count += 1
          return local.value(at: x, gradient: &g)
        })
      let objective = try! DataParallelObjective(
        meanOf: counted, samples: rows.count, over: c)
      var g = Vector.zeros(features)
      let f = objective.value(at: point, gradient: &g)
      return (f, g, calls.count)
    }
    var g = Vector.zeros(features)
    let f = full.value(at: point, gradient: &g)
    for r in results {
      #expect(abs(r.0 - f) <= 1e-15 * f)
      #expect(relativeDifference(r.1, g) <= 1e-14)
    }
    #expect(results.map(\.2) == [1, 0, 1])
  }
}

/// A call counter for closures run on one thread.
final class CallCounter: @unchecked Sendable {
  var count = 0
}
