import Results
import Payload
import Units
/// The cost model fitted from one sweep: for every measured (pool, codec, shape), each stage as a fixed cost plus a
/// cost per payload byte, the pool's start-up time, its memory, and a calibration factor — enough to predict a
/// pool's throughput, latency and memory at any size, work profile, interpreter-lock share and worker count on the
/// machine that ran the sweep.
///
/// What `fit(_:)` fits and the formulas `predict(_:_:calibrated:)` uses are explained in docs/MODEL.md.
public struct CostModel: Codable, Sendable, Equatable {
    /// Every option that could be modelled, ordered by shape, codec and pool.
    public var options: [OptionCostModel]
    /// The work profile the sweep measured with.
    public var sweepWork: WorkProfile
    /// The interpreter-lock share the sweep measured with.
    public var sweepGIL: Double
    /// Workers per pool in the sweep.
    public var sweepWorkers: Int
    /// Cores of the machine that ran the sweep (the `C` in every formula).
    public var cores: Int
    /// What could not be modelled, and why.
    public var notes: [String]

    public init(
        options: [OptionCostModel], sweepWork: WorkProfile, sweepGIL: Double, sweepWorkers: Int, cores: Int,
        notes: [String] = []
    ) {
        self.options = options
        self.sweepWork = sweepWork
        self.sweepGIL = sweepGIL
        self.sweepWorkers = max(1, sweepWorkers)
        self.cores = max(1, cores)
        self.notes = notes
    }

    /// The option for `pool`, `codec` and `shape`, if it was modelled.
    public func option(pool: PoolKind, codec: String, shape: PayloadShape) -> OptionCostModel? {
        options.first { $0.pool == pool && $0.codec == codec && $0.shape == shape }
    }

    /// The modelled options for `shape`, all codecs or only `codec`.
    public func options(shape: PayloadShape, codec: String? = nil) -> [OptionCostModel] {
        options.filter { $0.shape == shape && (codec == nil || $0.codec == codec) }
    }

    /// Shapes with at least one modelled option, in the model's order.
    public var shapes: [PayloadShape] {
        var seen: [PayloadShape] = []
        for option in options where !seen.contains(option.shape) { seen.append(option.shape) }
        return seen
    }

    /// Codecs with at least one modelled option (for `shape`, when given), in the model's order.
    public func codecs(shape: PayloadShape? = nil) -> [String] {
        var seen: [String] = []
        for option in options where (shape == nil || option.shape == shape) && !seen.contains(option.codec) {
            seen.append(option.codec)
        }
        return seen
    }

    /// The smallest and largest measured size of `shape`'s options (of `codec`, when given).
    public func measuredRange(shape: PayloadShape, codec: String? = nil) -> ClosedRange<Int>? {
        let sizes = options(shape: shape, codec: codec).flatMap(\.measuredSizes)
        guard let low = sizes.min(), let high = sizes.max() else { return nil }
        return low...high
    }
}

/// The fitted costs of one option: a pool with a codec, for one payload shape.
public struct OptionCostModel: Codable, Sendable, Equatable {
    public var pool: PoolKind
    public var codec: String
    public var shape: PayloadShape
    /// Each stage's median wall seconds per task as a line in the payload size.
    public var stageSeconds: [Stage: StageCurve]
    /// Each stage's median CPU seconds per task (of the thread that ran it) as a line in the payload size. For
    /// `transfer` this is the sending (parent) side only.
    public var stageCPUSeconds: [Stage: StageCurve]
    /// One checksum pass over an object of this shape; nil when the sweep measured none.
    public var checksumSeconds: LinearCostFit?
    /// Per-task time outside every stage (latency − the stages: hand-over, reply, freeing the decoded object), by
    /// size; nil when the sweep recorded none. It occupies the worker like a stage.
    public var machinerySeconds: StageCurve?
    /// The median time to start the pool with the sweep's worker count.
    public var poolStartSeconds: Double
    public var memory: MemoryModel
    /// Measured ÷ formula throughput at the sweep's settings (1 means the formula needed no correction).
    public var efficiency: Double
    /// The sizes this option was measured at, ascending.
    public var measuredSizes: [Int]
    /// The measured spread and the model's own held-out errors, from which every prediction's interval is drawn;
    /// nil when the model was fitted without them (`CostModel.fit(_:)`; `fitWithUncertainty(_:)` adds them).
    public var uncertainty: OptionUncertainty?

    public init(
        pool: PoolKind, codec: String, shape: PayloadShape, stageSeconds: [Stage: StageCurve],
        stageCPUSeconds: [Stage: StageCurve], checksumSeconds: LinearCostFit?, poolStartSeconds: Double,
        memory: MemoryModel, efficiency: Double, measuredSizes: [Int]
    ) {
        self.pool = pool
        self.codec = codec
        self.shape = shape
        self.stageSeconds = stageSeconds
        self.stageCPUSeconds = stageCPUSeconds
        self.checksumSeconds = checksumSeconds
        self.poolStartSeconds = poolStartSeconds
        self.memory = memory
        self.efficiency = efficiency
        self.measuredSizes = measuredSizes
    }

