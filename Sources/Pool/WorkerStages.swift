import Results
import Codec
import Payload
import Units
/// The stages after an object is in a worker's hands — work, reserialize, write, sync — shared by the worker
/// process and the thread pool so both pools run exactly the same code.
struct WorkerStages: Sendable {
    let codec: any Codec
    let work: WorkProfile
    let workBytes: Int
    let writer: ScratchWriter

    struct Outcome {
        var spans: [StageSpan]
        var workDigest: UInt64
        var reserializedBytes: UInt64
        var writtenBytes: UInt64
    }

    func run(on payload: Payload, fileName: String, schedule: inout LockSchedule) throws(PoolError) -> Outcome {
        var spans: [StageSpan] = []
        spans.reserveCapacity(4)
        let digest = timed(.work, into: &spans) {
            WorkRunner.run(work, on: payload, bytes: workBytes, schedule: &schedule)
        }
        if let raw = codec as? RawCodec, let outcome = try writeInPlace(payload, codec: raw, fileName: fileName) {
            spans.append(outcome.write)
            if let sync = outcome.sync { spans.append(sync) }
            let bytes = outcome.writtenBytes
            return Outcome(spans: spans, workDigest: digest, reserializedBytes: bytes, writtenBytes: bytes)
        }
        let encoded: [UInt8]
        do {
            encoded = try timed(.reserialize, into: &spans) { () throws(PoolError) in
                try schedule.unit { () throws(PoolError) in
                    do { return try codec.encode(payload) } catch { throw .codecFailed("\(error)") }
                }
            }
        }
        let outcome: ScratchWriter.Outcome
        do {
            outcome = try encoded.withUnsafeBytes { raw in try writer.write(raw, name: fileName) }
        } catch let error as PoolError {
            throw error
        } catch {
            throw .scratchFailed(path: fileName, reason: "\(error)")
        }
        spans.append(outcome.write)
        if let sync = outcome.sync { spans.append(sync) }
        return Outcome(
            spans: spans, workDigest: digest, reserializedBytes: UInt64(encoded.count),
            writtenBytes: outcome.writtenBytes)
    }
}

extension WorkerStages {
    /// The `raw` codec's zero-copy write: a flat payload's encoding is a 24-byte header and the payload's own
    /// bytes, so the file is written with one gather write (`writev`) from the object's storage and a header built
    /// on the stack — no staging copy and no re-encoding, as in a worker reading a shared segment in place.
    /// Nil for shapes with no flat form.
    func writeInPlace(
        _ payload: Payload, codec: RawCodec, fileName: String
    ) throws(PoolError) -> ScratchWriter.Outcome? {
        guard RawCodec.supports(payload.shape) else { return nil }
        do {
            return try codec.withEncodedParts(of: payload) { parts in try writer.write(parts: parts, name: fileName) }
        } catch let error as PoolError {
            throw error
        } catch {
            throw .scratchFailed(path: fileName, reason: "\(error)")
        }
    }
}

/// Runs `body` and appends its wall and thread-CPU span as `stage`.
@inline(__always)
func timed<T, E: Error>(_ stage: Stage, into spans: inout [StageSpan], _ body: () throws(E) -> T) throws(E) -> T {
    let cpu = MonotonicClock.threadCPU()
    let start = MonotonicClock.now()
    let value = try body()
    let end = MonotonicClock.now()
    spans.append(StageSpan(stage: stage, start: start, end: end, cpuNanoseconds: MonotonicClock.threadCPU() &- cpu))
    return value
}
