#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Units
import Payload
import Codec
import Results
import Platform
import PythonRuntime

/// The options of a sweep as given, checked into a `SweepPlan` and the directories and sizes the run needs.
///
/// Everything a caller can get wrong is caught in `checked()`, in the order the CLI has always reported it, so the
/// command stays a thin shell and the checks are one place. Errors are structured (`UnitsError`, `PlanError`,
/// `WorkProfileError`, codec errors, `SweepError`, `SweepRequestError`) and name no command-line option.
public struct SweepRequest: Sendable, Equatable {
    public var minSize: String = "1KB"
    public var maxSize: String
    public var factor: Double = 4
    public var shapes: [String] = ["records", "blob"]
    public var codecs: [String] = ["binary"]
    public var pools: [String] = ["process", "thread"]
    /// Nil: the number of cores.
    public var workers: Int?
    /// Nil: as many as the budget allows.
    public var tasks: Int?
    public var budgetSeconds: Double = 1
    public var work: String = "none"
    public var gil: Double = 0
    public var sync = false
    public var seed: UInt64 = 1
    /// Nil: the system temporary directory.
    public var scratch: String?
    public var out: String = "reports"
    /// Nil: `sweep-<date>-<time>`.
    public var name: String?
    /// Nil: scaled to size and work.
    public var taskTimeoutSeconds: Double?
    /// False skips measuring the machine's limits first.
    public var calibrate = true
    /// Nil: the largest size, at least 16MB, at most 256MB.
    public var calibrateSize: String?
    /// `swift`, `python` or both.
    public var runtimes: [String] = ["swift"]
    /// The CPython interpreter for the python runtime; nil: `python3` on PATH.
    public var python: String?
    /// multiprocessing's start method for CPython's stdlib process pools (not Dask's processes, which are fresh
    /// interpreters); nil: the platform's default.
    public var startMethod: String?
    /// CPython tasks run from an asyncio event loop through `run_in_executor`.
    public var async = false
    /// The Dask pools' scheduler (`tcp://HOST:PORT`); nil: a scheduler process and worker processes on 127.0.0.1,
    /// started for each point.
    public var daskScheduler: String?
    /// Advise payload-sized buffers in the parent and the workers to use transparent huge pages (Swift runtime).
    public var hugePages = false

    public init(maxSize: String) {
        self.maxSize = maxSize
    }

    /// A request whose values were all accepted: what a sweep run needs.
    public struct Checked: Sendable {
        public var plan: SweepPlan
        /// The report directory, created when it is the default `reports`.
        public var outDirectory: String
        /// Where the sweep makes its scratch directory.
        public var scratchParent: String
        public var name: String
        /// Bytes per calibration measurement; nil when calibration is skipped.
        public var calibrationBytes: Int?
        public var taskTimeoutSeconds: Double?
    }

    /// Parses and checks every value; creates the default report directory when missing.
    public func checked() throws -> Checked {
        let plan = try makePlan()
        let reportName = name ?? ReportDirectory.defaultName()
        try ReportDirectory.checkName(reportName)
        let outDirectory = try ReportDirectory.prepare(out, createIfMissing: out == "reports")
        let scratchParent = scratch ?? FileManager.default.temporaryDirectory.path
        if let code = FilesystemInfo.lookupError(scratchParent) {
            if code == ENOENT { throw SweepError.directoryMissing(.scratch, path: scratchParent) }
            throw SweepError.directoryUnreachable(.scratch, path: scratchParent, errno: code)
        }
        guard FilesystemInfo.isWritableDirectory(scratchParent) else {
            throw SweepError.directoryNotWritable(.scratch, path: scratchParent)
        }
        let calibrateBytes = try calibrateSize.map { try ByteSize(parsing: $0).bytes }
        if let taskTimeoutSeconds, !(taskTimeoutSeconds > 0) {
            throw SweepRequestError.badTaskTimeout(taskTimeoutSeconds)
        }
        let calibrationBytes = calibrate
            ? calibrateBytes ?? Swift.min(256_000_000, Swift.max(16_000_000, plan.maxBytes)) : nil
        return Checked(
            plan: plan, outDirectory: outDirectory, scratchParent: scratchParent,
            name: reportName, calibrationBytes: calibrationBytes,
            taskTimeoutSeconds: taskTimeoutSeconds)
    }

