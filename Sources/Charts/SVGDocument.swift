import Units
/// A minimal SVG writer shared by the charts: it appends elements in order, escapes every piece of text and
/// formats every number the same way, so the same drawing always yields the same bytes.
struct SVGDocument {
    /// One attribute as written: name and unescaped value, kept in call order.
    typealias Attribute = (name: String, value: String)

    let width: Double
    let height: Double
    /// Read by assistive technology and shown as a tooltip by browsers.
    let title: String
    private var lines: [String] = []
    private var depth = 1

    init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    // MARK: Elements

    /// Appends `<name attributes/>`, or `<name attributes>text</name>` when `text` is given.
    mutating func element(_ name: String, _ attributes: [Attribute], text: String? = nil) {
        let attributeText = attributes.map { " \($0.name)=\"\(Self.escape($0.value))\"" }.joined()
        let indent = String(repeating: "  ", count: depth)
        if let text {
            lines.append("\(indent)<\(name)\(attributeText)>\(Self.escape(text))</\(name)>")
        } else {
            lines.append("\(indent)<\(name)\(attributeText)/>")
        }
    }

    /// Appends `<g attributes>`, the elements `content` adds, then `</g>`.
    mutating func group(_ attributes: [Attribute], _ content: (inout SVGDocument) -> Void) {
        let attributeText = attributes.map { " \($0.name)=\"\(Self.escape($0.value))\"" }.joined()
        lines.append(String(repeating: "  ", count: depth) + "<g\(attributeText)>")
        depth += 1
        content(&self)
        depth -= 1
        lines.append(String(repeating: "  ", count: depth) + "</g>")
    }

    mutating func rect(
        x: Double, y: Double, width: Double, height: Double,
        fill: String, stroke: String? = nil, strokeWidth: Double = 1, cornerRadius: Double = 0, opacity: Double = 1
    ) {
        var attributes: [Attribute] = [
            ("x", Self.number(x)), ("y", Self.number(y)),
            ("width", Self.number(max(0, width))), ("height", Self.number(max(0, height))),
        ]
        if cornerRadius > 0 { attributes.append(("rx", Self.number(cornerRadius))) }
        attributes.append(("fill", fill))
        if opacity < 1 { attributes.append(("fill-opacity", Self.number(opacity))) }
        if let stroke {
            attributes.append(("stroke", stroke))
            attributes.append(("stroke-width", Self.number(strokeWidth)))
        }
        element("rect", attributes)
    }

    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil
    ) {
        var attributes: [Attribute] = [
            ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
            ("stroke", stroke), ("stroke-width", Self.number(width)),
        ]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("line", attributes)
    }

    /// An open path through `points`; nothing for fewer than two points.
    mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double, dash: String? = nil) {
        guard points.count >= 2 else { return }
        var attributes: [Attribute] = [
            ("points", points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")),
            ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.number(width)),
            ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
        ]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("polyline", attributes)
    }

    /// A closed filled shape through `points`.
    mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, stroke: String? = nil, strokeWidth: Double = 1) {
        var attributes: [Attribute] = [
            ("points", points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")),
            ("fill", fill),
        ]
        if let stroke {
            attributes.append(("stroke", stroke))
            attributes.append(("stroke-width", Self.number(strokeWidth)))
        }
        element("polygon", attributes)
    }

    mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil, strokeWidth: Double = 1) {
        var attributes: [Attribute] = [("cx", Self.number(cx)), ("cy", Self.number(cy)), ("r", Self.number(r)), ("fill", fill)]
        if let stroke {
            attributes.append(("stroke", stroke))
            attributes.append(("stroke-width", Self.number(strokeWidth)))
        }
        element("circle", attributes)
    }

    /// Text whose baseline starts (or centres, or ends, per `anchor`) at `x, y`; `rotation` in degrees about that point.
    /// Empty text draws nothing.
    mutating func text(
        _ content: String, x: Double, y: Double, size: Double, fill: String,
        anchor: TextAnchor = .start, bold: Bool = false, rotation: Double = 0
    ) {
        guard !content.isEmpty else { return }
        var attributes: [Attribute] = [("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size))]
        if anchor != .start { attributes.append(("text-anchor", anchor.rawValue)) }
        if bold { attributes.append(("font-weight", "600")) }
        attributes.append(("fill", fill))
        if rotation != 0 {
            attributes.append(("transform", "rotate(\(Self.number(rotation)) \(Self.number(x)) \(Self.number(y)))"))
        }
        element("text", attributes, text: content)
    }

    /// Where a text element's `x` sits on the text.
    enum TextAnchor: String {
        case start, middle, end
    }

    // MARK: Output

    /// The complete standalone document.
    func render() -> String {
        let size = "width=\"\(Self.number(width))\" height=\"\(Self.number(height))\""
        let viewBox = "viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\""
        let font = "font-family=\"\(Self.escape(ChartTheme.fontFamily))\""
        var output = "<svg xmlns=\"http://www.w3.org/2000/svg\" \(viewBox) \(size) role=\"img\" \(font)>\n"
        output += "  <title>\(Self.escape(title))</title>\n"
        for line in lines { output += line + "\n" }
        output += "</svg>\n"
        return output
    }

    // MARK: Text and numbers

    /// `text` safe inside XML character data and double- or single-quoted attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            // XML 1.0 forbids most control characters even as references; drop them.
            case "\t", "\n", "\r": escaped.unicodeScalars.append(character)
            case _ where character.value < 0x20 || (0xFFFE...0xFFFF).contains(character.value): continue
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A coordinate with at most two decimals, no exponent and no locale: `12.5`, `-3`, `0.25`.
    /// Non-finite values become `0`, and magnitudes are capped at 10⁷ so a stray value cannot blow up the text.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let clamped = min(max(value, -1e7), 1e7)
        var text = Formatting.fixed(clamped, decimals: 2)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
