import Results
/// The metadata of a `result` frame: what a worker measured while it ran one task.
public struct TaskReport: Sendable, Equatable {
    public var taskID: UInt64
    /// When the last byte of the body was read (the end of `transfer`).
    public var receivedAt: UInt64
    /// The worker's stages in the order they ran.
    public var spans: [StageSpan]
    /// The checksum of the object the worker decoded.
    public var decodedChecksum: UInt64
    /// The size of the re-encoded object written to disk.
    public var reserializedBytes: UInt64
    /// The bytes the scratch file held after writing (checked against `reserializedBytes`).
    public var writtenBytes: UInt64
    /// A value derived from the work profile's result, so the work cannot be optimised away.
    public var workDigest: UInt64
    /// Lock-scheduled intervals, when the configuration asked for them.
    public var lockIntervals: [LockInterval]
    /// The worker's own peak resident memory (its VmHWM) once the task was done, in bytes. The worker reads it
    /// itself: `wait4`'s `ru_maxrss` for a spawned child also counts the parent's memory it was cloned from.
    public var peakResidentBytes: UInt64

    public init(
        taskID: UInt64, receivedAt: UInt64, spans: [StageSpan], decodedChecksum: UInt64,
        reserializedBytes: UInt64, writtenBytes: UInt64, workDigest: UInt64, lockIntervals: [LockInterval],
        peakResidentBytes: UInt64
    ) {
        self.taskID = taskID
        self.receivedAt = receivedAt
        self.spans = spans
        self.decodedChecksum = decodedChecksum
        self.reserializedBytes = reserializedBytes
        self.writtenBytes = writtenBytes
        self.workDigest = workDigest
        self.lockIntervals = lockIntervals
        self.peakResidentBytes = peakResidentBytes
    }

    /// Layout: taskID, receivedAt, decodedChecksum, reserializedBytes, writtenBytes, workDigest, peakResidentBytes
    /// (u64 each);
    /// span count (u32) then per span stage code (u8), start, end, cpu ns (u64); interval count (u32) then per
    /// interval start, end (u64) and locked (u8).
    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: 72 + spans.count * 25 + lockIntervals.count * 17)
        writer.append(taskID)
        writer.append(receivedAt)
        writer.append(decodedChecksum)
        writer.append(reserializedBytes)
        writer.append(writtenBytes)
        writer.append(workDigest)
        writer.append(peakResidentBytes)
        writer.append(UInt32(spans.count))
        for span in spans {
            writer.append(span.stage.code)
            writer.append(span.start)
            writer.append(span.end)
            writer.append(span.cpuNanoseconds)
        }
        writer.append(UInt32(lockIntervals.count))
        for interval in lockIntervals {
            writer.append(interval.start)
            writer.append(interval.end)
            writer.append(UInt8(interval.locked ? 1 : 0))
        }
        return writer.bytes
    }

    public init(parsing raw: UnsafeRawBufferPointer) throws(TransportError) {
        var reader = ByteReader(raw)
        guard let taskID = reader.read(UInt64.self), let receivedAt = reader.read(UInt64.self),
              let checksum = reader.read(UInt64.self), let reserialized = reader.read(UInt64.self),
              let written = reader.read(UInt64.self), let digest = reader.read(UInt64.self),
              let peak = reader.read(UInt64.self),
              let spanCount = reader.read(UInt32.self), Int(spanCount) <= Stage.allCases.count
        else { throw .malformedMetadata("task report header") }
        var spans: [StageSpan] = []
        for _ in 0..<spanCount {
            guard let code = reader.read(UInt8.self), let stage = Stage(code: code),
                  let start = reader.read(UInt64.self), let end = reader.read(UInt64.self),
                  let cpu = reader.read(UInt64.self), end >= start
            else { throw .malformedMetadata("stage span") }
            spans.append(StageSpan(stage: stage, start: start, end: end, cpuNanoseconds: cpu))
        }
        guard let intervalCount = reader.read(UInt32.self), Int(intervalCount) * 17 <= reader.remaining else {
            throw .malformedMetadata("lock interval count")
        }
        var intervals: [LockInterval] = []
        intervals.reserveCapacity(Int(intervalCount))
        for _ in 0..<intervalCount {
            guard let start = reader.read(UInt64.self), let end = reader.read(UInt64.self),
                  let locked = reader.read(UInt8.self)
            else { throw .malformedMetadata("lock interval") }
            intervals.append(LockInterval(start: start, end: end, locked: locked != 0))
        }
        guard reader.remaining == 0 else { throw .malformedMetadata("\(reader.remaining) trailing bytes") }
        self.init(
            taskID: taskID, receivedAt: receivedAt, spans: spans, decodedChecksum: checksum,
            reserializedBytes: reserialized, writtenBytes: written, workDigest: digest, lockIntervals: intervals,
            peakResidentBytes: peak)
    }
}
