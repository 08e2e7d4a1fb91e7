/// The point marker of a line series. Each series gets its own shape as well as its own colour, so lines stay
/// distinguishable in grey-scale print and for readers who cannot tell the colours apart.
enum MarkerShape: CaseIterable {
    case circle, square, diamond, triangle

    /// The shape for the `index`-th series.
    static func forSeries(_ index: Int) -> MarkerShape {
        allCases[index % allCases.count]
    }

    /// Draws the marker centred on `x, y`, with a white outline that separates it from lines beneath.
    func draw(into document: inout SVGDocument, x: Double, y: Double, color: String) {
        let radius = 3.5
        let outline = ChartTheme.background
        switch self {
        case .circle:
            document.circle(cx: x, cy: y, r: radius, fill: color, stroke: outline)
        case .square:
            let side = radius * 1.8
            document.rect(
                x: x - side / 2, y: y - side / 2, width: side, height: side, fill: color, stroke: outline
            )
        case .diamond:
            let reach = radius * 1.35
            document.polygon(
                [(x, y - reach), (x + reach, y), (x, y + reach), (x - reach, y)], fill: color, stroke: outline
            )
        case .triangle:
            let reach = radius * 1.3
            document.polygon(
                [(x, y - reach), (x + reach, y + reach * 0.8), (x - reach, y + reach * 0.8)], fill: color, stroke: outline
            )
        }
    }
}
