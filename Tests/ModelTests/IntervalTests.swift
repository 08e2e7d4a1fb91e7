import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Model
@testable import Payload

@Suite("Model: intervals")
struct IntervalTests {
    /// The synthetic sweep with every point's measured throughput moved by a known log noise, uniform in ±`noise`
    /// and deterministic for `seed`, and five batches spread ±`batchSpread` around it. Returns the result and each
    /// point's noise-free throughput (the truth the formula gives).
    static func noisySweep(noise: Double, batchSpread: Double = 0.05, seed: UInt64) throws -> (SweepResult, [Double]) {
        var result = try SyntheticSweep.result(efficiency: [.thread: 0.9, .process: 0.7])
        var state = seed
        func unit() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return 2 * Double(state >> 11) / Double(1 << 53) - 1
        }
        var truth: [Double] = []
        for index in result.points.indices {
            let clean = result.points[index].tasksPerSecond
            truth.append(clean)
            let measured = clean * exp(noise * unit())
            let batches = [-1.0, -0.5, 0, 0.5, 1].map { measured * exp(batchSpread * $0) }
            result.points[index].batchTasksPerSecond = batches
            result.points[index].tasksPerSecond = measured
            result.points[index].bytesPerSecond = measured * Double(result.points[index].sizeBytes)
        }
        return (result, truth)
    }

    @Test(arguments: [UInt64(1), 7, 42])
    func heldOutIntervalsCoverTheMeasuredAndTheTrueThroughput(seed: UInt64) throws {
        let (result, truth) = try Self.noisySweep(noise: 0.15, seed: seed)
        let rows = HeldOutCheck.rows(result: result, intervals: true)
        #expect(rows.count == result.points.count)
        let summary = AccuracySummary(rows: rows)
        #expect(summary.allPointsWithInterval == rows.count)
        #expect(Double(summary.allPointsInsideInterval) >= 0.8 * Double(summary.allPointsWithInterval),
                "\(summary.allPointsInsideInterval) of \(summary.allPointsWithInterval)")
        let intervals = rows.compactMap(\.predictedInterval)
        #expect(intervals.count == truth.count)
        let covered = zip(intervals, truth).filter { $0.0.contains($0.1) }.count
        #expect(Double(covered) >= 0.8 * Double(truth.count), "\(covered) of \(truth.count) true throughputs covered")
    }

    @Test func coverageCountsOnlyPointsWithAnInterval() {
        func row(_ size: Int, measured: Double, interval: PredictionInterval?) -> AccuracyRow {
            AccuracyRow(pool: .thread, shape: .records, codec: "binary", sizeBytes: size,
                        measuredTasksPerSecond: measured, predictedTasksPerSecond: 10, measuredLatencySeconds: 0.1,
                        predictedLatencySeconds: 0.1, predictedInterval: interval)
        }
        let summary = AccuracySummary(rows: [
            row(4_000_000, measured: 11, interval: PredictionInterval(lower: 9, upper: 12)),
            row(8_000_000, measured: 13, interval: PredictionInterval(lower: 9, upper: 12)),
            row(16_000_000, measured: 10, interval: nil),
            row(1_000, measured: 10, interval: PredictionInterval(lower: 9, upper: 12)),
        ])
        #expect(summary.pointsWithInterval == 2)
        #expect(summary.pointsInsideInterval == 1)
        #expect(summary.allPointsWithInterval == 3)
        #expect(summary.allPointsInsideInterval == 2)
    }

    @Test func conformalQuantileIsTheRankThatCoversANewError() {
        #expect(OptionUncertainty.conformalQuantile([]) == 0)
        #expect(OptionUncertainty.conformalQuantile([0.1, 0.2, 0.3]) == 0.3)
        // k = 9: ⌈0.8 · 10⌉ = 8th smallest.
        #expect(OptionUncertainty.conformalQuantile((1...9).map { Double($0) / 10 }) == 0.8)
    }

    static let uncertainty = OptionUncertainty(
        spreads: [1_000_000, 4_000_000, 16_000_000, 64_000_000].map {
            OptionUncertainty.Spread(sizeBytes: $0, throughput: $0 == 16_000_000 ? 0.2 : 0.05, latency: 0.1)
        },
        heldOut: [
            .init(sizeBytes: 1_000_000, throughput: 0.3, latency: nil),
            .init(sizeBytes: 4_000_000, throughput: -0.1, latency: nil),
            .init(sizeBytes: 16_000_000, throughput: 0.05, latency: nil),
            .init(sizeBytes: 64_000_000, throughput: 0.4, latency: nil),
        ])

    @Test func insideTheRangeSpreadAndHeldOutErrorAddInQuadrature() {
        // Inside: m = the largest of the two interior errors (0.1); n = 0.05 at 4 MB, the wider 0.2 between 4 and 16 MB.
        let at4 = Self.uncertainty.halfWidths(sizeBytes: 4_000_000, computedWorkShare: 0).throughput
        #expect(abs(at4 - (0.05 * 0.05 + 0.1 * 0.1).squareRoot()) < 1e-12)
        let between = Self.uncertainty.halfWidths(sizeBytes: 8_000_000, computedWorkShare: 0).throughput
        #expect(abs(between - (0.2 * 0.2 + 0.1 * 0.1).squareRoot()) < 1e-12)
    }

    @Test func extrapolationWidensWithTheDistanceBeyondTheMeasuredRange() {
        let inside = Self.uncertainty.halfWidths(sizeBytes: 64_000_000, computedWorkShare: 0).throughput
        let above2 = Self.uncertainty.halfWidths(sizeBytes: 128_000_000, computedWorkShare: 0).throughput
        let above4 = Self.uncertainty.halfWidths(sizeBytes: 256_000_000, computedWorkShare: 0).throughput
        // r = 0.4 (the largest size's held-out error) per ln 4 of log size.
        #expect(abs(above2 - inside - 0.4 / log(4) * log(2)) < 1e-12)
        #expect(abs(above4 - inside - 0.4) < 1e-12)
        let below = Self.uncertainty.halfWidths(sizeBytes: 250_000, computedWorkShare: 0).throughput
        let lowest = Self.uncertainty.halfWidths(sizeBytes: 1_000_000, computedWorkShare: 0).throughput
        #expect(abs(below - lowest - 0.3) < 1e-12)
    }

    @Test func computedWorkWidensByItsShareOfTheTask() {
        let measured = Self.uncertainty.halfWidths(sizeBytes: 4_000_000, computedWorkShare: 0).throughput
        let computed = Self.uncertainty.halfWidths(sizeBytes: 4_000_000, computedWorkShare: 0.5).throughput
        #expect(abs(computed - 1.5 * measured) < 1e-12)
    }

    @Test func predictionsOfAnUncertainModelCarryIntervalsAroundThem() throws {
        let (result, _) = try Self.noisySweep(noise: 0.15, seed: 3)
        let model = CostModel.fitWithUncertainty(result)
        #expect(model.options.allSatisfy { $0.uncertainty != nil })
        let option = try #require(model.option(pool: .thread, codec: "binary", shape: .records))
        let scenario = CostModel.Scenario(sizeBytes: 16_000_000, work: model.sweepWork, gil: 1, workers: 2)
        let prediction = model.predict(option, scenario)
        let interval = try #require(prediction.tasksPerSecondInterval)
        #expect(interval.lower < prediction.tasksPerSecond && prediction.tasksPerSecond < interval.upper)
        #expect(try #require(prediction.latencyInterval).contains(prediction.latencySeconds))
        let far = model.predict(option, scenario.with(sizeBytes: 10_000_000_000))
        let farInterval = try #require(far.tasksPerSecondInterval)
        #expect(farInterval.upper / farInterval.lower > interval.upper / interval.lower)
        let plain = CostModel.fit(result)
        let plainOption = try #require(plain.option(pool: .thread, codec: "binary", shape: .records))
        #expect(plain.predict(plainOption, scenario).tasksPerSecondInterval == nil)
    }

    @Test func overlappingIntervalsAreTooCloseToCall() throws {
        let (result, _) = try Self.noisySweep(noise: 0.15, seed: 3)
        let model = CostModel.fitWithUncertainty(result)
        var decision = try #require(model.decide(shape: .records, scenario: CostModel.Scenario(
            sizeBytes: 100_000_000, work: .cpu(nanosecondsPerByte: 100), gil: 1, workers: 2)))
        let runnerUp = try #require(decision.runnerUp)
        decision.fastest.tasksPerSecond = runnerUp.tasksPerSecond * 1.5
        decision.fastest.tasksPerSecondInterval = PredictionInterval(
            around: decision.fastest.tasksPerSecond, halfWidth: 0.1)
        decision.runnerUp!.tasksPerSecondInterval = PredictionInterval(around: runnerUp.tasksPerSecond, halfWidth: 0.1)
        #expect(decision.verdict == .winner)
        #expect(decision.winner == decision.fastest.pool)
        decision.runnerUp!.tasksPerSecondInterval = PredictionInterval(around: runnerUp.tasksPerSecond, halfWidth: 0.5)
        #expect(decision.verdict == .tooCloseToCall)
        #expect(decision.winner == nil)
        decision.fastest.tasksPerSecond = runnerUp.tasksPerSecond * 1.05
        #expect(decision.verdict == .tie)
    }

    @Test func aRecommendationWithOverlappingIntervalsNamesNoWinner() throws {
        let (result, _) = try Self.noisySweep(noise: 0.4, seed: 11)
        let model = CostModel.fitWithUncertainty(result)
        // Far beyond the measured sizes every interval is wide: both pools overlap.
        let recommendation = try Recommendation.recommend(
            model: model, sizeBytes: 10_000_000_000, shape: .records, work: .cpu(nanosecondsPerByte: 30), gil: 1,
            workers: 2, tasks: 100, codec: nil)
        try #require(recommendation.verdict == .tooCloseToCall, "margin \(recommendation.margin ?? 0)")
        let text = recommendation.text()
        #expect(text.hasPrefix("Too close to call for 10.0 GB records"))
        #expect(text.contains("| option "))
        #expect(text.contains("tasks/s (80 % interval)"))
        #expect(text.contains("too close to call — the "))
        let json = try #require(
            try JSONSerialization.jsonObject(with: recommendation.jsonData()) as? [String: Any])
        #expect(json["verdict"] as? String == "tooCloseToCall")
        let options = try #require(json["options"] as? [[String: Any]])
        let interval = try #require(options.first?["tasksPerSecondInterval"] as? [String: Any])
        #expect(interval["lower"] is Double && interval["upper"] is Double)
    }
}
