import Curvature
import CurvatureProblems
import Foundation
import Testing

@testable import CurvatureCLI

/// The real problems and solvers, with captured output and tiny kernel sizes.
func builtInEnvironment() -> CommandEnvironment {
  CommandEnvironment(
    output: .capturing(), catalog: .builtIn, solvers: .builtIn, derivativeSuite: nil,
    packageRoot: nil, kernelSizes: [1000], leastSquaresSolvers: .leastSquaresBuiltIn,
    constrained: .builtIn)
}

/// The JSON records of a `--json` file as dictionaries, checking the required field names.
func jsonRecords(_ path: String) throws -> [[String: Any]] {
  let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
  let file = try #require(object as? [String: Any])
  let records = try #require(file["records"] as? [[String: Any]])
  let required = [
    "problem", "n", "method", "success", "iterations", "nfev", "ngev", "nhev", "f", "gnorm",
    "seconds", "termination",
  ]
  for r in records {
    for key in required { #expect(r[key] != nil, "record lacks \(key): \(r)") }
  }
  return records
}

/// The `data-series` names of the lines in each panel of a figure, panel by panel.
func seriesPerPanel(_ doc: SVGCollector) -> [[String]] {
  var panels: [[String]] = []
  for e in doc.elements {
    if e.name == "g" && e.attributes["class"] == "panel" { panels.append([]) }
    if e.name == "path", let name = e.attributes["data-series"], !panels.isEmpty {
      panels[panels.count - 1].append(name)
    }
  }
  return panels
}

@Suite("bench: least-squares and constrained suites, curves")
struct BenchSuitesTests {
  static let leastSquaresMethods = ["lm", "lm-matrix-free", "gauss-newton", "dogleg"]
  static let constrainedMethods = ["sqp", "sqp-exact", "lbfgsb", "projected-newton-cg"]

  @Test("least-squares: every method on each problem, JSON with the record fields")
  func leastSquaresSuite() throws {
    let json = temporaryPath(".json")
    defer { try? FileManager.default.removeItem(atPath: json) }
    let r = runTool(
      [
        "bench", "--suite", "least-squares", "--problems", "rosenbrock,beale", "--repeat", "1",
        "--json", json,
      ],
      environment: builtInEnvironment())
    #expect(r.status == 0, "\(r.error)")
    #expect(r.output.contains("Suite least-squares: 8 runs"))
    #expect(r.output.contains("njprod"))
    #expect(r.output.contains("τ=∞"))
    #expect(r.error.contains("[1/8] rosenbrock lm: ok"))
    #expect(r.error.contains("left"))
    let records = try jsonRecords(json)
    #expect(records.count == 8)
    #expect(
      records.map { $0["method"] as? String }
        == (Self.leastSquaresMethods + Self.leastSquaresMethods).map { $0 })
    for rec in records {
      #expect(rec["success"] as? Bool == true, "\(rec)")
      #expect(rec["suite"] as? String == "least-squares")
      // f* = 0 for both: Σrᵢ² at the end is tiny, and so is the recomputed gradient.
      #expect((rec["f"] as? Double ?? 1) <= 1e-10, "\(rec)")
      #expect((rec["gnorm"] as? Double ?? 1) <= 1e-6)
      #expect((rec["nfev"] as? Int ?? 0) > 0)
      #expect((rec["lre"] as? Double ?? 0) >= 4)
    }
    // Matrix-free Levenberg-Marquardt works with products only; the others with dense Jacobians.
    for rec in records {
      let products = rec["njprod"] as? Int ?? -1
      if rec["method"] as? String == "lm-matrix-free" {
        #expect(rec["ngev"] as? Int == 0)
        #expect(products > 2)
      } else {
        #expect((rec["ngev"] as? Int ?? 0) > 0)
      }
    }
  }

  @Test("constrained: SQP on every problem, bound methods on bound-only problems")
  func constrainedSuite() throws {
    let json = temporaryPath(".json")
    defer { try? FileManager.default.removeItem(atPath: json) }
    let r = runTool(
      [
        "bench", "--suite", "constrained", "--problems", "hs001,hs071", "--repeat", "1",
        "--json", json,
      ],
      environment: builtInEnvironment())
    #expect(r.status == 0, "\(r.error)")
    #expect(r.output.contains("Suite constrained: 6 runs"))
    #expect(r.output.contains("violation"))
    #expect(r.output.contains("KKT"))
    #expect(r.error.contains("hs071 lbfgsb: skipped, a bound-constrained method"))
    let records = try jsonRecords(json)
    #expect(
      records.map { $0["problem"] as? String } == [
        "hs001", "hs001", "hs001", "hs001", "hs071", "hs071",
      ])
    #expect(records.prefix(4).map { $0["method"] as? String } == Self.constrainedMethods)
    for rec in records {
      #expect(rec["success"] as? Bool == true, "\(rec)")
      #expect((rec["kkt"] as? Double ?? 1) <= 1e-6)
      #expect((rec["violation"] as? Double ?? 1) <= 1e-6)
    }
    let hs071 = try #require(records.last)
    #expect(abs((hs071["f"] as? Double ?? 0) - 17.0140173) <= 1e-6 * 17.0140173)
    #expect((hs071["ncev"] as? Int ?? 0) > 0)
    #expect((hs071["njev"] as? Int ?? 0) > 0)
  }

  @Test("the constrained success test needs f* and a small KKT residual")
  func constrainedSuccessTest() throws {
    let bench = ConstrainedBenchmark(
      problemNames: [], methods: [], backend: .builtIn, repeats: 1)
    let hs001 = try #require(ConstrainedBackend.builtIn.build("hs001"))
    func outcome(_ x: Vector, _ f: Double) -> ConstrainedOutcome {
      ConstrainedOutcome(
        x: x, value: f, termination: "t", converged: true, iterations: 1,
        counts: EvaluationCounts())
    }
    let solved = bench.record(problem: hs001, method: "m", outcome: outcome([1, 1], 0), seconds: 0)
    #expect(solved.success)
    #expect(solved.kkt == 0)
    // (1.1, 1.21) is on the valley floor, f = 0.01, ∇f = (0.2, 0): neither test passes.
    let off = bench.record(
      problem: hs001, method: "m", outcome: outcome([1.1, 1.21], 0.01), seconds: 0)
    #expect(!off.success)
    #expect(abs((off.kkt ?? 0) - 0.2) <= 1e-12)
    #expect(off.ferror == 0.01)
    // Below the bound x₂ ≥ −1.5: the violation is recomputed from the problem.
    let outside = bench.record(
      problem: hs001, method: "m", outcome: outcome([0, -2], 404), seconds: 0)
    #expect(outside.violation == 0.5)
    // A general constrained problem without solver residuals cannot be judged: failure.
    let hs071 = try #require(ConstrainedBackend.builtIn.build("hs071"))
    let unjudged = bench.record(
      problem: hs071, method: "m", outcome: outcome(hs071.minimizer, hs071.optimalValue),
      seconds: 0)
    #expect(!unjudged.success)
  }

  @Test("curves: two panels per problem, one line per method in each")
  func curvesFile() throws {
    let svg = temporaryPath(".svg")
    let json = temporaryPath(".json")
    defer {
      try? FileManager.default.removeItem(atPath: svg)
      try? FileManager.default.removeItem(atPath: json)
    }
    let r = runTool(
      [
        "bench", "--suite", "least-squares", "--problems", "rosenbrock", "--repeat", "1",
        "--quiet", "--curves", svg, "--json", json,
      ],
      environment: builtInEnvironment())
    #expect(r.status == 0, "\(r.error)")
    // The JSON file carries the curves: f = Σrᵢ² (twice the solvers' cost) from f(x₀) = 24.2.
    let file = try BenchmarkRecordFile.decode(Data(contentsOf: URL(fileURLWithPath: json)))
    let data = try #require(file.curves)
    #expect(data.map(\.method) == Self.leastSquaresMethods)
    for curve in data {
      #expect(curve.points.first?.iteration == 0)
      #expect(abs((curve.points.first?.value ?? 0) - 24.2) <= 1e-12)
      #expect(curve.points.count >= 6)
    }
    let doc = try #require(SVGCollector.parse(try String(contentsOfFile: svg, encoding: .utf8)))
    #expect(doc.elements.first?.name == "svg")
    let panels = seriesPerPanel(doc)
    #expect(panels == [Self.leastSquaresMethods, Self.leastSquaresMethods])
    #expect(doc.texts.contains("rosenbrock (least-squares): |f − f*|"))
    #expect(doc.texts.contains("rosenbrock (least-squares): gradient norm"))
    #expect(doc.texts.contains("iteration k"))
    // Every line has a point per iteration: at least a start and a few steps.
    for path in doc.elements where path.name == "path" {
      #expect((path.attributes["d"] ?? "").filter { $0 == "L" }.count >= 5)
    }
  }

  @Test("curves for the constrained suite default to the problems it runs")
  func constrainedCurves() throws {
    let svg = temporaryPath(".svg")
    defer { try? FileManager.default.removeItem(atPath: svg) }
    let r = runTool(
      [
        "bench", "--suite", "constrained", "--problems", "hs071,hs028", "--repeat", "1",
        "--curves", svg,
      ],
      environment: builtInEnvironment())
    #expect(r.status == 0, "\(r.error)")
    #expect(r.error.contains("recording convergence curves on hs071…"))
    let doc = try #require(SVGCollector.parse(try String(contentsOfFile: svg, encoding: .utf8)))
    #expect(seriesPerPanel(doc) == [["sqp", "sqp-exact"], ["sqp", "sqp-exact"]])
    #expect(doc.texts.contains("hs071 (constrained): stationarity"))
  }

  @Test("the profile SVG of a new suite has one line per method")
  func profileSVG() throws {
    let svg = temporaryPath(".svg")
    defer { try? FileManager.default.removeItem(atPath: svg) }
    let r = runTool(
      [
        "bench", "--suite", "least-squares", "--problems", "rosenbrock", "--repeat", "1",
        "--quiet", "--svg", svg,
      ],
      environment: builtInEnvironment())
    #expect(r.status == 0)
    let doc = try #require(SVGCollector.parse(try String(contentsOfFile: svg, encoding: .utf8)))
    #expect(
      doc.elements.filter { $0.name == "path" }.map { $0.attributes["data-series"] }
        == Self.leastSquaresMethods)
  }

  @Test(
    "an unknown method for a suite names the suite's methods",
    arguments: [
      ("least-squares", "bfgs", "lm, lm-matrix-free, gauss-newton, dogleg"),
      ("constrained", "lm", "sqp, sqp-exact, lbfgsb, projected-newton-cg"),
    ])
  func unknownMethod(suite: String, method: String, valid: String) {
    let r = runTool(
      ["bench", "--suite", suite, "--methods", method], environment: builtInEnvironment())
    #expect(r.status == 64)
    #expect(r.error.contains("unknown method '\(method)' for suite \(suite)"))
    #expect(r.error.contains("Valid methods: \(valid)"))
    #expect(r.output.isEmpty)
  }

  @Test(
    "bad curve and problem options are usage errors",
    arguments: [
      ["bench", "--curve-problems", "rosenbrock"],
      ["bench", "--suite", "constrained", "--problems", "rosenbrock"],
      ["bench", "--suite", "least-squares", "--curves", "c.svg", "--curve-problems", "hs071"],
      ["bench", "--suite", "kernels", "--curves", "c.svg"],
    ])
  func badCurveArguments(_ arguments: [String]) {
    let r = runTool(arguments, environment: builtInEnvironment())
    #expect(r.status == 64)
    #expect(r.error.contains("Usage:") || r.error.contains("USAGE:"))
  }

  @Test("--suite all runs the solver suites, kernels, and one profile panel per suite")
  func allSuites() throws {
    var env = stubEnvironment()
    env.leastSquaresSolvers = .leastSquaresBuiltIn
    env.constrained = .builtIn
    let svg = temporaryPath(".svg")
    defer { try? FileManager.default.removeItem(atPath: svg) }
    let r = runTool(
      [
        "bench", "--suite", "all", "--problems", "quad2,hs028", "--repeat", "1", "--quiet",
        "--svg", svg,
      ],
      environment: env)
    #expect(r.status == 0, "\(r.error)")
    #expect(r.output.contains("Suite mgh: 2 runs"))
    #expect(r.output.contains("Suite constrained: 2 runs"))
    #expect(r.output.contains("Suite kernels"))
    // The stub MGH problems have no residuals, the large stub is filtered out.
    #expect(r.error.contains("note: suite least-squares has no problems to run"))
    #expect(r.error.contains("note: suite large has no problems to run"))
    let doc = try #require(SVGCollector.parse(try String(contentsOfFile: svg, encoding: .utf8)))
    #expect(
      seriesPerPanel(doc) == [
        ["newton-cg", "lbfgs"], ["sqp", "sqp-exact"],
        ["dot", "axpy", "scale", "norm"],
      ])
  }

  @Test("solve runs the least-squares methods too", arguments: ["gauss-newton", "dogleg"])
  func solveLeastSquares(method: String) throws {
    let r = runTool(
      ["solve", "rosenbrock", "--method", method, "--json"], environment: builtInEnvironment())
    #expect(r.status == 0, "\(r.error)")
    let record = try BenchmarkRecordFile.makeDecoder().decode(
      BenchmarkRecord.self, from: Data(r.output.utf8))
    #expect(record.method == method)
    #expect(record.success)
    #expect(record.f <= 1e-12)
    // The diagonal quadratic has no residual form.
    let bad = runTool(
      ["solve", "quadratic_n10000", "--method", method], environment: builtInEnvironment())
    #expect(bad.status == 64)
    #expect(bad.error.contains("needs a sum-of-squares problem"))
  }

  @Test("bench --help documents the new suites and options")
  func help() {
    let r = runTool(["bench", "--help"])
    #expect(r.status == 0)
    for word in ["least-squares", "constrained", "--curves", "--curve-problems", "KKT"] {
      #expect(r.output.contains(word), "help lacks \(word)")
    }
  }

  @Test("convergence panels floor exact hits and skip non-positive values without f*")
  func convergencePlot() throws {
    let points = [
      IterationPoint(iteration: 0, value: 4, gradientNorm: 8),
      IterationPoint(iteration: 1, value: 1, gradientNorm: 2),
      IterationPoint(iteration: 2, value: 0, gradientNorm: 0),
    ]
    let figure = Plots.convergenceCurves([
      ConvergenceCurve(suite: "s", problem: "p", method: "a", optimalValue: 0, points: points),
      ConvergenceCurve(suite: "s", problem: "p", method: "b", optimalValue: 0, points: points),
      ConvergenceCurve(suite: "s", problem: "q", method: "a", optimalValue: nil, points: points),
    ])
    #expect(figure.panels.count == 4)
    #expect(figure.panels.map(\.series.count) == [2, 2, 1, 1])
    // With f* the exact hit is drawn at the floor; without f*, f = 0 cannot be drawn.
    #expect(figure.panels[0].series[0].points.last?.y == ConvergenceCurve.gapFloor)
    #expect(figure.panels[2].series[0].points.count == 2)
    #expect(figure.panels[2].yLabel == "f(xₖ)")
    #expect(figure.panels[1].series[0].points.map(\.y) == [8, 2, ConvergenceCurve.gapFloor])
    let doc = try #require(SVGCollector.parse(figure.render()))
    #expect(seriesPerPanel(doc) == [["a", "b"], ["a", "b"], ["a"], ["a"]])
    // Each panel clips with its own clip path.
    let clips = doc.elements.filter { $0.name == "clipPath" }.compactMap { $0.attributes["id"] }
    #expect(Set(clips).count == 4)
  }
}
