/// Which pool a measurement used, as the command line and the results JSON spell it.
public enum PoolKind: String, Codable, CaseIterable, Sendable, Hashable, Comparable {
    /// Worker processes fed through pipes.
    case process
    /// Dedicated threads sharing the parent's object.
    case thread

    public init(parsing text: String) throws(SweepError) {
        let lowered = text.trimmingWhitespace().lowercased()
        switch lowered {
        case "process", "process:pipe": self = .process
        case "thread": self = .thread
        default: throw .unknownPool(text)
        }
    }

    /// How reports name the option: `process (pipe)`, `thread`.
    public var label: String {
        switch self {
        case .process: return "process"
        case .thread: return "thread"
        }
    }

    public static func < (lhs: PoolKind, rhs: PoolKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
