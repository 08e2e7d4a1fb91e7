import Foundation
import Payload
import Units

/// Everything a sweep will measure: sizes × shapes × codecs × pools, with one work profile, and how hard to try.
public struct SweepPlan: Codable, Sendable, Equatable {
    public var minBytes: Int
    public var maxBytes: Int
    public var factor: Double
    /// The payload sizes measured: `minBytes`, ×`factor` …, and `maxBytes` itself.
    public var sizes: [Int]
    public var shapes: [PayloadShape]
    public var codecs: [String]
    public var pools: [PoolKind]
    /// The runtimes measured; nil in results written before the CPython runtime existed (Swift only).
    public var runtimes: [Runtime]?
    public var workers: Int
    public var work: WorkProfile
    public var gil: Double
    public var sync: Bool
    /// Measured tasks per point when fixed by `--tasks`; nil lets `budgetSeconds` decide.
    public var tasks: Int?
    /// Time spent measuring one point, after warm-up, once `minTasks` are done.
    public var budgetSeconds: Double
    public var minTasks: Int
    public var maxTasks: Int
    /// Measured batches per point; throughput is their median, so one disturbed batch does not move it.
    public var minBatches: Int
    /// Fewer batches for a point whose tasks are slow; nil in results written before the rule existed.
    public var slowPoint: SlowPointRule?
    /// Warm-up tasks per worker before measuring (absorbs first-touch page faults and lazy start-up).
    public var warmupTasksPerWorker: Int
    public var seed: UInt64
    /// True when payload-sized buffers in the parent and the workers were advised to use transparent huge pages
    /// (`--huge-pages`); nil when they were not, as in every result written before the option existed.
    public var hugePages: Bool?

    /// Whether the run asked for huge pages.
    public var usesHugePages: Bool { hugePages ?? false }

    public init(
        minBytes: Int = 1_000, maxBytes: Int, factor: Double = 4, shapes: [PayloadShape] = [.records, .blob],
        codecs: [String] = ["binary"], pools: [PoolKind] = [.process, .thread], workers: Int,
        work: WorkProfile = .none, gil: Double = 0, sync: Bool = false, tasks: Int? = nil,
        budgetSeconds: Double = 1.0, minTasks: Int = 8, maxTasks: Int = 200, minBatches: Int = 5,
        warmupTasksPerWorker: Int = 1, seed: UInt64 = 1, hugePages: Bool = false, slowPoint: SlowPointRule? = nil
    ) throws(PlanError) {
        guard minBytes <= maxBytes else { throw .minAboveMax(min: minBytes, max: maxBytes) }
        guard factor > 1, factor.isFinite else { throw .badFactor(factor) }
        guard (1...256).contains(workers) else { throw .badWorkers(workers) }
        guard gil >= 0, gil <= 1 else { throw .badGIL(gil) }
        if let tasks, tasks < 1 { throw .badTasks(tasks) }
        guard budgetSeconds > 0, budgetSeconds.isFinite else { throw .badBudget(budgetSeconds) }
        self.minBytes = minBytes
        self.maxBytes = maxBytes
        self.factor = factor
        self.sizes = SweepPlan.sizes(min: minBytes, max: maxBytes, factor: factor)
        self.shapes = shapes
        self.codecs = codecs
        self.pools = pools
        self.workers = workers
        self.work = work
        self.gil = gil
        self.sync = sync
        self.tasks = tasks
        self.budgetSeconds = budgetSeconds
        self.minTasks = minTasks
        self.maxTasks = max(maxTasks, minTasks)
        self.minBatches = max(1, minBatches)
        self.slowPoint = slowPoint ?? .standard(budgetSeconds: budgetSeconds)
        self.warmupTasksPerWorker = warmupTasksPerWorker
        self.seed = seed
        self.hugePages = hugePages ? true : nil
    }

    /// `min`, `min·factor`, … while below `max`, then `max` (dropping a step within 10 % of `max`). Steps after
    /// the first are rounded to a nearby round size (1KB·4⁵ = 1.024MB becomes 1MB, 65.5MB becomes 64MB), so
    /// tables and charts read as people talk.
    public static func sizes(min: Int, max: Int, factor: Double) -> [Int] {
        var sizes: [Int] = []
        var size = Double(min)
        while size < Double(max) * 0.9 {
            let step = sizes.isEmpty ? min : roundSize(size)
            if step > (sizes.last ?? 0) { sizes.append(step) }
            size *= factor
        }
        sizes.append(max)
        return sizes
    }

    /// The round size nearest to `bytes` in ratio: a mantissa from a 1-2-4-8 and 1-2-5 mix times a power of ten.
    static func roundSize(_ bytes: Double) -> Int {
        let mantissas: [Double] = [1, 1.2, 1.5, 1.6, 2, 2.5, 3, 3.2, 4, 5, 6, 6.4, 8]
        guard bytes >= 10 else { return Swift.max(1, Int(clampingFinite: bytes.rounded())) }
        var best = bytes
        var bestDistance = Double.infinity
        var power = 1.0
        while power <= bytes * 10 {
            for mantissa in mantissas {
                let candidate = mantissa * power
                let distance = abs(log(candidate / bytes))
                if distance < bestDistance {
                    best = candidate
                    bestDistance = distance
                }
            }
            power *= 10
        }
        return Int(clampingFinite: best.rounded())
    }

    /// How many points the plan measures.
    /// The runtimes to measure, Swift when the plan predates the key.
    public var measuredRuntimes: [Runtime] { runtimes ?? [.swift] }

    /// The codecs a runtime's points use: the plan's for Swift, pickle for CPython.
    public func codecs(for runtime: Runtime) -> [String] {
        runtime == .swift ? codecs : [Runtime.pythonCodec]
    }

    /// Every codec a point may carry, runtime by runtime: the plan's own, then pickle when CPython is measured.
    public var allCodecs: [String] { measuredRuntimes.flatMap { codecs(for: $0) } }

    public var pointCount: Int {
        measuredRuntimes.reduce(0) { $0 + sizes.count * shapes.count * codecs(for: $1).count * pools.count }
    }
}
