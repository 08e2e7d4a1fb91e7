/// A fault a worker injects on purpose so tests can prove the parent notices: `--fault KIND:TASK`.
public enum WorkerFault: Sendable, Equatable {
    /// Kill itself with SIGKILL when its Nth task arrives.
    case crash(task: Int)
    /// Stop answering at its Nth task.
    case hang(task: Int)
    /// Answer its Nth task with bytes that are not a frame.
    case garbage(task: Int)
    /// Report a wrong checksum for its Nth task.
    case wrongChecksum(task: Int)

    public init?(parsing text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let task = Int(parts[1]), task > 0 else { return nil }
        switch parts[0] {
        case "crash": self = .crash(task: task)
        case "hang": self = .hang(task: task)
        case "garbage": self = .garbage(task: task)
        case "checksum": self = .wrongChecksum(task: task)
        default: return nil
        }
    }

    public var argument: String {
        switch self {
        case .crash(let task): return "crash:\(task)"
        case .hang(let task): return "hang:\(task)"
        case .garbage(let task): return "garbage:\(task)"
        case .wrongChecksum(let task): return "checksum:\(task)"
        }
    }
}
