import Testing
import TestSupport
@testable import Units
@testable import Results
@testable import Model
@testable import Payload

@Suite("Model: CostModel")
struct CostModelTests {
    static func close(_ a: Double, _ b: Double, relative: Double = 1e-6, absolute: Double = 1e-12) -> Bool {
        abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
    }

    @Test func fitRecoversEveryStagesFixedAndPerByteCost() throws {
        let model = CostModel.fit(try SyntheticSweep.result())
        for (pool, lines) in [(PoolKind.thread, SyntheticSweep.threadStages), (.process, SyntheticSweep.processStages)] {
            let option = try #require(model.option(pool: pool, codec: "binary", shape: .records))
            for (stage, line) in lines {
                let fit = try #require(option.stageSeconds[stage], "\(pool) \(stage)")
                #expect(Self.close(fit.fixedSeconds, line.fixed), "\(pool) \(stage) fixed \(fit.fixedSeconds)")
                #expect(Self.close(fit.secondsPerByte, line.perByte), "\(pool) \(stage) per byte \(fit.secondsPerByte)")
            }
            let work = try #require(option.stageSeconds[.work])
            #expect(Self.close(work.secondsPerByte, 30e-9))
            #expect(work.fixedSeconds < 1e-9)
        }
        let process = try #require(model.option(pool: .process, codec: "binary", shape: .records))
        let sentCPU = try #require(process.stageCPUSeconds[.transfer])
        #expect(Self.close(sentCPU.secondsPerByte, 0.25e-9))
        #expect(process.pipeline == [.serialize, .transfer, .deserialize, .verify, .work, .reserialize, .write])
        let thread = try #require(model.option(pool: .thread, codec: "binary", shape: .records))
        #expect(thread.pipeline == [.work, .reserialize, .write])
    }

    @Test func workStageIsComputedForAnotherProfileAndMeasuredForTheSweepsOwn() throws {
        let model = CostModel.fit(try SyntheticSweep.result(work: .cpu(nanosecondsPerByte: 30)))
        let option = try #require(model.option(pool: .thread, codec: "binary", shape: .records))
        let bytes = 10_000_000.0
        #expect(model.workSeconds(option, .none, bytes: bytes) == 0)
        #expect(Self.close(model.workSeconds(option, .cpu(nanosecondsPerByte: 100), bytes: bytes), 1.0))
        // checksum is estimated from the process pool's verify stage: 5 µs + 0.3 ns/B.
        #expect(Self.close(model.workSeconds(option, .checksum, bytes: bytes), 5e-6 + 3e-3))
        // cpu: work never costs less than its checksum pass.
        #expect(Self.close(model.workSeconds(option, .cpu(nanosecondsPerByte: 0.01), bytes: bytes), 5e-6 + 3e-3))
        #expect(Self.close(model.workSeconds(option, .cpu(nanosecondsPerByte: 30), bytes: bytes), 0.3))
    }

    @Test func checksumCostComesFromTheWorkStageOfAChecksumSweep() throws {
        var result = try SyntheticSweep.result(work: .checksum)
        // Without verify timings the work stage is the only source.
        for index in result.points.indices { result.points[index].stages[.verify] = nil }
        for index in result.points.indices { result.points[index].stageCPUMedians[.verify] = nil }
        let model = CostModel.fit(result)
        let option = try #require(model.option(pool: .thread, codec: "binary", shape: .records))
        let checksum = try #require(option.checksumSeconds)
        #expect(Self.close(checksum.fixedSeconds, 5e-6))
        #expect(Self.close(checksum.secondsPerByte, 0.3e-9))
    }

