import CPlatform
import Glibc
import Units
import Platform

extension Calibrator {
    /// The program whose spawn cost stands for "a process that does nothing".
    static let trivialExecutable = "/bin/true"

    /// posix_spawn + wait4 of `/bin/true`, of a payloadlab worker that exits at once, and pthread create + join.
    func measureStartCosts(
        _ samples: inout SampleRecorder
    ) throws(CalibrationError) -> (process: Double, worker: Double, thread: Double) {
        let process = try samples.measure("processSpawnSeconds", plan.processSpawn) { () throws(CalibrationError) -> Double in
            let start = pl_monotonic_ns()
            let child = try CalibrationError.spawn(Self.trivialExecutable, [])
            defer { child.killAndReap() }
            try CalibrationError.requireSuccess(child)
            return MonotonicClock.seconds(from: start, to: pl_monotonic_ns())
        }

        // The worker reads an already closed stdin (end of file at once) and writes its report to /dev/null.
        var (emptyRead, emptyWrite) = try CalibrationError.doing("an empty stdin for the worker") { () throws(DescriptorError) in try DescriptorIO.pipe() }
        defer { DescriptorIO.close(&emptyRead) }
        DescriptorIO.close(&emptyWrite)
        var devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        guard devNull >= 0 else { throw .systemCallFailed(call: "open(/dev/null)", errno: errno) }
        defer { DescriptorIO.close(&devNull) }
        let worker = try samples.measure("workerSpawnSeconds", plan.workerSpawn) { () throws(CalibrationError) -> Double in
            let start = pl_monotonic_ns()
            let child = try CalibrationError.spawn(helperExecutable, ["pipe-sink"], descriptors: [(emptyRead, 0), (devNull, 1)])
            defer { child.killAndReap() }
            try CalibrationError.requireSuccess(child)
            return MonotonicClock.seconds(from: start, to: pl_monotonic_ns())
        }

        let thread = try samples.measure("threadStartSeconds", plan.threadStart) { () throws(CalibrationError) -> Double in
            var handle = pthread_t()
            let start = pl_monotonic_ns()
            let rc = pthread_create(&handle, nil, { _ in nil }, nil)
            if rc != 0 { throw .threadStartFailed(errno: rc) }
            pthread_join(handle, nil)
            return MonotonicClock.seconds(from: start, to: pl_monotonic_ns())
        }
        return (process, worker, thread)
    }
}
