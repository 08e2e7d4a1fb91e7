import Synchronization

/// Set from a signal-watching thread (SIGINT, SIGTERM) and polled by a sweep between tasks and points.
public final class StopFlag: Sendable {
    private let state = Atomic<Int>(0)

    public init() {}

    public func stop() { state.store(1, ordering: .relaxed) }

    public var isSet: Bool { state.load(ordering: .relaxed) != 0 }
}
