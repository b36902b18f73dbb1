/// A plain-text table with aligned columns, for terminal reports.
///
/// Columns are padded to their widest cell (measured in Unicode characters) and separated by two
/// spaces; numbers usually read best right-aligned, names left-aligned. A rule of dashes separates
/// the header from the body.
///
/// ```
/// var table = TextTable(columns: [.init("problem"), .init("n", alignment: .right)])
/// table.append(["rosenbrock", "2"])
/// print(table.render())
/// ```
public struct TextTable: Sendable {
  /// How a column's cells are padded.
  public enum Alignment: Sendable {
    /// Padded on the right.
    case left
    /// Padded on the left.
    case right
  }

  /// A column: its header and alignment.
  public struct Column: Sendable {
    /// The header text.
    public var header: String
    /// The alignment of the header and cells.
    public var alignment: Alignment

    /// A column titled `header`.
    public init(_ header: String, alignment: Alignment = .left) {
      self.header = header
      self.alignment = alignment
    }
  }

  /// The columns.
  public var columns: [Column]
  /// The body rows (each as many cells as columns; shorter rows are padded with empty cells).
  public private(set) var rows: [[String]] = []
  /// The column separator.
  public var separator = "  "

  /// A table with the given columns and no rows.
  public init(columns: [Column]) { self.columns = columns }

  /// A table with left-aligned headers, right-aligning the columns whose indices are in
  /// `rightAligned`.
  public init(headers: [String], rightAligned: Set<Int> = []) {
    self.columns = headers.enumerated().map {
      Column($0.element, alignment: rightAligned.contains($0.offset) ? .right : .left)
    }
  }

  /// Appends a row.
  public mutating func append(_ row: [String]) {
    precondition(
      row.count <= columns.count,
      "row has \(row.count) cells but the table has \(columns.count) columns")
    rows.append(row + Array(repeating: "", count: columns.count - row.count))
  }

  /// The width of each column: its widest cell or header.
  public var columnWidths: [Int] { widths(includingHeader: true) }

  private func widths(includingHeader: Bool) -> [Int] {
    columns.indices.map { c in
      rows.reduce(includingHeader ? columns[c].header.count : 0) { Swift.max($0, $1[c].count) }
    }
  }

  /// The table as lines of text: header, rule, rows (no trailing spaces, no final newline);
  /// with `header` false, the rows alone.
  public func render(header: Bool = true) -> String {
    let widths = widths(includingHeader: header)
    func format(_ cells: [String]) -> String {
      var parts: [String] = []
      for (c, cell) in cells.enumerated() {
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        parts.append(columns[c].alignment == .left ? cell + pad : pad + cell)
      }
      return trimTrailingSpaces(parts.joined(separator: separator))
    }
    var lines: [String] = []
    if header {
      lines.append(format(columns.map(\.header)))
      lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: separator))
    }
    lines += rows.map(format)
    return lines.joined(separator: "\n")
  }
}

private func trimTrailingSpaces(_ s: String) -> String {
  var s = Substring(s)
  while s.last == " " { s = s.dropLast() }
  return String(s)
}