    @Test func efficiencyIsMeasuredOverFormulaThroughput() throws {
        let result = try SyntheticSweep.result(efficiency: [.thread: 0.9, .process: 0.7])
        let model = CostModel.fit(result)
        #expect(Self.close(try #require(model.option(pool: .thread, codec: "binary", shape: .records)).efficiency, 0.9))
        #expect(Self.close(try #require(model.option(pool: .process, codec: "binary", shape: .records)).efficiency, 0.7))
        for point in result.points {
            let option = try #require(model.option(pool: point.pool, codec: point.codec, shape: point.shape))
            let prediction = model.predict(option, CostModel.Scenario(point: point))
            #expect(Self.close(prediction.tasksPerSecond, point.tasksPerSecond, relative: 1e-5))
            #expect(Self.close(prediction.latencySeconds, point.latency.median, relative: 1e-5))
        }
    }

    @Test func throughputFollowsTheDocumentedBounds() throws {
        let model = CostModel.fit(try SyntheticSweep.result(gil: 1))
        let thread = try #require(model.option(pool: .thread, codec: "binary", shape: .records))
        let bytes = 4_000_000
        let scenario = CostModel.Scenario(sizeBytes: bytes, work: .cpu(nanosecondsPerByte: 30), gil: 1, workers: 2)
        let prediction = model.predict(thread, scenario)
        // L = work + reserialize = 120 ms + 4.02 ms, binding below 2 / T.
        #expect(prediction.limit == .lock)
        #expect(Self.close(prediction.tasksPerSecond, 1 / 0.12402, relative: 1e-5))
        // With no lock, 2 workers on 2 cores run two tasks of T = 126.03 ms at once.
        let free = model.predict(thread, scenario.with(gil: 0))
        #expect(free.limit == .parallelism)
        #expect(Self.close(free.tasksPerSecond, 2 / 0.12603, relative: 1e-5))
        // More workers than cores add nothing but latency.
        let crowded = model.predict(thread, scenario.with(gil: 0, workers: 8))
        #expect(Self.close(crowded.tasksPerSecond, free.tasksPerSecond))
        #expect(Self.close(crowded.latencySeconds, 8 / free.tasksPerSecond))
    }

    @Test func memoryLinesAreFittedAndScaleWithWorkers() throws {
        let model = CostModel.fit(try SyntheticSweep.result(workers: 2))
        let process = try #require(model.option(pool: .process, codec: "binary", shape: .records))
        let thread = try #require(model.option(pool: .thread, codec: "binary", shape: .records))
        let bytes = 100_000_000
        // Parent: 50 MB + s at start, plus 4 × (1 MB + s) with 4 workers; each worker 20 MB + 2 s.
        let processMemory = process.memory.estimate(bytes: bytes, workers: 4)
        #expect(abs(processMemory.parentPeakBytes - (50_000_000 + bytes + 4 * (1_000_000 + bytes))) <= 1_000)
        #expect(abs(processMemory.workerPeakBytes - (20_000_000 + 2 * bytes)) <= 1_000)
        #expect(abs(processMemory.totalPeakBytes - (processMemory.parentPeakBytes + 4 * processMemory.workerPeakBytes)) <= 4)
        #expect(Self.close(processMemory.payloadCopies, 1 + 4 + 8, relative: 1e-4))
        let threadMemory = thread.memory.estimate(bytes: bytes, workers: 4)
        #expect(threadMemory.workerPeakBytes == 0)
        #expect(Self.close(threadMemory.payloadCopies, 1 + 4, relative: 1e-4))
    }

    @Test func poolStartScalesWithWorkers() throws {
        let model = CostModel.fit(try SyntheticSweep.result(workers: 2))
        let process = try #require(model.option(pool: .process, codec: "binary", shape: .records))
        let scenario = CostModel.Scenario(sizeBytes: 1_000_000, work: .none, gil: 0, workers: 8, tasks: 10)
        let prediction = model.predict(process, scenario)
        #expect(Self.close(prediction.poolStartSeconds, 0.032))
        #expect(Self.close(prediction.totalSeconds, 0.032 + 10 / prediction.tasksPerSecond))
    }

