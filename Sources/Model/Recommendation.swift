import Foundation
import Results
import Payload
import Units

/// The model's answer for one payload size, shape and work: which pool (and codec) to use, by how much, where the
/// answer changes, and what would change it.
///
/// The winner is the option with the highest predicted throughput (steady state, start-up excluded); `margin`
/// compares it with the other pool's best option. Every sentence in `flips` is computed by searching the model,
/// never canned.
public struct Recommendation: Codable, Sendable, Equatable {
    /// The smallest and largest size the crossover search covers: 1 KB … 10 GB.
    public static let searchedSizes: ClosedRange<Double> = 1e3...1e10

    public var shape: PayloadShape
    /// The codec asked for; nil compares every measured codec.
    public var codec: String?
    public var scenario: CostModel.Scenario
    /// Cores of the machine the model describes.
    public var cores: Int
    /// Every option predicted for the scenario, fastest first.
    public var options: [Prediction]
    /// The option to use.
    public var recommended: Prediction
    /// The other pool's best option; nil when the sweep measured one pool.
    public var runnerUp: Prediction?
    /// recommended ÷ runner-up throughput (≥ 1).
    public var margin: Double?
    /// True when the margin is below `MeasuredComparison.tieMargin`: the pools are within noise of each other.
    public var isTie: Bool
    /// `winner`, `tie` (within `MeasuredComparison.tieMargin`), `tooCloseToCall` (the two pools' throughput
    /// intervals overlap: no winner is named) or `onlyOnePool`.
    public var verdict: PoolVerdict
    /// The sizes the recommended shape was measured at.
    public var measuredMinBytes: Int
    public var measuredMaxBytes: Int
    public var insideMeasuredRange: Bool
    /// Set when the size lies outside the measured range.
    public var extrapolationWarning: String?
    /// Every size in 1 KB … 10 GB where the faster pool changes, for this work, lock share and worker count.
    public var crossovers: [PoolCrossover]
    /// The crossover nearest to the asked size, in bytes.
    public var crossoverBytes: Int?
    /// Computed sentences on what would change the answer: size, work, lock share, workers, task count.
    public var flips: [String]
    /// Other things a reader should know (work that was computed rather than measured, unmodelled options).
    public var notes: [String]
}

/// A point on one axis (size in bytes, work in ns per byte, lock share, workers) where the faster pool changes.
public struct PoolCrossover: Codable, Sendable, Equatable {
    public var at: Double
    public var belowWinner: PoolKind
    public var aboveWinner: PoolKind

    public init(at: Double, belowWinner: PoolKind, aboveWinner: PoolKind) {
        self.at = at
        self.belowWinner = belowWinner
        self.aboveWinner = aboveWinner
    }
}

extension Recommendation {
    /// Recommends a pool for payloads of `sizeBytes` of `shape` with `work`, lock share `gil`, `workers` workers
    /// and `tasks` tasks, from `model` (with `codec` only, when given).
    ///
    /// - Throws: `RecommendError.shapeNotMeasured` or `.codecNotMeasured` when the model has no option for them.
    public static func recommend(
        model: CostModel, sizeBytes: Int, shape: PayloadShape, work: WorkProfile, gil: Double, workers: Int,
        tasks: Int, codec: String?
    ) throws(RecommendError) -> Recommendation {
        guard !model.options.isEmpty else { throw .nothingModelled }
        guard model.shapes.contains(shape) else {
            throw .shapeNotMeasured(shape.rawValue, measured: model.shapes.map(\.rawValue))
        }
        if let codec, !model.codecs(shape: shape).contains(codec) {
            throw .codecNotMeasured(codec, shape: shape.rawValue, measured: model.codecs(shape: shape))
        }
        let scenario = CostModel.Scenario(sizeBytes: sizeBytes, work: work, gil: gil, workers: workers, tasks: tasks)
        let options = model.predictions(shape: shape, codec: codec, scenario: scenario)
        guard let decision = model.decide(shape: shape, codec: codec, scenario: scenario),
              let range = model.measuredRange(shape: shape, codec: codec)
        else { throw .shapeNotMeasured(shape.rawValue, measured: []) }

        let search = FlipSearch(model: model, shape: shape, codec: codec, scenario: scenario)
        let crossovers = search.sizeCrossovers()
        let nearest = crossovers.min { abs(log($0.at / Double(sizeBytes))) < abs(log($1.at / Double(sizeBytes))) }
        let inside = range.contains(sizeBytes)
        return Recommendation(
            shape: shape, codec: codec, scenario: scenario, cores: model.cores, options: options,
            recommended: decision.fastest, runnerUp: decision.runnerUp, margin: decision.margin,
            isTie: decision.margin.map { $0 < MeasuredComparison.tieMargin } ?? false, verdict: decision.verdict,
            measuredMinBytes: range.lowerBound, measuredMaxBytes: range.upperBound, insideMeasuredRange: inside,
            extrapolationWarning: inside ? nil : extrapolationWarning(sizeBytes: sizeBytes, range: range),
            crossovers: crossovers, crossoverBytes: nearest.map { Int(clampingFinite: $0.at.rounded()) },
            flips: search.sentences(decision: decision, sizeCrossovers: crossovers),
            notes: notes(model: model, shape: shape, codec: codec, scenario: scenario, decision: decision))
    }

