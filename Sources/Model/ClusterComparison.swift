import Foundation
import Results
import Payload
import Units

/// The model's answer across three options — the thread pool, the process pool, and a cluster of hosts running Dask
/// — for one payload size, shape, work and worker count: which to use, by how much, from which work per byte and
/// from how many workers the cluster wins, and the memory each needs.
///
/// The two pools on this machine are compared as `Recommendation` does (`local`); the cluster is priced by
/// `ClusterOption` from the Dask pool measured here. Without Dask measurements there is no cluster, and
/// `missingMeasurement` says which sweep would add it.
public struct ClusterComparison: Sendable, Equatable {
    /// Which side is faster.
    public enum Choice: String, Codable, Sendable {
        case cluster
        case local
    }

    /// The choice between the pools on this machine.
    public var local: Recommendation
    /// The cluster priced for the asked scenario; nil without Dask measurements.
    public var cluster: ClusterPrediction?
    /// Why there is no cluster, and how to measure it; nil when there is one.
    public var missingMeasurement: String?
    /// The faster of the cluster and the best local pool; nil without a cluster.
    public var faster: Choice?
    /// Cluster against the best local pool: `winner`, `tie` (within `MeasuredComparison.tieMargin`),
    /// `tooCloseToCall` (their intervals overlap), or `onlyOnePool` without a cluster.
    public var verdict: PoolVerdict
    /// Faster ÷ slower throughput (≥ 1); nil without a cluster.
    public var margin: Double?
    /// The cpu: work in ns per byte from which the cluster wins (0: already with work `none`; 0.1, the least searched:
    /// with any cpu: work); nil when it does not win up to 1000 ns/B, or without a cluster.
    public var workCrossoverNanosecondsPerByte: Double?
    /// The worker count from which the cluster wins up to 256 workers; nil when it does not, or without a cluster.
    public var workerCrossover: Int?
    /// The crossovers and the network's figures in words.
    public var sentences: [String]

    /// The best option on this machine.
    public var bestLocal: Prediction { local.recommended }

    /// The option to use: the cluster, the local winner, or nil when the cluster and the best local pool cannot be
    /// told apart.
    public var winnerLabel: String? {
        guard cluster != nil else { return local.recommended.label }
        switch verdict {
        case .winner, .onlyOnePool: return faster == .cluster ? cluster?.label : local.recommended.label
        case .tie, .tooCloseToCall: return nil
        }
    }
}

extension ClusterComparison {
    /// Compares the pools on this machine with a cluster of hosts, for a validated request.
    ///
    /// - Parameters:
    ///   - model: fitted to one runtime's points (the python runtime's, for Dask), local pools and Dask together.
    ///   - calibration: the sweep's calibration; its loopback TCP figures price the cluster when the request gives
    ///     no link.
    /// - Throws: what `Recommendation.recommend` throws for the local pools; `.noLocalPool` when only Dask was
    ///   modelled.
    public static func compare(
        model: CostModel, request: RecommendationRequest, calibration: Calibration?
    ) throws(RecommendError) -> ClusterComparison {
        guard !model.options.isEmpty else { throw .nothingModelled }
        var localModel = model
        localModel.options.removeAll { $0.pool.isDask }
        guard !localModel.options.isEmpty else { throw .noLocalPool }
        let local = try Recommendation.recommend(model: localModel, request: request)
        let network = ClusterNetwork.resolve(given: request.link, calibration: calibration)
        let search = ClusterSearch(
            model: model, local: localModel, shape: local.shape, codec: local.codec, network: network)
        guard let cluster = search.cluster(local.scenario) else {
            return ClusterComparison(
                local: local, cluster: nil, missingMeasurement: missingSentence(shape: local.shape), faster: nil,
                verdict: .onlyOnePool, margin: nil, workCrossoverNanosecondsPerByte: nil, workerCrossover: nil,
                sentences: [])
        }
        let best = local.recommended
        let faster: Choice = cluster.tasksPerSecond > best.tasksPerSecond ? .cluster : .local
        let margin = max(cluster.tasksPerSecond, best.tasksPerSecond) / max(min(cluster.tasksPerSecond, best.tasksPerSecond), 1e-300)
        let overlap = cluster.tasksPerSecondInterval.flatMap { mine in
            best.tasksPerSecondInterval.map { mine.overlaps($0) }
        } ?? false
        let verdict: PoolVerdict = margin < MeasuredComparison.tieMargin ? .tie : overlap ? .tooCloseToCall : .winner
        let work = search.workCrossover(local.scenario)
        let workers = search.workerCrossover(local.scenario)
        return ClusterComparison(
            local: local, cluster: cluster, missingMeasurement: nil, faster: faster, verdict: verdict, margin: margin,
            workCrossoverNanosecondsPerByte: work, workerCrossover: workers,
            sentences: sentences(cluster: cluster, cores: model.cores, work: work, workers: workers, search: search,
                                 scenario: local.scenario))
    }

