#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Pool
import Platform
import Results
import Codec
import Payload
import Units

/// Runs a `SweepPlan`: generates each payload once, measures it through every pool and codec, and hands each
/// finished point to `onPoint` at once, so an interruption or crash keeps what was measured.
public final class SweepRunner {
    public let plan: SweepPlan
    public let options: SweepOptions
    public var onProgress: (SweepProgress) -> Void = { _ in }
    /// Called with the result so far after every point (the caller saves it). An error it throws (the save
    /// failed) stops the sweep at once: measuring on would only produce points that cannot be kept.
    public var onPoint: (SweepResult) throws -> Void = { _ in }

    var result: SweepResult
    private let begin = MonotonicClock.now()

    public init(
        plan: SweepPlan, options: SweepOptions, name: String, environment: Environment, warnings: [String],
        calibration: Calibration? = nil
    ) {
        self.plan = plan
        self.options = options
        self.result = SweepResult(
            name: name, environment: environment, plan: plan, calibration: calibration, warnings: warnings)
    }

    /// Measures every point; never throws for a failed point (the point records its failure), but stops early on
    /// a full disk or `stop`. Scratch files are removed on every path.
    public func run(stop: StopFlag) -> SweepResult {
        let scratch: String
        do {
            scratch = try ScratchDirectory.create(in: options.scratchParent)
        } catch {
            return finish(complete: false, reason: "\(error)")
        }
        defer { ScratchDirectory.remove(scratch) }
        // A size's cost must not depend on the points before it (HeapPolicy.applyToParent).
        result.environment.parentHeapPolicy = HeapPolicy.applyToParent()
        // The parent's payload-sized buffers (each payload, the pipe's encodings, the threads' re-encodings) take
        // the advice from here on; the workers get it through their configuration.
        let hugePagesBefore = HugePages.setEnabled(plan.usesHugePages)
        defer { HugePages.setEnabled(hugePagesBefore) }

        measureDaskComm()
        var index = 0
        let total = plan.pointCount
        for shape in plan.shapes {
            for size in plan.sizes {
                if stop.isSet { return finish(complete: false, reason: PoolError.interrupted.description) }
                report(.generating(shape: shape, sizeBytes: size))
                // CPython builds its own object in its own process; Swift's payload is made only when measured.
                let payload = plan.measuredRuntimes.contains(.swift)
                    ? Payload.generate(shape: shape, sizeBytes: size, seed: plan.seed) : nil
                let checksum = payload?.checksum ?? 0
                for runtime in plan.measuredRuntimes {
                    for codecName in plan.codecs(for: runtime) {
                        for pool in plan.pools {
                            index += 1
                            let prefix = runtime == .python ? "python " : ""
                            let label = "\(prefix)\(pool.label) \(shape.rawValue) \(codecName) \(Formatting.sizeLabel(size))"
                            report(.pointStarted(index: index, total: total, label: label))
                            let point: PointResult
                            if runtime == .swift, let payload {
                                point = measureQuietly(
                                    pool: pool, shape: shape, sizeBytes: size, codecName: codecName, payload: payload,
                                    checksum: checksum, scratch: scratch, stop: stop)
                            } else {
                                point = measurePython(pool: pool, shape: shape, sizeBytes: size, scratch: scratch, stop: stop)
                            }
                            result.points.append(point)
                            result.durationSeconds = elapsed
                            do {
                                try onPoint(result)
                            } catch {
                                report(.pointFinished(index: index, total: total, label: label, point: point))
                                return finish(complete: false, reason: SweepError.checkpointFailed(
                                    afterPoints: result.points.count, total: total, reason: Sentence.clause(error)).description)
                            }
                            report(.pointFinished(index: index, total: total, label: label, point: point))
                            if stop.isSet { return finish(complete: false, reason: PoolError.interrupted.description) }
                            if let failure = point.failure, failure.contains("ran out of space") {
                                return finish(complete: false, reason: failure)
                            }
                        }
                    }
                }
            }
        }
        return finish(complete: true, reason: nil)
    }

    private var elapsed: Double { MonotonicClock.seconds(from: begin, to: MonotonicClock.now()) }

    func report(_ event: SweepProgress.Event) {
        onProgress(SweepProgress(event: event, elapsedSeconds: elapsed))
    }

    private func finish(complete: Bool, reason: String?) -> SweepResult {
        result.complete = complete
        result.stopReason = reason
        result.durationSeconds = elapsed
        result.environment.loadAverageAfter = Environment.loadAverage()
        return result
    }

