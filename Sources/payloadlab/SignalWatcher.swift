#if canImport(Glibc)
import Glibc
#endif
import Units
import Platform

/// Turns SIGINT, SIGTERM and SIGHUP into a stop, so a sweep or a calibration stops its workers and saves what it
/// measured; a second signal gives up at once.
///
/// The handlers create nothing (`StopSignals`): a `StopFlag(watchingSignals: true)` sees the signal even when no
/// thread can be started. The thread that prints the acknowledgement is best effort.
final class SignalWatcher: Sendable {
    /// - Parameter onSignal: prints what happens next (called with the first signal's number, on the watcher thread).
    init(onSignal: @escaping @Sendable (Int32) -> Void) {
        StopSignals.install()
        StopSignals.watch { signal, count in
            if count >= 2 {
                // A second signal: give up waiting. Scratch files go now; workers die with their parent
                // (PR_SET_PDEATHSIG), and cannot create files in a scratch directory that no longer exists.
                StandardError.write("payloadlab: stopped at once (second \(Self.label(signal))); unsaved points are lost.\n")
                TemporaryPaths.removeAll()
                _exit(130)
            }
            onSignal(signal)
        }
    }

    /// How a signal is named to the user: "Ctrl-C", "SIGTERM", "SIGHUP".
    static func label(_ signal: Int32) -> String {
        signal == SIGINT ? "Ctrl-C" : StopSignals.name(signal)
    }

    func cancel() {
        StopSignals.uninstall()
    }
}
