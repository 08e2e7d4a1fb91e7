import Testing
import TestSupport
@testable import Units

@Suite("Statistics: OutlierDetection")
struct StatisticsOutlierDetectionTests {
    @Test func noSamplesGiveNoScores() {
        #expect(OutlierDetection.modifiedZScores([]).isEmpty)
        #expect(OutlierDetection.outlierIndices([]).isEmpty)
    }

    @Test func singleSampleScoresZero() {
        #expect(OutlierDetection.modifiedZScores([7]) == [0])
        #expect(OutlierDetection.outlierIndices([7]).isEmpty)
    }

    @Test func equalSamplesScoreZero() {
        #expect(OutlierDetection.modifiedZScores([2, 2, 2, 2]) == [0, 0, 0, 0])
        #expect(OutlierDetection.outlierIndices([2, 2, 2, 2]).isEmpty)
    }

    @Test func scoresAreScaledDeviationsFromTheMedian() {
        // median 3, MAD 1: score = 0.6745 · (x - 3).
        let scores = OutlierDetection.modifiedZScores([1, 2, 3, 4, 100])
        let expected = [-2, -1, 0, 1, 97].map { 0.6745 * $0 }
        #expect(zip(scores, expected).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(OutlierDetection.outlierIndices([1, 2, 3, 4, 100]) == [4])
    }

    @Test func twoSamplesAreNeverOutliers() {
        #expect(OutlierDetection.outlierIndices([1, 1000]).isEmpty)
    }

    @Test func fastOutliersCountToo() {
        #expect(OutlierDetection.outlierIndices([10, 10.1, 9.9, 10.2, 9.8, 0.1]) == [5])
    }

    @Test func zeroMADFallsBackToMeanAbsoluteDeviation() {
        // Nine equal timings and one different: MAD is 0, mean absolute deviation 0.1, score 1 / (1.253314 · 0.1).
        let samples = [Double](repeating: 1, count: 9) + [2]
        let scores = OutlierDetection.modifiedZScores(samples)
        #expect(abs(scores[9] - 7.978) < 1e-3)
        #expect(scores[0..<9].allSatisfy { $0 == 0 })
        #expect(OutlierDetection.outlierIndices(samples) == [9])
    }

    @Test func zeroMADWithThreeSamplesDoesNotCondemnTheOddOne() {
        // MAD 0, mean absolute deviation 4/3: score 4 / (1.253314 · 4/3) ≈ 2.39, below 3.5.
        let scores = OutlierDetection.modifiedZScores([1, 1, 5])
        #expect(abs(scores[2] - 2.394) < 1e-3)
        #expect(OutlierDetection.outlierIndices([1, 1, 5]).isEmpty)
    }

    @Test func thresholdIsAdjustable() {
        let samples: [Double] = [1, 2, 3, 4, 9]  // score of 9: 0.6745 · 6 = 4.05
        #expect(OutlierDetection.outlierIndices(samples) == [4])
        #expect(OutlierDetection.outlierIndices(samples, threshold: 4.1).isEmpty)
        #expect(OutlierDetection.outlierIndices(samples, threshold: 1) == [0, 4])
    }
}