    /// `process binary`, `thread json+zstd`.
    public var label: String { "\(pool.label) \(codec)" }

    /// The stages a task of this pool runs, in order: every stage for the process pool; work, reserialize, write
    /// and sync for the thread pool (it hands the object over in place).
    public var pipeline: [Stage] {
        let stages: [Stage] = pool.isProcess ? Stage.allCases : [.work, .reserialize, .write, .sync]
        return stages.filter { $0 == .work || stageSeconds[$0] != nil }
    }
}

/// Peak resident memory of a pool as functions of the payload size (`MemoryLine`).
///
/// The parent's peak is split into what it held when the point started (its baseline and the payload object) and
/// what the pool added at its peak; the added part scales with the worker count, because every thread (or every
/// feeder of a process pool) holds one encoded buffer at a time. A worker process's peak does not depend on how many
/// workers there are.
public struct MemoryModel: Codable, Sendable, Equatable {
    /// Resident bytes of the parent holding the payload, before the pool ran.
    public var parentStart: MemoryLine?
    /// Bytes the parent added at its peak with `workers` workers.
    public var parentAdded: MemoryLine?
    /// Peak resident bytes of the busiest worker process (process pool only).
    public var workerPeak: MemoryLine?
    /// The worker count `parentAdded` was measured with.
    public var workers: Int

    public init(parentStart: MemoryLine?, parentAdded: MemoryLine?, workerPeak: MemoryLine?, workers: Int) {
        self.parentStart = parentStart
        self.parentAdded = parentAdded
        self.workerPeak = workerPeak
        self.workers = max(1, workers)
    }

    /// The memory a pool of `workers` needs for payloads of `bytes`.
    ///
    /// parent = start(s) + added(s) · N / N_sweep; each worker = workerPeak(s); total = parent + N · worker;
    /// copies = (total(s) − total(0)) / s, the payload-sized copies resident at the peak (the parent's own object
    /// included).
    public func estimate(bytes: Int, workers: Int) -> MemoryEstimate {
        func total(_ size: Double) -> (parent: Double, worker: Double, total: Double) {
            let parent = (parentStart?.predict(bytes: size) ?? 0)
                + (parentAdded?.predict(bytes: size) ?? 0) * Double(workers) / Double(self.workers)
            let worker = workerPeak?.predict(bytes: size) ?? 0
            return (parent, worker, parent + Double(workers) * worker)
        }
        let size = Double(bytes)
        let atSize = total(size)
        let atZero = total(0)
        return MemoryEstimate(
            parentPeakBytes: Int(clampingFinite: atSize.parent.rounded()),
            workerPeakBytes: Int(clampingFinite: atSize.worker.rounded()),
            totalPeakBytes: Int(clampingFinite: atSize.total.rounded()),
            payloadCopies: size > 0 ? max(0, atSize.total - atZero.total) / size : 0)
    }
}

/// Resident bytes as a function of the payload size: the measured values (the median at each size) joined by
/// straight lines, continued above the largest measured size with the last segment's bytes per payload byte, and
/// held at the smallest size's value below it.
///
/// Not a fitted line: peak memory is nearly noise-free but not linear in the size. Below glibc's 32 MiB mmap
/// threshold freed buffers are recycled and the peak barely moves; above it every buffer is a new mapping and the
/// peak grows by whole payload copies. A line fitted to relative errors follows the many small sizes and calls the
/// large ones outliers, predicting too little exactly where memory matters.
public struct MemoryLine: Codable, Sendable, Equatable {
    /// A measured payload size and the resident bytes there.
    public struct Anchor: Codable, Sendable, Equatable {
        public var payloadBytes: Double
        public var bytes: Double
    }

    /// Ascending by payload size, one per measured size.
    public var anchors: [Anchor]

    /// The line through `bytes` measured at `sizes`; nil when there is nothing finite to join.
    public init?(sizes: [Double], bytes: [Double]) {
        guard sizes.count == bytes.count else { return nil }
        let finite = zip(sizes, bytes).filter { $0.0.isFinite && $0.1.isFinite && $0.0 >= 0 }
        guard !finite.isEmpty else { return nil }
        anchors = Dictionary(grouping: finite, by: \.0)
            .map { Anchor(payloadBytes: $0.key, bytes: Percentile.median($0.value.map(\.1))) }
            .sorted { $0.payloadBytes < $1.payloadBytes }
    }

    public func predict(bytes size: Double) -> Double {
        PiecewiseLinear(anchors.map { ($0.payloadBytes, $0.bytes) }).value(at: size, above: .continueRising)
    }
}

/// The memory a pool is predicted to need at one size.
public struct MemoryEstimate: Codable, Sendable, Equatable {
    /// The parent's peak resident bytes (the whole pool, for a thread pool).
    public var parentPeakBytes: Int
    /// Each worker process's peak resident bytes (0 for a thread pool).
    public var workerPeakBytes: Int
    /// The parent and every worker at their peaks together.
    public var totalPeakBytes: Int
    /// How many payload-sized copies `totalPeakBytes` holds beyond the processes' fixed baseline.
    /// Meaningful from about 1 MB; below that it is resident-memory noise divided by a small payload.
    public var payloadCopies: Double
}
