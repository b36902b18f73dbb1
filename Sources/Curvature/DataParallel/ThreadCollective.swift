#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A ``Collective`` whose ranks are threads of one process: the reducer that tests the
/// data-parallel contract without MPI, and a way to run a data-parallel program on one machine.
///
/// ``run(ranks:_:)`` starts p threads, hands each its communicator and returns their results in
/// rank order. ``sum(_:)-(UnsafeMutableBufferPointer<Double>)`` forms every element in rank order,
/// s = ((b⁽⁰⁾ + b⁽¹⁾) + b⁽²⁾) + …, on one thread per slice of the elements and writes it into
/// every rank's buffer, so all ranks hold the same bits, and the bits do not depend on how the
/// slices are scheduled (the same order as `MPICommunicator`'s rank-ordered sum). A rank that
/// calls with a buffer of another length stops the process with a message naming both lengths
/// (a broken collective contract is a programming error; on threads it need not hang).
public struct ThreadCollective: Collective {
  /// This thread's rank.
  public let rank: Int
  /// The number of threads p.
  public var size: Int { rendezvous.size }
  let rendezvous: ThreadRendezvous

  /// Runs `body` on `ranks` threads at once, each with its communicator, and returns the results
  /// in rank order. Every thread must make the same collective calls (see ``Collective``).
  public static func run<Result: Sendable>(
    ranks: Int, _ body: @escaping @Sendable (ThreadCollective) -> Result
  ) -> [Result] {
    precondition(ranks >= 1, "a collective needs at least one rank, got \(ranks)")
    let rendezvous = ThreadRendezvous(size: ranks)
    let results = ResultSlots<Result>(count: ranks)
    var threads: [pthread_t] = []
    for r in 0..<ranks {
      let start = ThreadStart {
        results.store(body(ThreadCollective(rank: r, rendezvous: rendezvous)), at: r)
      }
      let context = Unmanaged.passRetained(start).toOpaque()
      #if canImport(Darwin)
        var thread: pthread_t? = nil
      #else
        var thread = pthread_t()
      #endif
      let status = pthread_create(
        &thread, nil,
        { context in
          let start = Unmanaged<ThreadStart>.fromOpaque(context!).takeRetainedValue()
          start.body()
          return nil
        }, context)
      precondition(status == 0, "pthread_create failed with status \(status)")
      #if canImport(Darwin)
        threads.append(thread!)
      #else
        threads.append(thread)
      #endif
    }
    for thread in threads { pthread_join(thread, nil) }
    return results.collect()
  }

  /// The rank-ordered sum over the threads, written into every thread's buffer.
  public func sum(_ buffer: UnsafeMutableBufferPointer<Double>) {
    rendezvous.deposit(buffer, rank: rank)
    rendezvous.wait()
    rendezvous.checkCounts(operation: "sum")
    let p = size
    let n = buffer.count
    let lower = n * rank / p
    let upper = n * (rank + 1) / p
    let slots = rendezvous.slots
    if lower < upper {
      for i in lower..<upper {
        var s = slots[0][i]
        for q in 1..<p { s += slots[q][i] }
        for q in 0..<p { slots[q][i] = s }
      }
    }
    rendezvous.wait()
  }

  /// Copies rank `root`'s buffer into every other thread's.
  public func broadcast(_ buffer: UnsafeMutableBufferPointer<Double>, from root: Int) {
    precondition(root >= 0 && root < size, "broadcast root \(root) out of range 0..<\(size)")
    rendezvous.deposit(buffer, rank: rank)
    rendezvous.wait()
    rendezvous.checkCounts(operation: "broadcast")
    if rank != root, let source = rendezvous.slots[root].baseAddress,
      let target = buffer.baseAddress
    {
      target.update(from: source, count: buffer.count)
    }
    rendezvous.wait()
  }
}

/// The shared state of a ``ThreadCollective``: one buffer slot per rank and a reusable barrier.
/// Slots are written by their own rank before the barrier and read by all after it, so the
/// barrier's mutex orders every access.
final class ThreadRendezvous: @unchecked Sendable {
  let size: Int
  let slots: UnsafeMutablePointer<UnsafeMutableBufferPointer<Double>>
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let condition: UnsafeMutablePointer<pthread_cond_t>
  private var arrived = 0
  private var generation = 0

  init(size: Int) {
    self.size = size
    slots = .allocate(capacity: size)
    slots.initialize(repeating: UnsafeMutableBufferPointer(start: nil, count: 0), count: size)
    mutex = .allocate(capacity: 1)
    condition = .allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(condition, nil)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
    slots.deinitialize(count: size)
    slots.deallocate()
  }

  func deposit(_ buffer: UnsafeMutableBufferPointer<Double>, rank: Int) { slots[rank] = buffer }

  /// Blocks until all ranks have arrived (a generation-counting barrier).
  func wait() {
    pthread_mutex_lock(mutex)
    let current = generation
    arrived += 1
    if arrived == size {
      arrived = 0
      generation += 1
      pthread_cond_broadcast(condition)
    } else {
      while generation == current { pthread_cond_wait(condition, mutex) }
    }
    pthread_mutex_unlock(mutex)
  }

  /// Stops with both lengths when the ranks passed buffers of different lengths.
  func checkCounts(operation: String) {
    let expected = slots[0].count
    for r in 1..<max(size, 1) where slots[r].count != expected {
      fatalError(
        "ThreadCollective.\(operation): rank \(r) passed \(slots[r].count) elements, "
          + "rank 0 passed \(expected)")
    }
  }
}

/// A thread's body, passed through pthread_create's context pointer.
private final class ThreadStart {
  let body: () -> Void
  init(_ body: @escaping () -> Void) { self.body = body }
}

/// One result slot per rank, each written by its own thread before the join.
private final class ResultSlots<Result>: @unchecked Sendable {
  private var values: UnsafeMutablePointer<Result?>
  private let count: Int

  init(count: Int) {
    self.count = count
    values = .allocate(capacity: count)
    values.initialize(repeating: nil, count: count)
  }

  deinit {
    values.deinitialize(count: count)
    values.deallocate()
  }

  func store(_ value: Result, at rank: Int) { values[rank] = value }

  func collect() -> [Result] { (0..<count).map { values[$0]! } }
}
