/// A group of ranks (processes or threads) that run the same program and meet in collective
/// operations: the only communication a data-parallel objective needs.
///
/// The contract every conformance keeps and every caller relies on:
/// - **Collective calls.** Every rank makes the same collective calls, with buffers of the same
///   length, in the same order. A rank that skips a call or calls with another length leaves the
///   others waiting (an MPI implementation waits forever; run MPI jobs under `timeout`).
/// - **Identical results.** After ``sum(_:)-(UnsafeMutableBufferPointer<Double>)`` every rank holds
///   the same bits, so replicated solvers that start from the same point with the same options
///   take the same iterations and end with the same parameters, termination and counts. A
///   conformance must guarantee this itself (a fixed summation order, or a sum formed on one rank
///   and broadcast), never rely on a library's floating-point reduction being symmetric.
/// - **Failures.** The operations do not throw: a conformance whose transport fails reports the
///   failure on standard error and ends every rank (a solver cannot continue on one rank alone).
///
/// ``ThreadCollective`` runs the contract on threads of one process (the tests' reducer);
/// `MPICommunicator` in the `CurvatureMPI` package runs it on MPI. The data-parallel wrappers
/// ``DataParallelObjective`` and ``DataParallelTrainingObjective`` use one ``sum(_:)`` per oracle
/// call.
public protocol Collective: Sendable {
  /// This rank's index, in 0..<``size``.
  var rank: Int { get }
  /// The number of ranks p ≥ 1.
  var size: Int { get }
  /// Replaces each element bᵢ of `buffer` by Σᵣ bᵢ⁽ʳ⁾, the sum over the ranks, with the same
  /// bits on every rank (a sum-allreduce in place). Collective; every rank makes the call even
  /// with an empty buffer.
  func sum(_ buffer: UnsafeMutableBufferPointer<Double>)
  /// Replaces `buffer` on every rank by its contents on rank `root`. Collective.
  func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, from root: Int)
}

extension Collective {
  /// Replaces `vector` by its sum over the ranks (``sum(_:)-(UnsafeMutableBufferPointer<Double>)``).
  @inlinable
  public func sum(_ vector: inout Vector) {
    vector.storage.withUnsafeMutableBufferPointer { sum($0) }
  }

  /// The sum of `value` over the ranks, the same on every rank. Collective (one word).
  @inlinable
  public func sum(_ value: Double) -> Double {
    var word = value
    withUnsafeMutablePointer(to: &word) { sum(UnsafeMutableBufferPointer(start: $0, count: 1)) }
    return word
  }

  /// Replaces `vector` on every rank by rank `root`'s. Collective; every rank must pass a vector
  /// of the root's length.
  @inlinable
  public func broadcast(_ vector: inout Vector, from root: Int = 0) {
    vector.storage.withUnsafeMutableBufferPointer { broadcast($0, from: root) }
  }

  /// Whether `flag` holds on at least one rank, the same answer on every rank: how an observer's
  /// stop decision (or any other per-rank decision) is made collective. Collective (one word).
  @inlinable
  public func anyRank(_ flag: Bool) -> Bool { sum(flag ? 1 : 0) > 0 }

  /// This rank's contiguous share of `count` items, ⌊count·r/p⌋..<⌊count·(r + 1)/p⌋: the shards
  /// differ in size by at most one and cover 0..<count in rank order.
  @inlinable
  public func shard(of count: Int) -> Range<Int> {
    precondition(count >= 0, "cannot split a negative count \(count)")
    return (count * rank / size)..<(count * (rank + 1) / size)
  }

  /// Whether every rank passed the same bits in `vector`: rank 0's copy is broadcast and compared
  /// element by element, and the verdict is reduced. Collective (n + 1 words); for checking that
  /// replicated solves stayed identical.
  public func agreeBitwise(_ vector: Vector) -> Bool {
    let count = sum(Double(vector.count))
    guard count == Double(vector.count * size) else { return false }
    var root = vector
    broadcast(&root, from: 0)
    var same = true
    for i in 0..<vector.count where root[i].bitPattern != vector[i].bitPattern { same = false }
    return !anyRank(!same)
  }
}
