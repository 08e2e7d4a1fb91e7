import Units

/// The driver's `bench` lines, gathered: overhead rounds per pool and pickle-rate pairs per shape and size.
public struct PythonBenchmarkResult: Codable, Sendable, Equatable {
    /// One round of the same small point run three ways on one pool.
    public struct OverheadRound: Codable, Sendable, Equatable {
        public var pool: String
        public var round: Int
        public var tasks: Int
        /// Median task latency and wall time per task of the driver's `run` (stamps, markers, memory reads).
        public var driverP50Ns: Int
        public var driverWallNsPerTask: Int
        /// The same verify / pickle / write, submitted by a bare loop written by hand.
        public var byHandP50Ns: Int
        public var byHandWallNsPerTask: Int
        /// A bare loop of an empty function: the executor's own cost.
        public var emptyP50Ns: Int
        public var emptyWallNsPerTask: Int
    }

    /// payloadlab's pickle rates for one object beside `python3 -m timeit`'s.
    public struct PicklePair: Codable, Sendable, Equatable {
        public var shape: String
        public var sizeBytes: Int
        public var pickleBytes: Int
        public var rounds: Int
        public var dumpsBytesPerSecond: Double
        public var loadsBytesPerSecond: Double
        public var timeitDumpsBytesPerSecond: Double
        public var timeitLoadsBytesPerSecond: Double
        /// Median over rounds of payloadlab's rate over timeit's.
        public var dumpsRatio: Double
        public var loadsRatio: Double
        /// timeit's own last line for each statement.
        public var timeitDumps: String
        public var timeitLoads: String
    }

    /// The driver's overhead target: its median latency within this factor of the hand-written loop's.
    public static let overheadTarget = 1.25
    /// The pickle-rate target: payloadlab's rate within this share of timeit's, either way.
    public static let pickleTolerance = 0.15

    public var python: String
    /// The object size of the overhead rounds.
    public var overheadSizeBytes: Int
    public var overhead: [OverheadRound]
    public var pickle: [PicklePair]

    public init(python: String, overheadSizeBytes: Int, overhead: [OverheadRound], pickle: [PicklePair]) {
        self.python = python
        self.overheadSizeBytes = overheadSizeBytes
        self.overhead = overhead
        self.pickle = pickle
    }

    /// Per pool, in first-seen order: the median over rounds of driver / by-hand, for p50 latency and wall per task.
    public var overheadRatios: [(pool: String, latency: Double, wall: Double)] {
        var pools: [String] = []
        for round in overhead where !pools.contains(round.pool) { pools.append(round.pool) }
        return pools.map { pool in
            let rounds = overhead.filter { $0.pool == pool }
            let latency = rounds.map { Double($0.driverP50Ns) / Double(max(1, $0.byHandP50Ns)) }
            let wall = rounds.map { Double($0.driverWallNsPerTask) / Double(max(1, $0.byHandWallNsPerTask)) }
            return (pool, Percentile.median(latency), Percentile.median(wall))
        }
    }
}
