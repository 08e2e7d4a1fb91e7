#if canImport(Glibc)
import Glibc
#endif
import Results
import Units

/// One lock shared by every thread of a pool in one process: the model of CPython's global interpreter lock.
///
/// A pool's threads run their work and codec operations as *units*; a `LockSchedule` decides which units hold this
/// lock so that, over a task, the share `fraction` of units does. Worker processes each have their own lock, so the
/// lock never contends across processes — exactly as with CPython.
public final class InterpreterLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
}

/// Decides, unit by unit, whether a thread's next piece of work holds the interpreter lock.
///
/// Unit `i` is locked when `floor((i+1)·f) > floor(i·f)`: with `f = 1` every unit, with `f = 0` none, with
/// `f = 0.25` every fourth — deterministic, and the locked share converges to `f`. Codec operations and the
/// checksum pass are one unit each; `cpu:` work is cut into slices of about 100 µs of CPU.
public struct LockSchedule {
    public let fraction: Double
    public let lock: InterpreterLock?
    public let recordsIntervals: Bool
    private var unitIndex = 0
    public private(set) var intervals: [LockInterval] = []

    public init(fraction: Double, lock: InterpreterLock?, recordsIntervals: Bool = false) {
        self.fraction = min(1, max(0, fraction))
        self.lock = fraction > 0 ? lock : nil
        self.recordsIntervals = recordsIntervals
    }

    /// Whether the next unit will hold the lock.
    var nextUnitLocked: Bool {
        guard lock != nil else { return false }
        let i = Double(unitIndex)
        return (fraction * (i + 1)).rounded(.down) > (fraction * i).rounded(.down)
    }

    /// Runs `body` as one unit, holding the lock if the schedule says so.
    public mutating func unit<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let locked = nextUnitLocked
        unitIndex += 1
        if locked { lock?.lock() }
        let start = recordsIntervals ? MonotonicClock.now() : 0
        defer {
            if recordsIntervals {
                intervals.append(LockInterval(start: start, end: MonotonicClock.now(), locked: locked))
            }
            if locked { lock?.unlock() }
        }
        return try body()
    }

    /// Takes the recorded intervals, leaving none.
    public mutating func takeIntervals() -> [LockInterval] {
        defer { intervals = [] }
        return intervals
    }
}
