import Charts
import Payload
import Results
import Units

/// Swift and CPython side by side, for a sweep that measured both (or CPython alone): each runtime's pools on one
/// throughput chart per shape, CPython's own figures per point, and how each stage is observed inside the executor.
public enum RuntimeSection {
    /// The markdown section; empty unless the sweep measured CPython.
    public static func render(_ result: SweepResult, reportName: String?) -> String {
        let python = result.points.filter { $0.measuredRuntime == .python && $0.succeeded }
        guard !python.isEmpty else { return "" }
        var out = "## CPython beside Swift\n\n"
        if let reportName {
            for shape in result.plan.shapes where result.plan.measuredRuntimes.count > 1 {
                let link = chartLink(shape: shape, reportName: reportName)
                out += "![\(link.alt)](\(link.path))\n\n"
            }
        }
        out += pythonTable(python).render() + "\n"
        out += observation
        return out
    }

    /// The side-by-side chart of `shape`'s file name and alt text.
    public static func chartLink(shape: PayloadShape, reportName: String) -> (alt: String, path: String) {
        ("Throughput vs payload size in Swift and CPython, \(shape.rawValue)",
         "\(reportName)-runtimes-\(shape.rawValue).svg")
    }

    /// One chart per shape: every pool of every runtime, CPython dashed.
    public static func charts(_ result: SweepResult, reportName: String) -> [(name: String, text: String)] {
        guard result.plan.measuredRuntimes.count > 1 else { return [] }
        return result.plan.shapes.map { shape in
            var series: [ChartSeries] = []
            for runtime in result.plan.measuredRuntimes {
                for codec in result.plan.codecs(for: runtime) {
                    for pool in result.plan.pools {
                        let points = result.points.filter {
                            $0.shape == shape && $0.codec == codec && $0.pool == pool && $0.measuredRuntime == runtime
                                && $0.succeeded
                        }.sorted { $0.sizeBytes < $1.sizeBytes }
                        guard !points.isEmpty else { continue }
                        series.append(ChartSeries(
                            name: "\(runtime.rawValue) \(pool.label) (\(codec))",
                            points: points.map { (Double($0.sizeBytes), $0.bytesPerSecond) },
                            style: runtime == .python ? .dashed : .solid, color: SweepCharts.color(pool)))
                    }
                }
            }
            let svg = LineChart(
                title: "Throughput in Swift and CPython: \(shape.rawValue), \(result.plan.workers) workers, work \(result.plan.work)",
                xAxis: Axis(title: "payload size", scale: .log10, label: TickLabel.bytes),
                yAxis: Axis(title: "payload bytes handled per second", scale: .log10, label: TickLabel.bytesPerSecond),
                series: series
            ).render()
            return (chartLink(shape: shape, reportName: reportName).path, svg)
        }
    }

    static func pythonTable(_ points: [PointResult]) -> MarkdownTable {
        var table = MarkdownTable(header: [
            "shape", "size", "pool", "pickle", "as objects", "start", "tasks/s", "stages ÷ latency", "dumps", "loads",
            "loop lag p99", "peak worker",
        ], rightAligned: [1, 3, 4, 6, 7, 8, 9, 10, 11])
        for point in points.sorted(by: order) {
            let details = point.python
            let coverage: String
            if let latency = details?.medianLatencyNanoseconds, let sum = details?.medianStageSumNanoseconds, latency > 0 {
                coverage = Formatting.percent(Double(sum) / Double(latency))
            } else {
                coverage = "–"
            }
            table.add([
                point.shape.rawValue, Formatting.sizeLabel(point.sizeBytes), point.pool.label,
                details.map { Formatting.bytes(Double($0.pickleBytes)) } ?? "–",
                details.map { Formatting.bytes(Double($0.objectBytes)) } ?? "–",
                details?.startMethod ?? "–",
                Formatting.significant(point.tasksPerSecond),
                coverage,
                details?.pickleDumpsBytesPerSecond.map { Formatting.rate($0) } ?? "–",
                details?.pickleLoadsBytesPerSecond.map { Formatting.rate($0) } ?? "–",
                details?.loopLagP99Nanoseconds.map { Formatting.seconds(Double($0) / 1e9) } ?? "–",
                point.memory.workerPeakBytes.max().map { Formatting.bytes(Double($0)) } ?? "–",
            ])
        }
        return table
    }

    static func order(_ a: PointResult, _ b: PointResult) -> Bool {
        if a.shape != b.shape { return a.shape.rawValue < b.shape.rawValue }
        if a.sizeBytes != b.sizeBytes { return a.sizeBytes < b.sizeBytes }
        return a.pool < b.pool
    }

    static let observation = """

        How each CPython stage is observed (all on `time.monotonic_ns()`, the CLOCK_MONOTONIC of Swift's stamps):
        **serialize** runs in the executor's feeder thread, between two markers pickled just before and just after
        the object in the call's arguments; **transfer** is from the end of that pickle to the worker unpickling the
        first marker (pipe write, the worker's read of the whole message); **deserialize** is between the worker
        unpickling the two markers; **verify**, **work**, **reserialize** (`pickle.dumps`, highest protocol) and
        **write** are timed in the worker's task function; the latency is `submit()` to the future's completion
        callback, as user code sees it. With `process:shm`, serialize also copies the out-of-band buffers into the
        segment and deserialize includes attaching it. *stages ÷ latency* is the median stage sum over the median
        latency: what the stages leave out is the executor's own queueing, the result's trip back and the callback.
        CPU time per stage is the thread's own (`time.thread_time_ns()`): for the thread pool, wall time above it is
        time spent waiting for the GIL. *as objects* is the object's estimated size in memory, *pickle* its pickled
        size; *dumps* and *loads* are `pickle.dumps`/`pickle.loads` of the whole object in the parent.

        """
}
