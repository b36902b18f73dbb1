import Curvature
import Foundation
import Testing

@testable import CurvatureCLI

@Suite("bench: the dense suite")
struct DenseBenchTests {
  static let operations = [
    "gemm", "gemm-atb", "gemm-abt", "syrk", "cholesky", "trsm", "cholesky-solve", "qr",
    "eigh",
  ]

  @Test("every operation at tiny sizes: a table row each, small residuals, JSON records")
  func tinySizes() throws {
    let json = temporaryPath(".json")
    defer { try? FileManager.default.removeItem(atPath: json) }
    let r = runTool(
      ["bench", "--suite", "dense", "--sizes", "8,13", "--repeat", "2", "--json", json])
    #expect(r.status == 0, "\(r.error)")
    #expect(r.output.contains("Suite dense"))
    #expect(r.output.contains("median of 2 calls"))
    // One row per (operation, n), in order, each with its check passed.
    let rows = r.output.split(separator: "\n").map {
      $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }.filter { $0.count == 7 && Self.operations.contains($0[0]) }
    #expect(
      rows.map { "\($0[0]) \($0[1])" }
        == ["8", "13"].flatMap { n in
          Self.operations.map { "\($0) \(n)" }
        })
    for row in rows {
      #expect(row[2] == "2", "\(row)")
      #expect(row[6] == "ok", "\(row)")
      #expect((Double(row[5]) ?? 1) <= 1e-13, "\(row)")
    }
    #expect(r.error.contains("[ 1/18] gemm n = 8: "))
    #expect(r.error.contains("[18/18] eigh n = 13: "))
    #expect(r.error.contains("wrote 18 dense timings to"))

    let file = try DenseBenchmarkFile.decode(Data(contentsOf: URL(fileURLWithPath: json)))
    #expect(file.meta.suite == "dense")
    #expect(file.meta.sizes == [8, 13])
    #expect(file.meta.repeats == 2)
    #expect(file.dense.count == 18)
    for t in file.dense {
      let operation = try #require(DenseOperation(rawValue: t.operation))
      #expect(t.seconds > 0 && t.seconds.isFinite)
      #expect(t.runs == 2)
      #expect(t.flops == operation.nominalFlops(t.n))
      #expect(t.residual <= 1e-13, "\(t)")
      #expect(t.gigaflopsPerSecond > 0)
    }
    // The stated counts: gemm 2n³, syrk n³, trsm n³, cholesky n³/3, cholesky-solve 2n³, qr 4n³/3, eigh 9n³.
    let flops = Dictionary(
      uniqueKeysWithValues: file.dense.filter { $0.n == 13 }.map { ($0.operation, $0.flops) })
    #expect(flops["gemm"] == 4394)
    #expect(flops["gemm-atb"] == 4394)
    #expect(flops["syrk"] == 2197)
    #expect(flops["trsm"] == 2197)
    #expect(abs((flops["cholesky"] ?? 0) - 2197.0 / 3) <= 1e-9)
    #expect(flops["cholesky-solve"] == 4394)
    #expect(abs((flops["qr"] ?? 0) - 4 * 2197.0 / 3) <= 1e-9)
    #expect(flops["eigh"] == 19_773)
  }

  @Test("--problems chooses operations, --quiet silences progress, --svg plots them")
  func chosenOperations() throws {
    let svg = temporaryPath(".svg")
    defer { try? FileManager.default.removeItem(atPath: svg) }
    let r = runTool(
      [
        "bench", "--suite", "dense", "--sizes", "5", "--problems", "qr,gemm", "--repeat", "1",
        "--quiet", "--svg", svg,
      ])
    #expect(r.status == 0, "\(r.error)")
    #expect(r.output.contains("median of 1 call after"))
    let names = r.output.split(separator: "\n").compactMap {
      $0.split(separator: " ").first.map(String.init)
    }.filter { Self.operations.contains($0) }
    #expect(names == ["gemm", "qr"])  // in the suite's order
    #expect(!r.error.contains("[1/2]"))
    let doc = try #require(SVGCollector.parse(try String(contentsOfFile: svg, encoding: .utf8)))
    // One plot (no panels): one line per operation.
    let series = doc.elements.filter { $0.name == "path" }.compactMap {
      $0.attributes["data-series"]
    }
    #expect(series == ["gemm", "qr"])
  }

  @Test("the inputs are SplitMix64 uniforms on [−1, 1), as scripts/dense_numpy.py builds them")
  func inputs() {
    // The first outputs for seeds 1 and 3, printed by dense_numpy.uniforms.
    #expect(
      DenseInputs.uniforms(3, seed: 1) == [
        0.1331231503445618, 0.49156351452540226, 0.9420055071735924,
      ])
    #expect(DenseInputs.uniforms(2, seed: 3) == [-0.7730993158856909, 0.40058702718580474])
    let inputs = DenseInputs(n: 4, symmetric: true)
    #expect(inputs.a.storage == DenseInputs.uniforms(16, seed: 1))
    #expect(inputs.b.storage == DenseInputs.uniforms(16, seed: 2))
    #expect(inputs.s.asymmetry == 0)
    #expect(CholeskyFactorization(of: inputs.s) != nil)
    // S = BᵀB + nI: the diagonal is ‖column j of B‖² + 4.
    for j in 0..<4 {
      #expect(abs(inputs.s[j, j] - (inputs.b.column(j).normSquared + 4)) <= 1e-12)
    }
  }

  @Test("a wrong result fails the residual check")
  func brokenResultShows() {
    var t = DenseTiming(operation: "gemm", n: 8, seconds: 1, runs: 1, flops: 1024, residual: 1e-16)
    #expect(t.passes)
    t.residual = 3e-3
    #expect(!t.passes)
    #expect(DenseBenchmarks.table([t]).render().contains("FAIL"))
    t.residual = .infinity  // a factorization that returned nil
    #expect(!t.passes)
  }

  @Test(
    "bad dense options are usage errors",
    arguments: [
      ["bench", "--suite", "dense", "--sizes", "0"],
      ["bench", "--suite", "dense", "--sizes", "8,x"],
      ["bench", "--suite", "kernels", "--sizes", "8"],
      ["bench", "--suite", "models", "--sizes", "0"],
      ["bench", "--suite", "dense", "--problems", "rosenbrock"],
    ])
  func badArguments(_ arguments: [String]) {
    let r = runTool(arguments)
    #expect(r.status == 64)
    #expect(r.error.contains("Usage:") || r.error.contains("USAGE:"))
  }
}
