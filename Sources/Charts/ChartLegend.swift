/// A horizontal legend under a chart title: entries flow left to right and wrap onto further rows.
struct ChartLegend {
    /// What is drawn before an entry's name.
    enum Symbol {
        /// A short line sample with the series' marker.
        case line(color: String, dashed: Bool, marker: MarkerShape)
        /// A filled square.
        case swatch(color: String)

        /// The width the symbol takes before the gap and the name.
        var width: Double {
            switch self {
            case .line: ChartLegend.lineSymbolWidth
            case .swatch: ChartLegend.swatchSide
            }
        }
    }

    struct Entry {
        var name: String
        var symbol: Symbol
    }

    private struct Placed {
        var entry: Entry
        var x: Double
        var row: Int
    }

    static let lineSymbolWidth = 22.0
    static let swatchSide = 12.0
    static let gapAfterSymbol = 6.0
    static let gapBetweenEntries = 16.0

    private let placed: [Placed]
    /// Rows used (0 when there are no entries).
    let rowCount: Int

    /// Lays `entries` out from `x` within `maxWidth`.
    init(entries: [Entry], x: Double, maxWidth: Double) {
        var placed: [Placed] = []
        var cursor = x
        var row = 0
        for var entry in entries {
            let room = maxWidth - entry.symbol.width - Self.gapAfterSymbol
            entry.name = TextMetrics.truncate(entry.name, size: ChartTheme.labelSize, maxWidth: room)
            let width = entry.symbol.width + Self.gapAfterSymbol + TextMetrics.width(entry.name, size: ChartTheme.labelSize)
            if cursor > x && cursor + width > x + maxWidth {
                row += 1
                cursor = x
            }
            placed.append(Placed(entry: entry, x: cursor, row: row))
            cursor += width + Self.gapBetweenEntries
        }
        self.placed = placed
        self.rowCount = placed.isEmpty ? 0 : row + 1
    }

    /// The height the legend needs.
    var height: Double { Double(rowCount) * ChartTheme.legendRowHeight }

    /// Draws the legend with its first row's centre line at `top + legendRowHeight / 2`.
    func draw(into document: inout SVGDocument, top: Double) {
        guard !placed.isEmpty else { return }
        document.group([("class", "legend")]) { document in
            for item in placed {
                let middle = top + (Double(item.row) + 0.5) * ChartTheme.legendRowHeight
                switch item.entry.symbol {
                case let .line(color, dashed, marker):
                    document.line(
                        x1: item.x, y1: middle, x2: item.x + Self.lineSymbolWidth, y2: middle,
                        stroke: color, width: 2.5, dash: dashed ? LineChart.dashPattern : nil
                    )
                    marker.draw(into: &document, x: item.x + Self.lineSymbolWidth / 2, y: middle, color: color)
                case let .swatch(color):
                    let side = Self.swatchSide
                    document.rect(x: item.x, y: middle - side / 2, width: side, height: side, fill: color, cornerRadius: 2)
                }
                document.text(
                    item.entry.name, x: item.x + item.entry.symbol.width + Self.gapAfterSymbol, y: middle + 4,
                    size: ChartTheme.labelSize, fill: ChartTheme.text
                )
            }
        }
    }
}
