import Foundation
import Testing
import TestSupport
@testable import Platform
@testable import Units
@testable import Results
@testable import Sweep
@testable import Model
@testable import Report
@testable import Payload

extension Integration {
    @Suite("Sweep end to end", .serialized)
    struct SweepEndToEndTests {
        static func smallPlan(pools: [PoolKind] = [.process, .thread]) throws -> SweepPlan {
            try SweepPlan(
                minBytes: 1_000, maxBytes: 256_000, factor: 4, shapes: [.records], codecs: ["binary"], pools: pools,
                workers: 2, budgetSeconds: 0.05, minTasks: 4, maxTasks: 20)
        }

        @Test func smallSweepWritesAReportThatParsesBack() throws {
            let out = try TemporaryDirectory()
            let scratch = try TemporaryDirectory()
            defer { out.remove(); scratch.remove() }
            let plan = try Self.smallPlan()
            #expect(plan.sizes == [1_000, 4_000, 16_000, 64_000, 256_000])
            let environment = Environment.capture(commandLine: ["payloadlab", "sweep"], scratchDirectory: scratch.path)
            let runner = SweepRunner(
                plan: plan, options: SweepOptions(executable: try TestExecutable.path(), scratchParent: scratch.path),
                name: "e2e", environment: environment, warnings: [])
            var checkpoints = 0
            runner.onPoint = { partial in
                checkpoints += 1
                #expect(partial.points.count == checkpoints)
            }
            let result = runner.run(stop: StopFlag())
            #expect(result.complete)
            #expect(checkpoints == 10)
            #expect(result.points.count == 10)
            for point in result.points {
                #expect(point.failure == nil, "\(point.pool) \(point.sizeBytes): \(point.failure ?? "")")
                #expect(point.samples.count >= 4)
                #expect(point.tasksPerSecond > 0)
                #expect(point.batchTasksPerSecond.count >= 5, "throughput needs several batches to take a median")
                #expect(point.memory.parentPeakBytes > 0)
                if point.pool == .process {
                    #expect(point.memory.workerPeakBytes.count == 2)
                    #expect(point.stages[.transfer] != nil)
                }
            }

            try AtomicFile.write(try result.jsonData(), to: "\(out.path)/e2e.json")
            for (fileName, text) in ReportFiles.render(result: result, name: "e2e") {
                try AtomicFile.write(text, to: "\(out.path)/\(fileName)")
            }
            let loaded = try SweepResult.load(path: "\(out.path)/e2e.json")
            #expect(loaded == result)

            let markdown = try String(contentsOfFile: "\(out.path)/e2e.md", encoding: .utf8)
            #expect(markdown.contains("## Recommendation"))
            for size in ["1KB", "4KB", "16KB", "64KB", "256KB"] {
                let section = markdown.components(separatedBy: "### records, \(size)\n")
                #expect(section.count == 2, "no table for \(size)")
                guard section.count == 2 else { continue }
                let table = section[1].components(separatedBy: "\n\n")[0]
                #expect(table.split(separator: "\n").filter { $0.hasPrefix("| process") }.count == 1)
                #expect(table.split(separator: "\n").filter { $0.hasPrefix("| thread") }.count == 1)
            }
            // The recommendation follows from the tables: the winner named per size is the one with more tasks/s.
            for comparison in MeasuredComparison.all(in: loaded) {
                for row in comparison.rows {
                    if let winner = row.winner {
                        let other = row.tasksPerSecond.filter { $0.key != winner }.values.max() ?? 0
                        #expect(row.tasksPerSecond[winner]! >= other)
                    }
                }
            }
            // `recommend` on this real sweep follows from the sweep's own numbers: at each measured size it names the
            // pool whose option the model fitted to this very result predicts fastest, with the margin those
            // predictions give. No live re-measurement judges it, so a busy machine cannot fail this.
            let model = CostModel.fit(loaded)
            #expect(!model.options.isEmpty)
            for size in plan.sizes {
                let request = try RecommendationRequest(size: "\(size)B", shape: "records")
                let recommendation = try Recommendation.recommend(model: model, request: request)
                // The fit leaves out points other processes disturbed while most of the sweep was quiet, so which
                // sizes it covers depends on the machine's load; the recommendation must agree with it either way.
                let range = try #require(model.measuredRange(shape: .records, codec: nil))
                #expect(recommendation.insideMeasuredRange == range.contains(size))
                #expect(recommendation.insideMeasuredRange || recommendation.extrapolationWarning != nil)
                let predicted = model.options(shape: .records).map { model.predict($0, recommendation.scenario) }
                let best = try #require(predicted.max { $0.tasksPerSecond < $1.tasksPerSecond })
                #expect(best.tasksPerSecond.isFinite && best.tasksPerSecond > 0)
                #expect(recommendation.recommended.pool == best.pool, "at \(size) B")
                #expect(recommendation.recommended.tasksPerSecond == best.tasksPerSecond)
                let other = predicted.filter { $0.pool != best.pool }.map(\.tasksPerSecond).max()
                if let other, let margin = recommendation.margin {
                    #expect(abs(margin - best.tasksPerSecond / other) < 1e-9 * margin)
                }
            }
            #expect(scratch.contents.isEmpty, "the sweep left scratch files: \(scratch.contents)")
        }

