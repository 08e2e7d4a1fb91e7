import Units

/// A grid of coloured cells with a short text in each: rows × columns, each cell a category (for example the
/// winning pool) and a label (the margin, `1.8×`). Used as the decision map of payload size × work per byte.
///
/// ```swift
/// let map = HeatmapGrid(
///     title: "Which pool wins",
///     rowTitle: "work (ns/B)",
///     columnTitle: "payload size",
///     rowLabels: ["0", "1", "10"],
///     columnLabels: ["1 KB", "1 MB", "200 MB"],
///     categories: [
///         ChartCategory("process", color: ChartPalette.blue),
///         ChartCategory("thread", color: ChartPalette.vermillion),
///         ChartCategory("tie", color: ChartPalette.neutral),
///     ],
///     cells: [
///         [HeatmapGrid.Cell(category: "thread", label: "3.1×"), HeatmapGrid.Cell(category: "thread", label: "1.4×"), nil],
///         [HeatmapGrid.Cell(category: "thread", label: "2.0×"), HeatmapGrid.Cell(category: "tie", label: "1.0×"), nil],
///         [HeatmapGrid.Cell(category: "tie", label: "1.0×"), HeatmapGrid.Cell(category: "process", label: "1.6×"), nil],
///     ]
/// )
/// let svg = map.render()
/// ```
public struct HeatmapGrid: Sendable {
    /// One cell: the name of its category (one of `categories`) and a short text drawn inside it.
    public struct Cell: Sendable, Equatable {
        public var category: String
        public var label: String

        public init(category: String, label: String = "") {
            self.category = category
            self.label = label
        }
    }

    public var title: String
    /// The title beside the row headers, with its unit: `work (ns/B)`.
    public var rowTitle: String
    /// The title under the column headers, with its unit: `payload size`.
    public var columnTitle: String
    /// Row headers, top row first.
    public var rowLabels: [String]
    /// Column headers, left column first.
    public var columnLabels: [String]
    /// The legend, in order; a cell whose category is not listed is drawn grey.
    public var categories: [ChartCategory]
    /// `cells[row][column]`; nil (or a missing entry) is a cell without a result, drawn empty.
    public var cells: [[Cell?]]
    public var width: Double
    public var height: Double

    public init(
        title: String,
        rowTitle: String,
        columnTitle: String,
        rowLabels: [String],
        columnLabels: [String],
        categories: [ChartCategory],
        cells: [[Cell?]],
        width: Double = 720,
        height: Double = 420
    ) {
        self.title = title
        self.rowTitle = rowTitle
        self.columnTitle = columnTitle
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.categories = categories
        self.cells = cells
        self.width = width
        self.height = height
    }

    /// The chart as a complete SVG document; the same grid always gives the same bytes.
    public func render() -> String {
        var (document, contentTop) = ChartFrame.begin(width: width, height: height, title: title)
        let padding = ChartTheme.padding

        let legendEntries = categories.indices.map {
            ChartLegend.Entry(name: categories[$0].name, symbol: .swatch(color: color(of: $0)))
        }
        let legend = ChartLegend(entries: legendEntries, x: padding, maxWidth: width - 2 * padding)
        legend.draw(into: &document, top: contentTop)

        let rowCount = max(rowLabels.count, cells.count)
        let columnCount = max(columnLabels.count, cells.map(\.count).max() ?? 0)
        let rowLabelWidth = rowLabels.map { TextMetrics.width($0, size: ChartTheme.tickSize) }.max() ?? 0
        let grid = PlotRect(
            left: ChartFrame.plotLeft(tickLabelWidth: min(rowLabelWidth, width / 4)),
            top: contentTop + legend.height + 12,
            right: width - padding,
            bottom: height - padding - 38
        )
        guard rowCount > 0, columnCount > 0 else {
            ChartFrame.drawNoData(into: &document, plot: grid)
            return document.render()
        }
        let cellWidth = grid.width / Double(columnCount)
        let cellHeight = grid.height / Double(rowCount)

        document.group([("class", "cells")]) { document in
            for row in 0..<rowCount {
                for column in 0..<columnCount {
                    let cell = row < cells.count && column < cells[row].count ? cells[row][column] : nil
                    drawCell(
                        cell, into: &document,
                        x: grid.left + Double(column) * cellWidth, y: grid.top + Double(row) * cellHeight,
                        width: cellWidth, height: cellHeight
                    )
                }
            }
        }
        drawHeaders(into: &document, grid: grid, cellWidth: cellWidth, cellHeight: cellHeight)
        return document.render()
    }

