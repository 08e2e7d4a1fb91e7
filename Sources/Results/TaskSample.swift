import Units

/// One task's measurements as the parent assembled them: the raw material of every statistic in a report.
///
/// Times are kept as whole nanoseconds — what CLOCK_MONOTONIC and the thread CPU clock give — so the results JSON
/// is exact and compact; the `…Seconds` accessors convert.
public struct TaskSample: Codable, Sendable, Equatable {
    /// The task's index within its point (warm-up tasks included, numbered first).
    public var task: Int
    /// Which worker (process or thread) ran it.
    public var worker: Int
    /// Wall nanoseconds of each stage that ran.
    public var nanoseconds: [Stage: Int64]
    /// CPU nanoseconds of the thread that ran each stage.
    public var cpuNanoseconds: [Stage: Int64]
    /// From the parent picking the task up to the parent holding its result.
    public var latencyNanoseconds: Int64
    /// When the task started and ended, in nanoseconds since the point's measured batch began.
    public var startNanoseconds: Int64
    public var endNanoseconds: Int64
    /// Size of the bytes the task sent (process pool) or wrote (thread pool).
    public var encodedBytes: Int
    /// Lock-scheduled intervals (CLOCK_MONOTONIC ns), only when asked for.
    public var lockIntervals: [LockInterval]?

    enum CodingKeys: String, CodingKey {
        case task, worker, encodedBytes, lockIntervals
        case nanoseconds = "ns"
        case cpuNanoseconds = "cpuNs"
        case latencyNanoseconds = "latencyNs"
        case startNanoseconds = "startNs"
        case endNanoseconds = "endNs"
    }

    /// Stage vectors travel as arrays in `Stage.allCases` order (serialize, transfer, deserialize, verify, work,
    /// reserialize, write, sync), `null` where a stage did not run: a third of the size of a keyed object.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        task = try container.decode(Int.self, forKey: .task)
        worker = try container.decode(Int.self, forKey: .worker)
        encodedBytes = try container.decode(Int.self, forKey: .encodedBytes)
        lockIntervals = try container.decodeIfPresent([LockInterval].self, forKey: .lockIntervals)
        latencyNanoseconds = try container.decode(Int64.self, forKey: .latencyNanoseconds)
        startNanoseconds = try container.decode(Int64.self, forKey: .startNanoseconds)
        endNanoseconds = try container.decode(Int64.self, forKey: .endNanoseconds)
        nanoseconds = try TaskSample.stages(container.decode([Int64?].self, forKey: .nanoseconds), key: .nanoseconds, in: container)
        cpuNanoseconds = try TaskSample.stages(container.decode([Int64?].self, forKey: .cpuNanoseconds), key: .cpuNanoseconds, in: container)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(task, forKey: .task)
        try container.encode(worker, forKey: .worker)
        try container.encode(encodedBytes, forKey: .encodedBytes)
        try container.encodeIfPresent(lockIntervals, forKey: .lockIntervals)
        try container.encode(latencyNanoseconds, forKey: .latencyNanoseconds)
        try container.encode(startNanoseconds, forKey: .startNanoseconds)
        try container.encode(endNanoseconds, forKey: .endNanoseconds)
        try container.encode(Stage.allCases.map { nanoseconds[$0] }, forKey: .nanoseconds)
        try container.encode(Stage.allCases.map { cpuNanoseconds[$0] }, forKey: .cpuNanoseconds)
    }

    private static func stages(
        _ values: [Int64?], key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>
    ) throws -> [Stage: Int64] {
        guard values.count == Stage.allCases.count else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "expected \(Stage.allCases.count) stage values")
        }
        var result: [Stage: Int64] = [:]
        for (stage, value) in zip(Stage.allCases, values) where value != nil { result[stage] = value }
        return result
    }

    public init(
        task: Int, worker: Int, seconds: [Stage: Double], cpuSeconds: [Stage: Double], latencySeconds: Double,
        startSeconds: Double, endSeconds: Double, encodedBytes: Int, lockIntervals: [LockInterval]? = nil
    ) {
        self.task = task
        self.worker = worker
        self.nanoseconds = seconds.mapValues(TaskSample.nanoseconds)
        self.cpuNanoseconds = cpuSeconds.mapValues(TaskSample.nanoseconds)
        self.latencyNanoseconds = TaskSample.nanoseconds(latencySeconds)
        self.startNanoseconds = TaskSample.nanoseconds(startSeconds)
        self.endNanoseconds = TaskSample.nanoseconds(endSeconds)
        self.encodedBytes = encodedBytes
        self.lockIntervals = lockIntervals
    }

    package init(task: Int, worker: Int, spans: [StageSpan], start: UInt64, end: UInt64, batchStart: UInt64,
         encodedBytes: Int, lockIntervals: [LockInterval]?) {
        var wall: [Stage: Int64] = [:]
        var cpu: [Stage: Int64] = [:]
        for span in spans {
            wall[span.stage, default: 0] += Int64(clamping: span.end &- span.start)
            cpu[span.stage, default: 0] += Int64(clamping: span.cpuNanoseconds)
        }
        self.task = task
        self.worker = worker
        self.nanoseconds = wall
        self.cpuNanoseconds = cpu
        self.latencyNanoseconds = Int64(clamping: end >= start ? end - start : 0)
        self.startNanoseconds = Int64(clamping: start >= batchStart ? start - batchStart : 0)
        self.endNanoseconds = Int64(clamping: end >= batchStart ? end - batchStart : 0)
        self.encodedBytes = encodedBytes
        self.lockIntervals = lockIntervals
    }

    static func nanoseconds(_ seconds: Double) -> Int64 {
        guard seconds.isFinite else { return 0 }
        return Int64(clampingFinite: (seconds * 1e9).rounded())
    }

    /// Wall seconds of each stage that ran.
    public var seconds: [Stage: Double] { nanoseconds.mapValues { Double($0) / 1e9 } }
    /// CPU seconds of the thread that ran each stage.
    public var cpuSeconds: [Stage: Double] { cpuNanoseconds.mapValues { Double($0) / 1e9 } }
    public var latencySeconds: Double { Double(latencyNanoseconds) / 1e9 }
    public var startSeconds: Double { Double(startNanoseconds) / 1e9 }
    public var endSeconds: Double { Double(endNanoseconds) / 1e9 }

    /// The sum of the stages' wall seconds, in pipeline order (so the sum is the same on every call).
    public var stageSecondsTotal: Double {
        Stage.allCases.reduce(0.0) { $0 + Double(nanoseconds[$1] ?? 0) } / 1e9
    }
}
