/// A failure of the MPI library, with the function that failed and MPI's own words for it.
public enum MPIError: Error, Sendable, Hashable, CustomStringConvertible {
  /// An MPI function returned an error code.
  case failed(function: String, code: Int32, message: String)
  /// MPI could not provide the thread level the binding needs (`MPI_THREAD_SERIALIZED`: MPI
  /// calls from any thread, one at a time).
  case insufficientThreadSupport(provided: Int32)
  /// MPI was already finalized in this process; it cannot be initialized again.
  case finalized
  /// A buffer's length differs from the root's in a broadcast (found before any data moved).
  case lengthMismatch(rank: Int, count: Int, rootCount: Int)

  /// A sentence naming what failed.
  public var description: String {
    switch self {
    case .failed(let function, let code, let message):
      return "\(function) failed with error \(code): \(message)"
    case .insufficientThreadSupport(let provided):
      return "MPI provides thread level \(provided), below MPI_THREAD_SERIALIZED"
    case .finalized:
      return "MPI has been finalized in this process and cannot be used again"
    case .lengthMismatch(let rank, let count, let rootCount):
      return "rank \(rank) passed \(count) elements where the root has \(rootCount)"
    }
  }
}
