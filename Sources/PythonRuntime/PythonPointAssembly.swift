import Results

/// Builds a `PointResult` from the driver's lines as they arrive.
struct PythonPointAssembly {
    var point: PointResult
    private(set) var finished = false

    init(point: PointResult) {
        self.point = point
    }

    /// Takes one line; returns true at the point's last line (`done`).
    mutating func take(_ line: PythonDriverLine, interpreter: PythonInterpreter) -> Bool {
        switch line.event {
        case "ready":
            point.poolStartSeconds = Double(line.poolStartNs ?? 0) / 1e9
            point.encodedBytes = line.pickleBytes ?? point.encodedBytes
            point.memory.workerBaselineBytes = line.workerBaselineBytes ?? []
            point.python = PythonPointDetails(
                pythonVersion: line.python ?? interpreter.version, startMethod: line.startMethod,
                pickleBytes: line.pickleBytes ?? 0, objectBytes: line.objectBytes ?? 0)
            point.python?.daskMode = line.daskMode
            point.python?.daskScheduler = line.daskScheduler
            point.python?.daskSchedulerInProcess = line.schedulerInProcess
        case "sample":
            guard let sample = Self.sample(line) else {
                point.failure = "The Python driver sent a sample this payloadlab cannot read; use the driver shipped with this build."
                return false
            }
            if line.warmup == true { point.warmup.append(sample) } else { point.samples.append(sample) }
        case "batch":
            let wall = Double(line.wallNs ?? 0) / 1e9
            point.wallSeconds += wall
            if wall > 0, let tasks = line.tasks { point.batchTasksPerSecond.append(Double(tasks) / wall) }
        case "done":
            point.memory.parentPeakBytes = line.parentPeakBytes ?? 0
            point.memory.workerPeakBytes = line.workerPeakBytes?.list ?? []
            point.python?.pickleDumpsBytesPerSecond = line.pickleDumpsBytesPerSecond
            point.python?.pickleLoadsBytesPerSecond = line.pickleLoadsBytesPerSecond
            point.python?.medianLatencyNanoseconds = line.stageSumCheck?.medianLatencyNs
            point.python?.medianStageSumNanoseconds = line.stageSumCheck?.medianStageSumNs
            point.python?.loopLagP50Nanoseconds = line.loopLagNs?.p50
            point.python?.loopLagP99Nanoseconds = line.loopLagNs?.p99
            point.python?.loopLagMaxNanoseconds = line.loopLagNs?.max
            finished = true
            return true
        default:
            break
        }
        return false
    }

    /// A sample line as a `TaskSample`; nil when a field is missing or names an unknown stage.
    static func sample(_ line: PythonDriverLine) -> TaskSample? {
        guard let task = line.task, let worker = line.worker, let latency = line.latencyNs,
              let start = line.startNs, let end = line.endNs
        else { return nil }
        var wall: [Stage: Double] = [:]
        var cpu: [Stage: Double] = [:]
        for (name, value) in line.ns ?? [:] {
            guard let stage = Stage(rawValue: name) else { return nil }
            wall[stage] = Double(max(0, value)) / 1e9
        }
        for (name, value) in line.cpuNs ?? [:] {
            guard let stage = Stage(rawValue: name) else { return nil }
            cpu[stage] = Double(max(0, value)) / 1e9
        }
        return TaskSample(
            task: task, worker: worker, seconds: wall, cpuSeconds: cpu, latencySeconds: Double(max(0, latency)) / 1e9,
            startSeconds: Double(max(0, start)) / 1e9, endSeconds: Double(max(0, end)) / 1e9,
            encodedBytes: line.encodedBytes ?? 0)
    }
}