    @Test func optionMeasuredAtOneSizeIsLeftOutAndNamed() throws {
        var result = try SyntheticSweep.result()
        result.points.removeAll { $0.pool == .process && $0.sizeBytes != SyntheticSweep.sizes[3] }
        let model = CostModel.fit(result)
        #expect(model.option(pool: .process, codec: "binary", shape: .records) == nil)
        #expect(model.option(pool: .thread, codec: "binary", shape: .records) != nil)
        #expect(model.notes.count == 1)
        #expect(model.notes[0].contains("process records binary was measured at only \(Formatting.sizeLabel(SyntheticSweep.sizes[3]));"))
    }

    @Test func failedPointsAreIgnored() throws {
        var result = try SyntheticSweep.result()
        // Every point above the two smallest sizes fails, with a doubled reserialize time that must not count.
        for index in result.points.indices where result.points[index].sizeBytes > SyntheticSweep.sizes[1] {
            result.points[index].failure = "worker 12 died"
            result.points[index].stages[.reserialize] = result.points[index].stages[.reserialize].map { Summary([$0.median * 2]) }
        }
        let fit = try #require(CostModel.fit(result).option(pool: .thread, codec: "binary", shape: .records)?.stageSeconds[.reserialize])
        #expect(Self.close(fit.fixedSeconds, 20e-6))
        #expect(Self.close(fit.secondsPerByte, 1e-9))
    }

    /// The shape a thread pool's peak memory really has on this machine (from reports/default-sweep.json, records):
    /// flat while buffers are recycled heap memory, then whole copies per payload byte past the mmap threshold.
    /// A line fitted to relative errors predicted 307 MB at 120 MB; joining the measured sizes predicts between
    /// its neighbours and follows the last segment beyond them.
    @Test func memoryLineJoinsMeasuredSizesInsteadOfFittingALine() throws {
        let sizes: [Double] = [1e3, 1e6, 4e6, 16e6, 64e6, 200e6]
        let added: [Double] = [0, 0, 0, 0, 128e6, 400e6]
        let line = try #require(MemoryLine(sizes: sizes, bytes: added))
        #expect(line.predict(bytes: 120e6) == 128e6 + (120e6 - 64e6) * 2)
        #expect(line.predict(bytes: 400e6) == 400e6 + 200e6 * 2)
        #expect(line.predict(bytes: 8e6) == 0)
        #expect(line.predict(bytes: 10) == 0)
        // Repeats of a size are reduced to their median; nothing finite gives no line.
        let repeated = try #require(MemoryLine(sizes: [1e6, 1e6, 1e6, 2e6], bytes: [10, 30, 20, 40]))
        #expect(repeated.predict(bytes: 1e6) == 20 && repeated.predict(bytes: 1.5e6) == 30)
        #expect(MemoryLine(sizes: [], bytes: []) == nil)
        #expect(MemoryLine(sizes: [1e6], bytes: [.nan]) == nil)
        #expect(MemoryLine(sizes: [1e6], bytes: [5])?.predict(bytes: 9e9) == 5)
    }

    /// Time a task spends outside every stage (hand-over, reply, freeing the decoded object) occupies the worker
    /// like a stage: it adds to the task time, whatever the work.
    @Test func machineryBetweenStagesAddsToTheTaskTime() throws {
        let plain = try SyntheticSweep.result()
        var busy = plain
        for index in busy.points.indices where busy.points[index].pool == .process {
            busy.points[index].overhead = Summary([2e-3, 2e-3, 2e-3])
        }
        let scenario = CostModel.Scenario(sizeBytes: 50_000_000, work: .cpu(nanosecondsPerByte: 30), gil: 0, workers: 2)
        let before = try #require(CostModel.fit(plain).option(pool: .process, codec: "binary", shape: .records))
        let after = try #require(CostModel.fit(busy).option(pool: .process, codec: "binary", shape: .records))
        let withoutMachinery = CostModel.fit(plain).predict(before, scenario, calibrated: false)
        let withMachinery = CostModel.fit(busy).predict(after, scenario, calibrated: false)
        #expect(abs(withMachinery.taskSeconds - withoutMachinery.taskSeconds - 2e-3) < 1e-6)
        #expect(abs(withMachinery.cpuSecondsPerTask - withoutMachinery.cpuSecondsPerTask - 2e-3) < 1e-6)
    }
}

