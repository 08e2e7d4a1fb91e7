import Platform
import Results
import Payload
/// A pool that runs the pipeline's tasks on a payload: `ProcessPool` or `ThreadPool`.
public protocol TaskPool: AnyObject {
    /// Starts the workers; the time it took is reported on its own, never folded into task cost.
    func start() throws(PoolError) -> PoolStart
    /// Runs `tasks` tasks on `payload` (whose content checksum is `checksum`), spread over idle workers.
    func run(payload: Payload, checksum: UInt64, tasks: Int) throws(PoolError) -> PoolBatch
    /// Stops the workers and reaps them; returns what the worker processes used (none for threads).
    func shutdown() -> [ChildProcess.Termination]
    /// Each worker process's own peak resident memory so far: the largest of its baseline at start and the peaks
    /// its task reports carried (empty for threads, which share the parent's memory). Kept after `shutdown`.
    var workerPeakBytes: [Int] { get }
    /// The pids of the running worker processes (empty for threads), so their CPU time can be told from others'.
    var workerPIDs: [Int32] { get }
}

/// What starting a pool cost.
public struct PoolStart: Sendable, Equatable {
    public var seconds: Double
    /// The pipe buffer each worker's request pipe got (process pool), 0 for threads.
    public var pipeBufferBytes: Int
    /// Each worker's resident memory right after start (process pool).
    public var workerBaselineBytes: [Int]
    /// With huge pages asked for: why a worker's `madvise(MADV_HUGEPAGE)` was refused (the first one's), nil when
    /// every worker's was accepted.
    public var hugePageAdviceError: String? = nil
}

/// The samples of one batch of tasks and how long the whole batch took.
public struct PoolBatch: Sendable {
    public var samples: [TaskSample]
    public var wallSeconds: Double
}
