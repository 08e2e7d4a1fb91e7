#if canImport(Glibc)
import Glibc
#endif
import Payload
import Platform
import Pool
import PythonRuntime
import Results
import Units

extension SweepRunner {
    /// Measures one point in CPython through the driver, with the plan's work, tasks and budget.
    func measurePython(
        pool kind: PoolKind, shape: PayloadShape, sizeBytes: Int, scratch: String, stop: StopFlag
    ) -> PointResult {
        var point = PointResult.empty(
            pool: kind, shape: shape, codec: Runtime.pythonCodec, workers: plan.workers, sizeBytes: sizeBytes,
            work: plan.work, gil: 1, sync: plan.sync)
        point.runtime = .python
        guard let python = options.python else {
            point.failure = "The plan asks for the python runtime, but no interpreter was set up."
            return point
        }
        // As for Swift points: flush earlier points' writes so background writeback does not compete.
        // The start method is multiprocessing's: Dask's processes are interpreters of their own, started by exec.
        sync()
        var request = PythonPointRequest(
            shape: shape.rawValue, sizeBytes: sizeBytes, seed: plan.seed, pool: kind.rawValue, workers: plan.workers,
            work: plan.work.description, startMethod: kind.isProcess && !kind.isDask ? python.startMethod : nil,
            warmupTasksPerWorker: plan.warmupTasksPerWorker, tasks: plan.tasks, minTasks: plan.minTasks,
            maxTasks: plan.maxTasks, minBatches: plan.minBatches, budgetSeconds: plan.budgetSeconds, sync: plan.sync,
            scratchDirectory: scratch, async: python.async,
            taskTimeoutSeconds: options.taskTimeout(bytes: sizeBytes, work: plan.work))
        if kind.isDask { request.daskScheduler = python.daskScheduler }
        request.slowPointSeconds = plan.slowPoint?.seconds
        request.slowPointBatches = plan.slowPoint?.batches
        return python.runner.measure(request, point: point, shouldStop: { stop.isSet })
    }

    /// Times Dask's own comm once, before the points, when the sweep has Dask pools: the yardstick the report sets
    /// each Dask transfer against besides TCP. A failure is a warning, not a failed sweep: the points still measure.
    func measureDaskComm() {
        guard plan.measuredRuntimes.contains(.python), plan.pools.contains(where: \.isDask),
              let python = options.python
        else { return }
        report(.measuringDaskComm)
        let sizes = DaskCommBaseline.sizes(for: plan.sizes)
        let benchmark = DaskCommBenchmark(interpreter: python.interpreter, driver: python.driver)
        do {
            result.daskComm = try benchmark.run(
                sizes: sizes, timeoutSeconds: options.taskTimeout(bytes: sizes.max() ?? 0, work: .none))
        } catch {
            result.warnings.append(
                "Dask's own comm could not be timed (\(Sentence.clause(error))); the report sets Dask's transfers "
                + "against TCP only.")
        }
    }
}
