import Curvature
import Foundation
import Testing

@testable import CurvatureCLI

@Suite("curvature train")
struct TrainCommandTests {
  @Test(
    "bad arguments exit with a usage error",
    arguments: [
      ["train", "--model", "nosuchmodel"],
      ["train", "--optimizers", "hf,nosuchoptimizer"],
      ["train", "--passes", "0"],
      ["train", "--learning-rate", "-1"],
      ["train", "--batch-size", "-3"],
    ])
  func badArguments(_ arguments: [String]) {
    let r = runTool(arguments)
    #expect(r.status == 64)
    #expect(!r.error.isEmpty)
  }

  @Test("a short L-BFGS run on logistic regression prints the table and writes JSON and SVG")
  func shortRun() throws {
    let json = temporaryPath(".json")
    let svg = temporaryPath(".svg")
    defer {
      try? FileManager.default.removeItem(atPath: json)
      try? FileManager.default.removeItem(atPath: svg)
    }
    let r = runTool([
      "train", "--model", "logreg", "--optimizers", "lbfgs", "--passes", "3", "--json", json,
      "--svg", svg,
    ])
    #expect(r.status == 0)
    #expect(r.output.contains("lbfgs"))
    #expect(r.output.contains("to f*+1e-4"))
    let runs = try JSONDecoder().decode(
      [TrainingRunRecord].self, from: Data(contentsOf: URL(fileURLWithPath: json)))
    #expect(runs.count == 1)
    #expect(runs[0].optimizer == "lbfgs")
    #expect(runs[0].passes >= 3)
    #expect(runs[0].loss < 0.6)
    #expect(Swift.abs(runs[0].history[0].loss - 0.6931471805599453) <= 1e-12)
    let text = try String(contentsOfFile: svg, encoding: .utf8)
    #expect(text.hasPrefix("<svg") || text.contains("<svg"))
    #expect(text.contains("lbfgs"))
  }
}