    /// Measures one point, and once more when other processes disturbed it and `options.remeasure` is on; the
    /// second attempt is kept (with the first attempt's figure), disturbed or not.
    func measureQuietly(
        pool kind: PoolKind, shape: PayloadShape, sizeBytes: Int, codecName: String, payload: Payload,
        checksum: UInt64, scratch: String, stop: StopFlag
    ) -> PointResult {
        let first = measure(
            pool: kind, shape: shape, sizeBytes: sizeBytes, codecName: codecName, payload: payload,
            checksum: checksum, scratch: scratch, stop: stop)
        guard options.remeasure, first.succeeded, let disturbed = first.otherCPU, disturbed.isDisturbed,
              !stop.isSet
        else { return first }
        var second = measure(
            pool: kind, shape: shape, sizeBytes: sizeBytes, codecName: codecName, payload: payload,
            checksum: checksum, scratch: scratch, stop: stop)
        guard second.succeeded, second.otherCPU != nil else { return first }
        second.otherCPU?.firstAttemptCPUs = disturbed.averageCPUs
        second.notes.append(
            "Re-measured: other processes kept \(Formatting.significant(disturbed.averageCPUs, digits: 2)) CPUs busy during the first attempt; \(second.isDisturbed ? "still disturbed" : "quiet") the second time (\(Formatting.significant(second.otherCPU?.averageCPUs ?? 0, digits: 2)) CPUs).")
        return second
    }