    /// The plan from the sizes, names and numbers, before any directory is looked at.
    func makePlan() throws -> SweepPlan {
        let minBytes = try ByteSize(parsing: minSize).bytes
        let maxBytes = try ByteSize(parsing: maxSize).bytes
        let shapeList = try shapes.map { (text) throws(PlanError) -> PayloadShape in
            guard let shape = PayloadShape(rawValue: text.lowercased()) else { throw .unknownShape(text) }
            return shape
        }
        for codec in codecs { _ = try Codecs.named(codec) }
        for codec in codecs {
            let held = Codecs.shapes(heldBy: codec)
            if let shape = shapeList.first(where: { !held.contains($0) }) {
                throw SweepRequestError.codecCannotHoldShape(codec: codec, shape: shape)
            }
        }
        var poolList: [PoolKind] = []
        for text in pools {
            for pool in try PoolKind.list(parsing: text) where !poolList.contains(pool) { poolList.append(pool) }
        }
        guard !shapeList.isEmpty, !codecs.isEmpty, !poolList.isEmpty else { throw SweepRequestError.emptySelection }
        let runtimeList = try runtimes.map { (text) throws(SweepRequestError) -> Runtime in
            guard let runtime = Runtime(rawValue: text.lowercased()) else { throw .unknownRuntime(text) }
            return runtime
        }
        guard !runtimeList.isEmpty else { throw SweepRequestError.emptySelection }
        if runtimeList.contains(.swift), poolList.contains(where: \.isDask) { throw SweepRequestError.daskNeedsPythonRuntime }
        if async, poolList.contains(where: \.isDask) { throw SweepRequestError.asyncWithDask }
        // CPython allocates its own objects; the advice reaches only payloadlab's buffers.
        if hugePages, !runtimeList.contains(.swift) { throw SweepRequestError.hugePagesNeedSwiftRuntime }
        var plan = try SweepPlan(
            minBytes: minBytes, maxBytes: maxBytes, factor: factor, shapes: shapeList, codecs: codecs,
            pools: poolList, workers: workers ?? Cores.available, work: try WorkProfile(parsing: work), gil: gil,
            sync: sync, tasks: tasks, budgetSeconds: budgetSeconds, seed: seed, hugePages: hugePages)
        // A Swift-only plan keeps the key absent, as results have always been written.
        if runtimeList != [.swift] { plan.runtimes = Runtime.allCases.filter(runtimeList.contains) }
        return plan
    }

    /// The interpreter and driver for the python runtime, probed now; nil when the plan measures Swift only.
    public func pythonSettings(for plan: SweepPlan) throws -> PythonSettings? {
        guard plan.measuredRuntimes.contains(.python) else { return nil }
        let driver = try PythonDriverScript.locate()
        let dask = plan.pools.contains(where: \.isDask)
        if dask { _ = try PythonDriverScript.locateDaskModule(besides: driver) }
        // Dask lives in the checkout's .venv (`make python-deps`): used when no interpreter is named.
        let requested = python ?? (dask ? PythonVirtualEnvironment.interpreter() : nil)
        let interpreter = try PythonInterpreter.probe(requested, driver: driver)
        if let startMethod, !interpreter.startMethods.contains(startMethod) {
            throw SweepRequestError.unknownStartMethod(startMethod, available: interpreter.startMethods)
        }
        if dask, !interpreter.hasDistributed { throw PythonRuntimeError.distributedMissing(path: interpreter.path) }
        if dask, let daskScheduler {
            guard let (host, port) = PythonVirtualEnvironment.schedulerHostAndPort(daskScheduler) else {
                throw SweepRequestError.badDaskScheduler(daskScheduler)
            }
            // Dask's client retries a refused connection for minutes, and would do so at every point.
            if let reason = TCPReachability.failure(host: host, port: port, timeoutSeconds: 10) {
                throw SweepRequestError.daskSchedulerUnreachable(daskScheduler, reason: reason)
            }
        } else if let daskScheduler, !PythonVirtualEnvironment.isSchedulerAddress(daskScheduler) {
            throw SweepRequestError.badDaskScheduler(daskScheduler)
        }
        return PythonSettings(
            interpreter: interpreter, driver: driver, startMethod: startMethod, async: async,
            daskScheduler: dask ? daskScheduler : nil)
    }
}
