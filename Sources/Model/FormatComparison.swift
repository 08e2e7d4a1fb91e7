import Results
import Payload

/// Formats compared as well as pools: for one shape measured with two or more codecs, how close each codec brings
/// the best process pool to the best thread pool, at the largest size where both were measured.
///
/// An in-place format (`flat`, `raw`) changes a process pool's cost more than a pool change does, so the answer
/// "process or thread" depends on the format; this is the plain reading of that from the measured points.
public struct FormatComparison: Sendable, Equatable {
    /// One codec's best process pool at the compared size.
    public struct Entry: Sendable, Equatable {
        public var codec: String
        /// The process-family pool (`process` or `process:shm`) with the highest throughput for this codec.
        public var processPool: PoolKind
        public var processTasksPerSecond: Double
        /// That throughput over the best thread pool's (any codec).
        public var timesBestThread: Double
    }

    public var shape: PayloadShape
    public var sizeBytes: Int
    /// The thread pool's best codec and throughput at this size.
    public var threadCodec: String
    public var threadTasksPerSecond: Double
    /// Every codec with a process pool measured here, closest to the threads first.
    public var entries: [Entry]

    /// One comparison per shape swept with two or more Swift codecs, at the largest size where every one of them
    /// has a successful process-pool point and some codec a successful thread-pool point; nil shapes are left out.
    public static func all(in result: SweepResult) -> [FormatComparison] {
        var found: [FormatComparison] = []
        for shape in result.plan.shapes {
            let points = result.points.filter {
                $0.shape == shape && $0.succeeded && $0.codec != Runtime.pythonCodec && $0.tasksPerSecond > 0
            }
            let codecs = result.plan.codecs.filter { codec in points.contains { $0.codec == codec } }
            guard codecs.count >= 2 else { continue }
            for size in result.plan.sizes.sorted(by: >) {
                let here = points.filter { $0.sizeBytes == size }
                guard let thread = here.filter({ $0.pool == .thread }).max(by: { $0.tasksPerSecond < $1.tasksPerSecond })
                else { continue }
                var entries: [Entry] = []
                for codec in codecs {
                    guard let best = here.filter({ $0.codec == codec && $0.pool.isProcess })
                        .max(by: { $0.tasksPerSecond < $1.tasksPerSecond }) else { continue }
                    entries.append(Entry(
                        codec: codec, processPool: best.pool, processTasksPerSecond: best.tasksPerSecond,
                        timesBestThread: best.tasksPerSecond / thread.tasksPerSecond))
                }
                guard entries.count == codecs.count else { continue }
                entries.sort { $0.timesBestThread > $1.timesBestThread }
                found.append(FormatComparison(
                    shape: shape, sizeBytes: size, threadCodec: thread.codec,
                    threadTasksPerSecond: thread.tasksPerSecond, entries: entries))
                break
            }
        }
        return found
    }
}
