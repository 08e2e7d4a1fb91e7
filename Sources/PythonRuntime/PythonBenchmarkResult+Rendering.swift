import Foundation
import Units

extension PythonBenchmarkResult {
    /// Two markdown tables with a target column each, and a sentence on how each figure was taken.
    public func renderTable() -> String {
        var text = "CPython \(python): payloadlab's driver against what a user would write by hand.\n"
        if !overhead.isEmpty {
            let rounds = overhead.filter { $0.pool == overhead[0].pool }
            text += "\nPer-task overhead on a \(Formatting.bytes(Double(overheadSizeBytes))) blob, no work, median of "
                + "\(rounds.count) alternating rounds of \(rounds.first?.tasks ?? 0) tasks each "
                + "(target: driver within \(Self.format(Self.overheadTarget))× of the hand-written loop):\n\n"
            var table = MarkdownTable(
                header: ["pool", "driver p50", "by hand p50", "p50 ratio", "driver wall/task", "by hand wall/task",
                         "wall ratio", "empty task p50", "within target"],
                rightAligned: Set(1...7))
            for (pool, latency, wall) in overheadRatios {
                let rows = overhead.filter { $0.pool == pool }
                func median(_ value: (OverheadRound) -> Int) -> String {
                    Formatting.seconds(Percentile.median(rows.map { Double(value($0)) }) / 1e9)
                }
                table.add([
                    pool, median(\.driverP50Ns), median(\.byHandP50Ns), Self.format(latency) + "×",
                    median(\.driverWallNsPerTask), median(\.byHandWallNsPerTask), Self.format(wall) + "×",
                    median(\.emptyP50Ns), latency <= Self.overheadTarget ? "yes" : "no",
                ])
            }
            text += table.render()
        }
        if !pickle.isEmpty {
            text += "\nPickle rates (HIGHEST_PROTOCOL) as a sweep reports them, beside `python3 -m timeit` on the "
                + "same object in alternating rounds (target: within ±\(Int(Self.pickleTolerance * 100)) %):\n\n"
            var table = MarkdownTable(
                header: ["shape", "size", "dumps", "timeit dumps", "ratio", "loads", "timeit loads", "ratio",
                         "within target"],
                rightAligned: Set(1...7))
            for pair in pickle {
                let inside = [pair.dumpsRatio, pair.loadsRatio].allSatisfy { abs($0 - 1) <= Self.pickleTolerance }
                table.add([
                    pair.shape, Formatting.bytes(Double(pair.pickleBytes)),
                    Formatting.rate(pair.dumpsBytesPerSecond), Formatting.rate(pair.timeitDumpsBytesPerSecond),
                    Self.format(pair.dumpsRatio), Formatting.rate(pair.loadsBytesPerSecond),
                    Formatting.rate(pair.timeitLoadsBytesPerSecond), Self.format(pair.loadsRatio),
                    inside ? "yes" : "no",
                ])
            }
            text += table.render()
        }
        return text
    }

    private static func format(_ value: Double) -> String {
        value.isFinite ? String(format: "%.2f", value) : "–"
    }
}
