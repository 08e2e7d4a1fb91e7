import PayloadLab

/// Prints sweep progress on stderr: one line per finished point.
final class ProgressPrinter: @unchecked Sendable {
    let quiet: Bool

    init(quiet: Bool) { self.quiet = quiet }

    func show(_ progress: SweepProgress) {
        guard !quiet else { return }
        switch progress.event {
        case .generating:
            break
        case .pointStarted:
            break
        case .pointFinished(let index, let total, let label, let point):
            let outcome = point.failure.map { "FAILED: \($0)" }
                ?? "\(Formatting.significant(point.tasksPerSecond)) tasks/s, p50 \(Formatting.seconds(point.latency.median))"
            StandardError.write("[\(index)/\(total)] \(label): \(outcome)  (\(Formatting.seconds(progress.elapsedSeconds)))\n")
        }
    }
}
