import Foundation
import Testing
import TestSupport
@testable import Charts

@Suite("HeatmapGrid")
struct HeatmapGridTests {
    let categories = [
        ChartCategory("process", color: "#0072B2"),
        ChartCategory("thread", color: "#D55E00"),
        ChartCategory("tie", color: "#BBBBBB"),
    ]

    func grid(_ cells: [[HeatmapGrid.Cell?]], rows: [String] = ["0", "10"], columns: [String] = ["1 KB", "200 MB"]) -> HeatmapGrid {
        HeatmapGrid(
            title: "Which pool wins", rowTitle: "work (ns/B)", columnTitle: "payload size",
            rowLabels: rows, columnLabels: columns, categories: categories, cells: cells
        )
    }

    var decision: HeatmapGrid {
        grid([
            [HeatmapGrid.Cell(category: "thread", label: "1.8×"), HeatmapGrid.Cell(category: "process", label: "2.4×")],
            [HeatmapGrid.Cell(category: "tie", label: "1.0×"), nil],
        ])
    }

    /// The cell rectangles: rounded, and not the panel.
    func cellRects(_ svg: ParsedSVG) -> [[String: String]] {
        svg.elements(named: "rect").filter { $0["rx"] == "3" }
    }

    @Test func showsHeadersTitlesLegendAndCellLabels() {
        let svg = ParsedSVG(decision.render())
        #expect(svg.isWellFormed)
        for expected in [
            "Which pool wins", "work (ns/B)", "payload size", "0", "10", "1 KB", "200 MB",
            "process", "thread", "tie", "1.8×", "2.4×", "1.0×", "–",
        ] {
            #expect(svg.texts.contains(expected), "missing \(expected)")
        }
    }

    @Test func coloursCellsByCategoryRowByRow() {
        let fills = cellRects(ParsedSVG(decision.render())).map { $0["fill"] ?? "" }
        #expect(fills == ["#D55E00", "#0072B2", "#BBBBBB", ChartTheme.emptyCell])
    }

    @Test func unknownCategoryIsNeutralGrey() {
        let fills = cellRects(ParsedSVG(grid([[HeatmapGrid.Cell(category: "gpu", label: "?")]]).render())).map { $0["fill"] }
        #expect(fills.first == ChartPalette.neutral)
    }

    @Test func raggedAndMissingCellsAreDrawnEmpty() {
        let svg = ParsedSVG(grid([[HeatmapGrid.Cell(category: "tie")]], rows: ["a", "b", "c"], columns: ["x", "y"]).render())
        #expect(svg.isWellFormed)
        #expect(cellRects(svg).count == 6)
    }

    @Test func textIsEscaped() {
        let output = grid([[HeatmapGrid.Cell(category: "tie", label: "<1&")]], rows: ["a<b&c"], columns: ["'q'"]).render()
        #expect(output.contains("a&lt;b&amp;c"))
        let svg = ParsedSVG(output)
        #expect(svg.isWellFormed)
        #expect(svg.texts.contains("a<b&c"))
        #expect(svg.texts.contains("'q'"))
        #expect(svg.texts.contains("<1&"))
    }

    @Test func rendersTheSameBytesEveryTime() {
        #expect(decision.render() == decision.render())
    }

    @Test func emptyGridSaysSo() {
        let svg = ParsedSVG(grid([], rows: [], columns: []).render())
        #expect(svg.isWellFormed)
        #expect(svg.texts.contains("no data"))
    }

    @Test func manyTinyCellsDoNotCrash() {
        let cells = (0..<60).map { row in (0..<80).map { HeatmapGrid.Cell(category: $0 % 2 == 0 ? "process" : "thread", label: "\(row)") } }
        #expect(ParsedSVG(grid(cells, rows: [], columns: []).render()).isWellFormed)
    }
}
