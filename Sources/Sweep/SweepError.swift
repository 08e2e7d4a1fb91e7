import Units

/// A sweep that cannot start or cannot go on; each renders as one sentence naming the value and the remedy.
///
/// No case names a command-line option: the CLI turns them into sentences about its flags (`ErrorSentences`).
public enum SweepError: Error, Equatable, CustomStringConvertible {
    /// Which of the sweep's directories a directory error is about.
    public enum Directory: String, Sendable, Equatable {
        /// Where the report and its JSON go.
        case reports = "report directory"
        /// Where the scratch directory is created.
        case scratch = "scratch directory"
    }

    case directoryMissing(Directory, path: String)
    case directoryNotWritable(Directory, path: String)
    case executableNotFound
    /// `fittingMaxBytes` is the largest size that would fit the memory available.
    case notEnoughMemory(neededBytes: Int, availableBytes: Int, fittingMaxBytes: Int)
    case notEnoughDisk(neededBytes: Int, availableBytes: Int, path: String)

    public var description: String {
        switch self {
        case .directoryMissing(let directory, let path):
            return "The \(directory.rawValue) \(path) does not exist; create it or choose another directory."
        case .directoryNotWritable(let directory, let path):
            return "The \(directory.rawValue) \(path) is not a writable directory; choose one you can write to."
        case .executableNotFound:
            return "Cannot find the payloadlab executable to start workers from; set PAYLOADLAB_EXECUTABLE to its path."
        case .notEnoughMemory(let needed, let available, let fitting):
            return "This sweep needs about \(Formatting.bytes(Double(needed))) of memory but \(Formatting.bytes(Double(available))) is available; try a largest size of \(ByteSize(bytes: fitting)) or fewer workers."
        case .notEnoughDisk(let needed, let available, let path):
            return "This sweep needs about \(Formatting.bytes(Double(needed))) of scratch space in \(path) but \(Formatting.bytes(Double(available))) is free; use a scratch directory on a larger disk or a smaller largest size."
        }
    }
}
