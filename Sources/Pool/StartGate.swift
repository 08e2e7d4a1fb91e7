import Glibc
import Synchronization
import Units

/// Holds the threads of one batch until every one of them is running, and says when that was.
///
/// Waking a pool's sleeping threads is not instant: on this 2-vCPU machine the second thread of a batch often
/// started 1–1.5 ms after the first (an idle virtual CPU has to be scheduled again). A batch of 1 KB tasks lasts
/// about that long, so one thread did most of the batch alone and the thread pool's throughput read as half of
/// what two busy threads deliver. A pool serving a steady stream of tasks keeps its threads awake; the batch clock
/// therefore starts when the last thread has arrived here.
final class StartGate: @unchecked Sendable {
    private let arrived = Atomic<Int>(0)
    private let openedAt = Atomic<UInt64>(0)
    private let count: Int
    /// How long a thread waits for the others at most; past it, it starts anyway (a thread that never comes must
    /// not hang the batch).
    private let patienceNanoseconds: UInt64

    init(count: Int, patienceNanoseconds: UInt64 = 100_000_000) {
        self.count = max(1, count)
        self.patienceNanoseconds = patienceNanoseconds
    }

    /// Marks the calling thread as running and waits, yielding its CPU, until all `count` have; returns the moment
    /// the gate opened (CLOCK_MONOTONIC nanoseconds), the same for every thread.
    func arriveAndWait() -> UInt64 {
        let start = MonotonicClock.now()
        if arrived.add(1, ordering: .acquiringAndReleasing).newValue == count {
            openedAt.store(MonotonicClock.now(), ordering: .releasing)
        }
        while openedAt.load(ordering: .acquiring) == 0 {
            if MonotonicClock.now() &- start > patienceNanoseconds {
                // Open it ourselves; if another thread raced us, keep the earlier time.
                _ = openedAt.compareExchange(expected: 0, desired: MonotonicClock.now(), ordering: .acquiringAndReleasing)
                break
            }
            sched_yield()
        }
        return openedAt.load(ordering: .acquiring)
    }

    /// When the gate opened; 0 before it has.
    var opened: UInt64 { openedAt.load(ordering: .acquiring) }
}
