import Results
import Payload
import Units
extension CostModel {
    /// Sizes at and above this decide the efficiency factor: below it fixed costs and timer noise dominate.
    public static let calibrationMinimumBytes = 1_000_000

    /// Fits the model to every successful point of `result` (see `CostModel` for what is fitted), leaving out
    /// points other processes disturbed while most of the sweep was quiet (`SweepQuietness.keepsInFit`).
    ///
    /// - Parameter quietness: whose verdict decides which points are kept; `result`'s own by default. The held-out
    ///   check passes the whole sweep's, so a reduced sweep is fitted the way the whole one is: with half its
    ///   points disturbed, leaving out one disturbed size tipped the verdict, and the reduced model, fitted to the
    ///   quiet small sizes only, missed a 64 MB point by 91 %.
    public static func fit(_ result: SweepResult, quietness: SweepQuietness? = nil) -> CostModel {
        let quietness = quietness ?? result.quietness
        let points = result.points.filter { $0.succeeded && quietness.keepsInFit($0) }
        var model = CostModel(
            options: [], sweepWork: result.plan.work, sweepGIL: result.plan.gil, sweepWorkers: result.plan.workers,
            cores: result.environment.cores)

        var keys: [(pool: PoolKind, codec: String, shape: PayloadShape)] = []
        for point in points where !keys.contains(where: {
            $0.pool == point.pool && $0.codec == point.codec && $0.shape == point.shape
        }) {
            keys.append((point.pool, point.codec, point.shape))
        }
        keys.sort {
            order($0.shape, in: result.plan.shapes, $0.codec, in: result.plan.allCodecs, $0.pool)
                .lexicographicallyPrecedes(
                    order($1.shape, in: result.plan.shapes, $1.codec, in: result.plan.allCodecs, $1.pool))
        }

        var checksums: [PayloadShape: LinearCostFit] = [:]
        for shape in Set(keys.map(\.shape)) {
            checksums[shape] = checksumFit(shape: shape, points: points, work: result.plan.work)
        }

        for key in keys {
            let here = points.filter { $0.pool == key.pool && $0.codec == key.codec && $0.shape == key.shape }
                .sorted { $0.sizeBytes < $1.sizeBytes }
            let sizes = Array(Set(here.map(\.sizeBytes))).sorted()
            guard sizes.count >= 2 else {
                model.notes.append(
                    "\(key.pool.label) \(key.shape.rawValue) \(key.codec) was measured at \(sizes.count == 1 ? "only \(Formatting.sizeLabel(sizes[0]))" : "no size"); at least two sizes are needed to separate fixed from per-byte costs, so it is not modelled.")
                continue
            }
            var wall: [Stage: StageCurve] = [:]
            var cpu: [Stage: StageCurve] = [:]
            let curve = result.calibration?.copyCurve
            for stage in Stage.allCases {
                let timed = here.compactMap { point in point.median(stage).map { (Double(point.sizeBytes), $0) } }
                wall[stage] = StageCurve.fit(sizes: timed.map(\.0), seconds: timed.map(\.1), copyCurve: curve)
                let used = here.compactMap { point in point.stageCPUMedians[stage].map { (Double(point.sizeBytes), $0) } }
                cpu[stage] = StageCurve.fit(sizes: used.map(\.0), seconds: used.map(\.1), copyCurve: curve)
            }
            var option = OptionCostModel(
                pool: key.pool, codec: key.codec, shape: key.shape, stageSeconds: wall, stageCPUSeconds: cpu,
                checksumSeconds: checksums[key.shape], poolStartSeconds: Percentile.median(here.map(\.poolStartSeconds)),
                memory: memoryModel(here, workers: result.plan.workers), efficiency: 1, measuredSizes: sizes)
            let machinery = here.compactMap { point in point.overhead.map { (Double(point.sizeBytes), $0.median) } }
            option.machinerySeconds = StageCurve.fit(
                sizes: machinery.map(\.0), seconds: machinery.map(\.1), copyCurve: curve)
            option.efficiency = model.efficiency(of: option, points: here)
            model.options.append(option)
        }
        return model
    }

    /// The plan's order: shape, then codec, then pool.
    private static func order(
        _ shape: PayloadShape, in shapes: [PayloadShape], _ codec: String, in codecs: [String], _ pool: PoolKind
    ) -> [Int] {
        [shapes.firstIndex(of: shape) ?? shapes.count, codecs.firstIndex(of: codec) ?? codecs.count,
         PoolKind.allCases.firstIndex(of: pool)!]
    }

    /// One checksum pass over `shape`: the measured work stage of a `checksum` sweep (any pool or codec), else the
    /// process pool's `verify` stage (the same pass over the decoded object). CPU seconds where recorded, else wall.
    static func checksumFit(shape: PayloadShape, points: [PointResult], work: WorkProfile) -> LinearCostFit? {
        let stage: Stage = work == .checksum ? .work : .verify
        let timed = points.filter { $0.shape == shape }.compactMap { point -> (Double, Double)? in
            guard let seconds = point.stageCPUMedians[stage] ?? point.median(stage) else { return nil }
            return (Double(point.sizeBytes), seconds)
        }
        return CostFitting.fit(sizes: timed.map(\.0), seconds: timed.map(\.1))
    }

    static func memoryModel(_ points: [PointResult], workers: Int) -> MemoryModel {
        let sizes = points.map { Double($0.sizeBytes) }
        let start = points.map { Double($0.memory.parentStartBytes) }
        let added = points.map { Double(max(0, $0.memory.parentPeakBytes - $0.memory.parentStartBytes)) }
        let workerPoints = points.filter { !$0.memory.workerPeakBytes.isEmpty }
        return MemoryModel(
            parentStart: MemoryLine(sizes: sizes, bytes: start),
            parentAdded: MemoryLine(sizes: sizes, bytes: added),
            workerPeak: workerPoints.isEmpty ? nil : MemoryLine(
                sizes: workerPoints.map { Double($0.sizeBytes) },
                bytes: workerPoints.map { Double($0.memory.workerPeakBytes.max() ?? 0) }),
            workers: workers)
    }

    /// The median of measured ÷ uncalibrated predicted throughput over `points` of at least
    /// `calibrationMinimumBytes` (over all points when none is that large); 1 when nothing can be compared.
    func efficiency(of option: OptionCostModel, points: [PointResult]) -> Double {
        let large = points.filter { $0.sizeBytes >= CostModel.calibrationMinimumBytes }
        let ratios = (large.isEmpty ? points : large).compactMap { point -> Double? in
            guard point.tasksPerSecond > 0, point.tasksPerSecond.isFinite else { return nil }
            let raw = predict(option, Scenario(point: point), calibrated: false).tasksPerSecond
            guard raw > 0, raw.isFinite else { return nil }
            return point.tasksPerSecond / raw
        }
        return ratios.isEmpty ? 1 : Percentile.median(ratios)
    }
}

extension CostModel.Scenario {
    /// The settings `point` was measured with.
    package init(point: PointResult) {
        self.init(sizeBytes: point.sizeBytes, work: point.work, gil: point.gil, workers: point.workers, tasks: 1)
    }
}
