/// What `payloadlab bench python` asks the driver's `bench` command to measure: the driver's own overhead per task
/// on a small object, and its pickle rates beside `python3 -m timeit` on the same objects.
public struct PythonBenchmarkRequest: Encodable, Sendable, Equatable {
    public var `protocol` = 1
    /// Alternating rounds of each comparison; figures are medians over them.
    public var rounds: Int
    public var workers: Int
    public var startMethod: String?
    /// The object size of the overhead comparison (1 KB: the executor's cost dominates).
    public var overheadSizeBytes: Int
    /// `process` and/or `thread`.
    public var pools: [String]
    public var pickleShapes: [String]
    public var pickleSizes: [Int]
    public var seed: UInt64
    public var scratchDirectory: String
    public var taskTimeoutSeconds: Double

    public init(
        rounds: Int = 5, workers: Int, startMethod: String? = nil, overheadSizeBytes: Int = 1024,
        pools: [String] = ["process", "thread"], pickleShapes: [String], pickleSizes: [Int], seed: UInt64 = 1,
        scratchDirectory: String, taskTimeoutSeconds: Double = 60
    ) {
        self.rounds = rounds
        self.workers = workers
        self.startMethod = startMethod
        self.overheadSizeBytes = overheadSizeBytes
        self.pools = pools
        self.pickleShapes = pickleShapes
        self.pickleSizes = pickleSizes
        self.seed = seed
        self.scratchDirectory = scratchDirectory
        self.taskTimeoutSeconds = taskTimeoutSeconds
    }
}
