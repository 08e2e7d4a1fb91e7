import Results
import Payload
import Units
/// One measured point beside the model's prediction for the same settings.
public struct AccuracyRow: Codable, Sendable, Equatable {
    public var pool: PoolKind
    public var shape: PayloadShape
    public var codec: String
    public var sizeBytes: Int
    public var measuredTasksPerSecond: Double
    /// nil when the model has no option for the point (e.g. too few sizes left after holding one out).
    public var predictedTasksPerSecond: Double?
    public var measuredLatencySeconds: Double
    public var predictedLatencySeconds: Double?
    /// The predicted throughput's interval; nil when the model had no uncertainty to draw it from.
    public var predictedInterval: PredictionInterval?

    public init(
        pool: PoolKind, shape: PayloadShape, codec: String, sizeBytes: Int, measuredTasksPerSecond: Double,
        predictedTasksPerSecond: Double?, measuredLatencySeconds: Double, predictedLatencySeconds: Double?,
        predictedInterval: PredictionInterval? = nil
    ) {
        self.pool = pool
        self.shape = shape
        self.codec = codec
        self.sizeBytes = sizeBytes
        self.measuredTasksPerSecond = measuredTasksPerSecond
        self.predictedTasksPerSecond = predictedTasksPerSecond
        self.measuredLatencySeconds = measuredLatencySeconds
        self.predictedLatencySeconds = predictedLatencySeconds
        self.predictedInterval = predictedInterval
    }

    /// Whether the measured throughput lies inside the predicted interval; nil without an interval.
    public var insideInterval: Bool? {
        guard let predictedInterval, predictedTasksPerSecond != nil else { return nil }
        return predictedInterval.contains(measuredTasksPerSecond)
    }

    /// (predicted − measured) ÷ measured throughput: +0.1 means the model promises 10 % more than was measured.
    public var throughputError: Double? { AccuracyRow.relativeError(predictedTasksPerSecond, measuredTasksPerSecond) }

    /// (predicted − measured) ÷ measured median latency.
    public var latencyError: Double? { AccuracyRow.relativeError(predictedLatencySeconds, measuredLatencySeconds) }

    static func relativeError(_ predicted: Double?, _ measured: Double) -> Double? {
        guard let predicted, measured > 0, predicted.isFinite else { return nil }
        return (predicted - measured) / measured
    }
}

/// Whether the model names the pool that measurably won at one (shape, codec, size).
public struct WinnerCheck: Codable, Sendable, Equatable {
    public var shape: PayloadShape
    public var codec: String
    public var sizeBytes: Int
    public var measuredWinner: PoolKind
    /// Measured winner ÷ loser throughput (≥ `MeasuredComparison.tieMargin`).
    public var measuredMargin: Double
    /// The pool with the higher predicted throughput; nil when a prediction is missing.
    public var modelWinner: PoolKind?

    public var agrees: Bool { modelWinner == measuredWinner }
}

/// How well a set of predictions matched: the verdict line of the accuracy section.
public struct AccuracySummary: Codable, Sendable, Equatable {
    /// Points of at least this size enter the error statistics (smaller ones are dominated by fixed costs and noise).
    public static let minimumBytes = 1_000_000
    /// The error a prediction at `minimumBytes` or more is meant to stay within.
    public static let targetError = 0.25

    /// Median and largest |throughput error| over predicted points of at least `minimumBytes`; nil when none.
    public var medianAbsoluteError: Double?
    public var maximumAbsoluteError: Double?
    /// How many points entered those statistics.
    public var pointsCompared: Int
    /// How many of them are within `AccuracySummary.targetError` (the 25 % a prediction is meant to meet).
    public var pointsWithinTarget: Int
    /// Every (shape, codec, size) where the measured margin reached `MeasuredComparison.tieMargin`.
    public var winnerChecks: [WinnerCheck]
    /// Of the points entering the error statistics, how many had an interval, and how many of those measured inside it.
    public var pointsWithInterval: Int
    public var pointsInsideInterval: Int
    /// The same over points of every size.
    public var allPointsWithInterval: Int
    public var allPointsInsideInterval: Int

    public var winnersAgreeing: Int { winnerChecks.filter(\.agrees).count }

    /// Summarises `rows` (from `ModelAccuracySection.rows` or `HeldOutCheck.rows`).
    public init(rows: [AccuracyRow]) {
        let errors = rows.filter { $0.sizeBytes >= AccuracySummary.minimumBytes }.compactMap(\.throughputError).map(abs)
        medianAbsoluteError = errors.isEmpty ? nil : Percentile.median(errors)
        maximumAbsoluteError = errors.max()
        pointsCompared = errors.count
        pointsWithinTarget = errors.filter { $0 <= AccuracySummary.targetError }.count
        let judged = rows.compactMap { row in row.insideInterval.map { (row.sizeBytes, $0) } }
        let large = judged.filter { $0.0 >= AccuracySummary.minimumBytes }
        pointsWithInterval = large.count
        pointsInsideInterval = large.filter(\.1).count
        allPointsWithInterval = judged.count
        allPointsInsideInterval = judged.filter(\.1).count
        var checks: [WinnerCheck] = []
        var seen: Set<String> = []
        for row in rows {
            let key = "\(row.shape.rawValue)|\(row.codec)|\(row.sizeBytes)"
            guard !seen.contains(key) else { continue }
            seen.insert(key)
            let here = rows.filter { $0.shape == row.shape && $0.codec == row.codec && $0.sizeBytes == row.sizeBytes }
            // Every pool measured here (process, process:shm, thread): the measured and the modelled best.
            let measured = here.filter { $0.measuredTasksPerSecond > 0 }
                .sorted { $0.measuredTasksPerSecond > $1.measuredTasksPerSecond }
            guard measured.count >= 2 else { continue }
            let margin = measured[0].measuredTasksPerSecond / measured[1].measuredTasksPerSecond
            guard margin >= MeasuredComparison.tieMargin else { continue }
            let predicted = measured.filter { $0.predictedTasksPerSecond != nil }
            let modelWinner = predicted.count == measured.count
                ? predicted.max { $0.predictedTasksPerSecond! < $1.predictedTasksPerSecond! }?.pool : nil
            checks.append(WinnerCheck(
                shape: row.shape, codec: row.codec, sizeBytes: row.sizeBytes,
                measuredWinner: measured[0].pool, measuredMargin: margin, modelWinner: modelWinner))
        }
        winnerChecks = checks
    }
}
