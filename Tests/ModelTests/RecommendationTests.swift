import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Model
@testable import Payload

@Suite("Model: Recommendation")
struct RecommendationTests {
    static func recommend(
        _ model: CostModel, bytes: Int, work: WorkProfile = .cpu(nanosecondsPerByte: 30), gil: Double = 1,
        workers: Int = 2, codec: String? = nil
    ) throws -> Recommendation {
        try Recommendation.recommend(
            model: model, sizeBytes: bytes, shape: .records, work: work, gil: gil, workers: workers, tasks: 100,
            codec: codec)
    }

    @Test func crossoverSizeMatchesTheHandComputedOne() throws {
        // gil 1, cpu:30, 2 workers on 2 cores. Thread pool: lock-bound, X = 1 / (20 µs + 31 ns/B · s).
        // Process pool: X = 2 / T, T = 475 µs + 34.8 ns/B · s. Equal where 475 µs + 34.8 s = 40 µs + 62 s:
        // s = 435 µs / 27.2 ns/B ≈ 15 993 B.
        let model = CostModel.fit(try SyntheticSweep.result())
        let expected = 435e-6 / 27.2e-9
        let recommendation = try Self.recommend(model, bytes: 100_000_000)
        #expect(recommendation.crossovers.count == 1)
        let crossing = try #require(recommendation.crossovers.first)
        #expect(abs(crossing.at / expected - 1) < 0.01, "found \(crossing.at), expected \(expected)")
        #expect(crossing.belowWinner == .thread)
        #expect(crossing.aboveWinner == .process)
        #expect(abs(Double(try #require(recommendation.crossoverBytes)) / expected - 1) < 0.01)
        #expect(try Self.recommend(model, bytes: Int(expected * 0.95)).recommended.pool == .thread)
        #expect(try Self.recommend(model, bytes: Int(expected * 1.05)).recommended.pool == .process)
        #expect(recommendation.flips.contains { $0.hasPrefix("Threads win below 16.0 KB, processes above") })
    }

    @Test func heavyWorkUnderTheLockFavoursProcessesAndNativeThreadsFavourThreads() throws {
        let model = CostModel.fit(try SyntheticSweep.result())
        let locked = try Self.recommend(model, bytes: 100_000_000, work: .cpu(nanosecondsPerByte: 100), gil: 1)
        #expect(locked.recommended.pool == .process)
        #expect(try #require(locked.margin) > 1.5)
        #expect(!locked.isTie)
        let native = try Self.recommend(model, bytes: 100_000_000, work: .cpu(nanosecondsPerByte: 100), gil: 0)
        #expect(native.recommended.pool == .thread)
        #expect(try #require(native.margin) > 1.02)
        #expect(locked.flips.contains { $0.hasPrefix("With --gil 0 threads win at 100 MB") })
    }

