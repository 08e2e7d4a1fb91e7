import Units

/// A sweep that cannot start or cannot go on; each renders as one sentence naming the value and the remedy.
public enum SweepError: Error, Equatable, CustomStringConvertible {
    case directoryMissing(flag: String, path: String)
    case directoryNotWritable(flag: String, path: String)
    case executableNotFound
    case notEnoughMemory(neededBytes: Int, availableBytes: Int, suggestion: String)
    case notEnoughDisk(neededBytes: Int, availableBytes: Int, path: String)

    public var description: String {
        switch self {
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
        }
    }
}
