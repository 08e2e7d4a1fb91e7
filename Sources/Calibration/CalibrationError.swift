import Glibc
import Platform
import Units

/// Why a calibration could not be measured. Each case renders as one sentence naming the value and the remedy.
///
/// `description` names no command-line option (the size and scratch flags differ between commands); the CLI says
/// which flag to change (`ErrorSentences` in the executable).
public enum CalibrationError: Error, Equatable, CustomStringConvertible {
    /// `sizeBytes` is below one 1 MiB write chunk.
    case sizeTooSmall(bytes: Int)
    /// The scratch directory does not exist (or cannot be looked up).
    case scratchMissing(path: String, errno: Int32)
    /// The scratch path names something other than a directory.
    case scratchNotADirectory(path: String)
    /// A file could not be created in the scratch directory.
    case scratchNotWritable(path: String, errno: Int32)
    /// The scratch file system has less room than one write repetition needs.
    case scratchTooSmall(path: String, availableBytes: Int, neededBytes: Int)
    /// Writing or syncing a scratch file failed.
    case diskWriteFailed(path: String, errno: Int32)
    /// The helper executable (payloadlab itself) cannot be run.
    case helperNotExecutable(path: String)
    /// `posix_spawn` failed.
    case spawnFailed(path: String, errno: Int32)
    /// A system call on the way to a measurement failed (`pipe2`, `mmap`, `read`, `write`, `open`).
    case systemCallFailed(call: String, errno: Int32)
    /// A child process (`/bin/true`, `payloadlab pipe-sink`) did not exit with code 0.
    case childFailed(command: String, status: String)
    /// The pipe-sink child reported a byte count other than what was sent.
    case pipeSinkCountMismatch(sentBytes: Int, receivedBytes: Int)
    /// The pipe-sink child's report on its stdout could not be read.
    case pipeSinkMalformedReport(text: String)
    /// The tcp-sink child ended, or never connected to the calibration's port on 127.0.0.1.
    case tcpSinkNeverConnected(command: String, status: String)
    /// The tcp-sink child reported a byte count other than what was sent.
    case tcpSinkCountMismatch(sentBytes: Int, receivedBytes: Int)
    /// The tcp-sink child's report on its stdout could not be read, or an echo never came.
    case tcpSinkMalformedReport(text: String)
    /// A buffer for a measurement could not be allocated.
    case outOfMemory(bytes: Int)
    /// libzstd returned an error.
    case zstdFailed(level: Int32, message: String)
    /// A copy, transfer or round trip did not reproduce its input.
    case verificationFailed(what: String)
    /// `pthread_create` failed.
    case threadStartFailed(errno: Int32)
    /// A stop signal (SIGINT, SIGTERM, SIGHUP) arrived; the measurement stopped and removed its files.
    case interrupted(signal: Int32)

