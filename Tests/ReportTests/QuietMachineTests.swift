import Testing
import TestSupport
@testable import Results
@testable import Report

/// What the report says about other processes, from recorded numbers only.
@Suite("Report: quiet machine")
struct QuietMachineTests {
    static func result(disturbed: Set<Int>, remeasured: Set<Int> = []) throws -> SweepResult {
        let sizes = [1_000, 4_000, 16_000, 64_000]
        var points: [PointResult] = []
        for size in sizes {
            for pool in [PoolKind.process, .thread] {
                var point = SyntheticResults.point(pool: pool, size: size, latencies: Array(repeating: 1e-3, count: 10))
                let busy = pool == .process && disturbed.contains(size)
                point.otherCPU = OtherCPUUse(
                    seconds: busy ? 0.8 : 0.02, wallSeconds: 1, batchSeconds: [busy ? 0.8 : 0.02],
                    resolutionSeconds: 0.04,
                    firstAttemptCPUs: remeasured.contains(size) && pool == .process ? 0.9 : nil)
                points.append(point)
            }
        }
        return try SyntheticResults.result(points: points, sizes: sizes)
    }

    @Test func aQuietSweepSaysSoInItsHeader() throws {
        let markdown = MarkdownReport.render(try Self.result(disturbed: []))
        #expect(markdown.contains("> **All 8 points ran on a quiet machine** (other processes kept at most 0.25 CPUs busy on average).\n"))
        #expect(!markdown.contains("process †") && !markdown.contains("thread †"))
        #expect(markdown.contains("other processes' CPU"))
    }

    @Test func disturbedPointsAreNamedCountedAndMarked() throws {
        let markdown = MarkdownReport.render(try Self.result(disturbed: [4_000], remeasured: [4_000, 16_000]))
        #expect(markdown.contains("> **7 of 8 points ran on a quiet machine**; 1 was disturbed (other processes kept more than 0.25 CPUs busy on average) even after re-measuring: process records 4KB (0.76 CPUs). It is marked † in the tables and charts and left out of the model's fit. 1 more was disturbed at first and re-measured quiet.\n"))
        #expect(markdown.contains("| process † |"), "the stage and memory tables mark the pool")
        #expect(markdown.contains(" †"), "the throughput table marks the figure")
        #expect(markdown.contains(QuietMachineSection.footnote))
        let charts = SweepCharts.all(for: try Self.result(disturbed: [4_000]), reportName: "r")
        let throughput = try #require(charts.first { $0.name.contains("throughput") })
        #expect(throughput.svg.contains("† process disturbed"))
    }

    @Test func aMachineBusyAllAlongIsSaidToBeBusyAndKeptInTheModel() throws {
        let markdown = MarkdownReport.render(try Self.result(disturbed: [1_000, 4_000, 16_000, 64_000]))
        #expect(markdown.contains("> **Busy machine: only 4 of 8 points ran on a quiet machine**; 4 were disturbed"))
        #expect(markdown.contains("The model is fitted to all of them, so it describes this busy machine, not a quiet one."))
    }
}
