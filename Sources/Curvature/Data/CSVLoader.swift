/// Reads labeled samples from delimited text: one sample a line, its features and its class
/// label in separate fields.
///
/// The format accepted:
/// - Lines end in `\n` or `\r\n`; blank lines (only spaces or tabs) are skipped wherever they
///   are, and a UTF-8 byte order mark at the start is ignored.
/// - Fields are split at `separator` and spaces and tabs around a field are dropped. With a space
///   or a tab as separator, any run of spaces and tabs separates fields (whitespace-delimited
///   files such as UCI's).
/// - There is no quoting: every field is a number.
/// - Features are parsed with `Double(_:)` and must be finite (`nan` and `inf` are rejected).
/// - The label is a whole number of at least 0, written as an integer (`3`) or as a number
///   with an integral value (`3.0`, `3e0`).
/// - Every line has as many fields as the first line (the header, when there is one).
///
/// Errors name the line (physical, 1-based) and the column (the field's position, 1-based).
public enum CSVLoader {
  /// Reads the file at `path` and parses it with ``parse(_:name:labelColumn:separator:header:)``,
  /// naming `path` in errors.
  ///
  /// - Parameters:
  ///   - path: the file to read.
  ///   - labelColumn: the 0-based index of the label field; `nil` means the last field.
  ///   - separator: the ASCII byte between fields (a comma by default).
  ///   - header: whether the first non-blank line is a header to skip; `nil` means it is one
  ///     when one of its fields is not a number.
  /// - Throws: ``DataFileError`` when the file cannot be read or a line is malformed.
  public static func load(
    path: String, labelColumn: Int? = nil, separator: UInt8 = UInt8(ascii: ","),
    header: Bool? = nil
  ) throws(DataFileError) -> LabeledDataSet {
    let bytes = try readFileBytes(path: path)
    return try parse(
      String(decoding: bytes, as: UTF8.self), name: path, labelColumn: labelColumn,
      separator: separator, header: header)
  }

  /// Parses delimited text into a data set whose ``LabeledDataSet/classCount`` is the largest
  /// label + 1.
  ///
  /// - Parameters:
  ///   - text: the content.
  ///   - name: the name errors give for the content (e.g. its file name).
  ///   - labelColumn: the 0-based index of the label field; `nil` means the last field.
  ///   - separator: the ASCII byte between fields (a comma by default); not a line break.
  ///   - header: whether the first non-blank line is a header to skip; `nil` means it is one
  ///     when one of its non-empty fields is not a number.
  /// - Throws: ``DataFileError`` naming the first malformed field or line, or
  ///   ``DataFileError/empty(file:)`` when no sample remains.
  public static func parse(
    _ text: String, name: String, labelColumn: Int? = nil,
    separator: UInt8 = UInt8(ascii: ","), header: Bool? = nil
  ) throws(DataFileError) -> LabeledDataSet {
    precondition(
      separator < 0x80 && separator != newline && separator != carriageReturn,
      "the separator must be an ASCII byte other than a line break, got \(separator)")
    var reader = FieldReader(text: text, separator: separator)
    var expectedFields = 0
    var labelIndex = 0
    var features = [Double]()
    var labels = [Int]()
    var sawFirstLine = false
    while let line = reader.nextLine() {
      if reader.fields.isEmpty { continue }
      if !sawFirstLine {
        sawFirstLine = true
        expectedFields = reader.fields.count
        labelIndex = labelColumn ?? (expectedFields - 1)
        guard labelIndex >= 0 && labelIndex < expectedFields else {
          throw .labelColumnOutOfRange(
            file: name, labelColumn: labelIndex, fieldCount: expectedFields)
        }
        let isHeader =
          header
          ?? reader.fields.indices.contains { k in
            let field = reader.field(k)
            return !field.isEmpty && Double(field) == nil
          }
        if isHeader { continue }
      }
      guard reader.fields.count == expectedFields else {
        throw .wrongFieldCount(
          file: name, line: line, expected: expectedFields, found: reader.fields.count)
      }
      for k in 0..<expectedFields {
        let field = reader.field(k)
        if field.isEmpty { throw .emptyField(file: name, line: line, column: k + 1) }
        if k == labelIndex {
          guard let label = parseLabel(field) else {
            throw .invalidLabel(file: name, line: line, column: k + 1, text: String(field))
          }
          labels.append(label)
        } else {
          guard let value = Double(field) else {
            throw .notANumber(file: name, line: line, column: k + 1, text: String(field))
          }
          guard value.isFinite else {
            throw .nonFiniteValue(file: name, line: line, column: k + 1, text: String(field))
          }
          features.append(value)
        }
      }
    }
    if labels.isEmpty { throw .empty(file: name) }
    return LabeledDataSet(features: features, featureCount: expectedFields - 1, labels: labels)
  }

