import Foundation
import Testing

@testable import CurvatureCLI

@Suite("Command line")
struct CommandTests {
  @Test("--help lists the subcommands and exits 0")
  func help() {
    let r = runTool(["--help"])
    #expect(r.status == 0)
    for sub in ["problems", "solve", "bench", "compare"] {
      #expect(r.output.contains(sub))
    }
    let solveHelp = runTool(["solve", "--help"])
    #expect(solveHelp.status == 0)
    #expect(solveHelp.output.contains("--max-iterations"))
  }

  @Test(
    "bad arguments exit non-zero with a usage message",
    arguments: [
      ["frobnicate"],
      ["solve"],
      ["solve", "nosuchproblem"],
      ["solve", "quad2", "--method", "nosuchmethod"],
      ["solve", "quad2", "--tolerance", "-1"],
      ["solve", "quad2", "--max-iterations", "0"],
      ["solve", "quad2", "--tolerance", "abc"],
      ["bench", "--suite", "nosuchsuite"],
      ["bench", "--repeat", "0"],
      ["bench", "--methods", "newton-cg,nosuchmethod"],
      ["bench", "--problems", "nosuchproblem"],
      ["problems", "--collection", "nosuchcollection"],
      ["compare", "--family", "nosuchfamily"],
      ["compare", "--svg", "plot.svg"],
    ])
  func badArguments(_ arguments: [String]) {
    let r = runTool(arguments)
    #expect(r.status == 64)
    #expect(r.error.contains("Usage:") || r.error.contains("USAGE:"))
    #expect(r.output.isEmpty)
  }

  @Test("an unknown name is reported with the valid ones")
  func validNamesListed() {
    let problem = runTool(["solve", "nosuchproblem"])
    #expect(problem.error.contains("unknown problem 'nosuchproblem'"))
    #expect(problem.error.contains("quad2, quad3, quad20"))
    let method = runTool(["solve", "quad2", "--method", "bogus"])
    #expect(method.error.contains("unknown method 'bogus'. Valid methods: newton-cg, lbfgs"))
    let inapplicable = runTool(["solve", "quad20", "--method", "lbfgs"])
    #expect(inapplicable.status == 64)
    #expect(inapplicable.error.contains("stub lbfgs is for n ≤ 10"))
  }

  @Test("problems lists the catalog as a table and as JSON")
  func problems() throws {
    let r = runTool(["problems"])
    #expect(r.status == 0)
    #expect(r.output.contains("quad2"))
    #expect(r.output.contains("quad20"))
    #expect(r.output.contains("3 problems"))
    let mgh = runTool(["problems", "--collection", "mgh", "--json"])
    #expect(mgh.status == 0)
    let list = try JSONSerialization.jsonObject(with: Data(mgh.output.utf8)) as! [[String: Any]]
    #expect(list.map { $0["name"] as! String } == ["quad2", "quad3"])
    #expect(list.map { $0["n"] as! Int } == [2, 3])
  }

  @Test("problems lists the Hock-Schittkowski problems with their constraint counts")
  func constrainedProblems() throws {
    let r = runTool(
      ["problems", "--collection", "constrained", "--json"], environment: builtInEnvironment())
    #expect(r.status == 0)
    let list = try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as! [[String: Any]]
    let hs071 = try #require(list.first { $0["name"] as? String == "hs071" })
    #expect(hs071["n"] as? Int == 4)
    #expect(hs071["equalities"] as? Int == 1 && hs071["inequalities"] as? Int == 1)
    #expect(abs((hs071["fStar"] as? Double ?? 0) - 17.0140173) < 1e-6)
    let table = runTool(["problems"], environment: builtInEnvironment())
    #expect(table.output.contains("constrained  hs100"))
  }

  @Test("solve runs SQP on a constrained problem and judges it against f* and the KKT residual")
  func solveConstrained() throws {
    let r = runTool(["solve", "hs071"], environment: builtInEnvironment())
    #expect(r.status == 0)
    #expect(r.output.contains("method        sqp"))
    #expect(r.output.contains("KKT residual") && r.output.contains("success"))
    let j = runTool(
      ["solve", "hs001", "--method", "lbfgsb", "--json"], environment: builtInEnvironment())
    #expect(j.status == 0)
    let record = try JSONSerialization.jsonObject(with: Data(j.output.utf8)) as! [String: Any]
    #expect(record["success"] as? Bool == true)
    #expect((record["f"] as? Double ?? 1) <= 1e-12)
    let wrong = runTool(
      ["solve", "hs071", "--method", "lbfgsb"], environment: builtInEnvironment())
    #expect(wrong.status == 64)
    #expect(wrong.error.contains("general constraints"))
    let unknown = runTool(
      ["solve", "hs071", "--method", "bfgs"], environment: builtInEnvironment())
    #expect(unknown.status == 64)
    #expect(unknown.error.contains("sqp-exact"))
  }

  @Test("solve reports a successful run and exits 0")
  func solveSuccess() throws {
    let r = runTool(["solve", "quad2", "--verbose"])
    #expect(r.status == 0)
    #expect(r.output.contains("stub report for quad2"))
    #expect(r.output.contains("success"))
    #expect(r.output.contains("[1, -2]"))
    let j = runTool(["solve", "quad3", "--json"])
    #expect(j.status == 0)
    let record = try BenchmarkRecordFile.makeDecoder().decode(
      BenchmarkRecord.self, from: Data(j.output.utf8))
    #expect(record.problem == "quad3")
    #expect(record.n == 3)
    #expect(record.success)
    #expect(record.f == 0)
    #expect(record.gnorm == 0)
    #expect(record.ngev == 1)
    #expect(record.nhev == 1)
  }