        /// Where a comparison of winners is needed it uses a synthetic sweep, whose numbers are chosen: at every
        /// measured size where one pool clearly wins (≥ 1.5×), the recommendation names that pool.
        @Test func recommendationNamesTheClearMeasuredWinnerOfASyntheticSweep() throws {
            for efficiency in [[PoolKind.process: 1.0, .thread: 1.0], [.process: 0.4], [.thread: 0.4]] {
                let result = try SyntheticSweep.result(gil: 0.5, efficiency: efficiency)
                let model = CostModel.fit(result)
                var checked = 0
                for comparison in MeasuredComparison.all(in: result) {
                    for row in comparison.rows {
                        guard let winner = row.winner, row.margin >= 1.5 else { continue }
                        let request = try RecommendationRequest(size: "\(row.sizeBytes)B", shape: "records")
                        let recommendation = try Recommendation.recommend(model: model, request: request)
                        #expect(recommendation.recommended.pool == winner, "\(efficiency) at \(row.sizeBytes) B")
                        checked += 1
                    }
                }
                #expect(checked >= 1, "\(efficiency): no size has a clear winner")
            }
        }

        @Test func stoppedSweepKeepsFinishedPointsAndSaysSo() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let plan = try Self.smallPlan(pools: [.thread])
            let environment = Environment.capture(commandLine: ["payloadlab"], scratchDirectory: scratch.path)
            let runner = SweepRunner(
                plan: plan, options: SweepOptions(executable: try TestExecutable.path(), scratchParent: scratch.path),
                name: "stopped", environment: environment, warnings: [])
            let stop = StopFlag()
            runner.onPoint = { partial in if partial.points.count == 2 { stop.stop() } }
            let result = runner.run(stop: stop)
            #expect(!result.complete)
            #expect(result.points.count == 2)
            #expect(result.stopReason?.contains("Interrupted") == true)
            #expect(MarkdownReport.render(result).contains("Incomplete run"))
            #expect(scratch.contents.isEmpty)
        }

        @Test func failedSaveStopsTheRunnerAtOnce() throws {
            struct DiskFull: Error, CustomStringConvertible { var description: String { "The disk is full." } }
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let plan = try Self.smallPlan(pools: [.thread])
            let environment = Environment.capture(commandLine: ["payloadlab"], scratchDirectory: scratch.path)
            let runner = SweepRunner(
                plan: plan, options: SweepOptions(executable: try TestExecutable.path(), scratchParent: scratch.path),
                name: "full", environment: environment, warnings: [])
            runner.onPoint = { partial in if partial.points.count == 2 { throw DiskFull() } }
            let result = runner.run(stop: StopFlag())
            #expect(!result.complete)
            #expect(result.points.count == 2)
            #expect(result.stopReason == "Saving the result after point 2 of 5 failed (The disk is full); the sweep stopped there.")
            #expect(scratch.contents.isEmpty)
        }

        @Test func planRejectsBadValues() {
            #expect(throws: PlanError.minAboveMax(min: 10, max: 5)) { try SweepPlan(minBytes: 10, maxBytes: 5, workers: 1) }
            #expect(throws: PlanError.badWorkers(0)) { try SweepPlan(maxBytes: 5_000, workers: 0) }
            #expect(throws: PlanError.badWorkers(10_000)) { try SweepPlan(maxBytes: 5_000, workers: 10_000) }
            #expect(throws: PlanError.badGIL(1.5)) { try SweepPlan(maxBytes: 5_000, workers: 1, gil: 1.5) }
            #expect(throws: PlanError.badFactor(1)) { try SweepPlan(maxBytes: 5_000, factor: 1, workers: 1) }
            #expect(SweepPlan.sizes(min: 1_000, max: 200_000_000, factor: 4) == [
                1_000, 4_000, 16_000, 64_000, 250_000, 1_000_000, 4_000_000, 16_000_000, 64_000_000, 200_000_000,
            ])
            #expect(SweepPlan.sizes(min: 1_024, max: 1 << 20, factor: 2).count == 11)
            #expect(SweepPlan.sizes(min: 5_000, max: 5_000, factor: 4) == [5_000])
        }

        @Test func resultLoaderRejectsWrongFiles() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            #expect(throws: ResultFileError.self) { try SweepResult.load(path: "\(dir.path)/missing.json") }
            try "not json".write(toFile: "\(dir.path)/bad.json", atomically: false, encoding: .utf8)
            #expect(throws: ResultFileError.self) { try SweepResult.load(path: "\(dir.path)/bad.json") }
            try #"{"tool":"payloadlab","schemaVersion":99}"#.write(toFile: "\(dir.path)/v99.json", atomically: false, encoding: .utf8)
            #expect(throws: ResultFileError.schema(path: "\(dir.path)/v99.json", found: 99, expected: 1)) {
                try SweepResult.load(path: "\(dir.path)/v99.json")
            }
            try #"{"tool":"payloadlab","schemaVersion":1,"name":"x"}"#.write(toFile: "\(dir.path)/trunc.json", atomically: false, encoding: .utf8)
            #expect(throws: ResultFileError.self) { try SweepResult.load(path: "\(dir.path)/trunc.json") }
        }
    }
}
