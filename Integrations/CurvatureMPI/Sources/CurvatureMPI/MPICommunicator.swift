import CMPI
import Curvature

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The world communicator of an MPI job as a `Collective`: hand it to
/// `DataParallelObjective` or `DataParallelTrainingObjective` and every
/// oracle call becomes one sum over the ranks.
///
///     let world = try MPICommunicator.world()
///     let shard = LogisticRegression.synthetic(samples: m, rows: world.shard(of: m))
///     let f = try DataParallelObjective(meanOf: shard, samples: shard.sampleCount, over: world)
///     let solution = minimize(f, from: .zeros(f.dimension), using: .lbfgs())
///     try MPICommunicator.finalize()
///
/// The value holds only rank, size and the reduction algorithm; the MPI handles (`MPI_COMM_WORLD`,
/// `MPI_DOUBLE`, `MPI_SUM`, `MPI_IN_PLACE`, macros in Open MPI) are re-read through the C shim at
/// every call, so no handle lives in Swift state. MPI is initialized at thread level
/// `MPI_THREAD_SERIALIZED` with the error handler `MPI_ERRORS_RETURN`, so failures come back as
/// ``MPIError`` from the throwing methods. The `Collective` requirements cannot throw:
/// on a failure they write the error to standard error and call `MPI_Abort`, which ends every
/// rank (a replicated solve cannot go on with one rank missing). A rank that dies is detected by
/// the launcher (`mpirun` ends the others and reports the rank and its signal or exit code).
public struct MPICommunicator: Collective {
  /// This process's rank in `MPI_COMM_WORLD`.
  public let rank: Int
  /// The number of processes p.
  public let size: Int
  /// How sums are formed (``MPIReduction/reduceThenBroadcast`` by default).
  public var reduction: MPIReduction

  /// Initializes MPI in this process if it is not yet (at `MPI_THREAD_SERIALIZED`) and returns
  /// the world communicator. Call it on every rank; later calls return the same communicator.
  public static func world(reduction: MPIReduction = .reduceThenBroadcast) throws(MPIError)
    -> MPICommunicator
  {
    var finalized: Int32 = 0
    try check(MPI_Finalized(&finalized), "MPI_Finalized")
    if finalized != 0 { throw .finalized }
    var initialized: Int32 = 0
    try check(MPI_Initialized(&initialized), "MPI_Initialized")
    if initialized == 0 {
      var provided: Int32 = 0
      try check(
        MPI_Init_thread(nil, nil, curvature_mpi_thread_serialized(), &provided),
        "MPI_Init_thread")
      if provided < curvature_mpi_thread_serialized() {
        throw .insufficientThreadSupport(provided: provided)
      }
    }
    try check(
      MPI_Comm_set_errhandler(curvature_mpi_comm_world(), curvature_mpi_errors_return()),
      "MPI_Comm_set_errhandler")
    var rank: Int32 = 0
    var size: Int32 = 0
    try check(MPI_Comm_rank(curvature_mpi_comm_world(), &rank), "MPI_Comm_rank")
    try check(MPI_Comm_size(curvature_mpi_comm_world(), &size), "MPI_Comm_size")
    return MPICommunicator(rank: Int(rank), size: Int(size), reduction: reduction)
  }

  /// Finalizes MPI (collective; once, at the end of the program, after every use).
  public static func finalize() throws(MPIError) {
    var finalized: Int32 = 0
    try check(MPI_Finalized(&finalized), "MPI_Finalized")
    if finalized == 0 { try check(MPI_Finalize(), "MPI_Finalize") }
  }

  /// Replaces `buffer` by its sum over the ranks with ``reduction``, the same bits on every rank.
  public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws(MPIError) {
    switch reduction {
    case .reduceThenBroadcast:
      try forEachChunk(of: buffer) { (chunk: UnsafeMutableBufferPointer<Double>) throws(MPIError) in
        let count = Int32(chunk.count)
        let send = rank == 0 ? curvature_mpi_in_place() : UnsafeMutableRawPointer(chunk.baseAddress)
        try Self.check(
          MPI_Reduce(
            send, chunk.baseAddress, count, curvature_mpi_double(), curvature_mpi_sum(), 0,
            curvature_mpi_comm_world()), "MPI_Reduce")
        try Self.check(
          MPI_Bcast(
            chunk.baseAddress, count, curvature_mpi_double(), 0, curvature_mpi_comm_world()),
          "MPI_Bcast")
      }
    case .native:
      try forEachChunk(of: buffer) { (chunk: UnsafeMutableBufferPointer<Double>) throws(MPIError) in
        try Self.check(
          MPI_Allreduce(
            curvature_mpi_in_place(), chunk.baseAddress, Int32(chunk.count), curvature_mpi_double(),
            curvature_mpi_sum(), curvature_mpi_comm_world()), "MPI_Allreduce")
      }
      if size > 1 && !buffer.isEmpty {
        var copy = Array(buffer)
        try broadcast(&copy, root: 0)
        var differs: Int32 = zip(copy, buffer).contains { $0.bitPattern != $1.bitPattern } ? 1 : 0
        try Self.check(
          MPI_Allreduce(
            curvature_mpi_in_place(), &differs, 1, curvature_mpi_int(), curvature_mpi_max(),
            curvature_mpi_comm_world()), "MPI_Allreduce")
        if differs != 0 {
          abort("MPI_Allreduce left different bits on different ranks; use reduceThenBroadcast")
        }
      }
    case .rankOrdered:
      let n = buffer.count
      var gathered = [Double](repeating: 0, count: rank == 0 ? n * size : 0)
      try forEachChunk(of: buffer) { (chunk: UnsafeMutableBufferPointer<Double>) throws(MPIError) in
        let offset = chunk.baseAddress! - buffer.baseAddress!
        var part = [Double](repeating: 0, count: rank == 0 ? chunk.count * size : 0)
        try Self.check(
          MPI_Gather(
            chunk.baseAddress, Int32(chunk.count), curvature_mpi_double(), &part,
            Int32(chunk.count), curvature_mpi_double(), 0, curvature_mpi_comm_world()),
          "MPI_Gather")
        if rank == 0 {
          for q in 0..<size {
            for i in 0..<chunk.count { gathered[q * n + offset + i] = part[q * chunk.count + i] }
          }
        }
      }
      if rank == 0 {
        for i in 0..<n {
          var s = gathered[i]
          for q in 1..<max(size, 1) { s += gathered[q * n + i] }
          buffer[i] = s
        }
      }
      try broadcast(buffer, root: 0)
    }
  }

