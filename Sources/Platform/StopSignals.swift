import CPlatform
#if canImport(Glibc)
import Glibc
#endif
import Units

/// SIGINT, SIGTERM and SIGHUP as a request to stop, handled without creating anything.
///
/// The handler (in CPlatform) only records the first signal and when it came, counts signals, and writes one byte
/// to a self-pipe when one is open; so a stop works under any process limit, where no thread can be started.
/// Long waits (`DescriptorIO.writeAll(_:_:deadline:)`, `waitReadable`) look at `arrivedAt` between slices.
public enum StopSignals {
    /// The signals that ask payloadlab to stop: Ctrl-C, `kill`, and a closed terminal or dropped ssh session.
    public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// How long a wait on another process may go on after a stop signal, so that tasks in flight can finish their
    /// batch; a wait blocked longer (a stopped worker, a full pipe) then ends with `DescriptorError.interrupted`.
    public static let graceSeconds = 3.0

    /// Installs the handlers. Returns false (with the default actions left in place) if `sigaction` failed.
    @discardableResult
    public static func install() -> Bool {
        pl_stop_signals_install() == 0
    }

    /// Starts a thread that calls `onSignal(signal, count)` for every stop signal, `count` being how many have
    /// arrived so far. Returns false if no thread or self-pipe could be made: the stop still works (`received`),
    /// and a second signal then exits at once with status 130 from the handler itself.
    @discardableResult
    public static func watch(_ onSignal: @escaping @Sendable (_ signal: Int32, _ count: Int) -> Void) -> Bool {
        let fd = pl_stop_pipe_open()
        guard fd >= 0 else { return false }
        do {
            try OSThread.start(stackBytes: 256 << 10) {
                var byte: UInt8 = 0
                while true {
                    let n = withUnsafeMutableBytes(of: &byte) { raw in (try? DescriptorIO.read(fd, into: raw)) ?? 0 }
                    if n != 1 { return }
                    onSignal(Int32(byte), count)
                }
            }
        } catch {
            pl_stop_pipe_close()
            _ = Glibc.close(fd)
            return false
        }
        return true
    }

    /// Restores the default actions.
    public static func uninstall() {
        _ = pl_stop_signals_uninstall()
    }

    /// The first stop signal received, if any.
    public static var received: Int32? {
        let signal = pl_stop_first_signal()
        return signal == 0 ? nil : signal
    }

    /// How many stop signals arrived.
    public static var count: Int { Int(pl_stop_count()) }

    /// CLOCK_MONOTONIC when the first stop signal arrived.
    public static var arrivedAt: UInt64? {
        let at = pl_stop_at_ns()
        return at == 0 ? nil : at
    }

    /// Whether a wait that started blocking should give up now: a stop signal came more than `graceSeconds` ago.
    static func graceExpired(now: UInt64) -> Bool {
        guard let arrivedAt else { return false }
        return now >= arrivedAt &+ UInt64(graceSeconds * 1e9)
    }

    /// Forgets received signals (tests).
    public static func reset() { pl_stop_reset() }

    /// "SIGTERM", "SIGINT", "SIGHUP", or "signal N".
    public static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(signal)"
        }
    }
}

/// Starting OS threads with `pthread_create`, whose failure (EAGAIN under a process or pids limit) is reported
/// instead of going unnoticed as `Foundation.Thread.start()` lets it.
public enum OSThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts a detached thread running `body`. Throws `.system(call: "pthread_create", …)` if it cannot start.
    public static func start(stackBytes: Int = 0, _ body: @escaping () -> Void) throws(DescriptorError) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        let rc = pl_thread_start({ raw in
            let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
            body.run()
            return nil
        }, box, stackBytes)
        if rc != 0 {
            Unmanaged<Body>.fromOpaque(box).release()
            throw .system(call: "pthread_create", errno: rc)
        }
    }
}
