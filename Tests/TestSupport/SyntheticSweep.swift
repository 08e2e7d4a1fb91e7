import Foundation
import Payload
import Results
import Units

/// Builds `SweepResult`s whose stage medians follow known cost lines exactly, and whose measured throughput is the
/// documented formula (written out again here, independently of `CostModel`) times a chosen efficiency — so tests
/// know every answer the model should give.
public enum SyntheticSweep {
    /// A cost line: `fixed` seconds + `perByte` seconds per byte.
    public struct Line: Sendable {
        public var fixed: Double
        public var perByte: Double
        public func at(_ bytes: Int) -> Double { fixed + perByte * Double(bytes) }
        public init(fixed: Double, perByte: Double) {
            self.fixed = fixed
            self.perByte = perByte
        }
    }

    /// 1 KB × 4^k up to 262 MB: ten log-spaced sizes like a real sweep's.
    public static let sizes = (0..<10).map { 1_000 * Int(pow(4.0, Double($0))) }

    /// Thread pool stages (work comes from the work profile).
    public static let threadStages: [Stage: Line] = [
        .reserialize: Line(fixed: 20e-6, perByte: 1e-9),
        .write: Line(fixed: 10e-6, perByte: 0.5e-9),
    ]

    /// Process pool stages (work comes from the work profile).
    public static let processStages: [Stage: Line] = [
        .serialize: Line(fixed: 20e-6, perByte: 1e-9),
        .transfer: Line(fixed: 400e-6, perByte: 0.5e-9),
        .deserialize: Line(fixed: 20e-6, perByte: 1.5e-9),
        .verify: Line(fixed: 5e-6, perByte: 0.3e-9),
        .reserialize: Line(fixed: 20e-6, perByte: 1e-9),
        .write: Line(fixed: 10e-6, perByte: 0.5e-9),
    ]

    /// The work stage's seconds as the pipeline spends them (cpu: spins to r ns/B; checksum is the verify pass).
    public static func workSeconds(_ work: WorkProfile, bytes: Int) -> Double {
        let checksum = processStages[.verify]!.at(bytes)
        switch work {
        case .none: return 0
        case .checksum: return checksum
        case .cpu(let rate): return max(rate * Double(bytes) / 1e9, checksum)
        }
    }

    /// The documented throughput formula, written out by hand.
    public static func throughput(
        pool: PoolKind, stages: [Stage: Double], gil: Double, workers: Int, cores: Int
    ) -> (tasksPerSecond: Double, taskSeconds: Double) {
        let task = stages.values.reduce(0, +)
        let locked = pool == .thread
            ? gil * ((stages[.work] ?? 0) + (stages[.reserialize] ?? 0))
            : gil * (stages[.serialize] ?? 0)
        let parallel = Double(min(workers, cores)) / task
        let lock = locked > 0 ? 1 / locked : .infinity
        let cpu = Double(cores) / task  // CPU per task equals the task time here: the pipe's two ends split its wall time
        return (min(parallel, lock, cpu), task)
    }

    public static func environment(cores: Int) -> Environment {
        Environment(
            hostname: "synthetic", cpuModel: "synthetic", cores: cores, memoryBytes: 8 << 30,
            availableMemoryBytes: 6 << 30, kernel: "Linux", swiftVersion: "6.3.1", buildConfiguration: "release",
            payloadlabVersion: PayloadLabVersion.current, commandLine: "payloadlab sweep --max 262MB",
            startedAt: "2026-11-25T10:00:00Z", loadAverageBefore: 0, loadAverageAfter: 0,
            scratchDirectory: "/tmp", scratchFilesystem: "ext4")
    }

    /// One point whose stage medians are `stages` (CPU medians equal, but the sender's transfer CPU is half the
    /// wall time) and whose measured throughput is the formula × `efficiency`.
    public static func point(
        pool: PoolKind, shape: PayloadShape, codec: String, bytes: Int, workers: Int, cores: Int, work: WorkProfile,
        gil: Double, stages: [Stage: Double], efficiency: Double
    ) -> PointResult {
        let (formula, task) = throughput(pool: pool, stages: stages, gil: gil, workers: workers, cores: cores)
        let tasksPerSecond = formula * efficiency
        var cpu = stages
        if let transfer = stages[.transfer] { cpu[.transfer] = transfer / 2 }
        let start = 50_000_000 + bytes
        let added = workers * (1_000_000 + bytes)
        return PointResult(
            pool: pool, shape: shape, codec: codec, workers: workers, sizeBytes: bytes, encodedBytes: bytes,
            work: work, gil: gil, sync: false, poolStartSeconds: pool == .process ? 0.004 * Double(workers) : 1e-4,
            pipeBufferBytes: pool == .process ? 1 << 20 : 0, warmup: [], samples: [], wallSeconds: 1, batchTasksPerSecond: [],
            tasksPerSecond: tasksPerSecond, bytesPerSecond: tasksPerSecond * Double(bytes),
            stages: stages.mapValues { Summary([$0]) }, stageCPUMedians: cpu,
            latency: Summary([max(task, Double(workers) / tasksPerSecond)]),
            memory: MemoryUse(
                parentStartBytes: start, parentPeakBytes: start + added,
                workerBaselineBytes: pool == .process ? Array(repeating: 20_000_000, count: workers) : [],
                workerPeakBytes: pool == .process ? Array(repeating: 20_000_000 + 2 * bytes, count: workers) : [],
                parentCopies: 0, workerCopies: nil),
            cpu: CPUUse(parentUserSeconds: 0, parentSystemSeconds: 0, workerUserSeconds: 0, workerSystemSeconds: 0),
            notes: [], failure: nil)
    }

    /// A whole sweep over `sizes` × `shapes` × `codecs` × both pools, stages from the lines above (each codec after
    /// the first costs `codecPenalty` times as much to encode and decode).
    public static func result(
        sizes: [Int] = sizes, shapes: [PayloadShape] = [.records], codecs: [String] = ["binary"], workers: Int = 2,
        cores: Int = 2, work: WorkProfile = .cpu(nanosecondsPerByte: 30), gil: Double = 1,
        efficiency: [PoolKind: Double] = [:], codecPenalty: Double = 2
    ) throws -> SweepResult {
        let plan = try SweepPlan(
            minBytes: sizes.min()!, maxBytes: sizes.max()!, factor: 4, shapes: shapes, codecs: codecs,
            workers: workers, work: work, gil: gil)
        var points: [PointResult] = []
        for shape in shapes {
            for size in sizes {
                for (index, codec) in codecs.enumerated() {
                    for pool in [PoolKind.process, .thread] {
                        let lines = pool == .thread ? threadStages : processStages
                        var stages = lines.mapValues { $0.at(size) }
                        for stage in [Stage.serialize, .deserialize, .reserialize] where index > 0 {
                            stages[stage] = stages[stage].map { $0 * codecPenalty }
                        }
                        stages[.work] = workSeconds(work, bytes: size)
                        points.append(point(
                            pool: pool, shape: shape, codec: codec, bytes: size, workers: workers, cores: cores,
                            work: work, gil: gil, stages: stages, efficiency: efficiency[pool] ?? 1))
                    }
                }
            }
        }
        var result = SweepResult(name: "synthetic", environment: environment(cores: cores), plan: plan, points: points)
        result.plan.sizes = sizes
        result.complete = true
        return result
    }
}

