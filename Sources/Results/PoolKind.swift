import Units
/// Which pool a measurement used, as the command line and the results JSON spell it.
public enum PoolKind: String, Codable, CaseIterable, Sendable, Hashable, Comparable {
    /// Worker processes fed through pipes.
    case process
    /// Worker processes that read the encoded payload from a shared-memory segment; only a control message
    /// crosses the pipe.
    case processShm = "process:shm"
    /// Dedicated threads sharing the parent's object.
    case thread
    /// A Dask distributed cluster (python runtime only): the object is a `client.submit` argument, sent to the
    /// scheduler inside the task and from there to a worker process, over TCP.
    case dask
    /// The same cluster, the object sent with `client.scatter` first and the task submitted on its future.
    case daskScatter = "dask:scatter"

    public init(parsing text: String) throws(PlanError) {
        let lowered = text.trimmingWhitespace().lowercased()
        switch lowered {
        case "process", "process:pipe": self = .process
        case "process:shm", "shm": self = .processShm
        case "thread": self = .thread
        case "dask", "dask:submit": self = .dask
        case "dask:scatter", "scatter": self = .daskScatter
        default: throw .unknownPool(text)
        }
    }

    /// The pools one `--pools` value names: `dask` alone measures both ways of shipping data to Dask
    /// (`dask:submit` or `dask:scatter` pick one).
    public static func list(parsing text: String) throws(PlanError) -> [PoolKind] {
        if text.trimmingWhitespace().lowercased() == "dask" { return [.dask, .daskScatter] }
        return [try PoolKind(parsing: text)]
    }

    /// How reports name the option: `process (pipe)`, `thread`.
    public var label: String {
        switch self {
        case .process: return "process"
        case .processShm: return "process:shm"
        case .thread: return "thread"
        case .dask: return "dask"
        case .daskScatter: return "dask:scatter"
        }
    }

    /// Whether the pool's workers are processes (with per-worker memory and a transfer stage).
    public var isProcess: Bool { self != .thread }

    /// Whether the pool is a Dask cluster, which only the python runtime measures.
    public var isDask: Bool { self == .dask || self == .daskScatter }

    public static func < (lhs: PoolKind, rhs: PoolKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
