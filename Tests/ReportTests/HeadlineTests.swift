import Testing
import TestSupport
@testable import Results
@testable import Report

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
