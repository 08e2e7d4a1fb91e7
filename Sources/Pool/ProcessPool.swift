import CPlatform
import Foundation
import Platform
import Results
import Codec
import Payload
import Units

/// A pool of persistent worker processes, like Python's `ProcessPoolExecutor`.
///
/// Each worker is the payloadlab executable started with the hidden `worker` subcommand through `posix_spawn`,
/// talking `WorkerProtocol` over two pipes. For every task the parent encodes the payload on the feeder thread
/// that owns an idle worker, writes it to that worker's pipe, and waits for the worker's report.
public final class ProcessPool: TaskPool {
    /// How a task's encoded payload reaches its worker.
    public enum Transport: String, Sendable, Codable {
        /// Written through the worker's pipe after a frame header.
        case pipe
        /// Encoded into a shared-memory segment the worker maps; only a control frame crosses the pipe.
        case shm
    }

    public struct Options: Sendable {
        /// The payloadlab executable to start as `worker`.
        public var executable: String
        public var workers: Int
        /// The codec the parent encodes with (the workers get its name in `configuration`).
        public var codec: any Codec
        public var configuration: WorkerConfiguration
        /// The pipe buffer asked for with F_SETPIPE_SZ (the kernel may grant less).
        public var pipeBufferBytes: Int
        /// How long a task may take before its worker is declared hung and killed.
        public var taskTimeoutSeconds: Double
        /// Faults the workers inject (tests).
        public var faults: [Int: WorkerFault]
        public var transport: Transport

        public init(
            executable: String, workers: Int, codec: any Codec, configuration: WorkerConfiguration,
            pipeBufferBytes: Int = 1 << 20, taskTimeoutSeconds: Double, faults: [Int: WorkerFault] = [:],
            transport: Transport = .pipe
        ) {
            self.transport = transport
            self.executable = executable
            self.workers = workers
            self.codec = codec
            self.configuration = configuration
            self.pipeBufferBytes = pipeBufferBytes
            self.taskTimeoutSeconds = taskTimeoutSeconds
            self.faults = faults
        }
    }

    /// One worker process and the parent's ends of its two pipes.
    final class WorkerSlot: @unchecked Sendable {
        let process: ChildProcess
        let channel: FrameChannel
        /// The worker's shared segment (the `shm` transport).
        let segment: SharedSegment?
        init(process: ChildProcess, channel: FrameChannel, segment: SharedSegment?) {
            self.process = process
            self.channel = channel
            self.segment = segment
        }
    }

    public let options: Options
    private var slots: [WorkerSlot] = []
    private var feeders: WorkerThreads?
    private let lock = InterpreterLock()
    private var nextTaskID = 0
    /// Per worker, the largest peak resident memory it reported (its baseline at start, then each task's VmHWM).
    public private(set) var workerPeakBytes: [Int] = []

    public init(options: Options) {
        self.options = options
    }

    /// The pids of the running workers.
    public var workerPIDs: [Int32] { slots.map(\.process.pid) }

    public func start() throws(PoolError) -> PoolStart {
        signal(SIGPIPE, SIG_IGN)
        let begin = MonotonicClock.now()
        var granted = 0
        var baselines: [Int] = []
        var adviceError: String?
        do {
            for index in 0..<options.workers {
                let (slot, pipeBytes) = try spawnWorker(index: index)
                slots.append(slot)
                granted = pipeBytes
            }
            let configuration = Array(try JSONEncoder().encode(options.configuration))
            for slot in slots {
                try slot.channel.send(.configure, metadata: configuration, deadline: Deadline(secondsFromNow: 30))
            }
            for slot in slots {
                let frame = try slot.channel.receive(deadline: Deadline(secondsFromNow: 30))
                try frame.expect(.ready)
                let ready = try JSONDecoder().decode(WorkerReady.self, from: Data(frame.metadata))
                baselines.append(ready.residentBytes)
                adviceError = adviceError ?? ready.hugePageAdviceError
            }
            workerPeakBytes = baselines
        } catch let error as PoolError {
            _ = shutdown()
            throw error
        } catch let error as WorkerFrameError {
            let pid = slots.first?.process.pid ?? 0
            _ = shutdown()
            switch error {
            case .workerReported(let message): throw .workerFailed(pid: pid, message: message)
            case .transport(let transport): throw .protocolViolation(pid: pid, detail: transport.description)
            }
        } catch {
            let pid = slots.first?.process.pid ?? 0
            let detail = (error as? TransportError)?.description ?? "\(error)"
            _ = shutdown()
            throw .spawnFailed(executable: options.executable, reason: "worker \(pid) did not start: \(Sentence.clause(detail))")
        }
        do {
            feeders = try WorkerThreads(count: options.workers, name: "payloadlab-feeder")
        } catch {
            _ = shutdown()
            throw error
        }
        feeders?.runOnAll { _ in }
        return PoolStart(
            seconds: MonotonicClock.seconds(from: begin, to: MonotonicClock.now()), pipeBufferBytes: granted,
            workerBaselineBytes: baselines, hugePageAdviceError: adviceError)
    }

