import Curvature
import Foundation

/// Several ``SVGPlot`` panels in one SVG document, laid out row by row on a grid under a common
/// title; each panel keeps its own axes, labels and legend.
public struct SVGFigure: Sendable {
  /// The title above the panels.
  public var title: String
  /// The panels, in reading order (left to right, then top to bottom).
  public var panels: [SVGPlot]
  /// Panels per row.
  public var columns: Int

  /// A figure.
  public init(title: String, panels: [SVGPlot], columns: Int = 1) {
    precondition(columns >= 1, "a figure needs at least one column, got \(columns)")
    self.title = title
    self.panels = panels
    self.columns = columns
  }

  /// The height of the title band.
  static let titleHeight = 36.0

  /// The width of one grid cell: the widest panel.
  var cellWidth: Double { panels.map(\.width).max() ?? 0 }
  /// The height of one grid cell: the tallest panel.
  var cellHeight: Double { panels.map(\.height).max() ?? 0 }

  /// The SVG document.
  public func render() -> String {
    func f(_ v: Double) -> String { formatFixed(v, digits: 2) }
    let rows = (panels.count + columns - 1) / columns
    let width = Swift.max(cellWidth * Double(Swift.min(columns, Swift.max(panels.count, 1))), 400)
    let height = Self.titleHeight + cellHeight * Double(rows)
    var s = SVGPlot.documentHeader(width: width, height: height, title: title)
    s += "<text x=\"\(f(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"18\" "
    s += "font-weight=\"bold\">\(SVGPlot.escape(title))</text>\n"
    for (i, panel) in panels.enumerated() {
      let x = cellWidth * Double(i % columns)
      let y = Self.titleHeight + cellHeight * Double(i / columns)
      s += "<g class=\"panel\" transform=\"translate(\(f(x)) \(f(y)))\">\n"
      s += panel.panel(clipID: "plot-area-\(i)")
      s += "</g>\n"
    }
    return s + "</svg>\n"
  }

  /// Writes the document to `path`.
  public func write(to path: String) throws {
    try Data(render().utf8).write(to: URL(fileURLWithPath: path))
  }
}
