import CPlatform
import Foundation
import Platform
import Results
import Codec
import Units
import Payload

/// The body of the hidden `payloadlab worker` subcommand: a persistent worker process serving one pool.
///
/// It reads `WorkerProtocol` frames on fd 3 and answers on fd 4: one `configure`, then `task` frames until
/// `shutdown` or end of file. It dies with its parent (PR_SET_PDEATHSIG), so a killed parent leaves no worker.
public enum WorkerMain {
    /// Runs the worker loop and returns the process exit status.
    public static func run(parentPID: Int32?, fault: WorkerFault?) -> Int32 {
        HeapPolicy.apply()
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        _ = pl_set_parent_death_signal(SIGKILL)
        if let parentPID, getppid() != parentPID { return 70 }

        let channel = FrameChannel(
            input: WorkerProtocol.requestDescriptor, output: WorkerProtocol.replyDescriptor, bodyLimit: 0)
        switch configure(channel, fault: fault) {
        case .ready(let server): return serve(channel, server: server, fault: fault)
        case .exit(let status): return status
        }
    }

    /// How the `configure` handshake ended: with a worker ready to serve, or with the process's exit status.
    private enum Handshake {
        case ready(TaskServer)
        case exit(Int32)
    }

    /// Reads the `configure` frame, sets the worker up and answers `ready`.
    private static func configure(_ channel: FrameChannel, fault: WorkerFault?) -> Handshake {
        do {
            let frame = try channel.receive()
            guard frame.kind == .configure else { return .exit(65) }
            let configuration = try JSONDecoder().decode(WorkerConfiguration.self, from: Data(frame.metadata))
            // Before the first buffer is allocated: the receive buffer and every decoded object take the advice.
            HugePages.setEnabled(configuration.hugePages ?? false)
            var adviceError: String?
            if configuration.hugePages == true {
                let code = TransparentHugePages.checkAdvice()
                if code != 0 { adviceError = SystemErrorText.describe(code) }
            }
            let server = try TaskServer(configuration: configuration, fault: fault)
            channel.bodyLimit = configuration.maxBodyBytes
            let ready = WorkerReady(
                pid: getpid(), residentBytes: ResidentMemory.current(), hugePageAdviceError: adviceError)
            try channel.send(.ready, metadata: Array(try JSONEncoder().encode(ready)))
            return .ready(server)
        } catch let error as TransportError {
            if case .closed(_, 0) = error { return .exit(0) }
            return .exit(66)
        } catch {
            try? channel.send(.failure, metadata: Array("\(error)".utf8))
            return .exit(67)
        }
    }

    /// Serves task frames until `shutdown`, the end of the pipe, or an error; returns the exit status.
    private static func serve(_ channel: FrameChannel, server: TaskServer, fault: WorkerFault?) -> Int32 {
        var served = 0
        while true {
            let frame: ReceivedFrame
            do {
                frame = try channel.receive()
            } catch {
                // The parent closed the pipe between frames: it is gone or done.
                if case .closed(_, 0)? = error as? TransportError { return 0 }
                return 68
            }
            switch frame.kind {
            case .shutdown:
                return 0
            case .task, .sharedTask:
                served += 1
                if let status = answer(frame, number: served, channel: channel, server: server, fault: fault) {
                    return status
                }
            default:
                try? channel.send(.failure, metadata: Array("unexpected frame kind \(frame.rawKind)".utf8))
                return 65
            }
        }
    }

    /// Serves one task and sends its report, or the failure the task met; returns an exit status when the
    /// channel itself failed, nil to go on.
    private static func answer(
        _ frame: ReceivedFrame, number served: Int, channel: FrameChannel, server: TaskServer, fault: WorkerFault?
    ) -> Int32? {
        do {
            let report = try server.serve(frame, number: served)
            if case .garbage(served) = fault {
                let garbage: [UInt8] = Array("garbage! not a frame header....".utf8)
                try TransportError.wrapping {
                    try garbage.withUnsafeBytes { raw in try DescriptorIO.writeAll(WorkerProtocol.replyDescriptor, raw) }
                }
                return nil
            }
            try channel.send(.result, metadata: report.bytes)
        } catch let error as TransportError {
            _ = error
            return 69
        } catch {
            do {
                try channel.send(.failure, metadata: Array("\(error)".utf8))
            } catch {
                return 69
            }
        }
        return nil
    }
}

/// What a worker process does with each task frame.
final class TaskServer {
    let configuration: WorkerConfiguration
    let codec: any Codec
    let stages: WorkerStages
    let fault: WorkerFault?
    /// The shared segment inherited on fd 5 (the `shm` transport).
    let segment: SharedSegment?
    private var schedule: LockSchedule
    private var peak = PeakMemorySampler()

    init(configuration: WorkerConfiguration, fault: WorkerFault?) throws {
        self.configuration = configuration
        self.codec = try Codecs.named(configuration.codec)
        let work = try WorkProfile(parsing: configuration.work)
        self.stages = WorkerStages(
            codec: codec, work: work, workBytes: configuration.workBytes,
            writer: ScratchWriter(directory: configuration.scratchDirectory, sync: configuration.sync))
        self.fault = fault
        self.segment = configuration.transport == "shm"
            ? SharedSegment(adopting: WorkerProtocol.segmentDescriptor) : nil
        // The worker's own lock: it never contends across processes, but a thread in it would pay for it.
        self.schedule = LockSchedule(
            fraction: configuration.gil, lock: InterpreterLock(),
            recordsIntervals: configuration.recordLockIntervals)
    }