  @Test("solve exits 1 when the run fails the gradient test")
  func solveFailure() {
    let r = runTool(["solve", "quad2", "--method", "lbfgs"])
    #expect(r.status == 1)
    #expect(r.output.contains("NOT converged"))
  }

  @Test("solve without solvers in the build says so")
  func noSolvers() {
    let r = runTool(["solve", "quad2"], environment: stubEnvironment(solvers: nil))
    #expect(r.status == 1)
    #expect(r.error.contains("no solvers"))
  }

  @Test("bench runs every applicable pair, writes JSON and an SVG profile")
  func bench() throws {
    let json = temporaryPath(".json")
    let svg = temporaryPath(".svg")
    defer {
      try? FileManager.default.removeItem(atPath: json)
      try? FileManager.default.removeItem(atPath: svg)
    }
    let r = runTool(["bench", "--suite", "mgh", "--json", json, "--svg", svg, "--repeat", "2"])
    #expect(r.status == 0)
    let file = try BenchmarkRecordFile.decode(Data(contentsOf: URL(fileURLWithPath: json)))
    #expect(file.records.count == 4)
    #expect(file.meta?.suite == "mgh")
    #expect(file.records.filter(\.success).map(\.method) == ["newton-cg", "newton-cg"])
    // Progress lines with an estimate of the time left, on the error stream.
    #expect(r.error.contains("[1/4] quad2 newton-cg: ok"))
    #expect(r.error.contains("left"))
    #expect(r.output.contains("Suite mgh: 4 runs"))
    let doc = try #require(
      SVGCollector.parse(try String(contentsOfFile: svg, encoding: .utf8)))
    #expect(doc.elements.filter { $0.name == "path" }.count == 2)
  }

  @Test("bench --quiet writes no progress; inapplicable pairs are skipped")
  func benchQuiet() {
    let r = runTool(["bench", "--suite", "large", "--quiet"])
    #expect(r.status == 0)
    #expect(r.error.isEmpty)
    #expect(r.output.contains("Suite large: 1 runs"))
    let loud = runTool(["bench", "--suite", "large"])
    #expect(loud.error.contains("[2/2] quad20 lbfgs: skipped, stub lbfgs is for n ≤ 10"))
  }

  @Test("the kernel suite times the four kernels at each size")
  func kernels() throws {
    let json = temporaryPath(".json")
    defer { try? FileManager.default.removeItem(atPath: json) }
    let r = runTool(["bench", "--suite", "kernels", "--repeat", "3", "--quiet", "--json", json])
    #expect(r.status == 0)
    for k in ["dot", "axpy", "scale", "norm"] { #expect(r.output.contains(k)) }
    let file = try BenchmarkRecordFile.decode(Data(contentsOf: URL(fileURLWithPath: json)))
    let timings = try #require(file.kernels)
    #expect(timings.map(\.n) == [1000, 1000, 1000, 1000, 4000, 4000, 4000, 4000])
    #expect(timings.map(\.bytes) == [16_000, 24_000, 16_000, 8000, 64_000, 96_000, 64_000, 32_000])
    #expect(timings.allSatisfy { $0.seconds > 0 && $0.gigabytesPerSecond > 0 })
  }

  @Test("the derivatives suite is reported as missing when not built in")
  func derivativesMissing() {
    let r = runTool(["bench", "--suite", "derivatives"])
    #expect(r.status == 1)
    #expect(r.error.contains("derivatives suite"))
  }

  @Test("compare prints peer results alone")
  func comparePeersOnly() {
    let r = runTool(["compare", "--peers", fixturePath("peers")])
    #expect(r.status == 0)
    #expect(r.output.contains("scipy_newton-cg"))
    #expect(r.output.contains("optax_lbfgs"))
    #expect(r.output.contains("error"))
    #expect(r.output.contains("--ours"))
  }

  @Test("compare puts our records beside the peers' with ratios and a summary")
  func compareOurs() throws {
    let svg = temporaryPath(".svg")
    defer { try? FileManager.default.removeItem(atPath: svg) }
    let r = runTool([
      "compare", "--peers", fixturePath("peers"), "--ours", fixturePath("ours"), "--svg", svg,
    ])
    #expect(r.status == 0)
    #expect(r.output.contains("newton-cg:"))
    #expect(r.output.contains("lbfgs:"))
    #expect(r.output.contains("Summary per family"))
    let line = try #require(
      r.output.split(separator: "\n").first {
        $0.hasPrefix("rosenbrock") && $0.contains("scipy_newton-cg")
      })
    #expect(line.contains("42/84"))
    #expect(line.hasSuffix("0.5"))
    let summary = try #require(
      r.output.split(separator: "\n").first { $0.hasPrefix("lbfgs") && $0.contains("optax") })
    #expect(summary.contains("20"))
    #expect(SVGCollector.parse(try String(contentsOfFile: svg, encoding: .utf8)) != nil)
  }

  @Test("compare without the peer file explains how to produce it")
  func compareMissingPeers() {
    let r = runTool(["compare", "--peers", temporaryPath(".json")])
    #expect(r.status == 1)
    #expect(r.error.contains("no peer results"))
    #expect(r.error.contains("./setup.sh && .venv/bin/python run.py"))
  }

  @Test("the default peer path is ../shared/peers/results/baseline.json from the package root")
  func defaultPeerPath() {
    #expect(
      CompareCommand.defaultPeersPath(packageRoot: "/a/b/pkg")
        == "/a/b/shared/peers/results/baseline.json")
  }
}
