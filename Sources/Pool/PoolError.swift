import Platform
import Units
import Platform
#if canImport(Glibc)
import Glibc
#endif
/// A failure while a pool ran tasks; each renders as one sentence that says what to do.
public enum PoolError: Error, Equatable, CustomStringConvertible {
    /// The worker executable could not be started.
    case spawnFailed(executable: String, reason: String)
    /// A worker could not be started because this process or the system has no descriptor left (`EMFILE`,
    /// `ENFILE`): not a broken binary, a limit.
    case tooManyOpenFiles(errno: Int32)
    /// A worker process ended while it had a task.
    case workerDied(pid: Int32, how: String, task: UInt64)
    /// A worker did not answer within the task timeout.
    case workerHung(pid: Int32, seconds: Double, task: UInt64)
    /// A worker said a task failed (decode error, disk full, …).
    case workerFailed(pid: Int32, message: String)
    /// The worker's stream broke (malformed frame, wrong version, …).
    case protocolViolation(pid: Int32, detail: String)
    /// What arrived is not what was sent.
    case checksumMismatch(task: UInt64, expected: UInt64, got: UInt64)
    /// What reached the disk is not what was written.
    case shortWrite(path: String, expected: UInt64, got: UInt64)
    /// The scratch directory's filesystem is full (or a file-size limit was hit).
    case diskFull(directory: String, neededBytes: Int)
    /// A scratch file could not be written.
    case scratchFailed(path: String, reason: String)
    /// The codec failed inside a pool.
    case codecFailed(String)
    /// The pool was asked to stop (SIGINT, SIGTERM, SIGHUP).
    case interrupted
    /// A pool thread could not be started (`pthread_create` failed: EAGAIN under a process or pids limit).
    case threadStartFailed(errno: Int32)

    public var description: String {
        switch self {
        case .spawnFailed(let executable, let reason):
            return "Could not start the worker \(executable): \(reason); check that the payloadlab binary is intact and executable."
        case .tooManyOpenFiles(let code):
            return "Could not start a worker: too many open files (\(SystemErrorText.describe(code))); raise the open-file limit (ulimit -n) or use fewer workers."
        case .workerDied(let pid, let how, let task):
            return "Worker process \(pid) \(how) during task \(task); the point is marked failed (run again, or check memory with --max smaller)."
        case .workerHung(let pid, let seconds, let task):
            return "Worker process \(pid) gave no answer to task \(task) within \(Formatting.seconds(seconds)) and was killed; the machine may be overloaded or the work too long for --task-timeout."
        case .workerFailed(let pid, let message):
            return "Worker process \(pid) failed: \(message)"
        case .protocolViolation(let pid, let detail):
            return "Worker process \(pid) broke the worker protocol: \(detail)"
        case .checksumMismatch(let task, let expected, let got):
            return "Task \(task) arrived corrupted: checksum \(hex(got)) instead of \(hex(expected)); this is a payloadlab bug, please report it."
        case .shortWrite(let path, let expected, let got):
            return "The scratch file \(path) holds \(got) bytes instead of \(expected); the disk is failing or full."
        case .diskFull(let directory, let needed):
            return "The scratch directory \(directory) ran out of space writing \(Formatting.bytes(Double(needed))); free space or pass --scratch on a larger disk."
        case .scratchFailed(let path, let reason):
            return "Could not write the scratch file \(path): \(reason); pass --scratch with a writable directory."
        case .codecFailed(let message):
            return "The codec failed: \(message)"
        case .interrupted:
            return "Interrupted; the workers were stopped and scratch files removed."
        case .threadStartFailed(let errno):
            return "Could not start a pool thread (\(SystemErrorText.describe(errno))); the process limit (ulimit -u) or the container's pids limit is reached: raise it or use fewer workers."
        }
    }

    private func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}