    /// A failed start with errno `code`: a descriptor limit is named as such, anything else as a start failure.
    private func spawnError(_ code: Int32) -> PoolError {
        if code == EMFILE || code == ENFILE { return .tooManyOpenFiles(errno: code) }
        return .spawnFailed(executable: options.executable, reason: SystemErrorText.describe(code))
    }

    private func spawnWorker(index: Int) throws(PoolError) -> (WorkerSlot, Int) {
        var request: [Int32] = [0, 0]
        var reply: [Int32] = [0, 0]
        guard pl_pipe_cloexec(&request) == 0 else { throw spawnError(errno) }
        guard pl_pipe_cloexec(&reply) == 0 else {
            let code = errno
            close(request[0]); close(request[1])
            throw spawnError(code)
        }
        let granted = Int(max(0, pl_set_pipe_size(request[1], Int32(options.pipeBufferBytes))))
        let actual = granted > 0 ? granted : Int(max(0, pl_get_pipe_size(request[1])))
        var arguments = ["worker", "--parent", "\(getpid())"]
        if let fault = options.faults[index] { arguments += ["--fault", fault.argument] }
        var descriptors: [(source: Int32, target: Int32)] = [
            (source: request[0], target: WorkerProtocol.requestDescriptor),
            (source: reply[1], target: WorkerProtocol.replyDescriptor),
        ]
        let process: ChildProcess
        var segment: SharedSegment?
        do {
            if options.transport == .shm {
                let created = try SharedSegment(name: "payloadlab-worker-\(index)")
                descriptors.append((source: created.descriptor, target: WorkerProtocol.segmentDescriptor))
                segment = created
            }
            process = try ChildProcess.spawn(
                executable: options.executable, arguments: arguments, descriptors: descriptors)
        } catch {
            for fd in request + reply { close(fd) }
            if case .system(_, let code) = error as? DescriptorError { throw spawnError(code) }
            throw .spawnFailed(executable: options.executable, reason: Sentence.clause(error))
        }
        close(request[0])
        close(reply[1])
        // Sends wait for room with a deadline, so a worker that stops reading cannot block the parent in write().
        do {
            try DescriptorIO.setNonBlocking(request[1])
        } catch {
            process.killAndReap()
            close(request[1]); close(reply[0])
            throw .spawnFailed(executable: options.executable, reason: error.description)
        }
        let channel = FrameChannel(input: reply[0], output: request[1], bodyLimit: 0)
        return (WorkerSlot(process: process, channel: channel, segment: segment), actual)
    }