  /// Replaces `vector` by its sum over the ranks (see ``allreduceSum(_:)-(UnsafeMutableBufferPointer<Double>)``).
  public func allreduceSum(_ vector: inout Vector) throws(MPIError) {
    try vector.storage.withUnsafeMutableBufferPointer { (b) throws(MPIError) in try allreduceSum(b)
    }
  }

  /// Replaces `buffer` on every rank by rank `root`'s (`MPI_Bcast`), throwing on failure. Collective; the lengths are
  /// checked first (one word), so a mismatch is an error on every rank instead of a hang.
  public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, root: Int)
    throws(MPIError)
  {
    precondition(root >= 0 && root < size, "broadcast root \(root) out of range 0..<\(size)")
    var rootCount = Int64(buffer.count)
    try Self.check(
      MPI_Bcast(&rootCount, 1, curvature_mpi_int64(), Int32(root), curvature_mpi_comm_world()),
      "MPI_Bcast")
    var mismatch: Int32 = rootCount == Int64(buffer.count) ? 0 : 1
    try Self.check(
      MPI_Allreduce(
        curvature_mpi_in_place(), &mismatch, 1, curvature_mpi_int(), curvature_mpi_max(),
        curvature_mpi_comm_world()), "MPI_Allreduce")
    if mismatch != 0 {
      throw .lengthMismatch(rank: rank, count: buffer.count, rootCount: Int(rootCount))
    }
    try forEachChunk(of: buffer) { (chunk: UnsafeMutableBufferPointer<Double>) throws(MPIError) in
      try Self.check(
        MPI_Bcast(
          chunk.baseAddress, Int32(chunk.count), curvature_mpi_double(), Int32(root),
          curvature_mpi_comm_world()), "MPI_Bcast")
    }
  }

  /// Broadcasts an array in place (see ``broadcast(_:root:)-(UnsafeMutableBufferPointer<Double>,_)``).
  public func broadcast(_ array: inout [Double], root: Int) throws(MPIError) {
    try array.withUnsafeMutableBufferPointer { (b) throws(MPIError) in try broadcast(b, root: root)
    }
  }

  /// Waits until every rank has arrived (`MPI_Barrier`).
  public func barrier() throws(MPIError) {
    try Self.check(MPI_Barrier(curvature_mpi_comm_world()), "MPI_Barrier")
  }

  /// Writes `message` to standard error with this rank's number and ends every rank of the job
  /// (`MPI_Abort`, exit code `code`).
  public func abort(_ message: String, code: Int32 = 1) -> Never {
    writeError("curvature-mpi: rank \(rank) of \(size): \(message)\n")
    MPI_Abort(curvature_mpi_comm_world(), code)
    exit(code)
  }

  /// `Collective`: the sum, or an abort of every rank with the error.
  public func sum(_ buffer: UnsafeMutableBufferPointer<Double>) {
    do throws(MPIError) { try allreduceSum(buffer) } catch { abort(error.description) }
  }

  /// `Collective`: the broadcast, or an abort of every rank with the error.
  public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, from root: Int) {
    do throws(MPIError) { try broadcast(buffer, root: root) } catch { abort(error.description) }
  }

  /// Calls `body` on consecutive pieces of at most 2³⁰ elements (MPI counts are 32-bit); an
  /// empty buffer is one empty piece, so every rank still makes the call.
  private func forEachChunk(
    of buffer: UnsafeMutableBufferPointer<Double>,
    _ body: (UnsafeMutableBufferPointer<Double>) throws(MPIError) -> Void
  ) throws(MPIError) {
    let limit = 1 << 30
    var start = 0
    repeat {
      let end = Swift.min(start + limit, buffer.count)
      try body(UnsafeMutableBufferPointer(rebasing: buffer[start..<end]))
      start = end
    } while start < buffer.count
  }

  /// Throws ``MPIError/failed(function:code:message:)`` unless `code` is `MPI_SUCCESS`.
  static func check(_ code: Int32, _ function: String) throws(MPIError) {
    guard code != curvature_mpi_success() else { return }
    var text = [CChar](repeating: 0, count: Int(curvature_mpi_max_error_string()) + 1)
    var length: Int32 = 0
    _ = MPI_Error_string(code, &text, &length)
    let message = String(
      decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    throw .failed(function: function, code: code, message: message)
  }
}

/// Writes a line to standard error unbuffered.
func writeError(_ text: String) {
  var bytes = Array(text.utf8)
  _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}
