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
    /// Whether payload-sized buffers are advised to use transparent huge pages (`--huge-pages`, `HugePages`).
    /// Absent = off, so a configuration written before the key decodes as it always did.
    public var hugePages: Bool?

    public init(
        codec: String, work: String, gil: Double, workBytes: Int, sync: Bool, scratchDirectory: String,
        maxBodyBytes: UInt64, recordLockIntervals: Bool = false, transport: String? = nil, hugePages: Bool = false
    ) {
        self.transport = transport
        self.hugePages = hugePages ? true : nil
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
    /// With `hugePages`: why this worker's `madvise(MADV_HUGEPAGE)` was refused (its buffers then stay in 4 KiB
    /// pages); absent when it was accepted or not asked for.
    public var hugePageAdviceError: String?

    public init(pid: Int32, residentBytes: Int, hugePageAdviceError: String? = nil) {
        self.pid = pid
        self.residentBytes = residentBytes
        self.hugePageAdviceError = hugePageAdviceError
    }
}
