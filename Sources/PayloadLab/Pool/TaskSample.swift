/// One task's measurements as the parent assembled them: the raw material of every statistic in a report.
public struct TaskSample: Codable, Sendable, Equatable {
    /// The task's index within its point (warm-up tasks included, numbered first).
    public var task: Int
    /// Which worker (process or thread) ran it.
    public var worker: Int
    /// Wall seconds of each stage that ran.
    public var seconds: [Stage: Double]
    /// CPU seconds of the thread that ran each stage.
    public var cpuSeconds: [Stage: Double]
    /// From the parent picking the task up to the parent holding its result.
    public var latencySeconds: Double
    /// When the task started and ended, in seconds since the point's measured batch began.
    public var startSeconds: Double
    public var endSeconds: Double
    /// Size of the bytes the task sent (process pool) or wrote (thread pool).
    public var encodedBytes: Int
    /// Lock-scheduled intervals (CLOCK_MONOTONIC ns), only when asked for.
    public var lockIntervals: [LockInterval]?

    public init(
        task: Int, worker: Int, seconds: [Stage: Double], cpuSeconds: [Stage: Double], latencySeconds: Double,
        startSeconds: Double, endSeconds: Double, encodedBytes: Int, lockIntervals: [LockInterval]? = nil
    ) {
        self.task = task
        self.worker = worker
        self.seconds = seconds
        self.cpuSeconds = cpuSeconds
        self.latencySeconds = latencySeconds
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.encodedBytes = encodedBytes
        self.lockIntervals = lockIntervals
    }

    init(task: Int, worker: Int, spans: [StageSpan], start: UInt64, end: UInt64, batchStart: UInt64,
         encodedBytes: Int, lockIntervals: [LockInterval]?) {
        var seconds: [Stage: Double] = [:]
        var cpu: [Stage: Double] = [:]
        for span in spans {
            seconds[span.stage, default: 0] += span.seconds
            cpu[span.stage, default: 0] += Double(span.cpuNanoseconds) / 1e9
        }
        self.init(
            task: task, worker: worker, seconds: seconds, cpuSeconds: cpu,
            latencySeconds: MonotonicClock.seconds(from: start, to: end),
            startSeconds: MonotonicClock.seconds(from: batchStart, to: start),
            endSeconds: MonotonicClock.seconds(from: batchStart, to: end),
            encodedBytes: encodedBytes, lockIntervals: lockIntervals)
    }
}
