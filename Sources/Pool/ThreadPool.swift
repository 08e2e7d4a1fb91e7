import Platform
import Results
import Codec
import Payload
import Units
/// A pool of dedicated OS threads sharing one address space, like Python's `ThreadPoolExecutor`.
///
/// Each task takes the payload object the parent already holds — shared, never copied — runs the work profile,
/// encodes it, writes it to a scratch file (and `fsync`s it with `sync`), and removes the file.
public final class ThreadPool: TaskPool {
    public struct Options: Sendable {
        public var workers: Int
        public var codec: any Codec
        public var work: WorkProfile
        /// The payload size `cpu:` work scales with.
        public var workBytes: Int
        /// The share of work and codec units run under the pool's one interpreter lock.
        public var gil: Double
        public var sync: Bool
        public var scratchDirectory: String
        public var recordLockIntervals: Bool

        public init(
            workers: Int, codec: any Codec, work: WorkProfile, workBytes: Int, gil: Double, sync: Bool,
            scratchDirectory: String, recordLockIntervals: Bool = false
        ) {
            self.workers = workers
            self.codec = codec
            self.work = work
            self.workBytes = workBytes
            self.gil = gil
            self.sync = sync
            self.scratchDirectory = scratchDirectory
            self.recordLockIntervals = recordLockIntervals
        }
    }

    public let options: Options
    private let lock = InterpreterLock()
    private var threads: WorkerThreads?
    private var nextTaskID = 0

    public init(options: Options) {
        self.options = options
    }

    public func start() throws(PoolError) -> PoolStart {
        let begin = MonotonicClock.now()
        threads = try WorkerThreads(count: options.workers, name: "payloadlab-thread", pinned: true)
        // A no-op batch proves every thread is up and waiting before the clock stops.
        threads?.runOnAll { _ in }
        return PoolStart(
            seconds: MonotonicClock.seconds(from: begin, to: MonotonicClock.now()), pipeBufferBytes: 0,
            workerBaselineBytes: [])
    }

    public func run(payload: Payload, checksum: UInt64, tasks: Int) throws(PoolError) -> PoolBatch {
        guard let threads else { preconditionFailure("ThreadPool.run before start") }
        let counter = TaskCounter(count: tasks)
        let results = PerThread<[TaskSample]>(count: options.workers, initial: [])
        let stages = WorkerStages(
            codec: options.codec, work: options.work, workBytes: options.workBytes,
            writer: ScratchWriter(directory: options.scratchDirectory, sync: options.sync))
        let firstID = nextTaskID
        nextTaskID += tasks
        let options = self.options
        let lock = self.lock
        let shared = SharedPayload(payload)
        let gate = StartGate(count: options.workers)
        threads.runOnAll { worker in
            let batchStart = gate.arriveAndWait()
            var schedule = LockSchedule(
                fraction: options.gil, lock: lock, recordsIntervals: options.recordLockIntervals)
            var samples: [TaskSample] = []
            while let index = counter.take() {
                let taskID = firstID + index
                let start = MonotonicClock.now()
                do throws(PoolError) {
                    let outcome = try stages.run(
                        on: shared.payload, fileName: "payloadlab-thread-\(getpidValue())-\(taskID).bin",
                        schedule: &schedule)
                    let end = MonotonicClock.now()
                    samples.append(TaskSample(
                        task: taskID, worker: worker, spans: outcome.spans, start: start, end: end,
                        batchStart: batchStart, encodedBytes: Int(outcome.reserializedBytes),
                        lockIntervals: options.recordLockIntervals ? schedule.takeIntervals() : nil))
                } catch {
                    counter.fail(error)
                }
            }
            results.update(worker) { $0 = samples }
        }
        let wall = MonotonicClock.seconds(from: gate.opened, to: MonotonicClock.now())
        if let failure = counter.firstFailure { throw failure }
        let samples = results.all.joined().sorted { $0.task < $1.task }
        return PoolBatch(samples: samples, wallSeconds: wall)
    }

    public var workerPeakBytes: [Int] { [] }
    public var workerPIDs: [Int32] { [] }

    public func shutdown() -> [ChildProcess.Termination] {
        threads?.stop()
        threads = nil
        return []
    }

    deinit {
        threads?.stop()
    }
}

/// The parent's one payload object, read by every thread of a pool at once (a `Payload` is an immutable value).
final class SharedPayload: @unchecked Sendable {
    let payload: Payload
    init(_ payload: Payload) { self.payload = payload }
}
