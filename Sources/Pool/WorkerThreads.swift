import CPlatform
import Foundation
import Platform

/// A fixed set of dedicated OS threads that run batches together, like the threads behind `ThreadPoolExecutor`.
///
/// Not the Swift concurrency pool: that has one thread per core and must not block on disk or pipe I/O.
final class WorkerThreads: @unchecked Sendable {
    private let condition = NSCondition()
    private var generation = 0
    private var running = 0
    private var stopping = false
    private var job: (@Sendable (Int) -> Void)?
    private var count: Int

    /// Starts `count` threads named `name-<i>`, each waiting for a batch.
    ///
    /// - Parameter pinned: pin thread i to the i-th allowed CPU (round robin). A batch wakes its threads together,
    ///   and the scheduler often queues two of them on one CPU; threads that never block then share it until load
    ///   balancing moves one, a few milliseconds later — longer than a batch of small tasks. A pool serving a
    ///   steady stream has long been balanced; pinning measures that state.
    ///
    /// Throws `PoolError.threadStartFailed` if a thread cannot be started (a process or pids limit); the threads
    /// already started are stopped first.
    init(count: Int, name: String, stackBytes: Int = 8 << 20, pinned: Bool = false) throws(PoolError) {
        self.count = count
        for index in 0..<count {
            do {
                // The threads keep this object alive until `stop()` lets them exit.
                try OSThread.start(stackBytes: stackBytes) {
                    if pinned { _ = pl_pin_thread_to_allowed_cpu(Int32(index)) }
                    self.loop(index)
                }
            } catch {
                condition.lock()
                self.count = index
                condition.unlock()
                stop()
                var code = EAGAIN
                if case .system(_, let errno) = error { code = errno }
                throw .threadStartFailed(errno: code)
            }
        }
    }

    /// Runs `body(threadIndex)` once on every thread and returns when all have finished.
    func runOnAll(_ body: @escaping @Sendable (Int) -> Void) {
        condition.lock()
        job = body
        running = count
        generation += 1
        condition.broadcast()
        while running > 0 { condition.wait() }
        job = nil
        condition.unlock()
    }

    /// Lets the threads finish and exit; waits until they have. Must be called once the set is no longer needed.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while exited < count { condition.wait() }
        condition.unlock()
    }

    private var exited = 0

    private func loop(_ index: Int) {
        var seen = 0
        while true {
            condition.lock()
            while generation == seen && !stopping { condition.wait() }
            if stopping && generation == seen {
                exited += 1
                condition.broadcast()
                condition.unlock()
                return
            }
            seen = generation
            let body = job
            condition.unlock()
            body?(index)
            condition.lock()
            running -= 1
            if running == 0 { condition.broadcast() }
            condition.unlock()
        }
    }
}

/// Hands out task indices 0..<count to competing threads, and keeps the first error any of them hit.
final class TaskCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int
    private var failure: PoolError?

    init(count: Int) { self.count = count }

    /// The next task index, or nil when none are left or a task failed.
    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil, next < count else { return nil }
        next += 1
        return next - 1
    }

    func fail(_ error: PoolError) {
        lock.lock()
        if failure == nil { failure = error }
        lock.unlock()
    }

    var firstFailure: PoolError? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }
}

/// Per-thread result slots, each written by one thread only and read after the batch.
final class PerThread<Value>: @unchecked Sendable {
    private var values: [Value]

    init(count: Int, initial: Value) { values = Array(repeating: initial, count: count) }

    func update(_ index: Int, _ body: (inout Value) -> Void) { body(&values[index]) }

    var all: [Value] { values }
}
