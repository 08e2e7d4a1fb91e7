import CPlatform
#if canImport(Glibc)
import Glibc
#endif
import Units

/// A child process started with `posix_spawn`, reaped exactly once with its resource usage.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    public let executable: String
    public let arguments: [String]
    private var reaped: Termination?

    /// How a child ended, and what it used (from `wait4`).
    public struct Termination: Sendable, Equatable {
        public enum Cause: Sendable, Equatable {
            case exited(Int32)
            case signaled(Int32)
        }
        public var cause: Cause
        /// `ru_maxrss` from `wait4`. Not the child's own peak for a `posix_spawn`ed child: the kernel carries the
        /// parent's high-water mark across `exec`, so this is at least the parent's resident size at the spawn.
        public var peakResidentBytes: Int
        public var userSeconds: Double
        public var systemSeconds: Double

        public var succeeded: Bool { cause == .exited(0) }

        /// "exited with status 3" / "was killed by signal 9 (SIGKILL)".
        public var summary: String {
            switch cause {
            case .exited(let code): return "exited with status \(code)"
            case .signaled(let signal): return "was killed by signal \(signal)\(ChildProcess.signalName(signal))"
            }
        }
    }

    private init(pid: pid_t, executable: String, arguments: [String]) {
        self.pid = pid
        self.executable = executable
        self.arguments = arguments
    }

    /// Starts `executable` with `arguments`; each `(source, target)` pair makes the parent's `source` descriptor
    /// the child's `target`. The child gets its own process group, so a terminal's Ctrl-C reaches only the parent.
    public static func spawn(
        executable: String, arguments: [String], descriptors: [(source: Int32, target: Int32)]
    ) throws(DescriptorError) -> ChildProcess {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let sources = descriptors.map(\.source)
        let targets = descriptors.map(\.target)
        var pid: pid_t = 0
        let rc = argv.withUnsafeBufferPointer { argvBuffer in
            pl_spawn(executable, argvBuffer.baseAddress, environ, sources, targets, Int32(descriptors.count), &pid)
        }
        guard rc == 0 else { throw .system(call: "posix_spawn \(executable)", errno: rc) }
        return ChildProcess(pid: pid, executable: executable, arguments: arguments)
    }

    /// Sends `signal` unless the child was already reaped.
    public func signal(_ signal: Int32) {
        if reaped == nil { _ = kill(pid, signal) }
    }

    /// Reaps the child if it has exited, without blocking.
    public func poll() -> Termination? {
        if let reaped { return reaped }
        return reap(options: WNOHANG)
    }

    /// The command line, for messages: `/path/to/payloadlab pipe-sink`.
    public var command: String { ([executable] + arguments).joined(separator: " ") }

    /// Blocks until the child exits and reaps it.
    @discardableResult
    public func waitForExit() -> Termination {
        if let reaped { return reaped }
        return reap(options: 0) ?? Termination(cause: .signaled(0), peakResidentBytes: 0, userSeconds: 0, systemSeconds: 0)
    }

    /// On an error path: kills the child unless it was reaped, then reaps it, so no zombie is left.
    public func killAndReap() {
        guard reaped == nil else { return }
        _ = kill(pid, SIGKILL)
        _ = reap(options: 0)
    }

    /// Waits up to `seconds` for the child to exit, then kills it with SIGKILL and reaps it. Never leaves a zombie.
    @discardableResult
    public func wait(upTo seconds: Double) -> Termination {
        if let reaped { return reaped }
        let deadline = Deadline(secondsFromNow: seconds)
        var pause: UInt32 = 50
        while MonotonicClock.now() < deadline.instant {
            if let done = reap(options: WNOHANG) { return done }
            usleep(pause)
            pause = min(pause * 2, 5_000)
        }
        _ = kill(pid, SIGKILL)
        return reap(options: 0) ?? Termination(cause: .signaled(SIGKILL), peakResidentBytes: 0, userSeconds: 0, systemSeconds: 0)
    }

    private func reap(options: Int32) -> Termination? {
        var status: Int32 = 0
        var maxRSS = 0
        var user: UInt64 = 0
        var system: UInt64 = 0
        let r = pl_wait4(pid, options, &status, &maxRSS, &user, &system)
        if r == 0 { return nil }
        if r < 0 {
            // ECHILD: someone else reaped it; record that it is gone.
            let gone = Termination(cause: .signaled(0), peakResidentBytes: 0, userSeconds: 0, systemSeconds: 0)
            reaped = gone
            return gone
        }
        var value: Int32 = 0
        let kind = pl_wait_status(status, &value)
        let cause: Termination.Cause = kind == 2 ? .signaled(value) : .exited(value)
        let done = Termination(
            cause: cause, peakResidentBytes: maxRSS * 1024,
            userSeconds: Double(user) / 1e9, systemSeconds: Double(system) / 1e9)
        reaped = done
        return done
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: return " (SIGKILL)"
        case SIGTERM: return " (SIGTERM)"
        case SIGINT: return " (SIGINT)"
        case SIGSEGV: return " (SIGSEGV)"
        case SIGABRT: return " (SIGABRT)"
        case SIGBUS: return " (SIGBUS)"
        case SIGILL: return " (SIGILL, a Swift runtime trap)"
        case SIGTRAP: return " (SIGTRAP, a Swift runtime trap)"
        default: return ""
        }
    }

    deinit {
        if reaped == nil {
            _ = kill(pid, SIGKILL)
            _ = reap(options: 0)
        }
    }
}
