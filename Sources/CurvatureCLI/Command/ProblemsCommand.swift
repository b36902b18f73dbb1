import ArgumentParser
import Curvature
import CurvatureProblems

/// `curvature problems`: lists the built-in problems.
struct ProblemsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "problems",
    abstract: "List the built-in test problems.",
    discussion: """
      Shows each problem's collection, name, number of variables n, number of residuals m (for \
      sum-of-squares problems), the known optimal value f* and its source. Sum-of-squares \
      problems use f = Σ rᵢ², as in Moré, Garbow and Hillstrom (1981).
      """)

  @Option(name: .shortAndLong, help: "Only this collection (mgh or large).")
  var collection: String?

  @Flag(help: "Print JSON instead of a table.")
  var json = false

  @Flag(help: "Show the sources in full (they are shortened to fit a terminal otherwise).")
  var wide = false

  func validate() throws {
    let catalog = CommandEnvironment.current.catalog
    if let collection, !catalog.collectionNames.contains(collection) {
      throw unknownChoice("collection", collection, valid: catalog.collectionNames)
    }
  }

  func run() throws {
    let env = CommandEnvironment.current
    let collections = env.catalog.collections.filter { collection == nil || $0.name == collection }
    struct Entry: Encodable {
      var collection: String
      var name: String
      var n: Int
      var m: Int?
      var fStar: Double?
      var source: String
    }
    var entries: [Entry] = []
    for c in collections {
      for p in c.problems() {
        entries.append(
          Entry(
            collection: c.name, name: p.name, n: p.dimension, m: p.residualCount,
            fStar: p.optimalValue, source: p.source))
      }
    }
    if json {
      env.output.line(try JSONEncoderSupport.string(entries))
      return
    }
    if entries.isEmpty {
      env.output.line("No problems in this build.")
      return
    }
    var table = TextTable(
      headers: ["collection", "name", "n", "m", "f*", "source"], rightAligned: [2, 3, 4])
    for e in entries {
      table.append([
        e.collection, e.name, String(e.n), e.m.map(String.init) ?? "-",
        e.fStar.map { formatNumber($0, significantDigits: 8) } ?? "?",
        wide ? e.source : Self.shorten(e.source, to: 56),
      ])
    }
    env.output.line(table.render())
    env.output.line("\(entries.count) problems")
  }

  /// `text` cut to `limit` characters, ending with an ellipsis when cut.
  static func shorten(_ text: String, to limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
  }
}
