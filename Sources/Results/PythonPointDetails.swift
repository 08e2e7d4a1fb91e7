/// What a CPython point measured beyond the shared stage samples: the interpreter, how the pool started, the
/// object's two sizes, pickle's own rates, and the asyncio event loop's lag when tasks ran from a loop.
public struct PythonPointDetails: Codable, Sendable, Equatable {
    /// `3.11.7`.
    public var pythonVersion: String
    /// `fork`, `forkserver` or `spawn` for the stdlib process pools; `exec` for a local Dask cluster's processes
    /// (fresh interpreters the driver starts); nil for threads and for a remote Dask scheduler's workers.
    public var startMethod: String?
    /// Bytes of `pickle.dumps(obj, HIGHEST_PROTOCOL)`: the size asked for, within 5 %.
    public var pickleBytes: Int
    /// The object's estimated size in memory as Python objects (several times its pickle for records).
    public var objectBytes: Int
    /// `pickle.dumps` and `pickle.loads` of the object in the parent, bytes of pickle per second (median).
    public var pickleDumpsBytesPerSecond: Double?
    public var pickleLoadsBytesPerSecond: Double?
    /// Median task latency and median sum of its stages, to show how much of a task the stages explain.
    public var medianLatencyNanoseconds: Int64?
    public var medianStageSumNanoseconds: Int64?
    /// Event-loop lag of a 1 ms heartbeat while tasks ran through `run_in_executor` (`--async` only).
    public var loopLagP50Nanoseconds: Int64?
    public var loopLagP99Nanoseconds: Int64?
    public var loopLagMaxNanoseconds: Int64?
    /// Dask pools: how the object reached the worker, `submit` (a task argument) or `scatter` (scattered first;
    /// serialize, transfer and deserialize then time the scatter).
    public var daskMode: String?
    /// Dask pools: `local` (a scheduler and workers the driver started on 127.0.0.1) or the scheduler's address.
    public var daskScheduler: String?
    /// Dask pools: whether the scheduler ran in the client's process. True in results written while the local
    /// cluster was a `distributed.LocalCluster` (its scheduler on the client's event loop); false since the
    /// scheduler has a process of its own, and for a remote scheduler.
    public var daskSchedulerInProcess: Bool?

    public init(
        pythonVersion: String, startMethod: String?, pickleBytes: Int, objectBytes: Int,
        pickleDumpsBytesPerSecond: Double? = nil, pickleLoadsBytesPerSecond: Double? = nil,
        medianLatencyNanoseconds: Int64? = nil, medianStageSumNanoseconds: Int64? = nil,
        loopLagP50Nanoseconds: Int64? = nil, loopLagP99Nanoseconds: Int64? = nil, loopLagMaxNanoseconds: Int64? = nil
    ) {
        self.pythonVersion = pythonVersion
        self.startMethod = startMethod
        self.pickleBytes = pickleBytes
        self.objectBytes = objectBytes
        self.pickleDumpsBytesPerSecond = pickleDumpsBytesPerSecond
        self.pickleLoadsBytesPerSecond = pickleLoadsBytesPerSecond
        self.medianLatencyNanoseconds = medianLatencyNanoseconds
        self.medianStageSumNanoseconds = medianStageSumNanoseconds
        self.loopLagP50Nanoseconds = loopLagP50Nanoseconds
        self.loopLagP99Nanoseconds = loopLagP99Nanoseconds
        self.loopLagMaxNanoseconds = loopLagMaxNanoseconds
    }
}
