import CurvatureProblems

/// The problems the tool knows, grouped in named collections (`mgh`, `large`, ...).
///
/// Collections are built lazily: a scalable problem at n = 10⁶ allocates its starting point only
/// when a command asks for that collection.
public struct ProblemCatalog: Sendable {
  /// A named collection of problems.
  public struct Collection: Sendable {
    /// The collection name used on the command line (`mgh`, `large`).
    public var name: String
    /// One line saying what the collection holds.
    public var summary: String
    /// Builds the problems.
    public var problems: @Sendable () -> [TestProblem]

    /// A collection.
    public init(
      name: String, summary: String, problems: @escaping @Sendable () -> [TestProblem]
    ) {
      self.name = name
      self.summary = summary
      self.problems = problems
    }
  }

  /// The collections, in listing order.
  public var collections: [Collection]

  /// A catalog of the given collections.
  public init(collections: [Collection]) { self.collections = collections }

  /// The collection names.
  public var collectionNames: [String] { collections.map(\.name) }

  /// The problems of the named collection, or of every collection when `name` is nil; nil for an
  /// unknown collection name.
  public func problems(in name: String? = nil) -> [TestProblem]? {
    guard let name else { return collections.flatMap { $0.problems() } }
    return collections.first { $0.name == name }?.problems()
  }

  /// The problem with this exact name, searching the collections in order.
  public func problem(named name: String) -> TestProblem? {
    for c in collections {
      if let p = c.problems().first(where: { $0.name == name }) { return p }
    }
    return nil
  }

  /// Every problem name, collection by collection.
  public var problemNames: [String] { collections.flatMap { $0.problems().map(\.name) } }
}
