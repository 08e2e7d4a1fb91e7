import Foundation
import Testing
import TestSupport
@testable import Charts

@Suite("StackedBarChart")
struct StackedBarChartTests {
    static let colors = ["#111111", "#222222", "#333333"]
    let segments = ["serialize", "transfer", "work"].enumerated().map { ChartCategory($1, color: colors[$0]) }

    func chart(normalized: Bool, groups: [StackedBarChart.Group]? = nil) -> StackedBarChart {
        StackedBarChart(
            title: "Where the time goes",
            yAxisTitle: normalized ? "share of task time" : "time per task",
            xAxisTitle: "payload size",
            segments: segments,
            groups: groups ?? [
                StackedBarChart.Group(label: "1 KB", bars: [
                    StackedBarChart.Bar(label: "process", values: [2e-6, 9e-6, 1e-6]),
                    StackedBarChart.Bar(label: "thread", values: [2e-6, 0, 1e-6]),
                ]),
                StackedBarChart.Group(label: "200 MB", bars: [
                    StackedBarChart.Bar(label: "process", values: [0.2, 0.1, 0.3]),
                    StackedBarChart.Bar(label: "thread", values: [0.2, 0, 0.5]),
                ]),
            ],
            normalized: normalized,
            valueLabel: TickLabel.seconds
        )
    }

    /// Segment rectangles (told apart by their test colours) keyed by x.
    func segmentRects(_ svg: ParsedSVG) -> [String: [[String: String]]] {
        Dictionary(grouping: svg.elements(named: "rect").filter { Self.colors.contains($0["fill"] ?? "") && $0["rx"] == nil }) {
            $0["x"] ?? ""
        }
    }

    @Test func showsLegendBarAndGroupLabelsAndTitles() {
        let svg = ParsedSVG(chart(normalized: true).render())
        #expect(svg.isWellFormed)
        for expected in [
            "Where the time goes", "share of task time", "payload size", "serialize", "transfer", "work",
            "process", "thread", "1 KB", "200 MB", "0 %", "100 %",
        ] {
            #expect(svg.texts.contains(expected), "missing \(expected)")
        }
    }

    @Test func normalizedBarsAllReachTheTop() {
        let bars = segmentRects(ParsedSVG(chart(normalized: true).render()))
        #expect(bars.count == 4)
        let tops = Set(bars.values.map { rects in rects.compactMap { Double($0["y"] ?? "") }.min() ?? -1 })
        #expect(tops.count == 1)
    }

    @Test func normalizedBarsShowTheirTotals() {
        let texts = ParsedSVG(chart(normalized: true).render()).texts
        #expect(texts.contains("12 µs"))
        #expect(texts.contains("600 ms"))
        #expect(texts.contains("700 ms"))
    }

    @Test func absoluteBarsShareOneScaleFromZero() {
        let svg = ParsedSVG(chart(normalized: false).render())
        #expect(svg.texts.contains("0 s"))
        #expect(svg.texts.contains("time per task"))
        let heights = segmentRects(svg).values.map { rects in
            let tops = rects.compactMap { Double($0["y"] ?? "") }
            let bottoms = rects.compactMap { rect in Double(rect["y"] ?? "").flatMap { y in Double(rect["height"] ?? "").map { y + $0 } } }
            return (bottoms.max() ?? 0) - (tops.min() ?? 0)
        }.sorted()
        // 600 ms and 700 ms bars in proportion; the microsecond bars all but flat.
        #expect(heights.count == 4)
        #expect(abs(heights[2] / heights[3] - 6.0 / 7.0) < 0.01)
        #expect(heights[1] < 0.01 * heights[3])
    }

    @Test func labelsAreEscaped() {
        let groups = [StackedBarChart.Group(label: "a<b&c", bars: [StackedBarChart.Bar(label: "x'y\"z", values: [1])])]
        let output = chart(normalized: true, groups: groups).render()
        #expect(output.contains("a&lt;b&amp;c"))
        let svg = ParsedSVG(output)
        #expect(svg.isWellFormed)
        #expect(svg.texts.contains("a<b&c"))
        #expect(svg.texts.contains("x'y\"z"))
    }

    @Test func rendersTheSameBytesEveryTime() {
        #expect(chart(normalized: true).render() == chart(normalized: true).render())
    }

    @Test(arguments: [true, false])
    func unusableValuesCountAsZero(normalized: Bool) {
        let groups = [
            StackedBarChart.Group(label: "odd", bars: [
                StackedBarChart.Bar(label: "bad", values: [.nan, -1, .infinity]),
                StackedBarChart.Bar(label: "zero", values: [0, 0, 0]),
                StackedBarChart.Bar(label: "short", values: [1]),
                StackedBarChart.Bar(label: "long", values: [1, 2, 3, 4, 5]),
                StackedBarChart.Bar(label: "none", values: []),
            ]),
            StackedBarChart.Group(label: "empty group", bars: []),
        ]
        let svg = ParsedSVG(chart(normalized: normalized, groups: groups).render())
        #expect(svg.isWellFormed)
        // Only "short" (one segment) and "long" (three of its five values) draw anything.
        #expect(segmentRects(svg).values.map(\.count).sorted() == [1, 3])
    }

    @Test func saysSoWhenThereAreNoBars() {
        let svg = ParsedSVG(chart(normalized: true, groups: []).render())
        #expect(svg.isWellFormed)
        #expect(svg.texts.contains("no data"))
    }
}
