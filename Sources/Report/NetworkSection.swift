import Results
import Units
import Payload

/// Dask's transfer stage against what TCP carried on this machine in the same run, and Dask's per-task overhead
/// beside the process pool's, for a sweep with Dask points (python runtime, pools `dask` and `dask:scatter`).
///
/// A transfer's rate is the pickled size over its median time, as in `EfficiencySection`; its share is that rate
/// over the calibration's loopback TCP bandwidth (one connection, large writes, two processes). Loopback is the upper
/// bound of a real network, and the section says so.
public enum NetworkSection {
    /// The markdown section; empty without Dask points.
    public static func render(_ result: SweepResult) -> String {
        let dask = result.points.filter { $0.pool.isDask && $0.succeeded }
        guard !dask.isEmpty else { return "" }
        var out = "## Dask against this machine's TCP\n\n"
        let tcp = result.calibration?.tcpLoopbackBytesPerSecond
        if let calibration = result.calibration, let tcp {
            var figures = "one connection on 127.0.0.1 to another process carried \(Formatting.rate(tcp))"
            if let roundTrip = calibration.tcpRoundTripSeconds {
                figures += "; a 64-byte round trip took \(Formatting.seconds(roundTrip)) (p50)"
            }
            if let connect = calibration.tcpConnectSeconds {
                figures += "; opening a connection \(Formatting.seconds(connect))"
            }
            out += "Calibrated in this run: \(figures).\n\n"
        } else {
            out += "This sweep's calibration has no TCP figures (it was skipped, or written before payloadlab measured them), so Dask's transfer cannot be set against TCP on this machine; sweep again with calibration, or run payloadlab calibrate.\n\n"
        }
        let large = dask.filter { $0.sizeBytes >= EfficiencySection.minimumBytes }
        let shown = (large.isEmpty ? dask : large).sorted {
            ($0.shape.rawValue, $0.sizeBytes, $0.pool) < ($1.shape.rawValue, $1.sizeBytes, $1.pool)
        }
        var table = MarkdownTable(
            header: ["shape", "size", "pool", "transfer (median)", "transfer rate", "share of loopback TCP",
                     "share of Dask's comm", "in fresh copies"],
            rightAligned: [1, 3, 4, 5, 6, 7])
        let comm = result.daskComm
        let fresh = result.calibration?.memcpyFreshBytesPerSecond
        for point in shown {
            let seconds = point.median(.transfer)
            let rate = seconds.flatMap { $0 > 0 ? Double(point.encodedBytes) / $0 : nil }
            table.add([
                point.shape.rawValue, Formatting.sizeLabel(point.sizeBytes), point.pool.label,
                seconds.map(Formatting.seconds) ?? "–", rate.map(Formatting.rate) ?? "–",
                rate.flatMap { rate in tcp.map { Formatting.percent(rate / $0) } } ?? "–",
                rate.flatMap { rate in
                    comm?.bytesPerSecond(sizeBytes: point.sizeBytes).map { Formatting.percent(rate / $0) }
                } ?? "–",
                rate.flatMap { rate in fresh.map { Self.freshCopies(rate: rate, freshBytesPerSecond: $0) } } ?? "–",
            ])
        }
        out += table.render() + "\n"
        out += "Dask's transfer runs from the end of the client's pickle to the start of the worker's unpickle: the TCP "
            + "hops and, with `dask`, the scheduler's own handling of the task on the way. Both go through the "
            + "scheduler, two hops: `submit` carries the object inside the task, and `scatter` from a client outside "
            + "the cluster sends it to the scheduler, which forwards it (Dask's default; `direct=True` sends it to a "
            + "worker in one hop). *in fresh copies* is the "
            + "transfer's time as copies of the same bytes into freshly mapped memory at this run's rate "
            + "(\(fresh.map(Formatting.rate) ?? "not calibrated")): Dask's comm allocates a new buffer for each message "
            + "on both ends, so where a transfer takes several such copies, allocating and copying, not the socket, sets "
            + "its pace.\n\n"
        if let comm = commSentence(result) { out += comm + "\n\n" }
        if let overhead = overheadSentence(result) { out += overhead + "\n\n" }
        out += Calibration.loopbackBoundSentence + "\n\n"
        return out
    }

    /// What Dask's own comm carried at each size, and its share of TCP at the largest; nil when it was not timed.
    static func commSentence(_ result: SweepResult) -> String? {
        guard let comm = result.daskComm, !comm.readings.isEmpty else { return nil }
        let sizes = comm.readings.sorted { $0.sizeBytes < $1.sizeBytes }
        let rates = sizes.compactMap { reading in
            comm.bytesPerSecond(reading).map { "\(Formatting.sizeLabel(reading.sizeBytes)) \(Formatting.rate($0))" }
        }
        let fewest = sizes.map(\.rounds).min() ?? 0
        var sentence = "Dask's own comm (`distributed.comm` from one process to another here, no scheduler, no task and "
            + "no pickling, median of at least \(fewest) messages less half a small message's round trip for the "
            + "answer) carried " + rates.joined(separator: ", ")
        if let largest = sizes.last, let rate = comm.bytesPerSecond(largest),
           let tcp = result.calibration?.tcpLoopbackBytesPerSecond, tcp > 0 {
            sentence += ": \(Formatting.percent(rate / tcp)) of loopback TCP at \(Formatting.sizeLabel(largest.sizeBytes))"
        }
        sentence += "; a 64-byte message and its answer took \(Formatting.seconds(comm.roundTripSeconds)). "
            + "*share of Dask's comm* sets each transfer against it at the same size: what the pool's path adds on top "
            + "of the comm every Dask transfer goes through."
        return sentence
    }

    /// A transfer's time in copies into fresh memory: the fresh-copy rate over the transfer's rate, as "3.6×".
    static func freshCopies(rate: Double, freshBytesPerSecond: Double) -> String {
        guard rate > 0, freshBytesPerSecond > 0 else { return "–" }
        return Formatting.significant(freshBytesPerSecond / rate, digits: 2) + "×"
    }

    /// Each pool's per-task overhead (latency − stages, median) at the smallest size it measured, Dask beside the
    /// process pool; nil when no point recorded one.
    static func overheadSentence(_ result: SweepResult) -> String? {
        let python = result.points.filter { $0.succeeded && $0.measuredRuntime == .python && $0.overhead != nil }
        var parts: [String] = []
        for pool in PoolKind.allCases where pool.isDask || pool == .process {
            let here = python.filter { $0.pool == pool }
            guard let smallest = here.map(\.sizeBytes).min() else { continue }
            let medians = here.filter { $0.sizeBytes == smallest }.compactMap { $0.overhead?.median }
            guard !medians.isEmpty else { continue }
            parts.append("\(pool.label) \(Formatting.seconds(Percentile.median(medians))) at \(Formatting.sizeLabel(smallest))")
        }
        guard parts.contains(where: { !$0.hasPrefix("process ") }) else { return nil }
        return "Per-task overhead (latency − stages, median, at each pool's smallest size): " + parts.joined(separator: "; ") + "."
    }
}
