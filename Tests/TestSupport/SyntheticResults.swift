import Payload
import Results

/// Builds sweep results from chosen numbers, for tests of everything downstream of measuring.
public enum SyntheticResults {
    /// A point whose tasks took `latencies` seconds, split evenly over the pool's stages.
    public static func point(
        pool: PoolKind, shape: PayloadShape = .records, codec: String = "binary", size: Int, latencies: [Double],
        workers: Int = 2
    ) -> PointResult {
        let stages: [Stage] = pool == .thread
            ? [.work, .reserialize, .write] : [.serialize, .transfer, .deserialize, .verify, .work, .reserialize, .write]
        let samples = latencies.enumerated().map { index, latency in
            TaskSample(
                task: index, worker: index % workers,
                seconds: Dictionary(uniqueKeysWithValues: stages.map { ($0, latency / Double(stages.count)) }),
                cpuSeconds: Dictionary(uniqueKeysWithValues: stages.map { ($0, latency / Double(stages.count)) }),
                latencySeconds: latency, startSeconds: 0, endSeconds: latency, encodedBytes: size)
        }
        var point = PointResult.empty(
            pool: pool, shape: shape, codec: codec, workers: workers, sizeBytes: size, work: .none, gil: 0, sync: false)
        point.encodedBytes = size
        point.samples = samples
        point.wallSeconds = latencies.reduce(0, +) / Double(workers)
        point.memory.parentStartBytes = 100_000_000
        point.memory.parentPeakBytes = 100_000_000 + 2 * size
        if pool.isProcess {
            point.memory.workerBaselineBytes = Array(repeating: 20_000_000, count: workers)
            point.memory.workerPeakBytes = Array(repeating: 20_000_000 + 3 * size, count: workers)
        }
        point.summarize()
        return point
    }

    public static func result(points: [PointResult], sizes: [Int], name: String = "synthetic") throws -> SweepResult {
        var plan = try SweepPlan(
            minBytes: sizes.min()!, maxBytes: sizes.max()!, shapes: Array(Set(points.map(\.shape))).sorted { $0.rawValue < $1.rawValue },
            codecs: Array(Set(points.map(\.codec))).sorted(), pools: Array(Set(points.map(\.pool))).sorted(), workers: 2)
        plan.sizes = sizes
        let environment = Environment(
            hostname: "test", cpuModel: "Test CPU", cores: 2, memoryBytes: 8 << 30, availableMemoryBytes: 6 << 30,
            kernel: "Linux test", swiftVersion: "6.3.1", buildConfiguration: "release", payloadlabVersion: "test",
            commandLine: "payloadlab sweep --max 1MB", startedAt: "2026-11-25T00:00:00Z", loadAverageBefore: 0.1,
            loadAverageAfter: 0.2, scratchDirectory: "/tmp", scratchFilesystem: "ext4")
        return SweepResult(
            name: name, environment: environment, plan: plan, points: points, complete: true, durationSeconds: 1)
    }

    /// `count` latencies around `median` with ±`jitter` relative noise, deterministic for `seed`.
    public static func latencies(median: Double, count: Int = 30, jitter: Double = 0.05, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let unit = Double(state >> 11) / Double(1 << 53)
            return median * (1 + jitter * (2 * unit - 1))
        }
    }
}