    private func color(of index: Int) -> String {
        categories[index].color ?? ChartPalette.color(at: index)
    }

    /// The colour of a category by name; grey for a name not in `categories`.
    private func color(ofCategory name: String) -> String {
        guard let index = categories.firstIndex(where: { $0.name == name }) else { return ChartPalette.neutral }
        return color(of: index)
    }

    private func drawCell(_ cell: Cell?, into document: inout SVGDocument, x: Double, y: Double, width: Double, height: Double) {
        let gap = 1.5
        let fill = cell.map { color(ofCategory: $0.category) } ?? ChartTheme.emptyCell
        document.rect(
            x: x + gap, y: y + gap, width: width - 2 * gap, height: height - 2 * gap, fill: fill, cornerRadius: 3
        )
        let text = cell?.label ?? "–"
        guard !text.isEmpty, height >= 14 else { return }
        // The regular size if it fits, else the small one, else nothing (a cut-off number would mislead).
        let size = [ChartTheme.labelSize, ChartTheme.smallSize].first {
            TextMetrics.width(text, size: $0) <= width - 6 && $0 + 2 <= height
        }
        guard let size else { return }
        document.text(
            text, x: x + width / 2, y: y + height / 2 + size * 0.35, size: size,
            fill: cell == nil ? ChartTheme.mutedText : ChartTheme.textColor(on: fill), anchor: .middle
        )
    }

    /// Row headers to the left, column headers below, and the two axis titles.
    private func drawHeaders(into document: inout SVGDocument, grid: PlotRect, cellWidth: Double, cellHeight: Double) {
        let size = ChartTheme.tickSize
        document.group([("class", "headers")]) { document in
            // Too many rows or columns for every header: label every second (third, …) one instead.
            let rowStride = max(1, Int(clampingFinite: (14 / cellHeight).rounded(.up)))
            for (row, label) in rowLabels.enumerated() where row % rowStride == 0 {
                document.text(
                    TextMetrics.truncate(label, size: size, maxWidth: width / 4),
                    x: grid.left - ChartFrame.tickLabelGap, y: grid.top + (Double(row) + 0.5) * cellHeight + 4,
                    size: size, fill: ChartTheme.mutedText, anchor: .end
                )
            }
            let widestColumnLabel = columnLabels.map { TextMetrics.width($0, size: size) }.max() ?? 0
            let columnStride = max(1, Int(clampingFinite: ((widestColumnLabel + 6) / cellWidth).rounded(.up)))
            for (column, label) in columnLabels.enumerated() where column % columnStride == 0 {
                document.text(
                    TextMetrics.truncate(label, size: size, maxWidth: cellWidth * Double(columnStride) - 6),
                    x: grid.left + (Double(column) + 0.5) * cellWidth, y: grid.bottom + 16,
                    size: size, fill: ChartTheme.mutedText, anchor: .middle
                )
            }
            document.text(
                TextMetrics.truncate(columnTitle, size: ChartTheme.labelSize, maxWidth: grid.width),
                x: (grid.left + grid.right) / 2, y: grid.bottom + 34,
                size: ChartTheme.labelSize, fill: ChartTheme.text, anchor: .middle
            )
            document.text(
                TextMetrics.truncate(rowTitle, size: ChartTheme.labelSize, maxWidth: grid.height + 40),
                x: ChartTheme.padding + 12, y: (grid.top + grid.bottom) / 2,
                size: ChartTheme.labelSize, fill: ChartTheme.text, anchor: .middle, rotation: -90
            )
        }
    }
}
