import Foundation
import Testing
import TestSupport
@testable import Payload
@testable import Platform
@testable import PythonRuntime
@testable import Results
@testable import Sweep

extension Integration {
    /// The slow-point rule in both runners. The rule's threshold is set far below or above any real task, so which
    /// branch a point takes never depends on how fast this host runs it.
    @Suite("Slow-point rule", .serialized)
    struct SlowPointRuleTests {
        /// Budget so small that the minimums alone end a point: the batch count is then the rule's, exactly.
        static func plan(slowSeconds: Double) throws -> SweepPlan {
            try SweepPlan(
                minBytes: 1_000, maxBytes: 1_000, shapes: [.blob], codecs: ["binary"], pools: [.process, .thread],
                workers: 2, budgetSeconds: 1e-6, minTasks: 8, maxTasks: 400, minBatches: 5,
                slowPoint: SlowPointRule(seconds: slowSeconds, batches: 3))
        }

        static func run(_ plan: SweepPlan) throws -> SweepResult {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            var options = SweepOptions(executable: try TestExecutable.path(), scratchParent: scratch.path)
            options.remeasure = false
            let runner = SweepRunner(
                plan: plan, options: options, name: "slow",
                environment: Environment.capture(commandLine: ["test"], scratchDirectory: scratch.path), warnings: [])
            return runner.run(stop: StopFlag())
        }

        @Test func aSlowSwiftPointMeasuresTheRulesBatchesOfOneRound() throws {
            let result = try Self.run(try Self.plan(slowSeconds: 1e-9))
            #expect(result.points.count == 2)
            for point in result.points {
                #expect(point.failure == nil, "\(point.pool): \(point.failure ?? "")")
                #expect(point.batchTasksPerSecond.count == 3, "\(point.pool)")
                #expect(point.samples.count == 6, "\(point.pool): three rounds of two workers")
            }
        }

        @Test func aSwiftPointBelowTheThresholdKeepsThePlansMinimums() throws {
            let result = try Self.run(try Self.plan(slowSeconds: 1e9))
            for point in result.points {
                #expect(point.failure == nil, "\(point.pool): \(point.failure ?? "")")
                #expect(point.batchTasksPerSecond.count == 5, "\(point.pool)")
                #expect(point.samples.count >= 8, "\(point.pool)")
            }
        }

        @Test func aSlowCPythonPointMeasuresTheRulesBatches() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let driver = try PythonDriverScript.locate()
            let settings = PythonSettings(
                interpreter: try PythonInterpreter.probe(nil, driver: driver), driver: driver, startMethod: nil,
                async: false)
            var request = PythonPointRequest(
                shape: "blob", sizeBytes: 1_000, seed: 1, pool: "thread", workers: 2, work: "none", startMethod: nil,
                warmupTasksPerWorker: 1, tasks: nil, minTasks: 8, maxTasks: 400, minBatches: 5, budgetSeconds: 1e-6,
                sync: false, scratchDirectory: scratch.path, async: false, taskTimeoutSeconds: 60)
            request.slowPointSeconds = 1e-9
            request.slowPointBatches = 3
            let template = PointResult.empty(
                pool: .thread, shape: .blob, codec: Runtime.pythonCodec, workers: 2, sizeBytes: 1_000, work: .none,
                gil: 1, sync: false)
            let point = settings.runner.measure(request, point: template, shouldStop: { false })
            #expect(point.failure == nil, "\(point.failure ?? "")")
            #expect(point.batchTasksPerSecond.count == 3)
            #expect(point.samples.count == 6)
        }

        @Test func theRuleRoundTripsAndOldPlansHaveNone() throws {
            let plan = try SweepPlan(maxBytes: 4_000, workers: 2, budgetSeconds: 0.5)
            #expect(plan.slowPoint == SlowPointRule(seconds: 10, batches: 3))
            let decoded = try JSONDecoder().decode(SweepPlan.self, from: try JSONEncoder().encode(plan))
            #expect(decoded == plan)
            var old = try #require(JSONSerialization.jsonObject(with: try JSONEncoder().encode(plan)) as? [String: Any])
            old.removeValue(forKey: "slowPoint")
            let oldPlan = try JSONDecoder().decode(SweepPlan.self, from: try JSONSerialization.data(withJSONObject: old))
            #expect(oldPlan.slowPoint == nil)
            #expect(oldPlan.measuringMinimums(perTaskSeconds: 1_000) == MeasuringMinimums(batches: 5, tasks: 8, slow: false))
        }

        @Test func minimumsFollowTheWarmUp() throws {
            let plan = try SweepPlan(maxBytes: 4_000, workers: 2, budgetSeconds: 1, minTasks: 8, minBatches: 5)
            #expect(plan.measuringMinimums(perTaskSeconds: 3.9) == MeasuringMinimums(batches: 5, tasks: 8, slow: false))
            #expect(plan.measuringMinimums(perTaskSeconds: 4.1) == MeasuringMinimums(batches: 3, tasks: 6, slow: true))
            let fixed = try SweepPlan(maxBytes: 4_000, workers: 2, tasks: 10, budgetSeconds: 1)
            #expect(!fixed.measuringMinimums(perTaskSeconds: 100).slow, "a fixed --tasks count is never lowered")
        }
    }
}
