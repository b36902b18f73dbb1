import Foundation

/// Where a command writes: the process's standard output and error, or in-memory buffers that
/// tests read back.
///
/// Normal output (tables, reports, JSON) goes to ``write(_:)``; diagnostics, usage errors and
/// progress lines go to ``writeError(_:)``, so that piping the output keeps it clean.
///
/// The standard sink writes its output with Swift's `print`, through the same buffered standard
/// output stream as a solver's verbose table: one writer per stream, so a report never lands
/// inside a table when the output is piped or redirected. Errors go unbuffered to standard error,
/// which only the tool writes.
public final class OutputSink: @unchecked Sendable {
  private let capturing: Bool
  private let lock = NSLock()
  private var output = ""
  private var errors = ""

  private init(capturing: Bool) { self.capturing = capturing }

  /// A sink that writes to the process's standard output and standard error.
  public static func standard() -> OutputSink { OutputSink(capturing: false) }

  /// A sink that keeps everything in memory (read back with ``standardOutput`` and
  /// ``standardError``).
  public static func capturing() -> OutputSink { OutputSink(capturing: true) }

  /// Writes `text` as is to the output stream.
  public func write(_ text: String) {
    if capturing {
      lock.withLock { output += text }
    } else {
      print(text, terminator: "")
    }
  }

  /// Writes `text` followed by a newline to the output stream.
  public func line(_ text: String = "") { write(text + "\n") }

  /// Writes `text` as is to the error stream.
  public func writeError(_ text: String) {
    if capturing {
      lock.withLock { errors += text }
    } else {
      FileHandle.standardError.write(Data(text.utf8))
    }
  }

  /// Writes `text` followed by a newline to the error stream.
  public func errorLine(_ text: String) { writeError(text + "\n") }

  /// Everything written to the output stream so far (empty for a standard sink).
  public var standardOutput: String { lock.withLock { output } }

  /// Everything written to the error stream so far (empty for a standard sink).
  public var standardError: String { lock.withLock { errors } }
}
