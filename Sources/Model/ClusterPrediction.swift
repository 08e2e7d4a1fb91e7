import Results
import Payload
import Units

/// A cluster of hosts' predicted performance for one scenario (see `ClusterOption` and docs/MODEL.md, *A cluster
/// of hosts*).
public struct ClusterPrediction: Codable, Sendable, Equatable {
    /// What limits the cluster's throughput.
    public enum Limit: String, Codable, Sendable {
        /// All workers fit on this machine's cores: the Dask pool measured here, as it is.
        case thisMachine
        /// The workers on other hosts are all busy: more of them would add throughput.
        case remoteWorkers
        /// The client's link carries no more objects a second.
        case link
        /// The client's cores are busy serializing for the other hosts.
        case clientCPU
        /// The client's interpreter lock serializes one object at a time.
        case clientLock

        /// How the text output names it.
        public var label: String {
            switch self {
            case .thisMachine: return "workers/cores"
            case .remoteWorkers: return "remote workers"
            case .link: return "link"
            case .clientCPU: return "client CPU"
            case .clientLock: return "client lock"
            }
        }
    }

    /// The Dask pool the cluster is priced from: `dask` (the object a `submit` argument) or `dask:scatter`.
    public var pool: PoolKind
    public var codec: String
    public var shape: PayloadShape
    public var sizeBytes: Int
    public var work: WorkProfile
    public var gil: Double
    /// All workers, here and on other hosts.
    public var workers: Int
    /// Workers on this machine: at most its cores.
    public var localWorkers: Int
    /// Workers on other hosts.
    public var remoteWorkers: Int
    /// Other hosts of this machine's core count that the remote workers need.
    public var otherHosts: Int
    /// The network a remote worker is reached over.
    public var network: ClusterNetwork
    /// Dask's transfer stage at this size as measured on this machine's loopback.
    public var measuredTransferSeconds: Double
    /// The size over the link's bandwidth plus its latency; nil without a link figure.
    public var linkTransferSeconds: Double?
    /// What a task sent to another host pays for its transfer: the larger of the two above (a real network is no
    /// faster than loopback).
    public var transferSeconds: Double
    /// The client's serialize stage per task (it runs on this machine for every task, local or remote).
    public var serializeSeconds: Double
    /// Dask's own per-task time outside every stage (latency − stages, fitted like a stage).
    public var overheadSeconds: Double
    /// A remote worker's busy time per task: transfer, the worker's stages and Dask's overhead.
    public var remoteTaskSeconds: Double
    /// Tasks a second the workers on this machine finish.
    public var localTasksPerSecond: Double
    /// Tasks a second the workers on other hosts finish.
    public var remoteTasksPerSecond: Double
    public var tasksPerSecond: Double
    /// Payload bytes per second.
    public var bytesPerSecond: Double
    public var latencySeconds: Double
    public var poolStartSeconds: Double
    public var tasks: Int
    public var totalSeconds: Double
    public var limit: Limit
    /// Every host together: the client, this machine's workers and the remote workers at their peaks.
    public var memory: MemoryEstimate
    /// This machine alone: the client and the local workers.
    public var thisMachineBytes: Int
    /// Where the throughput is expected to fall; nil when the model was fitted without its uncertainty.
    public var tasksPerSecondInterval: PredictionInterval?
    public var latencyInterval: PredictionInterval?

    /// `cluster dask:scatter`.
    public var label: String { "cluster \(pool.label)" }

    /// `2 here + 6 on 3 hosts`, or `2 here` when every worker is local.
    public var placement: String {
        guard remoteWorkers > 0 else { return "\(localWorkers) here" }
        return "\(localWorkers) here + \(remoteWorkers) on \(otherHosts) host\(otherHosts == 1 ? "" : "s")"
    }
}