    public func run(payload: Payload, checksum: UInt64, tasks: Int) throws(PoolError) -> PoolBatch {
        guard let feeders else { preconditionFailure("ProcessPool.run before start") }
        let counter = TaskCounter(count: tasks)
        let results = PerThread<[TaskSample]>(count: slots.count, initial: [])
        let peaks = PerThread<Int>(count: slots.count, initial: 0)
        let firstID = nextTaskID
        nextTaskID += tasks
        let slots = self.slots
        let codec = options.codec
        let gil = options.configuration.gil
        let timeout = options.taskTimeoutSeconds
        let record = options.configuration.recordLockIntervals
        let lock = self.lock
        let shared = SharedPayload(payload)
        let gate = StartGate(count: slots.count)
        feeders.runOnAll { worker in
            let batchStart = gate.arriveAndWait()
            let slot = slots[worker]
            var schedule = LockSchedule(fraction: gil, lock: lock, recordsIntervals: record)
            var samples: [TaskSample] = []
            var peak = 0
            while let index = counter.take() {
                let taskID = UInt64(firstID + index)
                do throws(PoolError) {
                    let (sample, reportedPeak) = try ProcessPool.runTask(
                        taskID: taskID, worker: worker, slot: slot, payload: shared.payload, checksum: checksum,
                        codec: codec, schedule: &schedule, timeout: timeout, batchStart: batchStart)
                    samples.append(sample)
                    peak = max(peak, reportedPeak)
                } catch {
                    counter.fail(error)
                }
            }
            results.update(worker) { $0 = samples }
            peaks.update(worker) { $0 = peak }
        }
        for (worker, peak) in peaks.all.enumerated() where worker < workerPeakBytes.count {
            workerPeakBytes[worker] = max(workerPeakBytes[worker], peak)
        }
        let wall = MonotonicClock.seconds(from: gate.opened, to: MonotonicClock.now())
        if let failure = counter.firstFailure { throw failure }
        return PoolBatch(samples: results.all.joined().sorted { $0.task < $1.task }, wallSeconds: wall)
    }

    private static func runTask(
        taskID: UInt64, worker: Int, slot: WorkerSlot, payload: Payload, checksum: UInt64, codec: any Codec,
        schedule: inout LockSchedule, timeout: Double, batchStart: UInt64
    ) throws(PoolError) -> (sample: TaskSample, peakResidentBytes: Int) {
        let start = MonotonicClock.now()
        var spans: [StageSpan] = []
        let encoding = try timed(.serialize, into: &spans) { () throws(PoolError) in
            try schedule.unit { () throws(PoolError) in try serialize(payload, with: codec, for: slot) }
        }
        let parentIntervals = schedule.recordsIntervals ? schedule.takeIntervals() : []
        let sendCPU = MonotonicClock.threadCPU()
        let sentAt = MonotonicClock.now()
        let request = TaskRequest(taskID: taskID, expectedChecksum: checksum, sentAt: sentAt)
        // One deadline for sending and answering: a worker that stops reading is as hung as one that stops answering.
        let deadline = Deadline(secondsFromNow: timeout)
        do {
            if slot.segment != nil {
                try slot.channel.send(
                    .sharedTask, metadata: request.sharedBytes(length: encoding.sharedLength), deadline: deadline)
            } else {
                try encoding.bytes.withUnsafeBytes { raw in
                    try slot.channel.send(.task, metadata: request.bytes, body: raw, deadline: deadline)
                }
            }
            let sendCPUNanoseconds = MonotonicClock.threadCPU() &- sendCPU
            let (report, end) = try receiveReport(from: slot, taskID: taskID, checksum: checksum, deadline: deadline)
            spans.append(StageSpan(
                stage: .transfer, start: sentAt, end: max(sentAt, report.receivedAt),
                cpuNanoseconds: sendCPUNanoseconds))
            spans += report.spans
            let intervals = schedule.recordsIntervals ? parentIntervals + report.lockIntervals : nil
            let sample = TaskSample(
                task: Int(taskID), worker: worker, spans: spans, start: start, end: end, batchStart: batchStart,
                encodedBytes: slot.segment == nil ? encoding.bytes.count : encoding.sharedLength,
                lockIntervals: intervals)
            return (sample, Int(clamping: report.peakResidentBytes))
        } catch {
            throw poolError(error, slot: slot, taskID: taskID)
        }
    }

