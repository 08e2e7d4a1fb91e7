import Platform
import Synchronization

/// Asks a sweep to stop; polled between tasks and points. Set by `stop()`, or by any stop signal (SIGINT, SIGTERM,
/// SIGHUP) once `StopSignals` handlers are installed, so a stop needs no thread to notice the signal.
public final class StopFlag: Sendable {
    private let state = Atomic<Int>(0)
    private let watchesSignals: Bool

    /// - Parameter watchingSignals: also count a received stop signal as a stop (the CLI); tests leave it off.
    public init(watchingSignals: Bool = false) {
        self.watchesSignals = watchingSignals
    }

    public func stop() { state.store(1, ordering: .relaxed) }

    public var isSet: Bool {
        state.load(ordering: .relaxed) != 0 || (watchesSignals && StopSignals.received != nil)
    }
}
