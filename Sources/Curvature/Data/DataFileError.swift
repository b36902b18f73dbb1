/// Why a data file could not be read or understood.
///
/// Locations are 1-based: `line` counts every physical line of the file (header and blank lines
/// included) and `column` is the field's position on its line (the first field is column 1).
/// `file` is the name the loader was given (the path for files read from disk). The
/// ``description`` starts with `file:line:column:` where they apply, e.g.
/// `data.csv:3:2: "abc" is not a number`.
public enum DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file could not be opened; `reason` is the C library's message (`strerror`).
  case cannotOpen(path: String, reason: String)
  /// The file was opened but reading it failed; `reason` is the C library's message.
  case cannotRead(path: String, reason: String)
  /// The file holds no samples (it is empty, blank, or holds only a header).
  case empty(file: String)
  /// A field is empty (two separators in a row, or one at the end of a line).
  case emptyField(file: String, line: Int, column: Int)
  /// A feature field does not parse as a number.
  case notANumber(file: String, line: Int, column: Int, text: String)
  /// A feature field is a number but not finite (`nan`, `inf`, or out of the range of `Double`).
  case nonFiniteValue(file: String, line: Int, column: Int, text: String)
  /// A line has a different number of fields than the file's first line.
  case wrongFieldCount(file: String, line: Int, expected: Int, found: Int)
  /// The label column is outside the lines' fields.
  case labelColumnOutOfRange(file: String, labelColumn: Int, fieldCount: Int)
  /// A label is not a whole number of at least 0 (`text` is the field).
  case invalidLabel(file: String, line: Int, column: Int, text: String)
  /// An IDX file does not start with two zero bytes, a known type code and a dimension count
  /// of at least 1 (`bytes` are its first four bytes, or fewer if the file is shorter).
  case idxBadMagic(file: String, bytes: [UInt8])
  /// An IDX file's dimensions are unusable (`reason` says why), or do not suit their use.
  case idxBadDimensions(file: String, shape: [Int], reason: String)
  /// An IDX file ends before its header or data do: `expectedBytes` are needed, the file
  /// holds `actualBytes`.
  case idxTruncated(file: String, expectedBytes: Int, actualBytes: Int)
  /// An IDX file holds more bytes than its header and data account for.
  case idxTrailingBytes(file: String, expectedBytes: Int, actualBytes: Int)
  /// An IDX label is not a whole number of at least 0 (`index` counts from 0).
  case idxInvalidLabel(file: String, index: Int, value: Double)
  /// The images file and the labels file hold different numbers of samples.
  case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)

  /// The error as one line starting with its location, e.g. `data.csv:3:2: "abc" is not a
  /// number`.
  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason):
      return "\(path): cannot open: \(reason)"
    case .cannotRead(let path, let reason):
      return "\(path): cannot read: \(reason)"
    case .empty(let file):
      return "\(file): the file holds no samples"
    case .emptyField(let file, let line, let column):
      return "\(file):\(line):\(column): the field is empty"
    case .notANumber(let file, let line, let column, let text):
      return "\(file):\(line):\(column): \"\(text)\" is not a number"
    case .nonFiniteValue(let file, let line, let column, let text):
      return "\(file):\(line):\(column): \"\(text)\" is not a finite number"
    case .wrongFieldCount(let file, let line, let expected, let found):
      return "\(file):\(line): expected \(expected) fields (as on the first line), found \(found)"
    case .labelColumnOutOfRange(let file, let labelColumn, let fieldCount):
      return
        "\(file): label column \(labelColumn) (0-based) is outside the \(fieldCount) fields of a line"
    case .invalidLabel(let file, let line, let column, let text):
      return "\(file):\(line):\(column): the label \"\(text)\" is not a whole number at least 0"
    case .idxBadMagic(let file, let bytes):
      let hex = bytes.map { hexByte($0) }.joined(separator: " ")
      return
        "\(file): not an IDX file: starts with [\(hex)], expected 00 00, a type code (08, 09, 0B, 0C, 0D, 0E) and a dimension count of at least 1"
    case .idxBadDimensions(let file, let shape, let reason):
      return "\(file): bad IDX dimensions \(shape): \(reason)"
    case .idxTruncated(let file, let expected, let actual):
      return "\(file): truncated IDX file: needs \(expected) bytes, holds \(actual)"
    case .idxTrailingBytes(let file, let expected, let actual):
      return "\(file): IDX file holds \(actual) bytes, its header and data account for \(expected)"
    case .idxInvalidLabel(let file, let index, let value):
      return
        "\(file): label \(index) (0-based) is \(formatNumber(value, significantDigits: 17)), not a whole number at least 0"
    case .countMismatch(let images, let imageCount, let labels, let labelCount):
      return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
    }
  }
}

/// Two uppercase hexadecimal digits.
private func hexByte(_ byte: UInt8) -> String {
  let digits = Array("0123456789ABCDEF")
  return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
