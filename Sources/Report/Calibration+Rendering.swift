import Foundation
import Results
import Units

extension Calibration {
    /// One line of the text table: what was measured, its median, the range of its repetitions.
    public struct Row: Equatable, Sendable {
        public var quantity: String
        public var value: String
        public var range: String
        public var repetitions: Int
    }

    /// The table rows in display order, values formatted with `Formatting`.
    public var rows: [Row] {
        func rate(_ key: String, _ quantity: String, _ median: Double) -> Row {
            row(key, quantity, Formatting.rate(median), Formatting.rate)
        }
        func duration(_ key: String, _ quantity: String, _ median: Double) -> Row {
            row(key, quantity, Formatting.seconds(median), Formatting.seconds)
        }
        func row(_ key: String, _ quantity: String, _ value: String, _ format: (Double) -> String) -> Row {
            let values = samples[key] ?? []
            let range = values.isEmpty ? "–" : "\(format(values.min()!)) – \(format(values.max()!))"
            return Row(quantity: quantity, value: value, range: range, repetitions: values.count)
        }
        let ratio1 = Formatting.ratio(Double(zstdInputBytes) / Double(max(zstdLevel1CompressedBytes, 1)))
        let ratio3 = Formatting.ratio(Double(zstdInputBytes) / Double(max(zstdLevel3CompressedBytes, 1)))
        let crossCore = pipePlacement == "unpinned" ? ", unpinned" : ", across CPUs"
        var tcp: [Row] = []
        if let tcpLoopbackBytesPerSecond {
            let placement = tcpPlacement == "unpinned" ? ", unpinned" : ", across CPUs"
            tcp.append(rate("tcpLoopbackBytesPerSecond", "TCP over loopback to a child, one connection\(placement)", tcpLoopbackBytesPerSecond))
        }
        if let tcpRoundTripSeconds {
            tcp.append(duration("tcpRoundTripSeconds", "TCP round trip, 64 B ping-pong (p50)", tcpRoundTripSeconds))
        }
        if let tcpConnectSeconds {
            tcp.append(duration("tcpConnectSeconds", "TCP connect on 127.0.0.1", tcpConnectSeconds))
        }
        return [
            rate("memcpyTouchedBytesPerSecond", "memcpy into touched memory", memcpyTouchedBytesPerSecond),
            rate("memcpyFreshBytesPerSecond", "memcpy into fresh memory (first touch)", memcpyFreshBytesPerSecond),
            rate("pipeDefaultBytesPerSecond",
                 "pipe to a child, \(ByteSize(bytes: pipeDefaultBufferBytes)) buffer (default)\(crossCore)", pipeDefaultBytesPerSecond),
            rate("pipeEnlargedBytesPerSecond",
                 "pipe to a child, \(ByteSize(bytes: pipeEnlargedBufferBytes)) buffer\(crossCore)", pipeEnlargedBytesPerSecond),
            rate("pipeDefaultSameCoreBytesPerSecond",
                 "pipe to a child, \(ByteSize(bytes: pipeDefaultBufferBytes)) buffer, same CPU", pipeDefaultSameCoreBytesPerSecond),
            rate("pipeEnlargedSameCoreBytesPerSecond",
                 "pipe to a child, \(ByteSize(bytes: pipeEnlargedBufferBytes)) buffer, same CPU", pipeEnlargedSameCoreBytesPerSecond),
        ] + tcp + [
            rate("diskWriteBytesPerSecond", "disk write to page cache (\(scratchFilesystem))", diskWriteBytesPerSecond),
            rate("diskWriteSyncBytesPerSecond", "disk write + fsync (\(scratchFilesystem))", diskWriteSyncBytesPerSecond),
            rate("zstdLevel1CompressBytesPerSecond", "zstd -1 compress (ratio \(ratio1))", zstdLevel1CompressBytesPerSecond),
            rate("zstdLevel1DecompressBytesPerSecond", "zstd -1 decompress", zstdLevel1DecompressBytesPerSecond),
            rate("zstdLevel3CompressBytesPerSecond", "zstd -3 compress (ratio \(ratio3))", zstdLevel3CompressBytesPerSecond),
            rate("zstdLevel3DecompressBytesPerSecond", "zstd -3 decompress", zstdLevel3DecompressBytesPerSecond),
            duration("processSpawnSeconds", "process spawn + wait (/bin/true)", processSpawnSeconds),
            duration("workerSpawnSeconds", "worker spawn + wait (payloadlab pipe-sink)", workerSpawnSeconds),
            duration("threadStartSeconds", "thread create + join", threadStartSeconds),
        ]
    }

    /// A plain-text table for a terminal: quantity, median, range of the repetitions, repetition count; then
    /// one line on what the figures are.
    public func renderedText() -> String {
        let header = Row(quantity: "quantity", value: "median", range: "range", repetitions: 0)
        let all = [header] + rows
        let quantityWidth = all.map(\.quantity.count).max() ?? 0
        let valueWidth = all.map(\.value.count).max() ?? 0
        let rangeWidth = all.map(\.range.count).max() ?? 0
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: width - text.count) }
        func padLeft(_ text: String, _ width: Int) -> String { String(repeating: " ", count: width - text.count) + text }
        var lines: [String] = []
        for (index, row) in all.enumerated() {
            let count = index == 0 ? "n" : String(row.repetitions)
            lines.append("\(pad(row.quantity, quantityWidth))  \(padLeft(row.value, valueWidth))  "
                + "\(pad(row.range, rangeWidth))  \(padLeft(count, 3))")
        }
        lines.append("")
        lines.append("Medians after warm-up, measured \(measuredAt); \(Formatting.bytes(Double(sizeBytes))) per bandwidth "
            + "repetition (zstd on \(Formatting.bytes(Double(zstdInputBytes))) of text); scratch \(scratchFilesystem) with "
            + "\(Formatting.bytes(Double(scratchAvailableBytes))) free; pipe across CPUs: \(pipePlacement).")
        if let curve = copyCurve {
            let steps = curve.points.map { "\(ByteSize(bytes: $0.bytes)) \(Formatting.fixed($0.secondsPerByte * 1e9, decimals: 3))" }
            lines.append("Allocate + copy + free, ns per byte by size (\(curve.threads) thread\(curve.threads == 1 ? "" : "s") at once): "
                + steps.joined(separator: ", ") + ".")
        }
        if tcpLoopbackBytesPerSecond != nil {
            lines.append(Calibration.loopbackBoundSentence)
        }
        let disturbed = disturbedPhases
        if !disturbed.isEmpty {
            let list = disturbed.map { "\($0) (\(Formatting.fixed(otherProcessesCPUs[$0] ?? 0, decimals: 2)) CPUs)" }
            lines.append("Warning: other processes were busy during \(list.joined(separator: ", ")); those figures are "
                + "likely below this machine's limits, so run calibrate again on a quiet machine.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What loopback TCP stands for, said wherever it is shown.
    public static let loopbackBoundSentence = "Loopback TCP is the upper bound of a real network: both ends share one "
        + "kernel and no network card, so a transfer between hosts is at best this fast; price a real link with "
        + "payloadlab recommend --runtime python --link BANDWIDTH,LATENCY (e.g. --link 10Gbit,200us)."

    /// The calibration as pretty-printed JSON with sorted keys (the form stored in results files).
    public func renderedJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
