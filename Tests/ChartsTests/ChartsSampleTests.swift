import Foundation
import Testing
import TestSupport
@testable import Units
@testable import Charts

/// Realistic charts as the report draws them. Each must parse; with `PAYLOADLAB_CHART_SAMPLES=<dir>` set they are
/// also written there, to look at (for example `rsvg-convert -o x.png x.svg`).
@Suite("Chart samples")
struct ChartSampleTests {
    static let sizes: [Double] = [1e3, 4e3, 16e3, 64e3, 256e3, 1e6, 4e6, 16e6, 64e6, 200e6]

    static var throughput: LineChart {
        // Thread pool wins small (no transfer), process pool wins large (no shared-allocator contention).
        let thread = sizes.map { size in (x: size, y: 1.6e9 * size / (size + 6e3) * (1 - 0.45 * size / (size + 2e7))) }
        let process = sizes.map { size in (x: size, y: 1.3e9 * size / (size + 9e4)) }
        return LineChart(
            title: "Throughput by payload size (4 workers, records, binary codec)",
            xAxis: Axis(title: "payload size", scale: .log10, label: TickLabel.bytes),
            yAxis: Axis(title: "throughput (per second)", scale: .log10, label: TickLabel.bytesPerSecond),
            series: [
                ChartSeries(name: "process pool (pipe)", points: process),
                ChartSeries(name: "thread pool", points: thread),
                ChartSeries(name: "raw pipe limit", points: [(1e3, 2.9e9), (200e6, 2.9e9)], style: .dashed, color: "#57606a"),
            ],
            annotations: [LineChart.Annotation(x: 9e6, label: "crossover 9 MB")]
        )
    }

    static var memory: LineChart {
        LineChart(
            title: "Peak memory by payload size",
            xAxis: Axis(title: "payload size", scale: .log10, label: TickLabel.bytes),
            yAxis: Axis(title: "peak RSS, all processes", scale: .log10, label: TickLabel.bytes),
            series: [
                ChartSeries(name: "process pool", points: sizes.map { (x: $0, y: 4 * 9e6 + 3.2 * $0 * 4) }),
                ChartSeries(name: "thread pool", points: sizes.map { (x: $0, y: 12e6 + 2.1 * $0) }),
            ]
        )
    }

    static let stages = ["serialize", "transfer", "deserialize", "verify", "work", "reserialize", "write", "sync"]

    static func stageBreakdown(normalized: Bool) -> StackedBarChart {
        let process: [[Double]] = [
            [2e-6, 14e-6, 2e-6, 0.5e-6, 1e-6, 2e-6, 6e-6, 40e-6],
            [1.1e-3, 0.6e-3, 1.2e-3, 0.2e-3, 1e-3, 1.1e-3, 0.8e-3, 2e-3],
            [0.22, 0.12, 0.25, 0.04, 0.2, 0.22, 0.16, 0.3],
        ]
        let thread: [[Double]] = [
            [0, 0, 0, 0.4e-6, 1e-6, 2e-6, 6e-6, 40e-6],
            [0, 0, 0, 0.2e-3, 1.3e-3, 1.4e-3, 0.9e-3, 2e-3],
            [0, 0, 0, 0.05, 0.31, 0.35, 0.2, 0.31],
        ]
        let labels = ["1 KB", "1 MB", "200 MB"]
        return StackedBarChart(
            title: normalized ? "Share of task time by stage" : "Task time by stage",
            yAxisTitle: normalized ? "share of task time" : "time per task",
            xAxisTitle: "payload size",
            segments: stages.map { ChartCategory($0) },
            groups: labels.indices.map { index in
                StackedBarChart.Group(label: labels[index], bars: [
                    StackedBarChart.Bar(label: "process", values: process[index]),
                    StackedBarChart.Bar(label: "thread", values: thread[index]),
                ])
            },
            normalized: normalized,
            valueLabel: TickLabel.seconds
        )
    }

    static var decisionMap: HeatmapGrid {
        let work = [0.0, 0.5, 2, 10, 50, 200]
        let sizeLabels = ["1 KB", "16 KB", "256 KB", "1 MB", "4 MB", "16 MB", "64 MB", "200 MB"]
        let cells: [[HeatmapGrid.Cell?]] = work.reversed().enumerated().map { row, _ in
            sizeLabels.indices.map { column -> HeatmapGrid.Cell? in
                if row == 0 && column == 7 { return nil }
                let score = Double(column) - 3.5 + Double(row) * 0.6 - 1.5
                if abs(score) < 0.6 { return HeatmapGrid.Cell(category: "tie", label: "1.0×") }
                let ratio = 1 + abs(score) * 0.35
                return HeatmapGrid.Cell(
                    category: score > 0 ? "process" : "thread", label: Formatting.significant(ratio, digits: 2) + "×"
                )
            }
        }
        return HeatmapGrid(
            title: "Decision map: which pool wins, and by how much",
            rowTitle: "work per byte (ns/B)",
            columnTitle: "payload size",
            rowLabels: work.reversed().map { TickLabel.number($0) },
            columnLabels: sizeLabels,
            categories: [
                ChartCategory("process", color: ChartPalette.blue),
                ChartCategory("thread", color: ChartPalette.vermillion),
                ChartCategory("tie", color: ChartPalette.neutral),
            ],
            cells: cells
        )
    }

    static var all: [(name: String, svg: String)] {
        [
            ("throughput", throughput.render()),
            ("memory", memory.render()),
            ("stages-share", stageBreakdown(normalized: true).render()),
            ("stages-absolute", stageBreakdown(normalized: false).render()),
            ("decision-map", decisionMap.render()),
        ]
    }

    @Test func samplesAreWellFormedAndWrittenOnRequest() throws {
        let directory = ProcessInfo.processInfo.environment["PAYLOADLAB_CHART_SAMPLES"]
        for (name, svg) in Self.all {
            #expect(ParsedSVG(svg).isWellFormed, "\(name)")
            if let directory {
                try svg.write(toFile: "\(directory)/\(name).svg", atomically: false, encoding: .utf8)
            }
        }
    }
}