    func serve(_ frame: ReceivedFrame, number: Int) throws -> TaskReport {
        let request: TaskRequest
        let body: UnsafeRawBufferPointer
        if frame.kind == .sharedTask {
            guard let segment else { throw TransportError.unexpectedFrame(kind: frame.rawKind, expected: "task") }
            let (parsed, length) = try frame.metadata.withUnsafeBytes { raw in
                try TaskRequest.parseShared(raw, limit: configuration.maxBodyBytes)
            }
            request = parsed
            body = try segment.view(length)
        } else {
            request = try frame.metadata.withUnsafeBytes { raw in try TaskRequest(parsing: raw) }
            body = frame.body
        }
        switch fault {
        case .crash(number): kill(getpid(), SIGKILL)
        case .hang(number): while true { sleep(60) }
        default: break
        }
        // `raw` is read in place from the shared segment; `flat` from the segment or from the pipe's receive buffer
        // (its one receive copy), since nothing about it needs an object.
        if let inPlace = codec as? any InPlaceReadable, frame.kind == .sharedTask || codec is FlatCodec {
            return try serveInPlace(request, codec: inPlace, body: body, receivedAt: frame.receivedAt, number: number)
        }
        var spans: [StageSpan] = []
        let payload = try timed(.deserialize, into: &spans) {
            try schedule.unit { try codec.decode(body) }
        }
        var decodedChecksum = timed(.verify, into: &spans) { payload.checksum }
        if case .wrongChecksum(number) = fault { decodedChecksum ^= 1 }
        let outcome = try stages.run(
            on: payload, fileName: "payloadlab-worker-\(getpid())-\(request.taskID).bin", schedule: &schedule)
        spans += outcome.spans
        return TaskReport(
            taskID: request.taskID, receivedAt: frame.receivedAt, spans: spans, decodedChecksum: decodedChecksum,
            reserializedBytes: outcome.reserializedBytes, writtenBytes: outcome.writtenBytes,
            workDigest: outcome.workDigest,
            lockIntervals: configuration.recordLockIntervals ? schedule.takeIntervals() : [],
            peakResidentBytes: peak.afterTask(bodyBytes: body.count))
    }

    /// The zero-copy path: a `raw` or `flat` payload read where it lies (the shared segment, or for `flat` the
    /// receive buffer) — deserialize only checks the view, verify and work read fields in place, and nothing is
    /// re-encoded: the object did not change, so its encoding is the bytes it arrived in, written to disk from there.
    private func serveInPlace(
        _ request: TaskRequest, codec: any InPlaceReadable, body: UnsafeRawBufferPointer, receivedAt: UInt64,
        number: Int
    ) throws -> TaskReport {
        var spans: [StageSpan] = []
        let view = try timed(.deserialize, into: &spans) { try schedule.unit { try codec.view(body) } }
        var decodedChecksum = timed(.verify, into: &spans) { view.checksum }
        if case .wrongChecksum(number) = fault { decodedChecksum ^= 1 }
        let digest = timed(.work, into: &spans) {
            WorkRunner.run(stages.work, checksum: { view.checksum }, bytes: stages.workBytes, schedule: &schedule)
        }
        let outcome = try stages.writer.write(view.encoded, name: "payloadlab-worker-\(getpid())-\(request.taskID).bin")
        spans.append(outcome.write)
        if let sync = outcome.sync { spans.append(sync) }
        return TaskReport(
            taskID: request.taskID, receivedAt: receivedAt, spans: spans, decodedChecksum: decodedChecksum,
            reserializedBytes: UInt64(view.encoded.count), writtenBytes: outcome.writtenBytes, workDigest: digest,
            lockIntervals: configuration.recordLockIntervals ? schedule.takeIntervals() : [],
            peakResidentBytes: peak.afterTask(bodyBytes: body.count))
    }
}

/// A worker's own peak resident memory (VmHWM), read from `/proc/self/status` when it is worth reading.
///
/// A read costs about 17 µs here (the kernel formats the whole status file), half of a 1 KB task's 34 µs round trip,
/// so it is not made after every small task: it is made after the first task, after every task of at least
/// `largeBodyBytes` (where it is under 2 % of the task), and otherwise once `intervalNs` has passed since the last
/// read. Between reads the last value is reported. Small tasks repeat the same allocations in heap the worker
/// keeps, so their peak is reached by the first of them; at most the last `intervalNs` of tasks go unread.
struct PeakMemorySampler {
    static let largeBodyBytes = 1 << 20
    static let intervalNs: UInt64 = 10_000_000
    private var lastReadNs: UInt64?
    private var bytes: UInt64 = 0

    /// The peak to report after a task whose body was `bodyBytes` long.
    mutating func afterTask(bodyBytes: Int) -> UInt64 {
        let now = MonotonicClock.now()
        let due = lastReadNs.map { now &- $0 >= Self.intervalNs } ?? true
        if due || bodyBytes >= Self.largeBodyBytes {
            bytes = max(bytes, UInt64(max(0, ResidentMemory.peak())))
            lastReadNs = now
        }
        return bytes
    }
}
