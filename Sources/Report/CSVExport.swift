import Results
import Units
import Payload
/// The flat per-point table as CSV: one row per pool × shape × codec × size × stage (plus `latency`, end to end).
public enum CSVExport {
    public static let header = [
        "pool", "shape", "codec", "workers", "sizeBytes", "encodedBytes", "work", "gil", "stage", "samples",
        "medianSeconds", "p10Seconds", "p90Seconds", "minSeconds", "maxSeconds", "cpuMedianSeconds",
        "tasksPerSecond", "bytesPerSecond", "failed",
    ]

    public static func render(_ result: SweepResult) -> String {
        var lines = [header.joined(separator: ",")]
        for point in result.points {
            let prefix = [
                point.pool.rawValue, point.shape.rawValue, point.codec, "\(point.workers)", "\(point.sizeBytes)",
                "\(point.encodedBytes)", point.work.description, number(point.gil),
            ]
            let suffix = [number(point.tasksPerSecond), number(point.bytesPerSecond), point.succeeded ? "false" : "true"]
            var rows: [(String, Summary?, Double?)] = Stage.allCases.compactMap { stage in
                guard let summary = point.stages[stage] else { return nil }
                return (stage.rawValue, summary, point.stageCPUMedians[stage])
            }
            rows.append(("latency", point.samples.isEmpty ? nil : point.latency, nil))
            for (stage, summary, cpu) in rows {
                let stats = summary.map {
                    ["\($0.count)", number($0.median), number($0.p10), number($0.p90), number($0.min), number($0.max)]
                } ?? ["0", "", "", "", "", ""]
                lines.append((prefix + [stage] + stats + [cpu.map(number) ?? ""] + suffix).map(field).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : ""
    }

    /// Quotes a field when it holds a comma, a quote or a newline (RFC 4180).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }
}
