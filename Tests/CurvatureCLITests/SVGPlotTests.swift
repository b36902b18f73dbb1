import Foundation
import Testing

@testable import CurvatureCLI

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Parses an SVG document and collects its elements and texts.
final class SVGCollector: NSObject, XMLParserDelegate {
  var elements: [(name: String, attributes: [String: String])] = []
  var texts: [String] = []
  private var current = ""

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    elements.append((name, attributes))
    current = ""
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

  func parser(
    _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
    qualifiedName: String?
  ) {
    if name == "text" { texts.append(current) }
    current = ""
  }

  /// Parses `svg`; nil when it is not well-formed XML.
  static func parse(_ svg: String) -> SVGCollector? {
    let c = SVGCollector()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = c
    return parser.parse() ? c : nil
  }
}

@Suite("SVGPlot")
struct SVGPlotTests {
  let plot = SVGPlot(
    title: "Time <per> call & more", xLabel: "n", yLabel: "seconds \"wall\"",
    xScale: .logarithmic, yScale: .logarithmic,
    series: [
      .init(name: "dot", points: [.init(1e3, 1e-6), .init(1e4, 1e-5), .init(1e6, 1e-3)]),
      .init(
        name: "a<b & 'c'", points: [.init(1e3, 2e-6), .init(1e4, .nan), .init(1e6, 3e-3)],
        showsMarkers: true),
    ])

  @Test("the document is well-formed XML with the series, legend and escaped labels")
  func wellFormed() throws {
    let svg = plot.render()
    let doc = try #require(SVGCollector.parse(svg))
    #expect(doc.elements.first?.name == "svg")
    let paths = doc.elements.filter { $0.name == "path" }
    #expect(paths.map { $0.attributes["data-series"] } == ["dot", "a<b & 'c'"])
    #expect(doc.texts.contains("Time <per> call & more"))
    #expect(doc.texts.contains("seconds \"wall\""))
    #expect(doc.texts.contains("dot"))
    #expect(doc.texts.contains("a<b & 'c'"))
    #expect(doc.elements.filter { $0.name == "circle" }.count == 2)
  }

  @Test("a non-finite point breaks the line into two pieces")
  func gaps() throws {
    let doc = try #require(SVGCollector.parse(plot.render()))
    let d = doc.elements.filter { $0.name == "path" }.map { $0.attributes["d"] ?? "" }
    #expect(d[0].filter { $0 == "M" }.count == 1)
    #expect(d[0].filter { $0 == "L" }.count == 2)
    #expect(d[1].filter { $0 == "M" }.count == 2)
    #expect(d[1].filter { $0 == "L" }.count == 0)
  }

  @Test("logarithmic axes are labelled at powers of ten")
  func logTicks() throws {
    let doc = try #require(SVGCollector.parse(plot.render()))
    for label in ["1000", "1e+04", "1e+05", "1e+06", "1e-06", "0.001"] {
      #expect(doc.texts.contains(label), "missing tick label \(label)")
    }
  }

  @Test("linear axes get 1-2-5 ticks covering the data")
  func linearTicks() {
    let axis = PlotAxis(scale: .linear, values: [0.3, 9.2], fixed: nil)
    #expect(axis.ticks == [0, 2, 4, 6, 8, 10])
    #expect(axis.fraction(5) == 0.5)
    #expect(PlotAxis.niceStep(0.7) == 0.5)
    #expect(PlotAxis.niceStep(3.4e-3) == 2e-3)
  }

  @Test("escaping")
  func escaping() {
    #expect(SVGPlot.escape("a<b>&\"c\"'") == "a&lt;b&gt;&amp;&quot;c&quot;&apos;")
  }

  @Test("a performance profile plot is valid and has one line per solver")
  func profilePlot() throws {
    let profile = PerformanceProfile(
      problems: ["p1", "p2"], solvers: ["newton-cg", "lbfgs"], costs: [[1, 2], [3, nil]])
    let svg = Plots.performanceProfile(profile, title: "profile").render()
    let doc = try #require(SVGCollector.parse(svg))
    #expect(doc.elements.filter { $0.name == "path" }.count == 2)
    #expect(doc.texts.contains("newton-cg"))
    #expect(doc.texts.contains("lbfgs"))
  }
}
