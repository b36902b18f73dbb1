import Testing

@testable import CurvatureCLI

@Suite("TextTable")
struct TextTableTests {
  @Test("columns line up and numbers are right-aligned")
  func alignment() {
    var t = TextTable(headers: ["name", "n", "f"], rightAligned: [1, 2])
    t.append(["rosenbrock", "2", "1e-20"])
    t.append(["ext_rosenbrock_n1000", "1000", "3.5"])
    let lines = t.render().split(separator: "\n").map(String.init)
    #expect(lines.count == 4)
    #expect(lines[0] == "name                     n      f")
    #expect(lines[1] == "--------------------  ----  -----")
    #expect(lines[2] == "rosenbrock               2  1e-20")
    #expect(lines[3] == "ext_rosenbrock_n1000  1000    3.5")
    #expect(t.columnWidths == [20, 4, 5])
  }

  @Test("cells with non-ASCII characters count as one column each")
  func unicodeWidth() {
    var t = TextTable(headers: ["‖g‖∞", "x"], rightAligned: [0])
    t.append(["1e-6", "a"])
    let lines = t.render().split(separator: "\n").map(String.init)
    #expect(lines[0] == "‖g‖∞  x")
    #expect(lines[2] == "1e-6  a")
  }

  @Test("short rows are padded, the last column has no trailing spaces")
  func padding() {
    var t = TextTable(headers: ["a", "bbb", "c"])
    t.append(["x"])
    let lines = t.render().split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[2] == "x")
    #expect(t.rows[0] == ["x", "", ""])
    #expect(t.render(header: false) == "x")
  }
}
