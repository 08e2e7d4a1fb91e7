import Units

extension SweepResult {
    /// The largest duration a result may hold, in seconds (about 31 years): beyond it a value is corrupt, not slow.
    static let maximumSeconds = 1e9
    /// The largest rate a result may hold, per second (a petabyte or 10¹⁵ tasks per second).
    static let maximumRate = 1e15
    /// The largest byte count a result may hold other than a payload size (1 PiB): memory, buffers, encoded bytes.
    static let maximumByteCount = 1 << 50
    /// The largest count (tasks, workers, cores, samples) a result may hold.
    static let maximumCount = 1 << 32

    /// Checks every number a report, a comparison or a recommendation computes with: durations and rates finite and
    /// not negative, payload sizes within `ByteSize`'s limits, counts and byte counts not negative and not absurd.
    ///
    /// Decoding checks only that each value fits its Swift type; a hand-edited or corrupted file can still hold a
    /// negative latency or a throughput of 1e308, which no report can state truthfully.
    /// - Throws: `ResultFileError.invalidValue` naming the first bad field by its JSON path (`points[3].latency.median`).
    public func validate(path: String) throws(ResultFileError) {
        let check = ResultCheck(file: path)
        try check.seconds(durationSeconds, "durationSeconds")
        try check.plan(plan)
        try check.environment(environment)
        if let calibration { try check.calibration(calibration) }
        if let daskComm { try check.daskComm(daskComm) }
        for (index, point) in points.enumerated() { try check.point(point, "points[\(index)]") }
    }
}

/// Walks a decoded result, throwing at the first value outside its field's range.
private struct ResultCheck {
    var file: String

    func fail(_ field: String, _ value: String, _ rule: String) -> ResultFileError {
        .invalidValue(path: file, field: field, value: value, rule: rule)
    }

    func seconds(_ value: Double, _ field: String) throws(ResultFileError) {
        guard value.isFinite, value >= 0, value <= SweepResult.maximumSeconds else {
            throw fail(field, "\(value)", "a duration must be 0 s or more and at most 1e9 s")
        }
    }

    func nanoseconds(_ value: Int64, _ field: String) throws(ResultFileError) {
        guard value >= 0, Double(value) <= SweepResult.maximumSeconds * 1e9 else {
            throw fail(field, "\(value)", "a duration must be 0 ns or more and at most 1e18 ns")
        }
    }

    func rate(_ value: Double, _ field: String) throws(ResultFileError) {
        guard value.isFinite, value >= 0, value <= SweepResult.maximumRate else {
            throw fail(field, "\(value)", "a rate must be 0 or more per second and at most 1e15")
        }
    }

    func payloadSize(_ value: Int, _ field: String) throws(ResultFileError) {
        guard value >= 1, value <= ByteSize.maximum else {
            throw fail(field, "\(value)", "a payload size must be 1 byte or more and at most 1TiB")
        }
    }

    func byteCount(_ value: Int, _ field: String) throws(ResultFileError) {
        guard value >= 0, value <= SweepResult.maximumByteCount else {
            throw fail(field, "\(value)", "a byte count must be 0 or more and at most 1 PiB")
        }
    }

    func count(_ value: Int, _ field: String, atLeast minimum: Int = 0) throws(ResultFileError) {
        guard value >= minimum, value <= SweepResult.maximumCount else {
            throw fail(field, "\(value)", "a count must be \(minimum) or more and at most \(SweepResult.maximumCount)")
        }
    }

    func fraction(_ value: Double, _ field: String) throws(ResultFileError) {
        guard value.isFinite, value >= 0, value <= 1 else {
            throw fail(field, "\(value)", "a fraction must be between 0 and 1")
        }
    }

    func finite(_ value: Double, _ field: String, limit: Double) throws(ResultFileError) {
        guard value.isFinite, abs(value) <= limit else {
            throw fail(field, "\(value)", "it must be a number no larger than \(Formatting.significant(limit)) either way")
        }
    }

