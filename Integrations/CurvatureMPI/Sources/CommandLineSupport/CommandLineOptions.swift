/// `--name value` pairs from a command line, for the package's small executables (the binding
/// itself takes no arguments). Unknown names and malformed values are errors that name them.
public struct CommandLineOptions: Sendable {
  /// The first argument that does not start with `--` (a subcommand), if any.
  public let command: String?
  private var values: [String: String]
  private var flags: Set<String>

  /// Why a command line was refused.
  public struct Problem: Error, Sendable, CustomStringConvertible {
    /// The explanation.
    public let description: String
  }

  /// Parses `arguments` (without the program name). `flagNames` take no value.
  public init(_ arguments: [String], flagNames: Set<String> = []) throws(Problem) {
    var command: String?
    var values: [String: String] = [:]
    var flags: Set<String> = []
    var i = 0
    while i < arguments.count {
      let a = arguments[i]
      if a.hasPrefix("--") {
        let name = String(a.dropFirst(2))
        if flagNames.contains(name) {
          flags.insert(name)
        } else {
          guard i + 1 < arguments.count else { throw Problem(description: "\(a) needs a value") }
          values[name] = arguments[i + 1]
          i += 1
        }
      } else if command == nil {
        command = a
      } else {
        throw Problem(description: "unexpected argument '\(a)'")
      }
      i += 1
    }
    self.command = command
    self.values = values
    self.flags = flags
  }

  /// Whether the flag `--name` was given.
  public func flag(_ name: String) -> Bool { flags.contains(name) }

  /// The value of `--name` as a string, or `default`.
  public mutating func string(_ name: String, default value: String) -> String {
    values.removeValue(forKey: name) ?? value
  }

  /// The value of `--name` as an integer, or `default`.
  public mutating func int(_ name: String, default value: Int) throws(Problem) -> Int {
    guard let text = values.removeValue(forKey: name) else { return value }
    guard let v = Int(text) else {
      throw Problem(description: "--\(name) wants an integer, got '\(text)'")
    }
    return v
  }

  /// The value of `--name` as a number, or `default`.
  public mutating func double(_ name: String, default value: Double) throws(Problem) -> Double {
    guard let text = values.removeValue(forKey: name) else { return value }
    guard let v = Double(text) else {
      throw Problem(description: "--\(name) wants a number, got '\(text)'")
    }
    return v
  }

  /// Throws when options remain that no one asked for.
  public func finish() throws(Problem) {
    if let name = values.keys.sorted().first {
      throw Problem(description: "unknown option --\(name)")
    }
  }
}
