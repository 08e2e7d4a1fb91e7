import Foundation
import Units
import Results
import Sweep
import Payload

/// Shows sweep progress on stderr: a bar with the current point and an ETA on a terminal, one plain line per
/// finished point otherwise (CI logs, pipes), nothing with `--quiet`.
final class ProgressPrinter: @unchecked Sendable {
    let quiet: Bool
    let interactive: Bool
    private var eta: SweepETA
    private var lastFinish = 0.0
    private var current = ""
    private var done = 0
    private var total = 0

    init(quiet: Bool, plan: SweepPlan) {
        self.quiet = quiet
        self.interactive = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        self.eta = SweepETA(plan: plan)
    }

    func show(_ progress: SweepProgress) {
        guard !quiet else { return }
        switch progress.event {
        case .generating(let shape, let size):
            current = "generating \(shape.rawValue) \(Formatting.sizeLabel(size))"
            if interactive { drawBar(elapsed: progress.elapsedSeconds) }
        case .measuringDaskComm:
            current = "timing Dask's own comm"
            if interactive {
                drawBar(elapsed: progress.elapsedSeconds)
            } else {
                StandardError.write("timing Dask's own comm (distributed.comm between two processes, no scheduler)…\n")
            }
        case .pointStarted(let index, let total, let label):
            self.total = total
            current = label
            done = index - 1
            if interactive { drawBar(elapsed: progress.elapsedSeconds) }
        case .pointFinished(let index, let total, let label, let point):
            done = index
            self.total = total
            eta.finished(sizeBytes: point.sizeBytes, seconds: progress.elapsedSeconds - lastFinish)
            lastFinish = progress.elapsedSeconds
            let outcome = point.failure.map { "FAILED: \($0)" }
                ?? "\(Formatting.significant(point.tasksPerSecond)) tasks/s, p50 \(Formatting.seconds(point.latency.median))"
            if interactive {
                StandardError.write("\r\u{1B}[K")
                if point.failure != nil { StandardError.write("\(label): \(outcome)\n") }
                drawBar(elapsed: progress.elapsedSeconds)
                if index == total { StandardError.write("\r\u{1B}[K") }
            } else {
                let left = eta.remainingSeconds.map { ", about \(Self.clock($0)) left" } ?? ""
                StandardError.write("[\(index)/\(total)] \(label): \(outcome) (\(Self.clock(progress.elapsedSeconds))\(left))\n")
            }
        }
    }

    private func drawBar(elapsed: Double) {
        let width = 24
        let filled = Int(clampingFinite: (eta.fractionDone * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let left = eta.remainingSeconds.map { "ETA \(Self.clock($0))" } ?? "ETA –"
        StandardError.write("\r\u{1B}[K\(bar) \(done)/\(total)  \(Self.clock(elapsed)) elapsed, \(left)  \(current)")
    }

    /// `1m05s`, `42s`.
    static func clock(_ seconds: Double) -> String {
        let whole = Int(clampingFinite: seconds.rounded())
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }
}