    func plan(_ plan: SweepPlan) throws(ResultFileError) {
        try payloadSize(plan.minBytes, "plan.minBytes")
        try payloadSize(plan.maxBytes, "plan.maxBytes")
        for (index, size) in plan.sizes.enumerated() { try payloadSize(size, "plan.sizes[\(index)]") }
        guard plan.factor.isFinite, plan.factor > 1, plan.factor <= 1e6 else {
            throw fail("plan.factor", "\(plan.factor)", "a size factor must be above 1 and at most 1e6")
        }
        try count(plan.workers, "plan.workers", atLeast: 1)
        try fraction(plan.gil, "plan.gil")
        if let tasks = plan.tasks { try count(tasks, "plan.tasks") }
        try seconds(plan.budgetSeconds, "plan.budgetSeconds")
        try count(plan.minTasks, "plan.minTasks")
        try count(plan.maxTasks, "plan.maxTasks")
        try count(plan.minBatches, "plan.minBatches", atLeast: 1)
        if let rule = plan.slowPoint {
            try seconds(rule.seconds, "plan.slowPoint.seconds")
            try count(rule.batches, "plan.slowPoint.batches", atLeast: 1)
        }
        try count(plan.warmupTasksPerWorker, "plan.warmupTasksPerWorker")
    }

    func daskComm(_ baseline: DaskCommBaseline) throws(ResultFileError) {
        try seconds(baseline.roundTripSeconds, "daskComm.roundTripSeconds")
        for (index, reading) in baseline.readings.enumerated() {
            let field = "daskComm.readings[\(index)]"
            try payloadSize(reading.sizeBytes, "\(field).sizeBytes")
            try count(reading.rounds, "\(field).rounds", atLeast: 1)
            try seconds(reading.medianSeconds, "\(field).medianSeconds")
            try seconds(reading.bestSeconds, "\(field).bestSeconds")
        }
    }

    func environment(_ environment: Environment) throws(ResultFileError) {
        try count(environment.cores, "environment.cores")
        try byteCount(environment.memoryBytes, "environment.memoryBytes")
        try byteCount(environment.availableMemoryBytes, "environment.availableMemoryBytes")
        try finite(environment.loadAverageBefore, "environment.loadAverageBefore", limit: 1e9)
        if let after = environment.loadAverageAfter { try finite(after, "environment.loadAverageAfter", limit: 1e9) }
    }

