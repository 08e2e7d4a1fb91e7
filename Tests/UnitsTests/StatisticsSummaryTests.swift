import Foundation
import Testing
import TestSupport
@testable import Units

/// Expected values come from numpy 2 (`np.percentile(x, [10, 50, 90])`, default `method='linear'`).
@Suite("Statistics: Summary and Percentile")
struct StatisticsSummaryTests {
    @Test func matchesNumpyOnFiveSamples() {
        let summary = Summary([4, 1, 3, 2, 10])
        #expect(summary.count == 5)
        #expect(isClose(summary.p10, 1.4))
        #expect(summary.median == 3)
        #expect(isClose(summary.p90, 7.6))
        #expect(summary.min == 1)
        #expect(summary.max == 10)
        #expect(summary.mean == 4)
        #expect(summary.mad == 1)
        #expect(summary.outlierCount == 1)
    }

    @Test func matchesNumpyOnEightSamplesWithOneSlowRun() {
        let summary = Summary([0.5, 0.7, 0.2, 0.9, 1.3, 0.4, 0.8, 6.0])
        #expect(isClose(summary.p10, 0.34))
        #expect(isClose(summary.median, 0.75))
        #expect(isClose(summary.p90, 2.71))
        #expect(isClose(summary.mean, 1.35))
        #expect(isClose(summary.mad, 0.3))
        #expect(summary.outlierCount == 1)
        #expect(isClose(summary.spread, 2.71 / 0.34))
        #expect(summary.isNoisy)
    }

    @Test func medianOfEvenCountIsMeanOfMiddlePair() {
        #expect(Percentile.median([4, 1, 3, 2]) == 2.5)
        #expect(Percentile.value(at: 0, inSorted: [1, 2, 3]) == 1)
        #expect(Percentile.value(at: 1, inSorted: [1, 2, 3]) == 3)
    }

    @Test func singleSampleHasNoSpreadAndNoOutliers() {
        let summary = Summary([0.25])
        #expect(summary.median == 0.25 && summary.p10 == 0.25 && summary.p90 == 0.25)
        #expect(summary.mad == 0)
        #expect(summary.outlierCount == 0)
        #expect(summary.spread == 1)
        #expect(!summary.isNoisy)
    }

    @Test func spreadIsInfiniteWhenOnlyTheFastRunsTookNoTime() {
        let summary = Summary([0, 0, 0, 1, 2])
        #expect(summary.p10 == 0)
        #expect(summary.spread == .infinity)
        #expect(summary.isNoisy)
    }

    @Test func spreadIsOneWhenEverySampleIsZero() {
        let summary = Summary([0, 0, 0])
        #expect(summary.spread == 1)
        #expect(!summary.isNoisy)
    }

    @Test func noisyNeedsSpreadStrictlyAboveThreshold() {
        #expect(Summary.noisySpreadThreshold == 1.5)
        let atThreshold = Summary([1, 1, 1.5, 1.5])
        #expect(atThreshold.spread == 1.5)
        #expect(!atThreshold.isNoisy)
        #expect(Summary([1, 1, 1.6, 1.6]).isNoisy)
    }

    @Test func twoSamplesAreNeverNoisy() {
        let summary = Summary([1, 10])
        #expect(summary.spread > Summary.noisySpreadThreshold)
        #expect(!summary.isNoisy)
    }

    @Test func ofRejectsEmptyAndNonFiniteSamples() {
        #expect(Summary.of([]) == nil)
        #expect(Summary.of([1, .nan]) == nil)
        #expect(Summary.of([1, .infinity]) == nil)
        #expect(Summary.of([1, 2]) == Summary([2, 1]))
    }

    @Test func encodesStableKeysWithoutSpread() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let summary = Summary([1, 2, 3, 4])
        let json = String(decoding: try encoder.encode(summary), as: UTF8.self)
        #expect(json == """
            {"count":4,"mad":1,"max":4,"mean":2.5,"median":2.5,"min":1,"outlierCount":0,"p10":1.3,"p90":3.7}
            """)
        #expect(try JSONDecoder().decode(Summary.self, from: Data(json.utf8)) == summary)
    }

    @Test func encodesSummaryWhoseSpreadIsInfinite() throws {
        let summary = Summary([0, 0, 0, 1, 2])
        let decoded = try JSONDecoder().decode(Summary.self, from: JSONEncoder().encode(summary))
        #expect(decoded == summary)
        #expect(decoded.spread == .infinity)
    }
}

private func isClose(_ a: Double, _ b: Double, relative: Double = 1e-12) -> Bool {
    abs(a - b) <= relative * max(abs(a), abs(b))
}