  /// A whole number of at least 0 written as an integer or as an integral `Double`, else nil.
  private static func parseLabel(_ field: Substring) -> Int? {
    if let label = Int(field) { return label >= 0 ? label : nil }
    guard let value = Double(field), value.isFinite, value >= 0, value < 0x1p53,
      value.rounded(.towardZero) == value
    else { return nil }
    return Int(value)
  }
}

/// The line feed byte.
private let newline = UInt8(ascii: "\n")
/// The carriage return byte.
private let carriageReturn = UInt8(ascii: "\r")

/// Walks the lines of a text and splits each into trimmed fields, by UTF-8 byte offsets (the
/// separator and the trimmed bytes are ASCII, so every boundary is a Unicode scalar boundary).
private struct FieldReader {
  let text: String
  let separator: UInt8
  let whitespaceSeparated: Bool
  var position: String.Index
  var lineNumber = 0
  /// The fields of the current line as ranges of `text`; empty for a blank line.
  var fields: [Range<String.Index>] = []

  init(text: String, separator: UInt8) {
    self.text = text
    self.separator = separator
    whitespaceSeparated = isBlank(separator)
    position = text.startIndex
    if text.unicodeScalars.first == "\u{FEFF}" {
      position = text.unicodeScalars.index(after: text.startIndex)
    }
  }

  /// The field `k` of the current line.
  func field(_ k: Int) -> Substring { Substring(text.unicodeScalars[fields[k]]) }

  /// Splits the next line into ``fields`` and returns its 1-based number, or nil at the end.
  mutating func nextLine() -> Int? {
    let utf8 = text.utf8
    guard position < utf8.endIndex else { return nil }
    lineNumber += 1
    let lineBreak = utf8[position...].firstIndex(of: newline) ?? utf8.endIndex
    var end = lineBreak
    if end > position && utf8[utf8.index(before: end)] == carriageReturn {
      end = utf8.index(before: end)
    }
    split(position..<end)
    position = lineBreak == utf8.endIndex ? lineBreak : utf8.index(after: lineBreak)
    return lineNumber
  }

  /// Fills ``fields`` with the trimmed fields of `line` (none when the line is blank).
  private mutating func split(_ line: Range<String.Index>) {
    fields.removeAll(keepingCapacity: true)
    let utf8 = text.utf8
    if utf8[line].allSatisfy(isBlank) { return }
    var start = line.lowerBound
    if whitespaceSeparated {
      while start < line.upperBound {
        while start < line.upperBound && isBlank(utf8[start]) { start = utf8.index(after: start) }
        if start == line.upperBound { break }
        var end = start
        while end < line.upperBound && !isBlank(utf8[end]) { end = utf8.index(after: end) }
        fields.append(start..<end)
        start = end
      }
      return
    }
    while true {
      let end = utf8[start..<line.upperBound].firstIndex(of: separator) ?? line.upperBound
      var lower = start
      var upper = end
      while lower < upper && isBlank(utf8[lower]) { lower = utf8.index(after: lower) }
      while upper > lower && isBlank(utf8[utf8.index(before: upper)]) {
        upper = utf8.index(before: upper)
      }
      fields.append(lower..<upper)
      if end == line.upperBound { return }
      start = utf8.index(after: end)
    }
  }
}

/// Whether a byte is a space or a tab.
private func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
