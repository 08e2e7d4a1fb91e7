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
    /// Warm-up tasks per worker before measuring (absorbs first-touch page faults and lazy start-up).
    public var warmupTasksPerWorker: Int
    public var seed: UInt64

    public init(
        minBytes: Int = 1_000, maxBytes: Int, factor: Double = 4, shapes: [PayloadShape] = [.records, .blob],
        codecs: [String] = ["binary"], pools: [PoolKind] = [.process, .thread], workers: Int,
        work: WorkProfile = .none, gil: Double = 0, sync: Bool = false, tasks: Int? = nil,
        budgetSeconds: Double = 0.5, minTasks: Int = 6, maxTasks: Int = 100, warmupTasksPerWorker: Int = 1,
        seed: UInt64 = 1
    ) throws(SweepError) {
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
        self.warmupTasksPerWorker = warmupTasksPerWorker
        self.seed = seed
    }

    /// `min`, `min·factor`, … while below `max`, then `max` (dropping a step within 10 % of `max`).
    public static func sizes(min: Int, max: Int, factor: Double) -> [Int] {
        var sizes: [Int] = []
        var size = Double(min)
        while size < Double(max) * 0.9 {
            sizes.append(Int(size.rounded()))
            size *= factor
        }
        sizes.append(max)
        return sizes
    }

    /// How many points the plan measures.
    public var pointCount: Int { sizes.count * shapes.count * codecs.count * pools.count }
}
