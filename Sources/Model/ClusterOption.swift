import Results
import Payload
import Units

/// A cluster of hosts running Dask workers, one thread each: up to `C` workers (this machine's cores) run here,
/// priced as the Dask pool measured on this machine (a local cluster over loopback TCP), and every worker beyond them
/// runs on another host of the same kind, reached over `network`. The client — the user's process, which serializes
/// every task — stays on this machine.
///
/// The formulas are in docs/MODEL.md, *A cluster of hosts*. Pure: no measuring, only the fitted Dask option.
public struct ClusterOption: Sendable, Equatable {
    /// The fitted Dask option (`dask` or `dask:scatter`) the cluster is priced from.
    public var dask: OptionCostModel
    public var network: ClusterNetwork

    public init(dask: OptionCostModel, network: ClusterNetwork) {
        self.dask = dask
        self.network = network
    }

    /// The stages a worker on another host runs after its object has arrived.
    static let workerStages: [Stage] = [.deserialize, .verify, .work, .reserialize, .write, .sync]

    /// Predicts the cluster for `scenario`, on the machine `model` describes (`model.cores` is `C`).
    public func predict(_ scenario: CostModel.Scenario, model: CostModel) -> ClusterPrediction {
        let size = Double(scenario.sizeBytes)
        let cores = model.cores
        let localWorkers = min(scenario.workers, cores)
        let remoteWorkers = max(0, scenario.workers - cores)
        // This machine's share: the Dask pool as measured here, with as many workers as it has cores.
        let here = model.predict(dask, scenario.with(workers: localWorkers))
        let stages = here.stageSeconds
        let overhead = max(0, dask.machinerySeconds?.predict(bytes: size) ?? 0)
        let serialize = stages[.serialize] ?? 0
        let measuredTransfer = stages[.transfer] ?? 0
        let linkTransfer = network.link.map { $0.transferSeconds(bytes: size) }
        let transfer = max(measuredTransfer, linkTransfer ?? 0)
        let remoteTask = max(
            transfer + ClusterOption.workerStages.reduce(overhead) { $0 + (stages[$1] ?? 0) }, 1e-9)

        // The other hosts' share: their workers, bounded by what the client's link, cores and lock can feed them.
        var remoteRate = 0.0
        var limit = ClusterPrediction.Limit.thisMachine
        let locked = scenario.gil * serialize
        if remoteWorkers > 0 {
            let wire = network.link.map { size / $0.bytesPerSecond } ?? measuredTransfer
            let bounds: [(ClusterPrediction.Limit, Double)] = [
                (.remoteWorkers, dask.efficiency * Double(remoteWorkers) / remoteTask),
                (.link, wire > 0 ? 1 / wire : .infinity),
                (.clientCPU, serialize > 0 ? Double(cores) / serialize : .infinity),
                (.clientLock, locked > 0 ? 1 / locked : .infinity),
            ]
            (limit, remoteRate) = bounds.min { $0.1 < $1.1 }!
        }
        // This machine's workers get the cores and the lock the client leaves them.
        var localRate = here.tasksPerSecond
        if remoteRate > 0 {
            let coresLeft = max(0, Double(cores) - remoteRate * serialize)
            localRate = min(localRate, coresLeft / max(here.cpuSecondsPerTask, 1e-9))
            if locked > 0 { localRate = min(localRate, max(0, 1 / locked - remoteRate)) }
        }
        let throughput = max(localRate + remoteRate, 1e-12)
        let latency = remoteWorkers > 0
            ? max(serialize + remoteTask, Double(scenario.workers) / throughput) : here.latencySeconds
        let start = dask.poolStartSeconds * Double(scenario.workers) / Double(model.sweepWorkers)

        // Every host's peak: the client holds the objects in flight to all N workers; each worker its own peak.
        let memory = dask.memory.estimate(bytes: scenario.sizeBytes, workers: scenario.workers)
        let thisMachine = Double(memory.parentPeakBytes) + Double(localWorkers) * Double(memory.workerPeakBytes)

        // Computed rather than measured: work the sweep did not run, and a transfer priced from a given link.
        let computedWork = scenario.work == model.sweepWork ? 0 : (stages[.work] ?? 0)
        let pricedTransfer = remoteWorkers > 0 && network.source == .given ? transfer : 0
        let busy = remoteWorkers > 0 ? remoteTask : here.taskSeconds
        let widths = dask.uncertainty?.halfWidths(
            sizeBytes: scenario.sizeBytes, computedWorkShare: min(1, (computedWork + pricedTransfer) / max(busy, 1e-9)))

        return ClusterPrediction(
            pool: dask.pool, codec: dask.codec, shape: dask.shape, sizeBytes: scenario.sizeBytes, work: scenario.work,
            gil: scenario.gil, workers: scenario.workers, localWorkers: localWorkers, remoteWorkers: remoteWorkers,
            otherHosts: (remoteWorkers + cores - 1) / cores, network: network,
            measuredTransferSeconds: measuredTransfer, linkTransferSeconds: linkTransfer, transferSeconds: transfer,
            serializeSeconds: serialize, overheadSeconds: overhead, remoteTaskSeconds: remoteTask,
            localTasksPerSecond: localRate, remoteTasksPerSecond: remoteRate, tasksPerSecond: throughput,
            bytesPerSecond: throughput * size, latencySeconds: latency, poolStartSeconds: start, tasks: scenario.tasks,
            totalSeconds: start + Double(scenario.tasks) / throughput, limit: remoteWorkers > 0 ? limit : .thisMachine,
            memory: memory, thisMachineBytes: Int(clampingFinite: thisMachine.rounded()),
            tasksPerSecondInterval: widths.map { PredictionInterval(around: throughput, halfWidth: $0.throughput) },
            latencyInterval: widths.map { PredictionInterval(around: latency, halfWidth: $0.latency) })
    }
}