    /// Measures one point with a pool started for it and stopped after it.
    func measure(
        pool kind: PoolKind, shape: PayloadShape, sizeBytes: Int, codecName: String, payload: Payload,
        checksum: UInt64, scratch: String, stop: StopFlag
    ) -> PointResult {
        var point = PointResult.empty(
            pool: kind, shape: shape, codec: codecName, workers: plan.workers, sizeBytes: sizeBytes,
            work: plan.work, gil: plan.gil, sync: plan.sync)
        if kind.isDask {
            point.failure = SweepRequestError.daskNeedsPythonRuntime.description
            return point
        }
        let codec: any Codec
        do {
            codec = try Codecs.named(codecName)
            point.encodedBytes = try codec.encode(payload).count
        } catch {
            point.failure = "\(error)"
            return point
        }
        // Flush the page cache's dirty data (earlier points' and earlier runs' scratch writes) before measuring,
        // so background writeback does not compete with this point: points stay independent of their order.
        sync()
        ResidentMemory.resetPeak()
        let parentStart = ResidentMemory.current()
        let pool = makePool(kind, codec: codec, codecName: codecName, sizeBytes: sizeBytes, scratch: scratch)
        let adviceFailuresBefore = HugePages.adviceFailures.count
        var usageBefore = rusage()
        var usageAfter = rusage()
        do {
            try startAndWarmUp(pool, payload: payload, checksum: checksum, into: &point)
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usageBefore)
            let batches = try runBatches(
                pool, payload: payload, checksum: checksum, warmup: point.warmup, stop: stop)
            point.batchTasksPerSecond = batches.rates
            point.otherCPU = batches.otherCPU
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usageAfter)
            point.samples = batches.samples
            point.wallSeconds = batches.wallSeconds
            if stop.isSet && batches.samples.isEmpty { point.failure = PoolError.interrupted.description }
        } catch {
            point.failure = error.description
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usageAfter)
        }
        let terminations = pool.shutdown()
        point.memory.parentStartBytes = parentStart
        point.memory.workerPeakBytes = pool.workerPeakBytes
        if !pool.workerPeakBytes.isEmpty { point.memory.workerPeaksSelfReported = true }
        record(terminations, usageBefore: usageBefore, usageAfter: usageAfter, into: &point)
        let failures = HugePages.adviceFailures
        if plan.usesHugePages, failures.count > adviceFailuresBefore {
            point.notes.append(
                "Huge pages: the parent's madvise(MADV_HUGEPAGE) failed \(failures.count - adviceFailuresBefore) "
                + "times (\(SystemErrorText.describe(failures.lastErrno))); those buffers stayed in 4 KiB pages.")
        }
        point.summarize()
        return point
    }

    /// Starts `pool` and runs its warm-up tasks, which are kept apart from the measured ones.
    private func startAndWarmUp(
        _ pool: any TaskPool, payload: Payload, checksum: UInt64, into point: inout PointResult
    ) throws(PoolError) {
        let started = try pool.start()
        if let refused = started.hugePageAdviceError {
            point.notes.append(
                "Huge pages: the workers' madvise(MADV_HUGEPAGE) was refused (\(Sentence.clause(refused))); their "
                + "buffers stayed in 4 KiB pages.")
        }
        point.poolStartSeconds = started.seconds
        point.pipeBufferBytes = started.pipeBufferBytes
        point.memory.workerBaselineBytes = started.workerBaselineBytes

        let warmup = try pool.run(
            payload: payload, checksum: checksum, tasks: plan.workers * plan.warmupTasksPerWorker)
        point.warmup = warmup.samples
    }

    /// Runs the measured tasks in batches until the plan's task count, or its budget once enough batches and
    /// tasks are in, or `stop`.
    private func runBatches(
        _ pool: any TaskPool, payload: Payload, checksum: UInt64, warmup: [TaskSample], stop: StopFlag
    ) throws(PoolError) -> (samples: [TaskSample], wallSeconds: Double, rates: [Double], otherCPU: OtherCPUUse?) {
        let perTask = max(1e-6, Summary.of(warmup.map(\.latencySeconds))?.median ?? 1e-3)
        let minimums = plan.measuringMinimums(perTaskSeconds: perTask)
        var samples: [TaskSample] = []
        var wall = 0.0
        var rates: [Double] = []
        // Batches of about a fifth of the budget keep every worker busy, keep the tail short, and give at
        // least `minBatches` throughput readings whose median resists a disturbed batch.
        let totalTasks = plan.tasks ?? plan.maxTasks
        let byBudget = Int(clampingFinite: plan.budgetSeconds / Double(plan.minBatches) / perTask * Double(plan.workers)) / plan.workers * plan.workers
        let byCount = totalTasks / plan.minBatches / plan.workers * plan.workers
        let perBatch = max(plan.workers, min(byBudget, byCount))
        // What else ran: a reading of the machine's and payloadlab's own CPU time (parent, reaped children, live
        // workers) at every batch boundary, outside the batches' clocks.
        let workers = pool.workerPIDs
        let firstReading = CPUActivity.now(liveChildren: workers)
        var lastReading = firstReading
        var otherBatchSeconds: [Double] = []
        while !stop.isSet {
            let target: Int
            if plan.tasks != nil {
                target = min(perBatch, totalTasks - samples.count)
            } else {
                let enough = rates.count >= minimums.batches && samples.count >= minimums.tasks
                if samples.count >= plan.maxTasks || (enough && wall >= plan.budgetSeconds) { break }
                target = min(perBatch, plan.maxTasks - samples.count)
            }
            if target <= 0 { break }
            let batch: PoolBatch
            do {
                batch = try pool.run(payload: payload, checksum: checksum, tasks: target)
            } catch .interrupted {
                // A stop signal ended a batch that could not finish (a stopped or hung worker): keep the batches done.
                break
            }
            samples += batch.samples
            wall += batch.wallSeconds
            if batch.wallSeconds > 0 { rates.append(Double(batch.samples.count) / batch.wallSeconds) }
            if let before = lastReading, let after = CPUActivity.now(liveChildren: workers) {
                otherBatchSeconds.append(after.otherProcessesSeconds(since: before))
                lastReading = after
            } else {
                lastReading = nil
            }
        }
        var otherCPU: OtherCPUUse?
        if let firstReading, let lastReading, !otherBatchSeconds.isEmpty {
            otherCPU = OtherCPUUse(
                seconds: lastReading.otherProcessesSeconds(since: firstReading),
                wallSeconds: MonotonicClock.seconds(from: firstReading.stampNs, to: lastReading.stampNs),
                batchSeconds: otherBatchSeconds, resolutionSeconds: lastReading.resolutionSeconds)
        }
        return (samples, wall, rates, otherCPU)
    }

    /// Records the parent's peak memory and CPU time, and the workers' CPU time from their terminations. Never the
    /// workers' peaks: `wait4`'s `ru_maxrss` for a `posix_spawn`ed child counts the parent's memory at the spawn
    /// (the kernel keeps the cloned address space's high-water mark across `exec`), so each worker reports its own.
    private func record(
        _ terminations: [ChildProcess.Termination], usageBefore: rusage, usageAfter: rusage,
        into point: inout PointResult
    ) {
        point.memory.parentPeakBytes = ResidentMemory.peak()
        point.cpu = CPUUse(
            parentUserSeconds: seconds(usageAfter.ru_utime) - seconds(usageBefore.ru_utime),
            parentSystemSeconds: seconds(usageAfter.ru_stime) - seconds(usageBefore.ru_stime),
            workerUserSeconds: terminations.map(\.userSeconds).reduce(0, +),
            workerSystemSeconds: terminations.map(\.systemSeconds).reduce(0, +))
        if point.failure == nil, let failed = terminations.first(where: { !$0.succeeded }) {
            point.notes.append("A worker \(failed.summary) at shutdown.")
        }
    }

    private func makePool(
        _ kind: PoolKind, codec: any Codec, codecName: String, sizeBytes: Int, scratch: String
    ) -> any TaskPool {
        switch kind {
        case .thread:
            return ThreadPool(options: ThreadPool.Options(
                workers: plan.workers, codec: codec, work: plan.work, workBytes: sizeBytes, gil: plan.gil,
                sync: plan.sync, scratchDirectory: scratch, recordLockIntervals: options.recordLockIntervals))
        case .dask, .daskScatter:
            // SweepRequest refuses a Swift plan with a Dask pool, and `measure` fails such a point before this.
            preconditionFailure("Dask is a pool of the python runtime only.")
        case .process, .processShm:
            let transport = kind.transport ?? .pipe
            let configuration = WorkerConfiguration(
                codec: codecName, work: plan.work.description, gil: plan.gil, workBytes: sizeBytes,
                sync: plan.sync, scratchDirectory: scratch, maxBodyBytes: UInt64(ByteSize.maximum),
                recordLockIntervals: options.recordLockIntervals, transport: transport.rawValue,
                hugePages: plan.usesHugePages)
            return ProcessPool(options: ProcessPool.Options(
                executable: options.executable, workers: plan.workers, codec: codec, configuration: configuration,
                taskTimeoutSeconds: options.taskTimeout(bytes: sizeBytes, work: plan.work), faults: options.faults,
                transport: transport))
        }
    }

    private func seconds(_ value: timeval) -> Double {
        Double(value.tv_sec) + Double(value.tv_usec) / 1e6
    }
}
