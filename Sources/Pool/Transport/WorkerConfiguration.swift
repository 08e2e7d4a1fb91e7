/// What a worker process needs to know before its first task; sent once as JSON in a `configure` frame.
public struct WorkerConfiguration: Codable, Sendable, Equatable {
    /// The codec's canonical name (`binary`, `json+zstd:1`, …).
    public var codec: String
    /// The work profile's text form (`none`, `checksum`, `cpu:20`).
    public var work: String
    /// The share of work and codec time run under the process-wide lock (0…1).
    public var gil: Double
    /// The payload size the work profile scales with, in bytes.
    public var workBytes: Int
    /// Whether each written file is `fsync`ed.
    public var sync: Bool
    /// Where scratch files are written (and removed).
    public var scratchDirectory: String
    /// The largest task body the worker accepts.
    public var maxBodyBytes: UInt64
    /// Whether to report each lock-scheduled interval (tests; off in sweeps).
    public var recordLockIntervals: Bool
    /// How task payloads arrive: `pipe` (in the frame) or `shm` (in the inherited shared segment). Absent = pipe.
    public var transport: String?

    public init(
        codec: String, work: String, gil: Double, workBytes: Int, sync: Bool, scratchDirectory: String,
        maxBodyBytes: UInt64, recordLockIntervals: Bool = false, transport: String? = nil
    ) {
        self.transport = transport
        self.codec = codec
        self.work = work
        self.gil = gil
        self.workBytes = workBytes
        self.sync = sync
        self.scratchDirectory = scratchDirectory
        self.maxBodyBytes = maxBodyBytes
        self.recordLockIntervals = recordLockIntervals
    }
}

/// A worker's answer to `configure`.
public struct WorkerReady: Codable, Sendable, Equatable {
    public var pid: Int32
    /// Resident memory after start-up and configuration, before any task: the baseline for copy counting.
    public var residentBytes: Int
}