    func calibration(_ calibration: Calibration) throws(ResultFileError) {
        try payloadSize(calibration.sizeBytes, "calibration.sizeBytes")
        let rates: [(String, Double)] = [
            ("memcpyTouchedBytesPerSecond", calibration.memcpyTouchedBytesPerSecond),
            ("memcpyFreshBytesPerSecond", calibration.memcpyFreshBytesPerSecond),
            ("pipeDefaultBytesPerSecond", calibration.pipeDefaultBytesPerSecond),
            ("pipeEnlargedBytesPerSecond", calibration.pipeEnlargedBytesPerSecond),
            ("pipeDefaultSameCoreBytesPerSecond", calibration.pipeDefaultSameCoreBytesPerSecond),
            ("pipeEnlargedSameCoreBytesPerSecond", calibration.pipeEnlargedSameCoreBytesPerSecond),
            ("diskWriteBytesPerSecond", calibration.diskWriteBytesPerSecond),
            ("diskWriteSyncBytesPerSecond", calibration.diskWriteSyncBytesPerSecond),
            ("zstdLevel1CompressBytesPerSecond", calibration.zstdLevel1CompressBytesPerSecond),
            ("zstdLevel1DecompressBytesPerSecond", calibration.zstdLevel1DecompressBytesPerSecond),
            ("zstdLevel3CompressBytesPerSecond", calibration.zstdLevel3CompressBytesPerSecond),
            ("zstdLevel3DecompressBytesPerSecond", calibration.zstdLevel3DecompressBytesPerSecond),
        ]
        for (name, value) in rates { try rate(value, "calibration.\(name)") }
        let bytes: [(String, Int)] = [
            ("pipeDefaultBufferBytes", calibration.pipeDefaultBufferBytes),
            ("pipeEnlargedBufferBytes", calibration.pipeEnlargedBufferBytes),
            ("scratchAvailableBytes", calibration.scratchAvailableBytes),
            ("zstdInputBytes", calibration.zstdInputBytes),
            ("zstdLevel1CompressedBytes", calibration.zstdLevel1CompressedBytes),
            ("zstdLevel3CompressedBytes", calibration.zstdLevel3CompressedBytes),
        ]
        for (name, value) in bytes { try byteCount(value, "calibration.\(name)") }
        try seconds(calibration.processSpawnSeconds, "calibration.processSpawnSeconds")
        try seconds(calibration.workerSpawnSeconds, "calibration.workerSpawnSeconds")
        try seconds(calibration.threadStartSeconds, "calibration.threadStartSeconds")
        if let tcp = calibration.tcpLoopbackBytesPerSecond { try rate(tcp, "calibration.tcpLoopbackBytesPerSecond") }
        if let roundTrip = calibration.tcpRoundTripSeconds { try seconds(roundTrip, "calibration.tcpRoundTripSeconds") }
        if let connect = calibration.tcpConnectSeconds { try seconds(connect, "calibration.tcpConnectSeconds") }
        for (name, cpus) in calibration.otherProcessesCPUs.sorted(by: { $0.key < $1.key }) {
            try finite(cpus, "calibration.otherProcessesCPUs.\(name)", limit: 1e6)
        }
        for (name, values) in calibration.samples.sorted(by: { $0.key < $1.key }) {
            for (index, value) in values.enumerated() {
                // Samples are rates or durations, as their name says; both are finite and not negative.
                let field = "calibration.samples.\(name)[\(index)]"
                if name.hasSuffix("Seconds") { try seconds(value, field) } else { try rate(value, field) }
            }
        }
        if let curve = calibration.copyCurve {
            try count(curve.threads, "calibration.copyCurve.threads")
            for (index, point) in curve.points.enumerated() {
                try byteCount(point.bytes, "calibration.copyCurve.points[\(index)].bytes")
                try seconds(point.secondsPerByte, "calibration.copyCurve.points[\(index)].secondsPerByte")
            }
        }
    }

    func point(_ point: PointResult, _ field: String) throws(ResultFileError) {
        try count(point.workers, "\(field).workers", atLeast: 1)
        try payloadSize(point.sizeBytes, "\(field).sizeBytes")
        try byteCount(point.encodedBytes, "\(field).encodedBytes")
        try fraction(point.gil, "\(field).gil")
        try seconds(point.poolStartSeconds, "\(field).poolStartSeconds")
        try byteCount(point.pipeBufferBytes, "\(field).pipeBufferBytes")
        for (index, sample) in point.warmup.enumerated() { try self.sample(sample, "\(field).warmup[\(index)]") }
        for (index, sample) in point.samples.enumerated() { try self.sample(sample, "\(field).samples[\(index)]") }
        try seconds(point.wallSeconds, "\(field).wallSeconds")
        for (index, value) in point.batchTasksPerSecond.enumerated() {
            try rate(value, "\(field).batchTasksPerSecond[\(index)]")
        }
        try rate(point.tasksPerSecond, "\(field).tasksPerSecond")
        try rate(point.bytesPerSecond, "\(field).bytesPerSecond")
        for stage in Stage.allCases {
            if let summary = point.stages[stage] { try self.summary(summary, "\(field).stages.\(stage.rawValue)") }
            if let cpu = point.stageCPUMedians[stage] { try seconds(cpu, "\(field).stageCPUMedians.\(stage.rawValue)") }
        }
        try summary(point.latency, "\(field).latency")
        if let overhead = point.overhead { try summary(overhead, "\(field).overhead") }
        let memory = point.memory
        try byteCount(memory.parentStartBytes, "\(field).memory.parentStartBytes")
        try byteCount(memory.parentPeakBytes, "\(field).memory.parentPeakBytes")
        for (index, value) in memory.workerBaselineBytes.enumerated() {
            try byteCount(value, "\(field).memory.workerBaselineBytes[\(index)]")
        }
        for (index, value) in memory.workerPeakBytes.enumerated() {
            try byteCount(value, "\(field).memory.workerPeakBytes[\(index)]")
        }
        try finite(memory.parentCopies, "\(field).memory.parentCopies", limit: 1e9)
        if let copies = memory.workerCopies { try finite(copies, "\(field).memory.workerCopies", limit: 1e9) }
        try seconds(point.cpu.parentUserSeconds, "\(field).cpu.parentUserSeconds")
        try seconds(point.cpu.parentSystemSeconds, "\(field).cpu.parentSystemSeconds")
        try seconds(point.cpu.workerUserSeconds, "\(field).cpu.workerUserSeconds")
        try seconds(point.cpu.workerSystemSeconds, "\(field).cpu.workerSystemSeconds")
        if let python = point.python { try self.python(python, "\(field).python") }
        if let other = point.otherCPU {
            try seconds(other.seconds, "\(field).otherCPU.seconds")
            try seconds(other.wallSeconds, "\(field).otherCPU.wallSeconds")
            for (index, value) in other.batchSeconds.enumerated() {
                try seconds(value, "\(field).otherCPU.batchSeconds[\(index)]")
            }
            try seconds(other.resolutionSeconds, "\(field).otherCPU.resolutionSeconds")
            if let first = other.firstAttemptCPUs { try finite(first, "\(field).otherCPU.firstAttemptCPUs", limit: 1e6) }
        }
    }

