import Pool
import PythonRuntime
import Results
/// How a sweep runs (as opposed to what it measures, which is the `SweepPlan`).
public struct SweepOptions: Sendable {
    /// The payloadlab executable that workers are started from.
    public var executable: String
    /// Where the sweep makes its own scratch directory (removed at the end).
    public var scratchParent: String
    /// Overrides the per-task timeout that is otherwise scaled to the payload size and work.
    public var taskTimeoutSeconds: Double?
    /// Whether samples keep their lock-scheduled intervals (tests of the GIL model).
    public var recordLockIntervals: Bool
    /// Faults injected into process-pool workers by worker index (tests).
    public var faults: [Int: WorkerFault]
    /// The CPython runtime's interpreter and options; nil when the plan measures Swift only.
    public var python: PythonSettings?
    /// Whether a point that other processes disturbed (`OtherCPUUse.isDisturbed`) is measured once more; the
    /// second attempt is kept either way.
    public var remeasure: Bool

    public init(
        executable: String, scratchParent: String, taskTimeoutSeconds: Double? = nil,
        recordLockIntervals: Bool = false, faults: [Int: WorkerFault] = [:], python: PythonSettings? = nil,
        remeasure: Bool = true
    ) {
        self.python = python
        self.remeasure = remeasure
        self.executable = executable
        self.scratchParent = scratchParent
        self.taskTimeoutSeconds = taskTimeoutSeconds
        self.recordLockIntervals = recordLockIntervals
        self.faults = faults
    }

    /// The default task timeout: a minute, plus a generous second per 2 MB (the slow Foundation codecs run
    /// ~15 MB/s each way), plus four times the work profile's CPU time.
    public func taskTimeout(bytes: Int, work: WorkProfile) -> Double {
        if let taskTimeoutSeconds { return taskTimeoutSeconds }
        return 60 + Double(bytes) / 2e6 + 4 * work.targetCPUSeconds(bytes: bytes)
    }
}