    /// Recommends for a validated request (see `RecommendationRequest`), filling what it leaves open from the
    /// sweep the model was fitted to.
    public static func recommend(model: CostModel, request: RecommendationRequest) throws(RecommendError) -> Recommendation {
        guard !model.options.isEmpty else { throw .nothingModelled }
        let shape = try request.resolvedShape(model: model)
        return try recommend(
            model: model, sizeBytes: request.sizeBytes, shape: shape, work: request.work ?? model.sweepWork,
            gil: request.gil ?? model.sweepGIL, workers: request.workers ?? model.sweepWorkers, tasks: request.tasks,
            codec: request.codec)
    }

    static func extrapolationWarning(sizeBytes: Int, range: ClosedRange<Int>) -> String {
        let size = Formatting.bytes(Double(sizeBytes))
        if sizeBytes > range.upperBound {
            return "\(size) is above the largest measured size (\(Formatting.bytes(Double(range.upperBound)))): the prediction extrapolates the fitted lines; measure it with payloadlab sweep --max \(ByteSize(bytes: sizeBytes))."
        }
        return "\(size) is below the smallest measured size (\(Formatting.bytes(Double(range.lowerBound)))): the prediction extrapolates the fitted lines; measure it with payloadlab sweep --min \(ByteSize(bytes: sizeBytes))."
    }

    static func notes(
        model: CostModel, shape: PayloadShape, codec: String?, scenario: CostModel.Scenario, decision: PoolDecision
    ) -> [String] {
        var notes: [String] = []
        if decision.runnerUp == nil {
            notes.append("The sweep measured only the \(decision.fastest.pool.label) pool for \(shape.rawValue); there is nothing to compare it with.")
        }
        if scenario.work != model.sweepWork {
            let computed: String
            switch scenario.work {
            case .none: computed = "no work stage"
            case .checksum: computed = "one checksum pass, as the sweep's verify stage measured it"
            case .cpu(let rate): computed = "\(Formatting.significant(rate)) ns of CPU per byte, as cpu: work spins by construction"
            }
            notes.append("The sweep measured work \(model.sweepWork); the work stage for \(scenario.work) is computed (\(computed)), the other stages are measured.")
        }
        let needsChecksum: Bool
        switch scenario.work {
        case .checksum, .cpu: needsChecksum = scenario.work != model.sweepWork
        case .none: needsChecksum = false
        }
        if needsChecksum, model.options(shape: shape, codec: codec).contains(where: { $0.checksumSeconds == nil }) {
            notes.append("The sweep has no checksum timing for \(shape.rawValue) (no verify stage or checksum work), so a checksum pass is counted as free; include the process pool in the sweep to measure it.")
        }
        if scenario.gil != model.sweepGIL {
            notes.append("The sweep measured --gil \(FlipSearch.gilText(model.sweepGIL)); the lock at --gil \(FlipSearch.gilText(scenario.gil)) is modelled.")
        }
        if scenario.workers != model.sweepWorkers {
            notes.append("The sweep measured \(model.sweepWorkers) workers on \(model.cores) cores; \(scenario.workers) workers are modelled (at most \(model.cores) run at once).")
        }
        notes += model.notes.filter { $0.contains(" \(shape.rawValue) ") }
        return notes
    }

    /// The recommendation as indented JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
