/// The check of a user closure's output size where it enters the library, shared by every
/// oracle (``Oracle``, ``ResidualSolverRun`` and the SQP run): an output of the wrong size is
/// replaced by NaN of the right size, so the method stops as on a non-finite value instead of
/// trapping far from the cause, and the first such output is kept as a sentence naming it and
/// both sizes. The solve then ends with ``Termination/invalidProblem`` and that sentence as its
/// note (``outcome(_:note:)``).
public struct OutputSizeCheck: Sendable, Hashable {
  /// The first mis-sized output, as a sentence (nil while every output had its size).
  public private(set) var fault: String?

  /// No fault yet.
  public init() {}

  /// Keeps `message` unless an earlier fault is kept.
  public mutating func record(_ message: String?) {
    if fault == nil { fault = message }
  }

  /// `v`, or `count` NaNs (recording `message`) when `v` has another length.
  public mutating func vector(
    _ v: Vector, count: Int, _ message: @autoclosure () -> String
  ) -> Vector {
    guard v.count != count else { return v }
    record(message())
    return Vector(repeating: .nan, count: count)
  }

  /// `m`, or a `rows` × `columns` matrix of NaN (recording `message`) when `m` has another shape.
  public mutating func matrix(
    _ m: Matrix, rows: Int, columns: Int, _ message: @autoclosure () -> String
  ) -> Matrix {
    guard m.rows != rows || m.columns != columns else { return m }
    record(message())
    return Matrix(rows: rows, columns: columns, repeating: .nan)
  }

  /// The termination and note a solve reports: ``Termination/invalidProblem`` with the fault
  /// when there is one (it outranks what the method made of the NaN stand-in), otherwise the
  /// method's own.
  public func outcome(_ termination: Termination, note: String?) -> (Termination, String?) {
    fault.map { (.invalidProblem, $0) } ?? (termination, note)
  }
}
