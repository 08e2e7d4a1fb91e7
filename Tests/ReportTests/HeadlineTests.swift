import Testing
import TestSupport
@testable import Results
@testable import Report
@testable import Model
import Units

@Suite("Report headline")
struct HeadlineTests {
    @Test func aOnePoolSweepSaysWhatWasMeasuredInsteadOfCallingATie() throws {
        let sizes = [1_000, 64_000]
        let points = sizes.map { size in
            SyntheticResults.point(
                pool: .process, size: size, latencies: Array(repeating: size == 1_000 ? 1e-3 : 2e-3, count: 10))
        }
        let result = try SyntheticResults.result(points: points, sizes: sizes)
        let headline = MarkdownReport.headline(result)
        let first = try #require(headline.first)
        #expect(headline.count == 1)
        #expect(!first.contains("neither pool"))
        #expect(first.hasPrefix("**records** with `binary`: only the process pool was measured (1KB–64KB), from "))
        #expect(first.hasSuffix("; sweep both pools to compare them."))
        #expect(first.contains("tasks/s at 1KB to ") && first.contains("tasks/s at 64KB"))
    }
}

@Suite("Formats compared")
struct FormatComparisonTests {
    /// Throughput of a synthetic point of two workers is 2 / latency tasks per second.
    static func point(_ pool: PoolKind, _ codec: String, size: Int, latency: Double) -> PointResult {
        SyntheticResults.point(pool: pool, codec: codec, size: size, latencies: Array(repeating: latency, count: 10))
    }

    @Test func theRecommendationNamesTheFormatThatBringsProcessesClosestToThreads() throws {
        let big = 64_000_000
        let points = [
            Self.point(.thread, "binary", size: big, latency: 0.010),      // 200 tasks/s: the best thread pool
            Self.point(.process, "binary", size: big, latency: 0.040),     // 50
            Self.point(.processShm, "binary", size: big, latency: 0.025),  // 80
            Self.point(.thread, "flat", size: big, latency: 0.011),
            Self.point(.process, "flat", size: big, latency: 0.020),       // 100
            Self.point(.processShm, "flat", size: big, latency: 0.0125),   // 160
            // The smaller size has no process points for flat: the comparison uses the largest complete size.
            Self.point(.thread, "binary", size: 1_000_000, latency: 0.001),
            Self.point(.processShm, "binary", size: 1_000_000, latency: 0.002),
        ]
        let result = try SyntheticResults.result(points: points, sizes: [1_000_000, big])
        let comparison = try #require(FormatComparison.all(in: result).first)
        #expect(comparison.sizeBytes == big && comparison.threadCodec == "binary")
        #expect(comparison.entries.map(\.codec) == ["flat", "binary"])
        #expect(comparison.entries.map(\.processPool) == [.processShm, .processShm])
        #expect(abs(comparison.entries[0].timesBestThread - 0.8) < 1e-9)
        #expect(abs(comparison.entries[1].timesBestThread - 0.4) < 1e-9)
        let sentence = try #require(MarkdownReport.headline(result).last)
        #expect(sentence == "**records** at 64MB, formats compared: the best process pool is `flat` over "
            + "process:shm, at \(Formatting.ratio(0.8)) the throughput of the best thread pool "
            + "(`binary`, 200 tasks/s); with `binary` its best (process:shm) reaches \(Formatting.ratio(0.4)).")
        #expect(MarkdownReport.render(result).contains("- " + sentence + "\n"))
    }

    @Test func oneCodecOrNoThreadPoolComparesNoFormats() throws {
        let size = 1_000_000
        let oneCodec = try SyntheticResults.result(
            points: [Self.point(.thread, "binary", size: size, latency: 0.01),
                     Self.point(.process, "binary", size: size, latency: 0.02)], sizes: [size])
        #expect(FormatComparison.all(in: oneCodec).isEmpty)
        let noThreads = try SyntheticResults.result(
            points: [Self.point(.process, "binary", size: size, latency: 0.01),
                     Self.point(.processShm, "flat", size: size, latency: 0.02)], sizes: [size])
        #expect(FormatComparison.all(in: noThreads).isEmpty)
    }
}
