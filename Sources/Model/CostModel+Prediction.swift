import Results
import Payload
extension CostModel {
    /// The settings a prediction is made for (the machine is the sweep's: `CostModel.cores`).
    public struct Scenario: Codable, Sendable, Equatable {
        public var sizeBytes: Int
        public var work: WorkProfile
        /// The share (0…1) of work and codec operations run under one lock per process.
        public var gil: Double
        public var workers: Int
        /// Tasks to run, for the total time.
        public var tasks: Int

        public init(sizeBytes: Int, work: WorkProfile, gil: Double, workers: Int, tasks: Int = 100) {
            self.sizeBytes = sizeBytes
            self.work = work
            self.gil = min(1, max(0, gil))
            self.workers = max(1, workers)
            self.tasks = max(1, tasks)
        }

        /// The same settings at another size, work, lock share or worker count.
        public func with(
            sizeBytes: Int? = nil, work: WorkProfile? = nil, gil: Double? = nil, workers: Int? = nil
        ) -> Scenario {
            Scenario(
                sizeBytes: sizeBytes ?? self.sizeBytes, work: work ?? self.work, gil: gil ?? self.gil,
                workers: workers ?? self.workers, tasks: tasks)
        }
    }

    /// Stages whose cost is computation on one thread: their CPU seconds are their cost. Their wall seconds also
    /// hold time spent waiting for the lock or for a core, which the throughput bounds model separately.
    static let computeStages: Set<Stage> = [.serialize, .deserialize, .verify, .work, .reserialize]

    /// Predicts one option's per-task time, throughput, latency, total time and memory.
    ///
    /// The formulas — stage costs, machinery, each pool's busy time `T`, locked time `L` and CPU time `K`, throughput
    /// `X = e · min(min(N, C) / T, 1 / L, C / K)`, latency, total time and memory — are explained in docs/MODEL.md.
    /// `calibrated: false` leaves out the option's `efficiency` `e`.
    public func predict(_ option: OptionCostModel, _ scenario: Scenario, calibrated: Bool = true) -> Prediction {
        let size = Double(scenario.sizeBytes)
        var seconds: [Stage: Double] = [:]
        var cpuSeconds: [Stage: Double] = [:]
        for stage in option.pipeline {
            let wall = max(0, option.stageSeconds[stage]?.predict(bytes: size) ?? 0)
            let cpu = option.stageCPUSeconds[stage].map { max(0, $0.predict(bytes: size)) }
            switch stage {
            case .work:
                let work = workSeconds(option, scenario.work, bytes: size)
                seconds[stage] = work
                cpuSeconds[stage] = work
            case _ where CostModel.computeStages.contains(stage):
                seconds[stage] = cpu ?? wall
                cpuSeconds[stage] = cpu ?? wall
            case .transfer:
                seconds[stage] = wall
                cpuSeconds[stage] = cpu.map { $0 > 0 ? 2 * $0 : wall } ?? wall
            default:
                seconds[stage] = wall
                cpuSeconds[stage] = cpu ?? wall
            }
        }
        // Summed in pipeline order: a dictionary's iteration order varies between instances, and so would the
        // last bits of the sums.
        let machinery = max(0, option.machinerySeconds?.predict(bytes: size) ?? 0)
        let taskSeconds = max(option.pipeline.reduce(machinery) { $0 + (seconds[$1] ?? 0) }, 1e-9)
        let cpuPerTask = max(option.pipeline.reduce(machinery) { $0 + (cpuSeconds[$1] ?? 0) }, 1e-9)
        let locked: Double
        switch option.pool {
        case .thread: locked = scenario.gil * ((seconds[.work] ?? 0) + (seconds[.reserialize] ?? 0))
        case .process, .processShm, .dask, .daskScatter: locked = scenario.gil * (seconds[.serialize] ?? 0)
        }
        let workers = Double(scenario.workers)
        let bounds: [(ThroughputLimit, Double)] = [
            (.parallelism, min(workers, Double(cores)) / taskSeconds),
            (.lock, locked > 0 ? 1 / locked : .infinity),
            (.cpu, Double(cores) / cpuPerTask),
        ]
        let (limit, raw) = bounds.min { $0.1 < $1.1 }!
        let efficiency = calibrated ? option.efficiency : 1
        let throughput = raw * efficiency
        let latency = max(taskSeconds, workers / throughput)
        let start = option.poolStartSeconds * workers / Double(sweepWorkers)
        // Work the sweep did not measure is computed: its share of the busy time widens the interval.
        let computedWork = scenario.work == sweepWork ? 0 : (seconds[.work] ?? 0) / taskSeconds
        let widths = option.uncertainty?.halfWidths(sizeBytes: scenario.sizeBytes, computedWorkShare: computedWork)
        return Prediction(
            pool: option.pool, codec: option.codec, shape: option.shape, sizeBytes: scenario.sizeBytes,
            work: scenario.work, gil: scenario.gil, workers: scenario.workers, stageSeconds: seconds,
            taskSeconds: taskSeconds, lockedSeconds: locked, cpuSecondsPerTask: cpuPerTask, limit: limit,
            efficiency: efficiency, tasksPerSecond: throughput, bytesPerSecond: throughput * size,
            latencySeconds: latency, poolStartSeconds: start, tasks: scenario.tasks,
            totalSeconds: start + Double(scenario.tasks) / throughput,
            memory: option.memory.estimate(bytes: scenario.sizeBytes, workers: scenario.workers),
            tasksPerSecondInterval: widths.map { PredictionInterval(around: throughput, halfWidth: $0.throughput) },
            latencyInterval: widths.map { PredictionInterval(around: latency, halfWidth: $0.latency) })
    }