    public var description: String {
        switch self {
        case .sizeTooSmall(let bytes):
            return "A calibration size of \(bytes) bytes is below one 1MiB write; use at least 1MiB."
        case .scratchMissing(let path, let errno):
            return "The scratch directory '\(path)' cannot be used (\(Self.text(errno))); use an existing writable directory."
        case .scratchNotADirectory(let path):
            return "The scratch path '\(path)' is not a directory; use a writable directory."
        case .scratchNotWritable(let path, let errno):
            return "The scratch directory '\(path)' is not writable (\(Self.text(errno))); use a writable directory."
        case .scratchTooSmall(let path, let available, let needed):
            return "The scratch directory '\(path)' has \(Formatting.bytes(Double(available))) free but the disk measurement needs \(Formatting.bytes(Double(needed))); use a scratch directory on a larger file system or a smaller calibration size."
        case .diskWriteFailed(let path, let errno):
            return "Writing the scratch file '\(path)' failed (\(Self.text(errno))); use a scratch directory on a file system with room, or a smaller calibration size."
        case .helperNotExecutable(let path):
            return "The helper executable '\(path)' cannot be run; build payloadlab first (swift build) or set PAYLOADLAB_EXECUTABLE to its path."
        case .spawnFailed(_, let errno) where errno == EMFILE || errno == ENFILE:
            return "Starting a calibration child failed: too many open files (\(Self.text(errno))); raise the open-file limit (ulimit -n) and run again."
        case .spawnFailed(let path, let errno):
            return "Starting '\(path)' failed (\(Self.text(errno))); check that it exists and is executable, and that the process limit (ulimit -u) is not reached."
        case .systemCallFailed(let call, let errno):
            return "The system call \(call) failed (\(Self.text(errno))); check the open-file and memory limits (ulimit -n, ulimit -v) and run again."
        case .childFailed(let command, let status):
            return "The child process '\(command)' \(status); run '\(command) < /dev/null' by hand to see its own error."
        case .pipeSinkCountMismatch(let sent, let received):
            return "The pipe-sink child received \(received) bytes of the \(sent) sent; the transfer is broken, so run again and report it if it repeats."
        case .pipeSinkMalformedReport(let text):
            return "The pipe-sink child reported '\(text)' instead of '<bytes> <monotonic ns>'; make sure the helper is the same payloadlab build (PAYLOADLAB_EXECUTABLE)."
        case .tcpSinkNeverConnected(let command, let status):
            return "The child process '\(command)' \(status) without connecting to the calibration's port on 127.0.0.1; make sure the helper is the same payloadlab build (PAYLOADLAB_EXECUTABLE) and that loopback TCP is not blocked."
        case .tcpSinkCountMismatch(let sent, let received):
            return "The tcp-sink child received \(received) bytes of the \(sent) sent over loopback TCP; the transfer is broken, so run again and report it if it repeats."
        case .tcpSinkMalformedReport(let text):
            return "The tcp-sink child reported '\(text)' instead of '<bytes> <monotonic ns>'; make sure the helper is the same payloadlab build (PAYLOADLAB_EXECUTABLE)."
        case .outOfMemory(let bytes):
            return "Allocating \(Formatting.bytes(Double(bytes))) for a calibration buffer failed; use a smaller calibration size."
        case .zstdFailed(let level, let message):
            return "zstd at level \(level) failed (\(message)); check that libzstd is installed and not corrupted (apt-get install --reinstall libzstd1)."
        case .verificationFailed(let what):
            return "The \(what) did not reproduce its input; this is a bug in payloadlab or faulty memory, so please report it."
        case .threadStartFailed(let errno):
            return "Starting a thread failed (\(Self.text(errno))); check the thread limit (ulimit -u) and run again."
        case .interrupted(let signal):
            return "Calibration was interrupted by \(StopSignals.name(signal)); its scratch files were removed."
        }
    }

    public static func text(_ errno: Int32) -> String {
        SystemErrorText.describe(errno)
    }

    /// A descriptor failure on the way to a measurement, naming what was being done (`write to the pipe-sink child`).
    init(_ error: DescriptorError, doing what: String) {
        switch error {
        case .system(let call, let code): self = .systemCallFailed(call: "\(call) (\(what))", errno: code)
        case .closed, .timedOut: self = .pipeSinkMalformedReport(text: error.description)
        case .interrupted: self = .interrupted(signal: StopSignals.received ?? SIGINT)
        }
    }

    /// Runs `body`, turning a descriptor failure into a calibration error that says what was being done.
    static func doing<T>(_ what: String, _ body: () throws(DescriptorError) -> T) throws(CalibrationError) -> T {
        do throws(DescriptorError) {
            return try body()
        } catch {
            throw CalibrationError(error, doing: what)
        }
    }

    /// Throws `.childFailed` unless `child` exited with code 0 (it is reaped either way).
    static func requireSuccess(_ child: ChildProcess) throws(CalibrationError) {
        let end = child.waitForExit()
        guard !end.succeeded else { return }
        throw .childFailed(command: child.command, status: end.summary)
    }

    /// Spawns `path` for a measurement, as `spawnFailed` when it cannot start.
    static func spawn(
        _ path: String, _ arguments: [String], descriptors: [(source: Int32, target: Int32)] = []
    ) throws(CalibrationError) -> ChildProcess {
        do throws(DescriptorError) {
            return try ChildProcess.spawn(executable: path, arguments: arguments, descriptors: descriptors)
        } catch {
            if case .system(_, let code) = error { throw .spawnFailed(path: path, errno: code) }
            throw .spawnFailed(path: path, errno: EIO)
        }
    }
}
