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
      problems use f = Σ rᵢ², as in Moré, Garbow and Hillstrom (1981). The constrained \
      collection (`bench --suite constrained`) shows the number of equality and inequality \
      constraints in the m column as e+i.
      """)

  @Option(
    name: .shortAndLong,
    help: "Only this collection (mgh, large, or constrained for the Hock-Schittkowski problems).")
  var collection: String?

  @Flag(help: "Print JSON instead of a table.")
  var json = false

  @Flag(help: "Show the sources in full (they are shortened to fit a terminal otherwise).")
  var wide = false

  func validate() throws {
    let catalog = CommandEnvironment.current.catalog
    var names = catalog.collectionNames
    if CommandEnvironment.current.constrained != nil { names.append(Self.constrainedCollection) }
    if let collection, !names.contains(collection) {
      throw unknownChoice("collection", collection, valid: names)
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
      var equalities: Int?
      var inequalities: Int?
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
    if let backend = env.constrained, collection == nil || collection == Self.constrainedCollection
    {
      for name in backend.problemNames {
        guard let p = backend.build(name) else { continue }
        entries.append(
          Entry(
            collection: Self.constrainedCollection, name: p.name, n: p.dimension,
            equalities: p.constraints.equalityCount, inequalities: p.constraints.inequalityCount,
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
        e.collection, e.name, String(e.n),
        e.m.map(String.init)
          ?? e.equalities.map { "\($0)+\(e.inequalities ?? 0)" } ?? "-",
        e.fStar.map { formatNumber($0, significantDigits: 8) } ?? "?",
        wide ? e.source : Self.shorten(e.source, to: 56),
      ])
    }
    env.output.line(table.render())
    env.output.line("\(entries.count) problems")
  }

  /// The name under which the constrained problems are listed.
  static let constrainedCollection = "constrained"

  /// `text` cut to `limit` characters, ending with an ellipsis when cut.
  static func shorten(_ text: String, to limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
  }
}