    /// The work stage's seconds for `work` on `bytes` (see `predict(_:_:calibrated:)`).
    func workSeconds(_ option: OptionCostModel, _ work: WorkProfile, bytes: Double) -> Double {
        if work == sweepWork, let measured = option.stageCPUSeconds[.work] ?? option.stageSeconds[.work] {
            return max(0, measured.predict(bytes: bytes))
        }
        let checksum = max(0, option.checksumSeconds?.predict(bytes: bytes) ?? 0)
        switch work {
        case .none: return 0
        case .checksum: return checksum
        case .cpu(let rate): return max(rate * bytes / 1e9, checksum)
        }
    }

    /// Every modelled option of `shape` (of `codec`, when given) predicted for `scenario`, fastest first.
    public func predictions(shape: PayloadShape, codec: String? = nil, scenario: Scenario) -> [Prediction] {
        options(shape: shape, codec: codec).map { predict($0, scenario) }
            .sorted { ($0.tasksPerSecond, $1.pool, $1.codec) > ($1.tasksPerSecond, $0.pool, $0.codec) }
    }

    /// Which pool the model expects to deliver more tasks a second for `scenario`, using each pool's best codec
    /// (or `codec`); nil when `shape` has no modelled option.
    public func decide(shape: PayloadShape, codec: String? = nil, scenario: Scenario) -> PoolDecision? {
        let ranked = predictions(shape: shape, codec: codec, scenario: scenario)
        guard let fastest = ranked.first else { return nil }
        let runnerUp = ranked.first { $0.pool != fastest.pool }
        return PoolDecision(fastest: fastest, runnerUp: runnerUp)
    }
}

/// What limits a pool's predicted throughput.
public enum ThroughputLimit: String, Codable, Sendable {
    /// min(workers, cores) tasks run at once, each taking the task time.
    case parallelism
    /// The locked share of every task runs one at a time under the process's lock.
    case lock
    /// The cores are busy: the CPU seconds per task fill all of them.
    case cpu

    /// How the text output names it.
    public var label: String {
        switch self {
        case .parallelism: return "workers/cores"
        case .lock: return "lock"
        case .cpu: return "CPU"
        }
    }
}

/// One option's predicted performance for one scenario.
public struct Prediction: Codable, Sendable, Equatable {
    public var pool: PoolKind
    public var codec: String
    public var shape: PayloadShape
    public var sizeBytes: Int
    public var work: WorkProfile
    public var gil: Double
    public var workers: Int
    /// Each stage's predicted seconds per task (its service time, without waiting).
    public var stageSeconds: [Stage: Double]
    /// T: one task's stages back to back.
    public var taskSeconds: Double
    /// L: the seconds of each task run under the contended lock.
    public var lockedSeconds: Double
    /// K: CPU seconds per task over all threads and processes.
    public var cpuSecondsPerTask: Double
    public var limit: ThroughputLimit
    /// The calibration factor applied to the formula (1 when uncalibrated).
    public var efficiency: Double
    public var tasksPerSecond: Double
    /// Payload bytes per second.
    public var bytesPerSecond: Double
    public var latencySeconds: Double
    public var poolStartSeconds: Double
    public var tasks: Int
    /// Start-up plus `tasks` at the predicted throughput.
    public var totalSeconds: Double
    public var memory: MemoryEstimate
    /// Where the throughput is expected to fall (`OptionUncertainty.coverage` of held-out points did); nil when the
    /// model was fitted without its uncertainty.
    public var tasksPerSecondInterval: PredictionInterval?
    /// Where the median latency is expected to fall; nil likewise.
    public var latencyInterval: PredictionInterval?

    /// `thread binary`.
    public var label: String { "\(pool.label) \(codec)" }
}

/// The model's choice between the pools for one scenario.
public struct PoolDecision: Sendable, Equatable {
    /// The option with the highest predicted throughput.
    public var fastest: Prediction
    /// The fastest option of the other pool; nil when only one pool was modelled.
    public var runnerUp: Prediction?

    public init(fastest: Prediction, runnerUp: Prediction?) {
        self.fastest = fastest
        self.runnerUp = runnerUp
    }

    /// Fastest ÷ runner-up throughput (≥ 1); nil with one pool.
    public var margin: Double? {
        runnerUp.map { fastest.tasksPerSecond / $0.tasksPerSecond }
    }

    /// True when both pools' throughput intervals are known and overlap: the model cannot tell them apart.
    public var intervalsOverlap: Bool {
        guard let runnerUp, let mine = fastest.tasksPerSecondInterval, let theirs = runnerUp.tasksPerSecondInterval
        else { return false }
        return mine.overlaps(theirs)
    }

    /// How sure the choice is.
    public var verdict: PoolVerdict {
        guard let margin else { return .onlyOnePool }
        if margin < MeasuredComparison.tieMargin { return .tie }
        return intervalsOverlap ? .tooCloseToCall : .winner
    }

    /// The winning pool: nil when the runner-up is within `MeasuredComparison.tieMargin` (the same 10 % a
    /// measured comparison calls a tie) or the two pools' intervals overlap; the only pool when there is one.
    public var winner: PoolKind? {
        switch verdict {
        case .winner, .onlyOnePool: return fastest.pool
        case .tie, .tooCloseToCall: return nil
        }
    }
}

/// How sure the model is of a choice between the pools.
public enum PoolVerdict: String, Codable, Sendable {
    /// The fastest pool is more than `MeasuredComparison.tieMargin` ahead and the intervals do not overlap.
    case winner
    /// The pools are within `MeasuredComparison.tieMargin` of each other.
    case tie
    /// More than `MeasuredComparison.tieMargin` apart, but the two pools' intervals overlap.
    case tooCloseToCall
    /// Only one pool was modelled; nothing to compare.
    case onlyOnePool
}
