#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The whole content of the file at `path`, read with the C library (`fopen`, `fread`) in
/// blocks of 64 KiB, so it also reads pipes and files whose size changes while reading.
///
/// - Throws: ``DataFileError/cannotOpen(path:reason:)`` when `fopen` fails,
///   ``DataFileError/cannotRead(path:reason:)`` when `fread` reports an error (a directory, an
///   I/O error); the reason is `strerror(errno)`.
func readFileBytes(path: String) throws(DataFileError) -> [UInt8] {
  guard let file = fopen(path, "rb") else {
    throw .cannotOpen(path: path, reason: errorMessage(errno))
  }
  defer { fclose(file) }
  let blockSize = 1 << 16
  var bytes = [UInt8]()
  var block = [UInt8](repeating: 0, count: blockSize)
  while true {
    let read = block.withUnsafeMutableBytes { fread($0.baseAddress, 1, blockSize, file) }
    bytes.append(contentsOf: block.prefix(read))
    if read < blockSize {
      if ferror(file) != 0 { throw .cannotRead(path: path, reason: errorMessage(errno)) }
      return bytes
    }
  }
}

/// The C library's message for an error number.
private func errorMessage(_ code: Int32) -> String {
  guard let message = strerror(code) else { return "error \(code)" }
  return String(cString: message)
}
