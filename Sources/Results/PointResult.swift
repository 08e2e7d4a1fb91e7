import Payload
import Units
/// One measured point — a (pool, shape, codec, size) with the plan's work profile — with every raw sample.
public struct PointResult: Codable, Sendable, Equatable {
    public var pool: PoolKind
    public var shape: PayloadShape
    public var codec: String
    public var workers: Int
    /// The payload size asked for.
    public var sizeBytes: Int
    /// The size of one encoded payload with this point's codec.
    public var encodedBytes: Int
    public var work: WorkProfile
    public var gil: Double
    public var sync: Bool

    /// Starting the pool (spawning and configuring workers, or starting threads), measured on its own.
    public var poolStartSeconds: Double
    /// The pipe buffer each worker got (process pool).
    public var pipeBufferBytes: Int
    public var warmup: [TaskSample]
    public var samples: [TaskSample]
    /// Wall time of the measured batches, summed.
    public var wallSeconds: Double
    /// Each measured batch's throughput (tasks ÷ its wall time), all workers busy.
    public var batchTasksPerSecond: [Double]
    /// The median of `batchTasksPerSecond`.
    public var tasksPerSecond: Double
    /// Payload bytes handled per second (`sizeBytes` × tasks per second).
    public var bytesPerSecond: Double

    /// Per stage: wall-time statistics over the measured tasks.
    public var stages: [Stage: Summary]
    /// Per stage: median CPU seconds of the thread that ran it.
    public var stageCPUMedians: [Stage: Double]
    public var latency: Summary
    /// Per task: latency minus the sum of its stages — the pool's own machinery (queueing a task, waking a thread
    /// or worker, assembling results).
    public var overhead: Summary?
    public var memory: MemoryUse
    public var cpu: CPUUse
    /// Things a reader should know about this point (warm-up effects, noise, …).
    public var notes: [String]
    /// Why the point failed; nil when it succeeded.
    public var failure: String?
    /// The runtime measured; nil in results written before the CPython runtime existed (those are Swift).
    public var runtime: Runtime?
    /// CPython's own figures, for points of the python runtime.
    public var python: PythonPointDetails?
    /// CPU time other processes used during the measured batches; nil where it was not measured (CPython's points,
    /// results written before it existed, `/proc/stat` unreadable).
    public var otherCPU: OtherCPUUse?

    /// The runtime measured, Swift when the result predates the key.
    public var measuredRuntime: Runtime { runtime ?? .swift }

    public init(
        pool: PoolKind, shape: PayloadShape, codec: String, workers: Int, sizeBytes: Int, encodedBytes: Int, work: WorkProfile, gil: Double, sync: Bool, poolStartSeconds: Double, pipeBufferBytes: Int, warmup: [TaskSample], samples: [TaskSample], wallSeconds: Double, batchTasksPerSecond: [Double], tasksPerSecond: Double, bytesPerSecond: Double, stages: [Stage: Summary], stageCPUMedians: [Stage: Double], latency: Summary, overhead: Summary? = nil, memory: MemoryUse, cpu: CPUUse, notes: [String], failure: String? = nil
    ) {
        self.pool = pool
        self.shape = shape
        self.codec = codec
        self.workers = workers
        self.sizeBytes = sizeBytes
        self.encodedBytes = encodedBytes
        self.work = work
        self.gil = gil
        self.sync = sync
        self.poolStartSeconds = poolStartSeconds
        self.pipeBufferBytes = pipeBufferBytes
        self.warmup = warmup
        self.samples = samples
        self.wallSeconds = wallSeconds
        self.batchTasksPerSecond = batchTasksPerSecond
        self.tasksPerSecond = tasksPerSecond
        self.bytesPerSecond = bytesPerSecond
        self.stages = stages
        self.stageCPUMedians = stageCPUMedians
        self.latency = latency
        self.overhead = overhead
        self.memory = memory
        self.cpu = cpu
        self.notes = notes
        self.failure = failure
    }

    public var succeeded: Bool { failure == nil }

    /// The median seconds of `stage`, or nil when the stage did not run.
    public func median(_ stage: Stage) -> Double? { stages[stage]?.median }
}

/// Memory a point used, read from the kernel.
public struct MemoryUse: Codable, Sendable, Equatable {
    /// The parent's resident memory when the point started (holding the payload object) and its peak during it.
    public var parentStartBytes: Int
    public var parentPeakBytes: Int
    /// Each worker process's resident memory after start-up and its peak, process pool only. The peak is the
    /// worker's own VmHWM as it reported it after each task (the largest report, at least the baseline); results
    /// written before protocol version 2 took it from `wait4`, which counted the parent's memory.
    public var workerBaselineBytes: [Int]
    public var workerPeakBytes: [Int]
    /// Payload-sized copies the parent added at its peak: (peak − start) / encoded size.
    public var parentCopies: Double
    /// Payload-sized copies the busiest worker held at its peak: (peak − baseline) / encoded size.
    public var workerCopies: Double?
    /// True when `workerPeakBytes` are the workers' own VmHWM, reported by each worker (worker protocol 2); nil in
    /// results written before, whose worker peaks came from `wait4` and count the parent's memory at the spawn.
    public var workerPeaksSelfReported: Bool?

    public init(
        parentStartBytes: Int, parentPeakBytes: Int, workerBaselineBytes: [Int], workerPeakBytes: [Int], parentCopies: Double, workerCopies: Double? = nil,
        workerPeaksSelfReported: Bool? = nil
    ) {
        self.parentStartBytes = parentStartBytes
        self.parentPeakBytes = parentPeakBytes
        self.workerBaselineBytes = workerBaselineBytes
        self.workerPeakBytes = workerPeakBytes
        self.parentCopies = parentCopies
        self.workerCopies = workerCopies
        self.workerPeaksSelfReported = workerPeaksSelfReported
    }

    /// The largest single process's peak.
    public var largestProcessPeakBytes: Int { max(parentPeakBytes, workerPeakBytes.max() ?? 0) }
    /// Parent and workers together at their peaks (an upper bound on the pool's footprint).
    public var totalPeakBytes: Int { parentPeakBytes + workerPeakBytes.reduce(0, +) }
}

/// CPU a point used: the parent over the measured batches, the workers over their lifetime (from wait4).
public struct CPUUse: Codable, Sendable, Equatable {
    public var parentUserSeconds: Double
    public var parentSystemSeconds: Double
    public var workerUserSeconds: Double
    public var workerSystemSeconds: Double

    public init(parentUserSeconds: Double, parentSystemSeconds: Double, workerUserSeconds: Double, workerSystemSeconds: Double) {
        self.parentUserSeconds = parentUserSeconds
        self.parentSystemSeconds = parentSystemSeconds
        self.workerUserSeconds = workerUserSeconds
        self.workerSystemSeconds = workerSystemSeconds
    }
}
