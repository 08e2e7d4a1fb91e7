#if canImport(Glibc)
import Glibc
#endif
import Platform
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
    /// The directory cannot be looked up for another reason than its absence: a path too long for the system
    /// (`ENAMETOOLONG`), a parent that cannot be searched (`EACCES`), a loop of links (`ELOOP`).
    case directoryUnreachable(Directory, path: String, errno: Int32)
    /// The report name cannot name files in the report directory.
    case badName(String, problem: NameProblem)
    /// Another sweep holds the lock on this name in this report directory; `holder` is its pid when known.
    case nameInUse(name: String, directory: String, holder: Int32?)
    /// Saving the result after a point failed, so the sweep stopped there.
    case checkpointFailed(afterPoints: Int, total: Int, reason: String)
    /// The lock file beside the reports cannot be created or locked.
    case lockFailed(path: String, errno: Int32)
    case directoryNotWritable(Directory, path: String)
    case executableNotFound
    /// `fittingMaxBytes` is the largest size that would fit the memory available.
    case notEnoughMemory(neededBytes: Int, availableBytes: Int, fittingMaxBytes: Int)
    case notEnoughDisk(neededBytes: Int, availableBytes: Int, path: String)

    /// Why a report name is refused.
    public enum NameProblem: Sendable, Equatable {
        case empty
        /// It contains a `/` (or is `.` or `..`), so the files would land elsewhere than the report directory.
        case pathSeparator
        case dotName
        /// A newline, tab or other control character.
        case controlCharacter
        /// Longer in bytes than `limit`, which leaves room in a file name for the report's longest suffix.
        case tooLong(bytes: Int, limit: Int)
    }

    public var description: String {
        switch self {
        case .directoryMissing(let directory, let path):
            return "The \(directory.rawValue) \(path) does not exist; create it or choose another directory."
        case .directoryUnreachable(let directory, let path, let errno):
            return "The \(directory.rawValue) \(Self.abbreviated(path)) \(Self.unreachable(errno)); choose another directory."
        case .badName(let name, let problem):
            return "The report name \(Self.quoted(name)) \(Self.text(problem)); choose a plain file name such as sweep-1."
        case .nameInUse(let name, let directory, let holder):
            return "Another sweep\(holder.map { " (process \($0))" } ?? "") is writing the report \(name) in \(directory); wait for it to finish or choose another name."
        case .checkpointFailed(let points, let total, let reason):
            return "Saving the result after point \(points) of \(total) failed (\(reason)); the sweep stopped there."
        case .lockFailed(let path, let errno):
            return "Cannot lock \(path) (\(SystemErrorText.describe(errno))); check that the report directory is writable."
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

    /// The longest report suffix a name must leave room for within NAME_MAX: a chart such as
    /// `-decision-gil1-numeric-plist-zstd-19.svg` (40 bytes), rounded up for longer codec names.
    public static let reportSuffixRoomBytes = 64

    /// The longest report name, in bytes.
    public static var maximumNameBytes: Int { Int(NAME_MAX) - reportSuffixRoomBytes }

    /// What a lookup error means for a directory, as the end of a sentence about it.
    public static func unreachable(_ errno: Int32) -> String {
        switch errno {
        case ENAMETOOLONG:
            return "is too long for this system (at most \(Int(PATH_MAX) - 1) bytes in a path and \(Int(NAME_MAX)) in one name)"
        case ENOENT:
            return "does not exist"
        default:
            return "cannot be reached (\(SystemErrorText.describe(errno)))"
        }
    }

    /// What is wrong with a report name, as the end of a sentence about it.
    public static func text(_ problem: NameProblem) -> String {
        switch problem {
        case .empty: return "is empty, which would make hidden files"
        case .pathSeparator: return "contains a /, which would put the files outside the report directory"
        case .dotName: return "is a directory's name (. or ..)"
        case .controlCharacter: return "contains a newline or another control character"
        case .tooLong(let bytes, let limit): return "is \(bytes) bytes long; at most \(limit) bytes leave room for the report's file suffixes"
        }
    }

    /// A path short enough for a sentence: a path of thousands of bytes shows its start and its length.
    public static func abbreviated(_ path: String) -> String {
        let bytes = path.utf8.count
        guard bytes > 120 else { return path }
        return "\(path.prefix(60))… (\(bytes) bytes)"
    }

    /// A name quoted so that control characters show as escapes and a long name is cut.
    public static func quoted(_ name: String) -> String {
        var shown = ""
        for scalar in name.unicodeScalars.prefix(60) {
            if scalar.properties.generalCategory == .control { shown += scalar.escaped(asASCII: true) } else { shown.unicodeScalars.append(scalar) }
        }
        return "'\(shown)\(name.unicodeScalars.count > 60 ? "…" : "")'"
    }
}