    /// The sentence that says which measurement is missing and how to get it.
    public static func missingSentence(shape: PayloadShape) -> String {
        "The results have no Dask measurement of \(shape.rawValue) (pools dask and dask:scatter, at two sizes or more), "
            + "so a cluster of hosts cannot be priced; run make python-deps, then payloadlab sweep --runtime python "
            + "--pools process,thread,dask."
    }

    /// The crossovers in words, each with the settings it holds for.
    static func sentences(
        cluster: ClusterPrediction, cores: Int, work: Double?, workers: Int?, search: ClusterSearch,
        scenario: CostModel.Scenario
    ) -> [String] {
        let size = Formatting.bytes(Double(scenario.sizeBytes))
        let over = "over \(cluster.network.label)"
        let margin = Formatting.percent(MeasuredComparison.tieMargin - 1)
        var sentences: [String] = []
        let atWorkers = "at \(size) with \(scenario.workers) workers \(over)"
        switch work {
        case nil:
            sentences.append("Work per byte: no cpu: work from none to \(Int(clampingFinite: FlipSearch.workRange.upperBound)) ns/B makes the cluster win (by \(margin) or more) \(atWorkers).")
        case 0?:
            sentences.append("Work per byte: the cluster wins (by \(margin) or more) at every work from none to \(Int(clampingFinite: FlipSearch.workRange.upperBound)) ns/B \(atWorkers).")
        case let rate? where rate <= FlipSearch.workRange.lowerBound:
            sentences.append("Work per byte: the cluster wins (by \(margin) or more) with any cpu: work from \(Formatting.significant(FlipSearch.workRange.lowerBound)) to \(Int(clampingFinite: FlipSearch.workRange.upperBound)) ns/B \(atWorkers); with work none the best local pool keeps up.")
        case let rate?:
            sentences.append("Work per byte: the cluster wins (by \(margin) or more) once work exceeds \(Formatting.significant(rate)) ns/B \(atWorkers); the best local pool below it.")
        }
        let withWork = "at \(size) with \(scenario.work) \(over)"
        let top = ClusterSearch.workerRange.upperBound
        switch workers {
        case nil:
            let end = search.cluster(scenario.with(workers: top))
            let reason = end.map { " (with \(top) workers it is limited by the \($0.limit.label), at \(Formatting.significant($0.tasksPerSecond)) tasks/s)" } ?? ""
            sentences.append("Workers: the cluster does not win (by \(margin) or more) with any worker count up to \(top) \(withWork)\(reason).")
        case let count? where count <= cores:
            sentences.append("Workers: Dask wins (by \(margin) or more) from \(count) worker\(count == 1 ? "" : "s") \(withWork), within this machine's \(cores) cores.")
        case let count?:
            let beyond = count - cores
            let hosts = (beyond + cores - 1) / cores
            sentences.append("Workers: the cluster wins (by \(margin) or more) from \(count) workers \(withWork): \(beyond) beyond this machine's \(cores) cores, on \(hosts) other host\(hosts == 1 ? "" : "s") like it.")
        }
        return sentences
    }
}

extension ClusterComparison: Encodable {
    private enum Keys: String, CodingKey {
        case cluster, missingMeasurement, clusterComparison
    }

    /// The comparison between the cluster and the best local pool, as the JSON output's `clusterComparison`.
    private struct Outcome: Encodable {
        var faster: Choice?
        var verdict: PoolVerdict
        var margin: Double?
        var winner: String?
        var workCrossoverNanosecondsPerByte: Double?
        var workerCrossover: Int?
        var sentences: [String]
    }

    /// The local recommendation's keys as `recommend --format json` has always written them, plus `cluster` (the
    /// priced cluster), `clusterComparison` (verdict, margin, crossovers) or `missingMeasurement`.
    public func encode(to encoder: any Encoder) throws {
        try local.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encodeIfPresent(cluster, forKey: .cluster)
        try container.encodeIfPresent(missingMeasurement, forKey: .missingMeasurement)
        if cluster != nil {
            try container.encode(
                Outcome(faster: faster, verdict: verdict, margin: margin, winner: winnerLabel,
                        workCrossoverNanosecondsPerByte: workCrossoverNanosecondsPerByte,
                        workerCrossover: workerCrossover, sentences: sentences),
                forKey: .clusterComparison)
        }
    }

    /// The comparison as indented JSON with sorted keys.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
