import Foundation
import Results
import Payload
import Units

/// Searches the model for where a cluster of hosts starts to win against the best pool on this machine: along the
/// work per byte and along the worker count.
///
/// The cluster *wins* when it delivers at least `MeasuredComparison.tieMargin` times the tasks a second of the best
/// local pool (the same 10 % a measured comparison needs). Both searches look for the point from which it wins at
/// every larger value in the searched range, so a crossover is one number, found from the top of the range down.
package struct ClusterSearch {
    /// The model with the Dask options.
    let model: CostModel
    /// The same model with the local pools only.
    let local: CostModel
    let shape: PayloadShape
    let codec: String?
    let network: ClusterNetwork

    /// The worker counts searched: 1 to the largest `recommend` accepts.
    static let workerRange: ClosedRange<Int> = 1...RecommendationRequest.maximumWorkers

    /// The faster of the two Dask options priced as a cluster for `scenario`; nil when Dask was not modelled.
    func cluster(_ scenario: CostModel.Scenario) -> ClusterPrediction? {
        model.options(shape: shape, codec: codec).filter(\.pool.isDask)
            .map { ClusterOption(dask: $0, network: network).predict(scenario, model: model) }
            .max { ($0.tasksPerSecond, $1.pool) < ($1.tasksPerSecond, $0.pool) }
    }

    /// The fastest pool on this machine for `scenario`.
    func bestLocal(_ scenario: CostModel.Scenario) -> Prediction? {
        local.predictions(shape: shape, codec: codec, scenario: scenario).first
    }

    /// Whether the cluster wins (see the type's summary); nil when either side is not modelled.
    func clusterWins(_ scenario: CostModel.Scenario) -> Bool? {
        guard let cluster = cluster(scenario), let best = bestLocal(scenario) else { return nil }
        return cluster.tasksPerSecond >= best.tasksPerSecond * MeasuredComparison.tieMargin
    }

    /// The fewest workers from which the cluster wins at every count up to the end of `workerRange`; nil when it
    /// does not win at the end.
    func workerCrossover(_ scenario: CostModel.Scenario) -> Int? {
        var from: Int?
        for workers in ClusterSearch.workerRange.reversed() {
            guard clusterWins(scenario.with(workers: workers)) == true else { break }
            from = workers
        }
        return from
    }

    /// The least cpu: work (ns per byte) from which the cluster wins at every work up to 1000 ns/B, narrowed by
    /// bisection to 0.01 %; 0 when it wins already with work `none`; nil when it does not win at 1000 ns/B.
    func workCrossover(_ scenario: CostModel.Scenario) -> Double? {
        let grid = FlipSearch.geometricGrid(FlipSearch.workRange, stepsPerDecade: 8)
        func wins(_ rate: Double) -> Bool { clusterWins(scenario.with(work: .cpu(nanosecondsPerByte: rate))) == true }
        guard wins(grid[grid.count - 1]) else { return nil }
        var index = grid.count - 1
        while index > 0 && wins(grid[index - 1]) { index -= 1 }
        if index == 0 {
            return clusterWins(scenario.with(work: WorkProfile.none)) == true ? 0 : grid[0]
        }
        var low = grid[index - 1]
        var high = grid[index]
        while high / low - 1 > 1e-4 {
            let middle = (low * high).squareRoot()
            if wins(middle) { high = middle } else { low = middle }
        }
        return high
    }
}
