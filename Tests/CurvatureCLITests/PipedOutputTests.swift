import Foundation
import Testing

/// The built `curvature` executable beside the test runner (both live in the build folder).
private func curvatureExecutable() -> URL? {
  let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
  var folder = runner.deletingLastPathComponent()
  // The runner may sit inside a bundle (`….xctest/Contents/MacOS`); walk up to the build folder.
  for _ in 0..<4 {
    let candidate = folder.appendingPathComponent("curvature")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    folder.deleteLastPathComponent()
  }
  return nil
}

@Suite("Output through a pipe")
struct PipedOutputTests {
  @Test("solve --verbose into a pipe: the whole table, then the report, never interleaved")
  func verboseSolveThroughAPipe() throws {
    let executable = try #require(curvatureExecutable(), "the curvature executable is built")
    let process = Process()
    process.executableURL = executable
    process.arguments = ["solve", "rosenbrock", "--method", "newton-cg", "--verbose"]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    _ = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let lines = String(decoding: data, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    // The iteration table: a header, then one row per iteration 0…k, numbered in order.
    let header = try #require(lines.firstIndex { $0.hasPrefix(" iter ") })
    var row = header + 1
    var iteration = 0
    while row < lines.count, let k = Int(lines[row].prefix(5).trimmingCharacters(in: .whitespaces))
    {
      #expect(k == iteration, "row \(row): iteration \(k) where \(iteration) was due")
      // Every table row has the table's ten columns, so no report text is glued into it.
      #expect(lines[row].split(separator: " ").count == 10, "row \(row): \(lines[row])")
      iteration += 1
      row += 1
    }
    #expect(iteration > 10)
    // Right after the table: the solver's whole report, intact, then the tool's.
    #expect(lines[row].hasPrefix("Curvature solve report"))
    let solverEnd = try #require(lines.firstIndex { $0.hasPrefix("Converged: the gradient") })
    let toolStart = try #require(lines.firstIndex { $0.hasPrefix("problem      rosenbrock") })
    #expect(row < solverEnd && solverEnd < toolStart)
    #expect(lines.contains { $0.hasPrefix("Iterations") && $0.hasSuffix(" 41") })
    #expect(!lines[row...].contains { $0.hasPrefix(" iter ") })
  }
}
