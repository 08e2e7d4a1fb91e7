import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Model
@testable import Report
@testable import Payload

@Suite("Model: decision map and accuracy sections")
struct ModelSectionsTests {
    @Test func decisionMapCellsAgreeWithRecommend() throws {
        let model = CostModel.fit(try SyntheticSweep.result(codecs: ["binary", "json"]))
        let sizes = [1_000, 16_000, 1_000_000, 64_000_000, 1_000_000_000]
        for gil in [0.0, 0.5, 1.0] {
            for codec in ["binary", "json"] {
                let grid = DecisionMapSection.grid(
                    model: model, shape: .records, codec: codec, workers: 4, sizes: sizes,
                    workNanosecondsPerByte: DecisionMapSection.workRows, gil: gil)
                #expect(grid.cells.count == DecisionMapSection.workRows.count)
                for (row, work) in grid.rows.enumerated() {
                    #expect(grid.cells[row].count == sizes.count)
                    for (column, size) in grid.columns.enumerated() {
                        let cell = grid.cells[row][column]
                        let recommendation = try Recommendation.recommend(
                            model: model, sizeBytes: size, shape: .records,
                            work: DecisionGrid.work(nanosecondsPerByte: work), gil: gil, workers: 4, tasks: 100,
                            codec: codec)
                        #expect(cell.faster == recommendation.recommended.pool)
                        #expect(cell.margin == recommendation.margin)
                        #expect((cell.winner == nil) == recommendation.isTie)
                    }
                }
            }
        }
    }

    @Test func decisionMapTableIsRenderedWholeFromTheGrid() {
        let grid = DecisionGrid(
            shape: .records, codec: "binary", workers: 2, gil: 1, cores: 2, columns: [1_000, 64_000_000],
            rows: [0, 30],
            cells: [
                [.init(winner: .thread, faster: .thread, margin: 3.14159), .init(winner: nil, faster: .process, margin: 1.04)],
                [.init(winner: .thread, faster: .thread, margin: 1.2), .init(winner: .process, faster: .process, margin: 1.78)],
            ])
        #expect(DecisionMapSection.table(grid) == """
            | work \\ size |          1KB |          64MB |
            | ----------- | -----------: | ------------: |
            | none        | thread 3.14× |             ≈ |
            | cpu:30      | thread 1.20× | process 1.78× |

            """)
    }

    @Test func decisionMapColumnsThinToEightLogSpacedSizes() {
        #expect(DecisionMapSection.columns(SyntheticSweep.sizes).count == 8)
        #expect(DecisionMapSection.columns(SyntheticSweep.sizes).first == SyntheticSweep.sizes.first)
        #expect(DecisionMapSection.columns(SyntheticSweep.sizes).last == SyntheticSweep.sizes.last)
        #expect(DecisionMapSection.columns([4_000, 1_000, 4_000]) == [1_000, 4_000])
    }

    @Test func decisionMapSectionHasATablePerShapeCodecAndLockShare() throws {
        let result = try SyntheticSweep.result(shapes: [.records, .blob])
        let text = DecisionMapSection.render(result, model: CostModel.fit(result))
        #expect(text.hasPrefix("## Decision map (model)\n"))
        for heading in [
            "### records with `binary`, `--gil 0`", "### records with `binary`, `--gil 1`",
            "### blob with `binary`, `--gil 0`", "### blob with `binary`, `--gil 1`",
        ] {
            #expect(text.contains(heading), "\(heading)")
        }
        #expect(text.contains("| cpu:300 "))
    }

    @Test func heldOutCheckPredictsEveryPointFromTheOtherSizes() throws {
        let result = try SyntheticSweep.result(efficiency: [.thread: 0.9, .process: 0.7])
        let rows = ModelAccuracySection.heldOut(result: result)
        #expect(rows.count == result.points.count)
        #expect(zip(rows, result.points).allSatisfy { $0.sizeBytes == $1.sizeBytes && $0.pool == $1.pool })
        // The synthetic stages are exact lines, so a model without any one size still predicts it.
        for row in rows {
            #expect(abs(try #require(row.throughputError)) < 1e-4, "\(row.pool) \(row.sizeBytes)")
        }
        let summary = AccuracySummary(rows: rows)
        #expect(summary.pointsCompared == 10)
        #expect(try #require(summary.maximumAbsoluteError) < 1e-4)
        #expect(!summary.winnerChecks.isEmpty)
        #expect(summary.winnersAgreeing == summary.winnerChecks.count)
    }

    @Test func heldOutCheckWithTwoSizesHasNoPrediction() throws {
        let result = try SyntheticSweep.result(sizes: [1_000_000, 4_000_000])
        let rows = ModelAccuracySection.heldOut(result: result)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.predictedTasksPerSecond == nil })
        #expect(AccuracySummary(rows: rows).medianAbsoluteError == nil)
    }

    @Test func winnerCheckReportsAMissedWinner() {
        let rows = [
            AccuracyRow(pool: .process, shape: .records, codec: "binary", sizeBytes: 8_000_000,
                        measuredTasksPerSecond: 20, predictedTasksPerSecond: 10, measuredLatencySeconds: 0.1,
                        predictedLatencySeconds: 0.2),
            AccuracyRow(pool: .thread, shape: .records, codec: "binary", sizeBytes: 8_000_000,
                        measuredTasksPerSecond: 10, predictedTasksPerSecond: 12, measuredLatencySeconds: 0.2,
                        predictedLatencySeconds: 0.16),
        ]
        let summary = AccuracySummary(rows: rows)
        #expect(summary.winnerChecks.count == 1)
        #expect(summary.winnersAgreeing == 0)
        #expect(summary.medianAbsoluteError == 0.35)
        #expect(summary.maximumAbsoluteError == 0.5)
        #expect(ModelAccuracySection.verdict(summary)
            == "at sizes of at least 1MB the predicted throughput is within a median 35 % (at most 50 %) of the measured, over 2 points, 1 of them within 25 %; it names the measured winner at 0 of 1 sizes where the measured margin is at least 10 %; it misses records binary 8MB (measured process by 2.00×).")
    }

    @Test func accuracySectionShowsBothChecksAndTheCalibration() throws {
        let result = try SyntheticSweep.result(efficiency: [.thread: 0.9, .process: 0.7])
        let text = ModelAccuracySection.render(result, model: CostModel.fit(result))
        #expect(text.hasPrefix("## Model accuracy\n"))
        #expect(text.contains("### Held-out check"))
        #expect(text.contains("- In sample: at sizes of at least 1MB the predicted throughput is within a median 0 % (at most 0 %) of the measured, over 10 points, 10 of them within 25 %; it names the measured winner at"))
        #expect(text.contains("- Held out: "))
        #expect(text.contains("Calibration factors (measured ÷ formula throughput; 1 means the formula needed no correction): records binary process 0.70, records binary thread 0.90.\n"))
    }
}
