#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The packing buffers of the calling thread for ``PackedProduct``: one for the packed A block and
/// one for the packed B block, each grown to the largest size asked for and kept until the thread
/// ends (POSIX thread-specific data, released by the key's destructor).
///
/// A buffer is used only by its own thread and only within one call of the product kernel, so no
/// locking is needed; a kernel call never nests another on the same thread.
final class PackingWorkspace {
  /// Which of the two buffers.
  enum Slot {
    /// The packed A block.
    case a
    /// The packed B block.
    case b
  }

  private var pointers: [UnsafeMutableRawPointer?] = [nil, nil]
  private var sizes: [Int] = [0, 0]

  /// The key under which each thread's workspace is stored.
  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { raw in
      #if canImport(Glibc)
        guard let raw else { return }
      #endif
      Unmanaged<PackingWorkspace>.fromOpaque(raw).release()
    }
    precondition(status == 0, "pthread_key_create failed with status \(status)")
    return key
  }()

  /// The calling thread's workspace, created on first use.
  static var current: PackingWorkspace {
    if let raw = pthread_getspecific(key) {
      return Unmanaged<PackingWorkspace>.fromOpaque(raw).takeUnretainedValue()
    }
    let workspace = PackingWorkspace()
    pthread_setspecific(key, Unmanaged.passRetained(workspace).toOpaque())
    return workspace
  }

  /// A buffer of at least `bytes` bytes aligned to 64 bytes; its contents are unspecified.
  func buffer(_ slot: Slot, bytes: Int) -> UnsafeMutableRawPointer {
    let index = slot == .a ? 0 : 1
    if let p = pointers[index], sizes[index] >= bytes { return p }
    pointers[index]?.deallocate()
    let size = Swift.max(bytes, 64)
    let p = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
    pointers[index] = p
    sizes[index] = size
    return p
  }

  deinit {
    for p in pointers { p?.deallocate() }
  }
}
