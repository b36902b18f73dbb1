#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Formats a number with the C library's `%.*g` conversion (no Foundation).
///
/// - Parameters:
///   - value: the number.
///   - significantDigits: the precision handed to `%g` (6 by default, 17 round-trips a `Double`).
public func formatNumber(_ value: Double, significantDigits: Int = 6) -> String {
  if value.isNaN { return "nan" }
  if value.isInfinite { return value < 0 ? "-inf" : "inf" }
  var buffer = [CChar](repeating: 0, count: 64)
  let written = buffer.withUnsafeMutableBufferPointer { p in
    withVaList([Int32(significantDigits), value]) { args in
      vsnprintf(p.baseAddress, 64, "%.*g", args)
    }
  }
  let bytes = buffer.prefix(Int(max(0, min(written, 63)))).map { UInt8(bitPattern: $0) }
  return String(decoding: bytes, as: UTF8.self)
}

/// Formats a number in scientific notation with `digits` digits after the point (`%.*e`).
public func formatScientific(_ value: Double, digits: Int = 3) -> String {
  if value.isNaN { return "nan" }
  if value.isInfinite { return value < 0 ? "-inf" : "inf" }
  var buffer = [CChar](repeating: 0, count: 64)
  let written = buffer.withUnsafeMutableBufferPointer { p in
    withVaList([Int32(digits), value]) { args in
      vsnprintf(p.baseAddress, 64, "%.*e", args)
    }
  }
  let bytes = buffer.prefix(Int(max(0, min(written, 63)))).map { UInt8(bitPattern: $0) }
  return String(decoding: bytes, as: UTF8.self)
}

/// Formats a number in fixed notation with `digits` digits after the point (`%.*f`).
public func formatFixed(_ value: Double, digits: Int = 3) -> String {
  if value.isNaN { return "nan" }
  if value.isInfinite { return value < 0 ? "-inf" : "inf" }
  var buffer = [CChar](repeating: 0, count: 400)
  let written = buffer.withUnsafeMutableBufferPointer { p in
    withVaList([Int32(digits), value]) { args in
      vsnprintf(p.baseAddress, 400, "%.*f", args)
    }
  }
  let bytes = buffer.prefix(Int(max(0, min(written, 399)))).map { UInt8(bitPattern: $0) }
  return String(decoding: bytes, as: UTF8.self)
}