    func sample(_ sample: TaskSample, _ field: String) throws(ResultFileError) {
        try count(sample.task, "\(field).task")
        try count(sample.worker, "\(field).worker")
        try byteCount(sample.encodedBytes, "\(field).encodedBytes")
        try nanoseconds(sample.latencyNanoseconds, "\(field).latencyNs")
        try nanoseconds(sample.startNanoseconds, "\(field).startNs")
        try nanoseconds(sample.endNanoseconds, "\(field).endNs")
        for (index, stage) in Stage.allCases.enumerated() {
            if let value = sample.nanoseconds[stage] { try nanoseconds(value, "\(field).ns[\(index)]") }
            if let value = sample.cpuNanoseconds[stage] { try nanoseconds(value, "\(field).cpuNs[\(index)]") }
        }
    }

    func summary(_ summary: Summary, _ field: String) throws(ResultFileError) {
        try count(summary.count, "\(field).count")
        try count(summary.outlierCount, "\(field).outlierCount")
        let values: [(String, Double)] = [
            ("median", summary.median), ("p10", summary.p10), ("p90", summary.p90), ("min", summary.min),
            ("max", summary.max), ("mean", summary.mean), ("mad", summary.mad),
        ]
        for (name, value) in values { try seconds(value, "\(field).\(name)") }
    }

    func python(_ python: PythonPointDetails, _ field: String) throws(ResultFileError) {
        try byteCount(python.pickleBytes, "\(field).pickleBytes")
        try byteCount(python.objectBytes, "\(field).objectBytes")
        if let value = python.pickleDumpsBytesPerSecond { try rate(value, "\(field).pickleDumpsBytesPerSecond") }
        if let value = python.pickleLoadsBytesPerSecond { try rate(value, "\(field).pickleLoadsBytesPerSecond") }
        let durations: [(String, Int64?)] = [
            ("medianLatencyNanoseconds", python.medianLatencyNanoseconds),
            ("medianStageSumNanoseconds", python.medianStageSumNanoseconds),
            ("loopLagP50Nanoseconds", python.loopLagP50Nanoseconds),
            ("loopLagP99Nanoseconds", python.loopLagP99Nanoseconds),
            ("loopLagMaxNanoseconds", python.loopLagMaxNanoseconds),
        ]
        for (name, value) in durations { if let value { try nanoseconds(value, "\(field).\(name)") } }
    }
}
