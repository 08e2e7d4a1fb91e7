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

    public init(parsing text: String) throws(PlanError) {
        let lowered = text.trimmingWhitespace().lowercased()
        switch lowered {
        case "process", "process:pipe": self = .process
        case "process:shm", "shm": self = .processShm
        case "thread": self = .thread
        default: throw .unknownPool(text)
        }
    }

    /// How reports name the option: `process (pipe)`, `thread`.
    public var label: String {
        switch self {
        case .process: return "process"
        case .processShm: return "process:shm"
        case .thread: return "thread"
        }
    }

    /// Whether the pool's workers are processes (with per-worker memory and a transfer stage).
    public var isProcess: Bool { self != .thread }

    public static func < (lhs: PoolKind, rhs: PoolKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
