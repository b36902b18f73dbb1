import CurvatureProblems

/// The problems the tool knows, grouped in named collections (`mgh`, `large`, ...).
///
/// A collection knows its problem names without building anything, and builds one problem at a
/// time on request: a scalable problem at n = 10⁶ allocates its data only when it is used, and a
/// benchmark releases it before building the next.
public struct ProblemCatalog: Sendable {
  /// A named collection of problems.
  public struct Collection: Sendable {
    /// The collection name used on the command line (`mgh`, `large`).
    public var name: String
    /// One line saying what the collection holds.
    public var summary: String
    /// The problem names, in listing order.
    public var problemNames: @Sendable () -> [String]
    /// Builds the named problem (nil for a name outside the collection).
    public var build: @Sendable (String) -> TestProblem?

    /// A collection that builds its problems one by one.
    public init(
      name: String, summary: String, problemNames: @escaping @Sendable () -> [String],
      build: @escaping @Sendable (String) -> TestProblem?
    ) {
      self.name = name
      self.summary = summary
      self.problemNames = problemNames
      self.build = build
    }

    /// A collection built all at once (for small problems).
    public init(
      name: String, summary: String, problems: @escaping @Sendable () -> [TestProblem]
    ) {
      self.init(
        name: name, summary: summary, problemNames: { problems().map(\.name) },
        build: { n in problems().first { $0.name == n } })
    }

    /// Every problem of the collection, built.
    public func problems() -> [TestProblem] { problemNames().compactMap(build) }
  }

  /// The collections, in listing order.
  public var collections: [Collection]

  /// A catalog of the given collections.
  public init(collections: [Collection]) { self.collections = collections }

  /// The collection names.
  public var collectionNames: [String] { collections.map(\.name) }

  /// The collection called `name`.
  public func collection(named name: String) -> Collection? {
    collections.first { $0.name == name }
  }

  /// The problem with this exact name, searching the collections in order.
  public func problem(named name: String) -> TestProblem? {
    for c in collections where c.problemNames().contains(name) {
      if let p = c.build(name) { return p }
    }
    return nil
  }

  /// Every problem name, collection by collection.
  public var problemNames: [String] { collections.flatMap { $0.problemNames() } }
}
