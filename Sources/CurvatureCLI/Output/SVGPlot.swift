import Curvature
import Foundation

/// A self-contained SVG line plot: axes with tick marks and labels, linear or logarithmic scales,
/// a legend, a title and axis labels, every text XML-escaped.
///
/// Points with a non-finite coordinate (or a non-positive one on a logarithmic axis) are skipped
/// and break the line, so gaps in the data show as gaps.
public struct SVGPlot: Sendable {
  /// An axis scale.
  public enum Scale: Sendable, Hashable {
    /// Linear, with ticks at 1, 2 or 5 × 10ᵏ steps.
    case linear
    /// Base-10 logarithmic, with ticks at powers of ten.
    case logarithmic
  }

  /// A point.
  public struct Point: Sendable, Hashable {
    /// The abscissa.
    public var x: Double
    /// The ordinate.
    public var y: Double

    /// A point (x, y).
    public init(_ x: Double, _ y: Double) {
      self.x = x
      self.y = y
    }
  }

  /// A named line.
  public struct Series: Sendable {
    /// The legend label.
    public var name: String
    /// The points, joined in order.
    public var points: [Point]
    /// Whether to draw a small circle at each point.
    public var showsMarkers: Bool

    /// A series.
    public init(name: String, points: [Point], showsMarkers: Bool = false) {
      self.name = name
      self.points = points
      self.showsMarkers = showsMarkers
    }
  }

  /// The title above the plot.
  public var title: String
  /// The horizontal axis label.
  public var xLabel: String
  /// The vertical axis label.
  public var yLabel: String
  /// The horizontal scale.
  public var xScale: Scale
  /// The vertical scale.
  public var yScale: Scale
  /// A fixed horizontal range (otherwise taken from the data and rounded to ticks).
  public var xRange: ClosedRange<Double>?
  /// A fixed vertical range (otherwise taken from the data and rounded to ticks).
  public var yRange: ClosedRange<Double>?
  /// The lines.
  public var series: [Series]
  /// The width of the picture in pixels.
  public var width: Double = 760
  /// The height of the picture in pixels.
  public var height: Double = 480

  /// A plot.
  public init(
    title: String, xLabel: String, yLabel: String, xScale: Scale = .linear,
    yScale: Scale = .linear, xRange: ClosedRange<Double>? = nil,
    yRange: ClosedRange<Double>? = nil, series: [Series] = []
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.xScale = xScale
    self.yScale = yScale
    self.xRange = xRange
    self.yRange = yRange
    self.series = series
  }

