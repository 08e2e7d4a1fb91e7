import Foundation
import Testing
import TestSupport

#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Charts

/// An SVG document parsed back, for checking what a chart drew.
struct ParsedSVG {
    /// Whether `XMLParser` accepted the document.
    var isWellFormed = false
    /// The root element's name and attributes.
    var rootName = ""
    var rootAttributes: [String: String] = [:]
    /// The text of every `<text>` element, in document order.
    var texts: [String] = []
    /// Every element's name and attributes, in document order.
    var elements: [(name: String, attributes: [String: String])] = []

    init(_ svg: String) {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        isWellFormed = parser.parse()
        rootName = collector.elements.first?.name ?? ""
        rootAttributes = collector.elements.first?.attributes ?? [:]
        texts = collector.texts
        elements = collector.elements
    }

    /// Elements named `name`.
    func elements(named name: String) -> [[String: String]] {
        elements.filter { $0.name == name }.map(\.attributes)
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var texts: [String] = []
        private var currentText: String?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            elements.append((elementName, attributeDict))
            if elementName == "text" { currentText = "" }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            currentText? += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            if elementName == "text", let text = currentText {
                texts.append(text)
                currentText = nil
            }
        }
    }
}

@Suite("SVGDocument")
struct SVGDocumentTests {
    @Test func escapesEveryXMLSpecialCharacter() {
        #expect(SVGDocument.escape(#"a<b&c>"d'e"#) == "a&lt;b&amp;c&gt;&quot;d&apos;e")
    }

    @Test func dropsControlCharactersXMLCannotHold() {
        #expect(SVGDocument.escape("a\u{0}b\u{1B}c") == "abc")
    }

    @Test(arguments: [
        (12.5, "12.5"), (3.0, "3"), (-0.001, "0"), (0.125, "0.13"), (-2.5, "-2.5"), (1e20, "10000000"),
        (Double.nan, "0"), (Double.infinity, "0"), (123.456, "123.46"),
    ])
    func formatsNumbersWithoutExponentOrTrailingZeros(value: Double, text: String) {
        #expect(SVGDocument.number(value) == text)
    }

    @Test func writesAWholeDocument() {
        var document = SVGDocument(width: 100, height: 50, title: "t & u")
        document.rect(x: 0, y: 0, width: 10, height: 5, fill: "#fff")
        document.text("a<b", x: 1, y: 2.25, size: 11, fill: "#000", anchor: .middle)
        let expected = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" width="100" height="50" role="img" \
            font-family="system-ui, -apple-system, &apos;Segoe UI&apos;, Helvetica, Arial, sans-serif">
              <title>t &amp; u</title>
              <rect x="0" y="0" width="10" height="5" fill="#fff"/>
              <text x="1" y="2.25" font-size="11" text-anchor="middle" fill="#000">a&lt;b</text>
            </svg>

            """
        #expect(document.render() == expected)
        #expect(ParsedSVG(document.render()).isWellFormed)
    }

    @Test func picksTheMoreLegibleTextColour() {
        #expect(ChartTheme.textColor(on: "#0072B2") == "#ffffff")
        #expect(ChartTheme.textColor(on: "#F0E442") == "#000000")
        #expect(ChartTheme.textColor(on: "not a colour") == ChartTheme.text)
    }

    @Test func truncatesTextToFitWithAnEllipsis() {
        let cut = TextMetrics.truncate("a rather long legend entry", size: 12, maxWidth: 60)
        #expect(cut.hasSuffix("…"))
        #expect(TextMetrics.width(cut, size: 12) <= 60)
        #expect(TextMetrics.truncate("short", size: 12, maxWidth: 60) == "short")
        #expect(TextMetrics.truncate("wide", size: 12, maxWidth: 1).isEmpty)
        #expect(TextMetrics.width("Title", size: 16, bold: true) > TextMetrics.width("Title", size: 16))
    }
}
