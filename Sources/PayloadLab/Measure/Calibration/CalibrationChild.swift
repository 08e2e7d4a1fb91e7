import CPlatform
import Glibc

/// A child process started with `pl_spawn` (posix_spawn, own process group) and reaped with `pl_wait4`.
///
/// Whoever spawns one must reap it on every path: `defer { child.killAndReapIfRunning() }` right after the spawn,
/// then `try child.waitForSuccess()` on the normal path.
struct CalibrationChild {
    let pid: pid_t
    /// The command line, for messages: `/path/to/payloadlab pipe-sink`.
    let command: String
    private(set) var reaped = false

    /// Spawns `path` with `arguments` (argv[0] is `path`), mapping each `source` descriptor to `target`
    /// in the child. Every other close-on-exec descriptor stays closed in the child.
    static func spawn(
        path: String,
        arguments: [String],
        descriptors: [(source: Int32, target: Int32)] = []
    ) throws(CalibrationError) -> CalibrationChild {
        let cStrings = ([path] + arguments).map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        let argv: [UnsafeMutablePointer<CChar>?] = cStrings + [nil]
        let sources = descriptors.map(\.source)
        let targets = descriptors.map(\.target)
        var pid: pid_t = 0
        let rc = pl_spawn(path, argv, environ, sources, targets, Int32(descriptors.count), &pid)
        if rc != 0 { throw .spawnFailed(path: path, errno: rc) }
        return CalibrationChild(pid: pid, command: ([path] + arguments).joined(separator: " "))
    }

    /// Waits for the child and throws unless it exited with code 0.
    mutating func waitForSuccess() throws(CalibrationError) {
        let status = try wait()
        var value: Int32 = 0
        switch pl_wait_status(status, &value) {
        case 1 where value == 0:
            return
        case 1:
            throw .childFailed(command: command, status: "exited with code \(value)")
        case 2:
            throw .childFailed(command: command, status: "was killed by signal \(value)")
        default:
            throw .childFailed(command: command, status: "ended with wait status \(status)")
        }
    }

    /// Reaps the child, returning its raw wait status.
    mutating func wait() throws(CalibrationError) -> Int32 {
        var status: Int32 = 0
        let rc = pl_wait4(pid, 0, &status, nil, nil, nil)
        reaped = true
        if rc < 0 { throw .systemCallFailed(call: "wait4", errno: -rc) }
        return status
    }

    /// On an error path: kills the child if it has not been reaped yet, then reaps it, so no zombie is left.
    mutating func killAndReapIfRunning() {
        guard !reaped else { return }
        _ = kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = pl_wait4(pid, 0, &status, nil, nil, nil)
        reaped = true
    }
}
