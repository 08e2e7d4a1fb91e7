/// One point for the CPython driver to measure, as the JSON request its `run` command reads on stdin
/// (protocol 1, documented in `payloadlab_driver.py`).
public struct PythonPointRequest: Encodable, Sendable, Equatable {
    public var `protocol` = 1
    public var shape: String
    public var sizeBytes: Int
    public var seed: UInt64
    /// `process`, `process:shm`, `thread`, `dask` or `dask:scatter`.
    public var pool: String
    public var workers: Int
    public var work: String
    /// nil: the platform's default start method.
    public var startMethod: String?
    public var warmupTasksPerWorker: Int
    public var tasks: Int?
    public var minTasks: Int
    public var maxTasks: Int
    public var minBatches: Int
    public var budgetSeconds: Double
    public var sync: Bool
    public var scratchDirectory: String
    public var async: Bool
    public var taskTimeoutSeconds: Double
    /// The slow-point rule (`SlowPointRule`): above this many seconds of minimum measuring, judged from the
    /// warm-up, the point needs only `slowPointBatches` batches. Sent only when set.
    public var slowPointSeconds: Double?
    public var slowPointBatches: Int?
    /// A Dask pool's scheduler (`tcp://HOST:PORT`); nil: a scheduler and workers the driver starts on 127.0.0.1.
    /// Sent only when set.
    public var daskScheduler: String?

    public init(
        shape: String, sizeBytes: Int, seed: UInt64, pool: String, workers: Int, work: String, startMethod: String?,
        warmupTasksPerWorker: Int, tasks: Int?, minTasks: Int, maxTasks: Int, minBatches: Int, budgetSeconds: Double,
        sync: Bool, scratchDirectory: String, async: Bool, taskTimeoutSeconds: Double
    ) {
        self.shape = shape
        self.sizeBytes = sizeBytes
        self.seed = seed
        self.pool = pool
        self.workers = workers
        self.work = work
        self.startMethod = startMethod
        self.warmupTasksPerWorker = warmupTasksPerWorker
        self.tasks = tasks
        self.minTasks = minTasks
        self.maxTasks = maxTasks
        self.minBatches = minBatches
        self.budgetSeconds = budgetSeconds
        self.sync = sync
        self.scratchDirectory = scratchDirectory
        self.async = async
        self.taskTimeoutSeconds = taskTimeoutSeconds
    }

    enum CodingKeys: String, CodingKey {
        case `protocol`, shape, sizeBytes, seed, pool, workers, work, startMethod, warmupTasksPerWorker, tasks
        case minTasks, maxTasks, minBatches, budgetSeconds, sync, scratchDirectory, async, taskTimeoutSeconds
        case daskScheduler, slowPointSeconds, slowPointBatches
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.protocol, forKey: .protocol)
        try container.encode(shape, forKey: .shape)
        try container.encode(sizeBytes, forKey: .sizeBytes)
        try container.encode(seed, forKey: .seed)
        try container.encode(pool, forKey: .pool)
        try container.encode(workers, forKey: .workers)
        try container.encode(work, forKey: .work)
        try container.encode(startMethod, forKey: .startMethod)  // null: the platform's default
        try container.encode(warmupTasksPerWorker, forKey: .warmupTasksPerWorker)
        try container.encode(tasks, forKey: .tasks)
        try container.encode(minTasks, forKey: .minTasks)
        try container.encode(maxTasks, forKey: .maxTasks)
        try container.encode(minBatches, forKey: .minBatches)
        try container.encode(budgetSeconds, forKey: .budgetSeconds)
        try container.encode(sync, forKey: .sync)
        try container.encode(scratchDirectory, forKey: .scratchDirectory)
        try container.encode(async, forKey: .async)
        try container.encode(taskTimeoutSeconds, forKey: .taskTimeoutSeconds)
        try container.encodeIfPresent(daskScheduler, forKey: .daskScheduler)
        try container.encodeIfPresent(slowPointSeconds, forKey: .slowPointSeconds)
        try container.encodeIfPresent(slowPointBatches, forKey: .slowPointBatches)
    }
}