  /// Line colours (a colour-blind friendly palette, Okabe and Ito), reused cyclically.
  public static let palette = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
  ]

  /// Dash patterns, cycled together with the colours so that overlapping lines stay visible.
  public static let dashPatterns = ["", "7 4", "2 3"]

  /// The stroke attributes of series `i`: its colour and, for some, a dash pattern.
  static func strokeAttributes(_ i: Int) -> String {
    let dash = dashPatterns[i % dashPatterns.count]
    return "stroke=\"\(palette[i % palette.count])\""
      + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")
  }

  /// Escapes `&`, `<`, `>`, `"` and `'` for XML text and attribute values.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default: out.append(c)
      }
    }
    return out
  }

  /// The SVG document.
  public func render() -> String {
    Self.documentHeader(width: width, height: height, title: title)
      + panel(clipID: "plot-area") + "</svg>\n"
  }

  /// The opening of an SVG document: the XML declaration, the `<svg>` element, its `<title>`
  /// and a white background.
  static func documentHeader(width: Double, height: Double, title: String) -> String {
    func f(_ v: Double) -> String { formatFixed(v, digits: 2) }
    return """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" \
      viewBox="0 0 \(f(width)) \(f(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
      <title>\(Self.escape(title))</title>
      <rect x="0" y="0" width="\(f(width))" height="\(f(height))" fill="white"/>

      """
  }

  /// The plot's elements in a `width` × `height` box at the origin, clipping the lines with a
  /// clip path of id `clipID` (unique within the document).
  func panel(clipID: String) -> String {
    let left = 80.0
    let top = 44.0
    let bottom = 60.0
    let legendWidth = series.isEmpty ? 20.0 : 30 + 7 * Double(series.map(\.name.count).max()!)
    let plotWidth = Swift.max(100, width - left - legendWidth - 10)
    let plotHeight = Swift.max(100, height - top - bottom)
    let xAxis = PlotAxis(
      scale: xScale, values: series.flatMap { $0.points.map(\.x) }, fixed: xRange)
    let yAxis = PlotAxis(
      scale: yScale, values: series.flatMap { $0.points.map(\.y) }, fixed: yRange)
    func px(_ x: Double) -> Double? {
      guard let t = xAxis.fraction(x) else { return nil }
      return left + t * plotWidth
    }
    func py(_ y: Double) -> Double? {
      guard let t = yAxis.fraction(y) else { return nil }
      return top + (1 - t) * plotHeight
    }
    func f(_ v: Double) -> String { formatFixed(v, digits: 2) }

    var s = """
      <defs><clipPath id="\(Self.escape(clipID))"><rect x="\(f(left))" y="\(f(top))" width="\(f(plotWidth))" \
      height="\(f(plotHeight))"/></clipPath></defs>
      <text x="\(f(left + plotWidth / 2))" y="24" text-anchor="middle" font-size="16">\
      \(Self.escape(title))</text>

      """
    // Grid lines and tick labels.
    s += "<g class=\"ticks\" stroke=\"#dddddd\" stroke-width=\"1\">\n"
    for t in xAxis.ticks {
      guard let x = px(t) else { continue }
      s += "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + plotHeight))\"/>\n"
    }
    for t in yAxis.ticks {
      guard let y = py(t) else { continue }
      s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\"/>\n"
    }
    s += "</g>\n<g class=\"tick-labels\" fill=\"#333333\">\n"
    for t in xAxis.ticks {
      guard let x = px(t) else { continue }
      s += "<text x=\"\(f(x))\" y=\"\(f(top + plotHeight + 18))\" text-anchor=\"middle\">"
      s += "\(Self.escape(PlotAxis.label(t)))</text>\n"
    }
    for t in yAxis.ticks {
      guard let y = py(t) else { continue }
      s += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">"
      s += "\(Self.escape(PlotAxis.label(t)))</text>\n"
    }
    s += "</g>\n"
    // Axes frame and labels.
    s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" "
    s += "height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>\n"
    s += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 16))\" text-anchor=\"middle\" "
    s += "font-size=\"13\">\(Self.escape(xLabel))</text>\n"
    let yMid = top + plotHeight / 2
    s += "<text x=\"18\" y=\"\(f(yMid))\" text-anchor=\"middle\" font-size=\"13\" "
    s += "transform=\"rotate(-90 18 \(f(yMid)))\">\(Self.escape(yLabel))</text>\n"
    // Series.
    s +=
      "<g class=\"series\" clip-path=\"url(#\(Self.escape(clipID)))\" fill=\"none\" stroke-width=\"2\">\n"
    for (i, line) in series.enumerated() {
      let colour = Self.palette[i % Self.palette.count]
      var d = ""
      var pen = false
      var markers: [(Double, Double)] = []
      for p in line.points {
        guard let x = px(p.x), let y = py(p.y) else {
          pen = false
          continue
        }
        d += (pen ? " L" : (d.isEmpty ? "M" : " M")) + "\(f(x)) \(f(y))"
        pen = true
        markers.append((x, y))
      }
      s +=
        "<path data-series=\"\(Self.escape(line.name))\" \(Self.strokeAttributes(i)) d=\"\(d)\"/>\n"
      if line.showsMarkers {
        for (x, y) in markers {
          s += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3\" fill=\"\(colour)\"/>\n"
        }
      }
    }
    s += "</g>\n"
    // Legend, to the right of the plot area.
    s += "<g class=\"legend\">\n"
    let lx = left + plotWidth + 14
    for (i, line) in series.enumerated() {
      let ly = top + 10 + 20 * Double(i)
      s += "<line x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 20))\" y2=\"\(f(ly))\" "
      s += "\(Self.strokeAttributes(i)) stroke-width=\"2\"/>\n"
      s += "<text x=\"\(f(lx + 26))\" y=\"\(f(ly + 4))\">\(Self.escape(line.name))</text>\n"
    }
    s += "</g>\n"
    return s
  }

  /// Writes the document to `path`.
  public func write(to path: String) throws {
    try Data(render().utf8).write(to: URL(fileURLWithPath: path))
  }
}