    /// Encodes a task's payload: into a new buffer for the pipe (`bytes`), or straight into the worker's shared
    /// segment (`sharedLength`).
    private static func serialize(
        _ payload: Payload, with codec: any Codec, for slot: WorkerSlot
    ) throws(PoolError) -> (bytes: [UInt8], sharedLength: Int) {
        do {
            if let segment = slot.segment {
                return ([], try ProcessPool.encode(payload, with: codec, into: segment))
            }
            return (try codec.encode(payload), 0)
        } catch let error as TransportError {
            throw .protocolViolation(pid: slot.process.pid, detail: error.description)
        } catch {
            throw .codecFailed("\(error)")
        }
    }

    /// Waits for the worker's answer to `taskID` and checks it: the task, the checksum it decoded and the bytes it
    /// wrote. Returns the report and when the answer arrived.
    private static func receiveReport(
        from slot: WorkerSlot, taskID: UInt64, checksum: UInt64, deadline: Deadline
    ) throws -> (report: TaskReport, end: UInt64) {
        let pid = slot.process.pid
        let frame = try slot.channel.receive(deadline: deadline)
        let end = MonotonicClock.now()
        try frame.expect(.result)
        let report = try frame.metadata.withUnsafeBytes { raw in
            try TaskReport(parsing: raw)
        }
        guard report.taskID == taskID else {
            throw PoolError.protocolViolation(pid: pid, detail: "answered task \(report.taskID) instead of \(taskID)")
        }
        guard report.decodedChecksum == checksum else {
            throw PoolError.checksumMismatch(task: taskID, expected: checksum, got: report.decodedChecksum)
        }
        guard report.writtenBytes == report.reserializedBytes else {
            throw PoolError.shortWrite(
                path: "worker \(pid) scratch file", expected: report.reserializedBytes, got: report.writtenBytes)
        }
        return (report, end)
    }

    /// The pool's account of an error met while a task was sent or answered; a hung worker is killed first, and one
    /// whose pipe closed is waited for so that the error can say how it ended.
    private static func poolError(_ error: any Error, slot: WorkerSlot, taskID: UInt64) -> PoolError {
        let pid = slot.process.pid
        switch error {
        case let error as PoolError:
            return error
        case let error as WorkerFrameError:
            switch error {
            case .workerReported(let message): return .workerFailed(pid: pid, message: message)
            case .transport(let transport): return .protocolViolation(pid: pid, detail: transport.description)
            }
        case let error as TransportError:
            switch error {
            case .timedOut(let seconds):
                slot.process.signal(SIGKILL)
                slot.process.wait(upTo: 5)
                return .workerHung(pid: pid, seconds: seconds, task: taskID)
            case .interrupted:
                slot.process.signal(SIGKILL)
                slot.process.wait(upTo: 5)
                return .interrupted
            case .closed, .system(call: "write", errno: EPIPE):
                let ended = slot.process.wait(upTo: 2)
                return .workerDied(pid: pid, how: ended.summary, task: taskID)
            default:
                slot.process.signal(SIGKILL)
                return .protocolViolation(pid: pid, detail: error.description)
            }
        default:
            return .protocolViolation(pid: pid, detail: "\(error)")
        }
    }

    /// Encodes `payload` into `segment`, directly when the codec can, else through one copy; returns the length.
    static func encode(_ payload: Payload, with codec: any Codec, into segment: SharedSegment) throws -> Int {
        if let direct = codec as? any BufferEncoding {
            return try direct.encode(payload) { count in try segment.reserve(count) }
        }
        let bytes = try codec.encode(payload)
        let target = try segment.reserve(bytes.count)
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress, let destination = target.baseAddress {
                destination.copyMemory(from: base, byteCount: raw.count)
            }
        }
        return bytes.count
    }

    public func shutdown() -> [ChildProcess.Termination] {
        feeders?.stop()
        feeders = nil
        for slot in slots {
            // Bounded: a worker that stopped reading is killed by `wait(upTo:)` below.
            try? slot.channel.send(.shutdown, deadline: Deadline(secondsFromNow: 1))
            close(slot.channel.output)
        }
        var ended: [ChildProcess.Termination] = []
        for slot in slots {
            ended.append(slot.process.wait(upTo: 5))
            close(slot.channel.input)
        }
        slots = []
        return ended
    }

    deinit {
        if !slots.isEmpty { _ = shutdown() }
    }
}
