import Foundation
import Testing

@testable import CurvatureCLI

@Suite("Peer results and comparison")
struct CompareTests {
  @Test("the peer file parses, NaN and Infinity become missing figures")
  func peerParsing() throws {
    let peers = try PeerResults(contentsOf: fixturePath("peers"))
    #expect(peers.records.count == 6)
    #expect(peers.solvers == ["scipy_newton-cg", "scipy_l-bfgs-b", "optax_lbfgs"])
    #expect(peers.records[0].message == "NaN in a string stays text")
    #expect(peers.records[0].timeSeconds == 0.028)
    #expect(peers.records[3].f == nil)
    #expect(peers.records[3].gnormInf == nil)
    #expect(peers.records[3].iterations == 1000)
    #expect(peers.records[5].status == "error")
    #expect(!peers.records[5].ran)
    #expect(peers.meta["name"] == "fixture")
  }

  @Test("non-standard number tokens are replaced outside strings only")
  func sanitizer() {
    let text = #"{"a": NaN, "b": -Infinity, "c": "NaN \"Infinity\"", "d": [Infinity]}"#
    #expect(
      PeerResults.replacingNonStandardNumbers(text)
        == #"{"a": null, "b": null, "c": "NaN \"Infinity\"", "d": [null]}"#)
  }

  @Test("rows pair our methods with their family's peer solvers; ratios are ours/theirs")
  func comparison() throws {
    let peers = try PeerResults(contentsOf: fixturePath("peers"))
    let ours = try BenchmarkRecordFile.decode(
      Data(contentsOf: URL(fileURLWithPath: fixturePath("ours"))))
    #expect(ours.records.count == 4)
    #expect(ours.records[2].gnorm == .infinity)
    let c = Comparison(ours: ours.records, peers: peers.records)
    // rosenbrock newton-cg, rosenbrock lbfgs ×2, wood lbfgs (optax errored), wood newton-cg.
    #expect(c.rows.count == 5)
    let first = c.rows[0]
    #expect(first.theirs.solver == "scipy_newton-cg")
    #expect(abs(first.timeRatio! - 0.5) < 1e-12)
    #expect(abs(first.iterationRatio! - 0.5) < 1e-12)
    #expect(abs(first.gradientEvaluationRatio! - 0.5) < 1e-12)

    let newton = try #require(c.summaries.first { $0.peerSolver == "scipy_newton-cg" })
    #expect(newton.common == 2)
    #expect(newton.oursSolved == 2)
    #expect(newton.theirsSolved == 1)
    #expect(newton.bothSolved == 1)
    #expect(newton.oursFaster == 1)
    #expect(abs(newton.timeRatio! - 0.5) < 1e-12)

    let lbfgsb = try #require(c.summaries.first { $0.peerSolver == "scipy_l-bfgs-b" })
    #expect(lbfgsb.common == 2)
    #expect(lbfgsb.oursSolved == 1)
    #expect(lbfgsb.theirsSolved == 2)
    #expect(abs(lbfgsb.timeRatio! - 0.5) < 1e-12)

    let optax = try #require(c.summaries.first { $0.peerSolver == "optax_lbfgs" })
    #expect(optax.common == 1)
    #expect(abs(optax.timeRatio! - 20) < 1e-9)
    #expect(optax.oursFaster == 0)
    #expect(c.summaries.count == 3)
  }

  @Test("every family maps to peer solvers of the harness")
  func families() {
    #expect(
      MethodFamily.methodNames == [
        "newton-cg", "trust-ncg", "trust-krylov", "trust-exact", "bfgs", "lbfgs", "lm",
      ])
    #expect(MethodFamily.family(ofPeerSolver: "optx_bfgs")?.method == "bfgs")
    #expect(MethodFamily.family(ofPeerSolver: "optax_lbfgs")?.method == "lbfgs")
    #expect(MethodFamily.family(ofPeerSolver: "optx_lm") == nil)
  }

  @Test("records round-trip through JSON with the documented field names")
  func recordJSON() throws {
    let r = BenchmarkRecord(
      problem: "p", n: 3, method: "lbfgs", success: false, iterations: 7, nfev: 1, ngev: 9,
      nhev: 0, f: .nan, gnorm: .infinity, seconds: 0.5, termination: "iteration limit")
    let data = try BenchmarkRecordFile(meta: nil, records: [r]).encoded()
    let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    let fields = (object["records"] as! [[String: Any]])[0].keys.sorted()
    #expect(
      fields == [
        "f", "gnorm", "iterations", "method", "n", "nfev", "ngev", "nhev", "problem", "seconds",
        "success", "termination",
      ])
    let back = try BenchmarkRecordFile.decode(data).records[0]
    #expect(back.f.isNaN)
    #expect(back.gnorm == .infinity)
    #expect(back.termination == "iteration limit")
  }
}
