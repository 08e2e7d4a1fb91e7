/// A sweep that cannot start or cannot go on; each renders as one sentence naming the value and the remedy.
public enum SweepError: Error, Equatable, CustomStringConvertible {
    case unknownPool(String)
    case unknownShape(String)
    case minAboveMax(min: Int, max: Int)
    case badFactor(Double)
    case badWorkers(Int)
    case badGIL(Double)
    case badTasks(Int)
    case badBudget(Double)
    case directoryMissing(flag: String, path: String)
    case directoryNotWritable(flag: String, path: String)
    case executableNotFound
    case notEnoughMemory(neededBytes: Int, availableBytes: Int, suggestion: String)
    case notEnoughDisk(neededBytes: Int, availableBytes: Int, path: String)
    case resultUnreadable(path: String, reason: String)
    case resultSchema(path: String, found: Int, expected: Int)

    public var description: String {
        switch self {
        case .unknownPool(let text):
            return "'\(text)' is not a pool; use process (pipe), process:shm or thread, comma-separated, such as process,thread."
        case .unknownShape(let text):
            return "'\(text)' is not a payload shape; use one of \(PayloadShape.allCases.map(\.rawValue).joined(separator: ", "))."
        case .minAboveMax(let min, let max):
            return "--min \(ByteSize(bytes: min)) is above --max \(ByteSize(bytes: max)); give a --min no larger than --max."
        case .badFactor(let factor):
            return "--factor \(factor) must be above 1 (each size is the previous one times the factor), e.g. --factor 4."
        case .badWorkers(let workers):
            return "--workers \(workers) is out of range; use 1 to 256 (the default is the number of cores)."
        case .badGIL(let gil):
            return "--gil \(gil) is outside 0…1; 0 models native threads, 1 pure-Python code."
        case .badTasks(let tasks):
            return "--tasks \(tasks) must be at least 1."
        case .badBudget(let seconds):
            return "--budget \(seconds) must be a positive number of seconds per point, e.g. --budget 1."
        case .directoryMissing(let flag, let path):
            return "\(flag) \(path) does not exist; create it or pass another directory."
        case .directoryNotWritable(let flag, let path):
            return "\(flag) \(path) is not a writable directory; pass one you can write to."
        case .executableNotFound:
            return "Cannot find the payloadlab executable to start workers from; set PAYLOADLAB_EXECUTABLE to its path."
        case .notEnoughMemory(let needed, let available, let suggestion):
            return "This sweep needs about \(Formatting.bytes(Double(needed))) of memory but \(Formatting.bytes(Double(available))) is available; \(suggestion)."
        case .notEnoughDisk(let needed, let available, let path):
            return "This sweep needs about \(Formatting.bytes(Double(needed))) of scratch space in \(path) but \(Formatting.bytes(Double(available))) is free; pass --scratch on a larger disk or a smaller --max."
        case .resultUnreadable(let path, let reason):
            return "\(path) is not a payloadlab result (\(reason)); pass a .json written by payloadlab sweep."
        case .resultSchema(let path, let found, let expected):
            return "\(path) has results schema version \(found), this payloadlab reads version \(expected); re-run the sweep or use the matching payloadlab."
        }
    }
}
