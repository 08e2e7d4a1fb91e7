#if canImport(Glibc)
import Glibc
#endif
import Payload
import Units

extension PointResult {
    /// A point with nothing measured yet.
    package static func empty(
        pool: PoolKind, shape: PayloadShape, codec: String, workers: Int, sizeBytes: Int, work: WorkProfile,
        gil: Double, sync: Bool
    ) -> PointResult {
        PointResult(
            pool: pool, shape: shape, codec: codec, workers: workers, sizeBytes: sizeBytes, encodedBytes: 0,
            work: work, gil: gil, sync: sync, poolStartSeconds: 0, pipeBufferBytes: 0, warmup: [], samples: [],
            wallSeconds: 0, batchTasksPerSecond: [], tasksPerSecond: 0, bytesPerSecond: 0, stages: [:], stageCPUMedians: [:],
            latency: Summary([0]), overhead: nil,
            memory: MemoryUse(
                parentStartBytes: 0, parentPeakBytes: 0, workerBaselineBytes: [], workerPeakBytes: [],
                parentCopies: 0, workerCopies: nil),
            cpu: CPUUse(parentUserSeconds: 0, parentSystemSeconds: 0, workerUserSeconds: 0, workerSystemSeconds: 0),
            notes: [], failure: nil)
    }

    /// Computes the statistics, throughput, copy counts and notes from the raw samples.
    package mutating func summarize() {
        if !samples.isEmpty {
            latency = Summary(samples.map(\.latencySeconds))
            overhead = Summary.of(samples.map { max(0, $0.latencySeconds - $0.stageSecondsTotal) })
            for stage in Stage.allCases {
                let values = samples.compactMap { $0.seconds[stage] }
                if let summary = Summary.of(values) { stages[stage] = summary }
                let cpu = samples.compactMap { $0.cpuSeconds[stage] }
                if let summary = Summary.of(cpu) { stageCPUMedians[stage] = summary.median }
            }
        }
        if let median = Summary.of(batchTasksPerSecond)?.median {
            tasksPerSecond = median
        } else if wallSeconds > 0 {
            tasksPerSecond = Double(samples.count) / wallSeconds
        }
        bytesPerSecond = tasksPerSecond * Double(sizeBytes)
        let unit = Double(max(encodedBytes, 1))
        memory.parentCopies = max(0, Double(memory.parentPeakBytes - memory.parentStartBytes) / unit)
        if !memory.workerPeakBytes.isEmpty {
            let extra = zip(memory.workerPeakBytes, memory.workerBaselineBytes + Array(
                repeating: 0, count: max(0, memory.workerPeakBytes.count - memory.workerBaselineBytes.count)))
                .map { max(0, $0 - $1) }
            memory.workerCopies = Double(extra.max() ?? 0) / unit
        }
        addWarmupNote()
        if let other = otherCPU, other.isDisturbed {
            // The measured signal comes first: what else ran, not how the latencies spread.
            notes.append(
                "Disturbed: other processes kept \(Formatting.significant(other.averageCPUs, digits: 2)) CPUs busy on average while it was measured (more than \(Formatting.significant(OtherCPUUse.disturbedThresholdCPUs, digits: 2)) counts as disturbed); its figures are lower than this machine's when quiet — close them, and sweep again.")
        }
        if latency.isNoisy && samples.count >= 3 {
            if let other = otherCPU, !other.isDisturbed {
                notes.append(
                    "Noisy: task latency p90/p10 = \(Formatting.ratio(latency.spread)), though other processes kept only \(Formatting.significant(other.averageCPUs, digits: 2)) CPUs busy: the spread is the pool's own (scheduling, page faults, timer resolution at small sizes), not a competitor.")
            } else if otherCPU == nil {
                notes.append(
                    "Noisy: task latency p90/p10 = \(Formatting.ratio(latency.spread)); another process may be competing for the \(Cores.available) cores — close it, or raise --budget.")
            } else {
                notes.append("Noisy: task latency p90/p10 = \(Formatting.ratio(latency.spread)).")
            }
        }
    }

    /// Says when the first transfer into a worker's untouched receive buffer was much slower than steady state.
    private mutating func addWarmupNote() {
        guard pool.isProcess, encodedBytes >= 1 << 20 else { return }
        let firstTransfers = warmup.compactMap { $0.seconds[.transfer] }
        guard let first = Summary.of(firstTransfers)?.median, let steady = median(.transfer), steady > 0 else { return }
        if first > 1.5 * steady {
            let firstRate = Double(encodedBytes) / first
            let steadyRate = Double(encodedBytes) / steady
            notes.append(
                "The first transfer into each worker's untouched receive buffer ran at \(Formatting.rate(firstRate)) against \(Formatting.rate(steadyRate)) once warm (page faults); the warm-up task absorbed it.")
        }
    }
}

/// The number of cores, for messages.