    @Test func workAndLockFlipsAreWhereTheFormulasCross() throws {
        let model = CostModel.fit(try SyntheticSweep.result())
        let scenario = CostModel.Scenario(sizeBytes: 4_000_000, work: .cpu(nanosecondsPerByte: 30), gil: 1, workers: 2)
        let search = FlipSearch(model: model, shape: .records, codec: nil, scenario: scenario)
        // Work W per task: threads 1 / (W + r), processes 2 / (P + W) with r = 4.02 ms and P = 19.675 ms, equal at
        // W = P − 2r = 11.635 ms, i.e. 2.909 ns/B at 4 MB.
        let work = search.workCrossovers()
        #expect(work.count == 1)
        #expect(abs(try #require(work.first).at / 2.90875 - 1) < 0.001)
        #expect(work.first?.belowWinner == .thread)
        // Lock share g: threads 1 / (g · 124.02 ms), processes 2 / 139.675 ms: equal at g = 0.5631.
        let gil = search.gilCrossovers()
        #expect(gil.count == 1)
        #expect(abs(try #require(gil.first).at - 139.675 / 248.04) < 0.002)
        #expect(gil.first?.belowWinner == .thread)
        let recommendation = try Self.recommend(model, bytes: 4_000_000)
        #expect(recommendation.flips.contains {
            $0 == "Processes win once work exceeds 2.91 ns/B at 4.00 MB (--gil 1, 2 workers); threads below it."
        })
        #expect(recommendation.flips.contains { $0.contains("the winner changes at --gil 0.56 (threads below, processes above)") })
    }

    @Test func recommendationAtAMeasuredSizeNamesTheMeasuredWinner() throws {
        let result = try SyntheticSweep.result(efficiency: [.thread: 0.9, .process: 0.7])
        let model = CostModel.fit(result)
        let comparison = try #require(MeasuredComparison.all(in: result).first)
        var checked = 0
        for row in comparison.rows {
            guard let winner = row.winner else { continue }
            let recommendation = try Self.recommend(model, bytes: row.sizeBytes)
            #expect(recommendation.recommended.pool == winner, "at \(row.sizeBytes)")
            #expect(abs(recommendation.recommended.tasksPerSecond / row.tasksPerSecond[winner]! - 1) < 1e-5)
            #expect(recommendation.insideMeasuredRange)
            #expect(recommendation.extrapolationWarning == nil)
            checked += 1
        }
        #expect(checked >= 8)
    }

    @Test func poolsWithinTenPercentAreATie() throws {
        let model = CostModel.fit(try SyntheticSweep.result())
        // At the crossover (about 16.0 KB) the pools deliver the same throughput.
        let recommendation = try Self.recommend(model, bytes: 16_000)
        #expect(recommendation.isTie)
        #expect(try #require(recommendation.margin) < MeasuredComparison.tieMargin)
        #expect(recommendation.text().contains(" — within 10 %, a tie; pick on memory (the thread pool needs "))
    }

    @Test func everyCodecIsComparedUnlessOneIsAskedFor() throws {
        let model = CostModel.fit(try SyntheticSweep.result(codecs: ["binary", "json"]))
        let any = try Self.recommend(model, bytes: 1_000_000)
        #expect(any.options.count == 4)
        #expect(any.recommended.codec == "binary")
        #expect(any.runnerUp?.codec == "binary")
        let json = try Self.recommend(model, bytes: 1_000_000, codec: "json")
        #expect(json.options.map(\.codec) == ["json", "json"])
        #expect(json.recommended.codec == "json")
    }

    @Test func sizeOutsideTheMeasuredRangeCarriesAnExtrapolationWarning() throws {
        let model = CostModel.fit(try SyntheticSweep.result())
        let above = try Self.recommend(model, bytes: 1_000_000_000)
        #expect(!above.insideMeasuredRange)
        #expect(above.extrapolationWarning
            == "1.00 GB is above the largest measured size (262 MB): the prediction extrapolates the fitted lines; measure it with payloadlab sweep --max 1GB.")
        let below = try Self.recommend(model, bytes: 500)
        #expect(below.extrapolationWarning?.hasPrefix("500 B is below the smallest measured size (1.00 KB)") == true)
    }

    @Test func settingsTheSweepDidNotMeasureAreNamedInNotes() throws {
        let model = CostModel.fit(try SyntheticSweep.result())
        let recommendation = try Self.recommend(model, bytes: 1_000_000, work: .checksum, gil: 0.5, workers: 8)
        #expect(recommendation.notes.contains { $0.hasPrefix("The sweep measured work cpu:30; the work stage for checksum is computed") })
        #expect(recommendation.notes.contains { $0.hasPrefix("The sweep measured --gil 1; the lock at --gil 0.50 is modelled") })
        #expect(recommendation.notes.contains { $0.hasPrefix("The sweep measured 2 workers on 2 cores; 8 workers are modelled") })
    }

    @Test func jsonOutputDecodesToTheSameRecommendation() throws {
        let model = CostModel.fit(try SyntheticSweep.result())
        let recommendation = try Self.recommend(model, bytes: 120_000_000, workers: 8)
        let decoded = try JSONDecoder().decode(Recommendation.self, from: try recommendation.jsonData())
        #expect(decoded == recommendation)
        let object = try #require(try JSONSerialization.jsonObject(with: try recommendation.jsonData()) as? [String: Any])
        #expect((object["recommended"] as? [String: Any])?["pool"] as? String == "process")
    }

    @Test func textNamesTheChoiceTheTableAndTheFlips() throws {
        let model = CostModel.fit(try SyntheticSweep.result())
        let text = try Self.recommend(model, bytes: 120_000_000, workers: 8).text(source: "reports/synthetic.json")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Use the process pool with binary for 120 MB records (cpu:30, --gil 1, 8 workers on 2 cores).")
        #expect(lines[1] == "Model fitted to reports/synthetic.json.")
        #expect(lines[3].hasPrefix("| option "))
        #expect(text.contains("| process binary |"))
        #expect(text.contains("| thread binary  |"))
        #expect(text.contains("Margin: the process pool delivers "))
        #expect(text.contains("Crossover: threads win below 16.0 KB, processes above."))
        #expect(text.contains("Measured range: 1.00 KB–262 MB; this size is inside it."))
        #expect(text.contains("What would flip the answer:\n- "))
    }

    @Test func unmeasuredShapeOrCodecIsRefusedWithWhatWasMeasured() throws {
        let model = CostModel.fit(try SyntheticSweep.result(shapes: [.records, .blob]))
        #expect(throws: RecommendError.shapeNotMeasured("tree", measured: ["records", "blob"])) {
            try Recommendation.recommend(
                model: model, sizeBytes: 1_000, shape: .tree, work: .none, gil: 0, workers: 1, tasks: 1, codec: nil)
        }
        #expect(throws: RecommendError.codecNotMeasured("json", shape: "records", measured: ["binary"])) {
            try Self.recommend(model, bytes: 1_000, codec: "json")
        }
        #expect(throws: RecommendError.nothingModelled) {
            try Recommendation.recommend(
                model: CostModel(options: [], sweepWork: .none, sweepGIL: 0, sweepWorkers: 1, cores: 1),
                sizeBytes: 1_000, shape: .records, work: .none, gil: 0, workers: 1, tasks: 1, codec: nil)
        }
    }
}
