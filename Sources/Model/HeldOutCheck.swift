import Foundation
import Results
import Payload
import Units

/// The held-out check: each measured size predicted by a model fitted without any point of that size. It is how the
/// report judges the model, and what the model's intervals learn their width from.
public enum HeldOutCheck {
    /// For each measured size, the model refitted without every point of that size, predicting them.
    ///
    /// Rows come in the order of `result.points`' successful points; a prediction is nil when too few sizes remain
    /// for its option. The smallest and largest sizes test extrapolation, the others interpolation.
    ///
    /// - Parameter intervals: fit each reduced model with `CostModel.fitWithUncertainty(_:)`, so every row carries
    ///   the interval that model would have drawn, from its own held-out errors (never from the held-out point):
    ///   n² fits for n sizes instead of n.
    /// - Parameter quietness: which points every reduced model keeps (`CostModel.fit(_:quietness:)`); the whole
    ///   sweep's by default.
    public static func rows(
        result: SweepResult, intervals: Bool = false, quietness: SweepQuietness? = nil
    ) -> [AccuracyRow] {
        let points = result.points.filter(\.succeeded)
        let quietness = quietness ?? result.quietness
        var models: [Int: CostModel] = [:]
        for size in Set(points.map(\.sizeBytes)) {
            var reduced = result
            reduced.points = result.points.filter { $0.sizeBytes != size }
            models[size] = intervals
                ? CostModel.fitWithUncertainty(reduced, quietness: quietness)
                : CostModel.fit(reduced, quietness: quietness)
        }
        return points.map { AccuracyRow(point: $0, model: models[$0.sizeBytes]!) }
    }
}

extension CostModel {
    /// Fits the model to `result` (`fit(_:)`) and gives every option its `OptionUncertainty`: the spread measured
    /// at each size, and the held-out error at each size from `HeldOutCheck.rows(result:)`. Predictions of this
    /// model carry intervals; it costs one fit per measured size more.
    public static func fitWithUncertainty(_ result: SweepResult, quietness: SweepQuietness? = nil) -> CostModel {
        let quietness = quietness ?? result.quietness
        var model = fit(result, quietness: quietness)
        guard !model.options.isEmpty else { return model }
        let held = HeldOutCheck.rows(result: result, quietness: quietness)
        let points = result.points.filter(\.succeeded)
        for index in model.options.indices {
            let option = model.options[index]
            func same(_ pool: PoolKind, _ codec: String, _ shape: PayloadShape) -> Bool {
                pool == option.pool && codec == option.codec && shape == option.shape
            }
            let here = points.filter { same($0.pool, $0.codec, $0.shape) }
            let spreads = option.measuredSizes.compactMap { size -> OptionUncertainty.Spread? in
                let atSize = here.filter { $0.sizeBytes == size }
                guard !atSize.isEmpty else { return nil }
                return OptionUncertainty.Spread(
                    sizeBytes: size,
                    throughput: Percentile.median(atSize.map {
                        OptionUncertainty.halfLogSpread(Summary.of($0.batchTasksPerSecond))
                    }),
                    latency: Percentile.median(atSize.map { OptionUncertainty.halfLogSpread($0.latency) }))
            }
            var errors: [OptionUncertainty.HeldOutError] = []
            for size in option.measuredSizes {
                let rows = held.filter { same($0.pool, $0.codec, $0.shape) && $0.sizeBytes == size }
                let throughput = rows.compactMap { logError($0.predictedTasksPerSecond, $0.measuredTasksPerSecond) }
                let latency = rows.compactMap { logError($0.predictedLatencySeconds, $0.measuredLatencySeconds) }
                guard !throughput.isEmpty || !latency.isEmpty else { continue }
                errors.append(OptionUncertainty.HeldOutError(
                    sizeBytes: size, throughput: throughput.isEmpty ? nil : Percentile.median(throughput),
                    latency: latency.isEmpty ? nil : Percentile.median(latency)))
            }
            model.options[index].uncertainty = OptionUncertainty(spreads: spreads, heldOut: errors)
        }
        return model
    }

    /// ln(predicted ÷ measured); nil when either is missing or not positive.
    static func logError(_ predicted: Double?, _ measured: Double) -> Double? {
        guard let predicted, predicted > 0, measured > 0, predicted.isFinite, measured.isFinite else { return nil }
        return log(predicted / measured)
    }
}

extension AccuracyRow {
    /// `point` beside `model`'s prediction at the point's own settings (nil when the model has no option for it).
    public init(point: PointResult, model: CostModel) {
        let prediction = model.option(pool: point.pool, codec: point.codec, shape: point.shape).map {
            model.predict($0, CostModel.Scenario(point: point))
        }
        self.init(
            pool: point.pool, shape: point.shape, codec: point.codec, sizeBytes: point.sizeBytes,
            measuredTasksPerSecond: point.tasksPerSecond, predictedTasksPerSecond: prediction?.tasksPerSecond,
            measuredLatencySeconds: point.latency.median, predictedLatencySeconds: prediction?.latencySeconds,
            predictedInterval: prediction?.tasksPerSecondInterval)
    }
}
