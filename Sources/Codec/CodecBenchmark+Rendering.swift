import Foundation
import Payload
import Units

/// One line of `bench codecs --format json`: a codec, or a plain-copy reference (`kind` tells which).
public struct CodecBenchmarkRow: Codable, Sendable, Equatable {
    /// `codec` or `reference`.
    public var kind: String
    public var codec: String
    public var shape: PayloadShape
    /// Encoded size (for a reference: the bytes copied).
    public var bytes: Int
    /// The payload's logical size (its binary encoding).
    public var payloadBytes: Int
    /// Encoded bytes per second, median (a reference: copied bytes per second).
    public var encodeBytesPerSecond: Double
    /// Encoded bytes per second, median (a reference: copied bytes per second).
    public var decodeBytesPerSecond: Double
    public var encodeMedianSeconds: Double
    public var decodeMedianSeconds: Double
    /// Median time over the median copy into fresh memory (1 for that reference itself).
    public var encodeTimesFreshCopy: Double
    public var decodeTimesFreshCopy: Double
    /// Every timed run, in seconds.
    public var encodeSeconds: [Double]
    public var decodeSeconds: [Double]
    /// Whether the decoded payload's checksum matched (always true for a reference).
    public var checksumVerified: Bool
    /// For a codec read in place: the median check of a view over the encoding, which replaces the decode.
    public var viewMedianSeconds: Double? = nil
    /// True when payload-sized buffers were advised to use huge pages (`--huge-pages`); absent when not.
    public var hugePages: Bool? = nil
}

extension CodecBenchmarkResult {
    /// References first, then codecs, as rows.
    public var rows: [CodecBenchmarkRow] {
        let fresh = references.first { $0.name == CopyReference.freshName }?.medianSeconds ?? 0
        let referenceRows = references.map { reference in
            let times = fresh > 0 ? reference.medianSeconds / fresh : 1
            return CodecBenchmarkRow(
                kind: "reference", codec: reference.name, shape: shape, bytes: reference.bytes,
                payloadBytes: payloadBytes, encodeBytesPerSecond: reference.bytesPerSecond,
                decodeBytesPerSecond: reference.bytesPerSecond, encodeMedianSeconds: reference.medianSeconds,
                decodeMedianSeconds: reference.medianSeconds, encodeTimesFreshCopy: times, decodeTimesFreshCopy: times,
                encodeSeconds: reference.seconds, decodeSeconds: reference.seconds, checksumVerified: true,
                hugePages: hugePages)
        }
        let codecRows = codecs.map { measurement in
            CodecBenchmarkRow(
                kind: "codec", codec: measurement.codec, shape: shape, bytes: measurement.bytes,
                payloadBytes: measurement.payloadBytes, encodeBytesPerSecond: measurement.encodeBytesPerSecond,
                decodeBytesPerSecond: measurement.decodeBytesPerSecond,
                encodeMedianSeconds: measurement.encodeMedianSeconds,
                decodeMedianSeconds: measurement.decodeMedianSeconds,
                encodeTimesFreshCopy: measurement.encodeTimesFreshCopy,
                decodeTimesFreshCopy: measurement.decodeTimesFreshCopy,
                encodeSeconds: measurement.encodeSeconds, decodeSeconds: measurement.decodeSeconds,
                checksumVerified: measurement.checksumVerified,
                viewMedianSeconds: measurement.viewSeconds.map(CodecBenchmark.median), hugePages: hugePages)
        }
        return referenceRows + codecRows
    }

    /// The rows as a JSON array (keys sorted, one object per line is not promised).
    public func renderJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(rows)
        return String(decoding: data, as: UTF8.self)
    }

    /// A text table: one line per reference and codec.
    public func renderTable(seed: UInt64? = nil) -> String {
        let seedText = seed.map { ", seed \($0)" } ?? ""
        var lines = [
            "\(shape.rawValue) payload of \(Formatting.bytes(Double(payloadBytes)))\(seedText): \(elementCount) elements, "
                + "checksum \(CodecBenchmarkResult.hex(checksum))",
            "",
        ]
        let header = ["codec", "encoded", "ratio", "encode", "decode", "enc/copy", "dec/copy", "runs", "ok"]
        var table: [[String]] = [header]
        for row in rows {
            let isReference = row.kind == "reference"
            table.append([
                row.codec,
                Formatting.bytes(Double(row.bytes)),
                isReference ? "" : Formatting.ratio(Double(row.payloadBytes) / Double(max(row.bytes, 1))),
                Formatting.rate(row.encodeBytesPerSecond),
                isReference ? "" : Formatting.rate(row.decodeBytesPerSecond),
                Formatting.ratio(row.encodeTimesFreshCopy),
                isReference ? "" : Formatting.ratio(row.decodeTimesFreshCopy),
                isReference ? "\(row.encodeSeconds.count)" : "\(row.encodeSeconds.count)/\(row.decodeSeconds.count)",
                row.checksumVerified ? "yes" : "NO",
            ])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for (index, cells) in table.enumerated() {
            let padded = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }
            lines.append(padded.joined(separator: "  "))
            if index == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        let fresh = references.first { $0.name == CopyReference.freshName }?.medianSeconds ?? 0
        for row in rows {
            guard let view = row.viewMedianSeconds else { continue }
            let times = fresh > 0 ? " (\(Formatting.ratio(view / fresh)) the fresh copy)" : ""
            lines.append("\(row.codec) read in place: the view's checks take \(Formatting.seconds(view))\(times) "
                + "instead of a decode.")
        }
        lines.append("")
        lines.append("Rates are bytes of encoded output per second (median); enc/copy and dec/copy are median times over "
            + "a plain copy of the binary encoding into fresh memory.")
        if hugePages == true {
            lines.append("Huge pages: every buffer of 2 MiB and more (encodings, decoded arrays, the fresh copies) was "
                + "advised with madvise(MADV_HUGEPAGE) before its first write.")
        }
        return lines.joined(separator: "\n")
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
    }
}
