import Foundation
import Testing
import TestSupport
@testable import Charts

@Suite("LineChart")
struct LineChartTests {
    func chart(_ series: [ChartSeries], annotations: [LineChart.Annotation] = []) -> LineChart {
        LineChart(
            title: "Throughput by payload size",
            xAxis: Axis(title: "payload size", scale: .log10, label: TickLabel.bytes),
            yAxis: Axis(title: "throughput (per second)", scale: .log10, label: TickLabel.bytesPerSecond),
            series: series,
            annotations: annotations
        )
    }

    var twoPools: LineChart {
        chart(
            [
                ChartSeries(name: "process pool", points: [(1e3, 2e7), (1e6, 9e8), (2e8, 1.1e9)]),
                ChartSeries(name: "thread pool", points: [(1e3, 8e7), (1e6, 1e9), (2e8, 8e8)], style: .dashed),
            ],
            annotations: [LineChart.Annotation(x: 9e6, label: "crossover 9 MB")]
        )
    }

    @Test func isAStandaloneSVGDocument() {
        let svg = ParsedSVG(twoPools.render())
        #expect(svg.isWellFormed)
        #expect(svg.rootName == "svg")
        #expect(svg.rootAttributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(svg.rootAttributes["viewBox"] == "0 0 720 420")
        #expect(svg.rootAttributes["width"] == "720")
        #expect(svg.rootAttributes["font-family"]?.hasPrefix("system-ui, -apple-system, 'Segoe UI'") == true)
    }

    @Test func showsTitleSeriesAxesTicksAndAnnotation() {
        let texts = ParsedSVG(twoPools.render()).texts
        for expected in [
            "Throughput by payload size", "process pool", "thread pool", "payload size", "throughput (per second)",
            "1 KB", "1 MB", "100 MB", "1 GB/s", "crossover 9 MB",
        ] {
            #expect(texts.contains(expected), "missing \(expected)")
        }
    }

    @Test func dashedSeriesIsDashed() {
        let lines = ParsedSVG(twoPools.render()).elements(named: "polyline")
        #expect(lines.count == 2)
        #expect(lines[0]["stroke-dasharray"] == nil)
        #expect(lines[1]["stroke-dasharray"] == LineChart.dashPattern)
    }

    @Test func seriesNamesAreEscaped() {
        let output = chart([ChartSeries(name: "a<b&c", points: [(1, 1), (10, 10)])]).render()
        #expect(output.contains("a&lt;b&amp;c"))
        let svg = ParsedSVG(output)
        #expect(svg.isWellFormed)
        #expect(svg.texts.contains("a<b&c"))
    }

    @Test func rendersTheSameBytesEveryTime() {
        #expect(twoPools.render() == twoPools.render())
    }

    @Test func skipsPointsWithoutAPositionAndBreaksTheLineThere() {
        let points: [(x: Double, y: Double)] = [(1, 1), (2, 2), (3, .nan), (4, 4), (5, 0), (6, -1), (.infinity, 7), (8, 8), (9, 9)]
        let svg = ParsedSVG(chart([ChartSeries(name: "gappy", points: points)]).render())
        #expect(svg.isWellFormed)
        // Runs: (1, 2), (4), (8, 9); a lone point gets a marker but no line.
        #expect(svg.elements(named: "polyline").count == 2)
        // Five markers plus the one in the legend; the first series uses circles.
        #expect(svg.elements(named: "circle").count == 6)
    }

    @Test func linearAxesKeepZeroAndNegativeValues() {
        let linear = LineChart(
            title: "t", xAxis: Axis(title: "x"), yAxis: Axis(title: "y"),
            series: [ChartSeries(name: "s", points: [(0, -1), (1, 0), (2, 3)])]
        )
        let svg = ParsedSVG(linear.render())
        #expect(svg.elements(named: "polyline").count == 1)
        #expect(svg.elements(named: "circle").count == 4)
    }

    @Test(arguments: [
        [ChartSeries](),
        [ChartSeries(name: "empty", points: [])],
        [ChartSeries(name: "one", points: [(1e6, 1e9)])],
        [ChartSeries(name: "flat", points: [(1e3, 5e8), (1e6, 5e8), (1e9, 5e8)])],
        [ChartSeries(name: "all bad", points: [(0, 1), (-1, 2), (.nan, .nan), (.infinity, 3)])],
        [ChartSeries(name: "huge", points: [(1e300, 1e-300), (.greatestFiniteMagnitude, .leastNonzeroMagnitude)])],
    ])
    func edgeCasesRenderWellFormed(series: [ChartSeries]) {
        let svg = ParsedSVG(chart(series, annotations: [LineChart.Annotation(x: -5, label: "off the axis")]).render())
        #expect(svg.isWellFormed)
        #expect(svg.texts.contains("payload size"))
    }

    @Test func saysSoWhenThereIsNothingToDraw() {
        let texts = ParsedSVG(chart([ChartSeries(name: "none", points: [(0, 0)])]).render()).texts
        #expect(texts.contains("no data"))
        #expect(!ParsedSVG(twoPools.render()).texts.contains("no data"))
    }

    @Test func overlappingAnnotationLabelsAreStacked() {
        let output = chart(
            [ChartSeries(name: "s", points: [(1e3, 1), (1e8, 2)])],
            annotations: [LineChart.Annotation(x: 1e5, label: "first mark"), LineChart.Annotation(x: 1.1e5, label: "second mark")]
        ).render()
        let svg = ParsedSVG(output)
        let labels = svg.elements.filter { $0.name == "text" }.map(\.attributes)
        let ys = zip(svg.texts, labels).filter { $0.0.hasSuffix(" mark") }.map { $0.1["y"] }
        #expect(ys.count == 2)
        #expect(ys[0] != ys[1])
    }

    @Test func annotationLabelsSitAboveTheData() {
        let svg = ParsedSVG(twoPools.render())
        let textYs = zip(svg.texts, svg.elements(named: "text")).filter { $0.0 == "crossover 9 MB" }.compactMap { Double($0.1["y"] ?? "") }
        let dataYs = svg.elements(named: "polyline").flatMap { line in
            (line["points"] ?? "").split(separator: " ").compactMap { Double($0.split(separator: ",").last ?? "") }
        }
        #expect(textYs.count == 1)
        #expect(!dataYs.isEmpty)
        #expect(textYs.allSatisfy { labelY in dataYs.allSatisfy { labelY < $0 } })
    }

    @Test func crowdedAnnotationsKeepTheirLinesButNotAllTheirLabels() {
        let marks = (0..<10).map { LineChart.Annotation(x: 1e5 * (1 + Double($0) * 0.01), label: "mark \($0)") }
        let svg = ParsedSVG(chart([ChartSeries(name: "s", points: [(1e3, 1), (1e8, 2)])], annotations: marks).render())
        #expect(svg.isWellFormed)
        #expect(svg.texts.filter { $0.hasPrefix("mark ") }.count == LineChart.maxAnnotationRows)
        #expect(svg.elements(named: "line").filter { $0["stroke-dasharray"] == "4 3" }.count == 10)
    }
}
