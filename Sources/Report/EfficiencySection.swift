import Results
import Units
import Payload
/// How close each stage runs to this machine's limits, measured by the calibration in the same run.
///
/// A stage's rate is the encoded payload size over its median time; its efficiency is that rate over the limit
/// the stage cannot beat: serialize and deserialize against a copy into fresh memory (both write a new buffer),
/// transfer against the raw pipe with the same pipe buffer, write against the disk's page-cache rate, sync against
/// writing with fsync. Only sizes of 1 MB and more are shown: below that, fixed costs dominate and rates mislead.
public enum EfficiencySection {
    public static let minimumBytes = 1_000_000

    public static func render(_ result: SweepResult) -> String {
        guard let calibration = result.calibration else { return "" }
        var out = "## Against this machine's limits\n\n"
        out += "Calibrated in this run (median of repetitions after warm-up):\n\n"
        var limits = MarkdownTable(header: ["limit", "measured"], rightAligned: [1])
        limits.add(["memcpy into memory already touched", Formatting.rate(calibration.memcpyTouchedBytesPerSecond)])
        limits.add(["memcpy into fresh memory (page faults)", Formatting.rate(calibration.memcpyFreshBytesPerSecond)])
        limits.add(["pipe, default buffer (\(Formatting.sizeLabel(calibration.pipeDefaultBufferBytes)))", Formatting.rate(calibration.pipeDefaultBytesPerSecond)])
        limits.add(["pipe, enlarged buffer (\(Formatting.sizeLabel(calibration.pipeEnlargedBufferBytes)))", Formatting.rate(calibration.pipeEnlargedBytesPerSecond)])
        if let tcp = calibration.tcpLoopbackBytesPerSecond {
            limits.add(["TCP over loopback, one connection", Formatting.rate(tcp)])
        }
        if let roundTrip = calibration.tcpRoundTripSeconds {
            limits.add(["TCP round trip, 64 B (p50)", Formatting.seconds(roundTrip)])
        }
        limits.add(["disk write to page cache (\(calibration.scratchFilesystem))", Formatting.rate(calibration.diskWriteBytesPerSecond)])
        limits.add(["disk write with fsync", Formatting.rate(calibration.diskWriteSyncBytesPerSecond)])
        limits.add(["zstd level 1 compress / decompress", "\(Formatting.rate(calibration.zstdLevel1CompressBytesPerSecond)) / \(Formatting.rate(calibration.zstdLevel1DecompressBytesPerSecond))"])
        limits.add(["zstd level 3 compress / decompress", "\(Formatting.rate(calibration.zstdLevel3CompressBytesPerSecond)) / \(Formatting.rate(calibration.zstdLevel3DecompressBytesPerSecond))"])
        limits.add(["process spawn + wait (/bin/true)", Formatting.seconds(calibration.processSpawnSeconds)])
        limits.add(["payloadlab worker start + exit", Formatting.seconds(calibration.workerSpawnSeconds)])
        limits.add(["thread start + join", Formatting.seconds(calibration.threadStartSeconds)])
        out += limits.render() + "\n"

        let points = result.points.filter { $0.succeeded && $0.sizeBytes >= minimumBytes }
            .sorted { ($0.shape.rawValue, $0.codec, $0.sizeBytes, $0.pool) < ($1.shape.rawValue, $1.codec, $1.sizeBytes, $1.pool) }
        guard !points.isEmpty else { return out }
        out += "Each stage's rate (encoded bytes ÷ median time) as a share of its limit; 100 % is the floor this machine allows.\n\n"
        var table = MarkdownTable(
            header: ["shape", "codec", "size", "pool", "serialize vs fresh memcpy", "transfer vs pipe", "deserialize vs fresh memcpy", "reserialize vs fresh memcpy", "write vs disk", "sync vs fsync"],
            rightAligned: [2, 4, 5, 6, 7, 8, 9])
        for point in points {
            let bytes = Double(point.encodedBytes)
            func share(_ stage: Stage, _ limit: Double) -> String {
                guard let seconds = point.median(stage), seconds > 0, limit > 0 else { return "–" }
                let rate = bytes / seconds
                return "\(Formatting.percent(rate / limit)) (\(Formatting.rate(rate)))"
            }
            let pipeLimit = point.pipeBufferBytes > calibration.pipeDefaultBufferBytes
                ? calibration.pipeEnlargedBytesPerSecond : calibration.pipeDefaultBytesPerSecond
            table.add([
                point.shape.rawValue, point.codec, Formatting.sizeLabel(point.sizeBytes), point.pool.label,
                // Dask's transfer is TCP, not a pipe: NetworkSection sets it against loopback TCP.
                share(.serialize, calibration.memcpyFreshBytesPerSecond), point.pool.isDask ? "–" : share(.transfer, pipeLimit),
                share(.deserialize, calibration.memcpyFreshBytesPerSecond),
                share(.reserialize, calibration.memcpyFreshBytesPerSecond),
                share(.write, calibration.diskWriteBytesPerSecond), share(.sync, calibration.diskWriteSyncBytesPerSecond),
            ])
        }
        out += table.render() + "\n"
        out += "A stage that allocates a new buffer of the payload's size pays the kernel's first-touch page faults: a copy into fresh memory ran at \(Formatting.rate(calibration.memcpyFreshBytesPerSecond)) here against \(Formatting.rate(calibration.memcpyTouchedBytesPerSecond)) into memory already touched, so that is the honest floor for serialize and deserialize at large sizes.\n\n"
        return out
    }
}