/// The fit leaves out points other processes disturbed, unless most of the sweep was disturbed.
@Suite("Model: disturbed points")
struct DisturbedPointFitTests {
    static func mark(_ result: inout SweepResult, disturbedWhere disturbed: (PointResult) -> Bool) {
        for index in result.points.indices {
            let busy = disturbed(result.points[index])
            result.points[index].otherCPU = OtherCPUUse(
                seconds: busy ? 0.9 : 0.01, wallSeconds: 1, batchSeconds: [busy ? 0.9 : 0.01], resolutionSeconds: 0.04)
        }
    }

    @Test func aDisturbedPointIsLeftOutWhileMostOfTheSweepWasQuiet() throws {
        var result = try SyntheticSweep.result()
        let clean = CostModel.fit(result)
        // One process point ten times slower than the line it belongs to, marked disturbed.
        let size = SyntheticSweep.sizes[5]
        let index = try #require(result.points.firstIndex { $0.pool == .process && $0.sizeBytes == size })
        let slow = try #require(result.points[index].stages[.deserialize]).median * 10
        result.points[index].stages[.deserialize] = Summary([slow])
        Self.mark(&result) { $0.pool == .process && $0.sizeBytes == size }
        let fitted = CostModel.fit(result)
        let option = try #require(fitted.option(pool: .process, codec: "binary", shape: .records))
        let cleanOption = try #require(clean.option(pool: .process, codec: "binary", shape: .records))
        #expect(!option.measuredSizes.contains(size))
        let fit = try #require(option.stageSeconds[.deserialize])
        let cleanFit = try #require(cleanOption.stageSeconds[.deserialize])
        #expect(CostModelTests.close(fit.fixedSeconds, cleanFit.fixedSeconds))
        #expect(CostModelTests.close(fit.secondsPerByte, cleanFit.secondsPerByte))
    }

    @Test func aMachineBusyAllAlongKeepsEveryPoint() throws {
        var result = try SyntheticSweep.result()
        Self.mark(&result) { $0.sizeBytes != SyntheticSweep.sizes[0] }
        let option = try #require(CostModel.fit(result).option(pool: .process, codec: "binary", shape: .records))
        #expect(option.measuredSizes == SyntheticSweep.sizes)
    }

    /// Half the sweep disturbed keeps every point; leaving one disturbed size out for the held-out check must not
    /// tip that verdict and drop the other disturbed sizes from the reduced model.
    @Test func theHeldOutCheckFitsEachReducedSweepAsTheWholeOne() throws {
        var result = try SyntheticSweep.result()
        let sizes = SyntheticSweep.sizes
        let disturbedSizes = Set(sizes.suffix(sizes.count / 2))
        Self.mark(&result) { disturbedSizes.contains($0.sizeBytes) }
        #expect(result.quietness.mostlyDisturbed)
        let heldOut = try #require(disturbedSizes.max())
        var reduced = result
        reduced.points.removeAll { $0.sizeBytes == heldOut }
        #expect(!reduced.quietness.mostlyDisturbed)  // alone, the reduced sweep would drop its disturbed sizes

        let kept = CostModel.fit(reduced, quietness: result.quietness)
        let option = try #require(kept.option(pool: .process, codec: "binary", shape: .records))
        #expect(option.measuredSizes == sizes.filter { $0 != heldOut })

        let rows = HeldOutCheck.rows(result: result).filter { $0.sizeBytes == heldOut && $0.pool == .process }
        let alone = CostModel.fit(reduced).option(pool: .process, codec: "binary", shape: .records)
        #expect(alone?.measuredSizes.allSatisfy { !disturbedSizes.contains($0) } ?? true)
        let expected = AccuracyRow(point: try #require(result.points.first {
            $0.sizeBytes == heldOut && $0.pool == .process && $0.shape == .records
        }), model: kept)
        #expect(rows.contains { $0.shape == .records && $0.predictedTasksPerSecond == expected.predictedTasksPerSecond })
    }
}
