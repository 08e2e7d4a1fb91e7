import Payload
import Results
import Units

/// CPython sweeps with a Dask pool beside the process and thread pools, built like `SyntheticSweep`'s: every stage
/// median follows a known line and every throughput is the documented formula, so a test knows what the cluster
/// model must answer.
public enum SyntheticDaskSweep {
    /// Dask's stages: the process pool's, but the object crosses loopback TCP and the scheduler, not a pipe
    /// (2 ms + 1 ns/B: 1 GB/s).
    public static let daskStages: [Stage: SyntheticSweep.Line] = {
        var stages = SyntheticSweep.processStages
        stages[.transfer] = SyntheticSweep.Line(fixed: 2e-3, perByte: 1e-9)
        return stages
    }()

    /// Dask's own per-task time outside every stage (the scheduler's handling, the result's way back).
    public static let daskOverheadSeconds = 2e-3

    /// Dask's worker processes each peak at this plus twice the payload.
    public static let daskWorkerBaselineBytes = 150_000_000

    /// Round calibration figures with the loopback TCP ones: 2 GB/s on one connection, a 40 µs round trip.
    public static let calibration: Calibration = {
        var calibration = SampleCalibration.example
        calibration.tcpLoopbackBytesPerSecond = 2e9
        calibration.tcpRoundTripSeconds = 40e-6
        calibration.tcpConnectSeconds = 30e-6
        calibration.tcpPlacement = "writer on CPU 0, reader on CPU 1"
        return calibration
    }()

    /// A CPython sweep (codec pickle, the real GIL: `gil` 1) of the process and thread pools, and of Dask (submit)
    /// unless `dask` is false, with `calibration`.
    public static func result(
        sizes: [Int] = SyntheticSweep.sizes, workers: Int = 2, cores: Int = 2,
        work: WorkProfile = .cpu(nanosecondsPerByte: 30), dask: Bool = true, calibration: Calibration? = calibration
    ) throws -> SweepResult {
        var result = try SyntheticSweep.result(
            sizes: sizes, codecs: [Runtime.pythonCodec], workers: workers, cores: cores, work: work, gil: 1)
        for index in result.points.indices { result.points[index].runtime = .python }
        result.plan.runtimes = [.python]
        if dask {
            result.plan.pools = [.process, .thread, .dask]
            for size in sizes {
                result.points.append(daskPoint(bytes: size, workers: workers, cores: cores, work: work))
            }
        }
        result.calibration = calibration
        return result
    }

    /// One Dask point: its stages from `daskStages`, and its throughput the process pool's formula with Dask's
    /// overhead in the busy time.
    public static func daskPoint(bytes: Int, workers: Int, cores: Int, work: WorkProfile) -> PointResult {
        var stages = daskStages.mapValues { $0.at(bytes) }
        stages[.work] = SyntheticSweep.workSeconds(work, bytes: bytes)
        var point = SyntheticSweep.point(
            pool: .dask, shape: .records, codec: Runtime.pythonCodec, bytes: bytes, workers: workers, cores: cores,
            work: work, gil: 1, stages: stages, efficiency: 1)
        let task = stages.values.reduce(daskOverheadSeconds, +)
        let tasksPerSecond = min(
            Double(min(workers, cores)) / task, 1 / (stages[.serialize] ?? 1), Double(cores) / task)
        point.tasksPerSecond = tasksPerSecond
        point.bytesPerSecond = tasksPerSecond * Double(bytes)
        point.latency = Summary([max(task, Double(workers) / tasksPerSecond)])
        point.overhead = Summary([daskOverheadSeconds])
        point.poolStartSeconds = 0.5
        point.runtime = .python
        point.memory.workerBaselineBytes = Array(repeating: daskWorkerBaselineBytes, count: workers)
        point.memory.workerPeakBytes = Array(repeating: daskWorkerBaselineBytes + 2 * bytes, count: workers)
        return point
    }
}
