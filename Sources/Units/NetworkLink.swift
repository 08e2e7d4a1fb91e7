/// A network link between hosts: its bandwidth and its latency, parsed from text such as `10Gbit,200us`,
/// `25Gbit/s,0.1ms` or `1GB/s,50us`.
///
/// Bandwidth units: `bit`, `Kbit`, `Mbit`, `Gbit`, `Tbit` (powers of 1000, any case, optionally `/s`), the same as
/// `b/s` or `bps` with a lower-case `b` (`Gb/s`, `Gbps`), and bytes with an upper-case `B`: `KB`, `MB`, `GB`, `TB`
/// (powers of 1000) or `KiB`, `MiB`, `GiB`, `TiB` (powers of 1024), optionally `/s`. Latency units: `ns`, `us` (or
/// `µs`), `ms`, `s`. The latency is the round-trip time, as `ping` reports it; the model charges it once per task.
public struct NetworkLink: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The slowest and fastest bandwidth accepted, in bits per second (1 kbit/s … 10 Tbit/s): outside them a value
    /// is a typo, not a link.
    public static let bandwidthRange: ClosedRange<Double> = 1e3...1e13
    /// The largest latency accepted, in seconds.
    public static let maximumLatencySeconds = 10.0

    /// Bits per second the link carries.
    public var bitsPerSecond: Double
    /// Round-trip time in seconds.
    public var latencySeconds: Double

    public init(bitsPerSecond: Double, latencySeconds: Double) {
        self.bitsPerSecond = bitsPerSecond
        self.latencySeconds = latencySeconds
    }

    /// The link's bandwidth in bytes per second.
    public var bytesPerSecond: Double { bitsPerSecond / 8 }

    /// Seconds to move `bytes` across the link: its latency plus the bytes at its bandwidth.
    public func transferSeconds(bytes: Double) -> Double {
        latencySeconds + max(0, bytes) / bytesPerSecond
    }

    /// Parses `BANDWIDTH,LATENCY`.
    ///
    /// - Throws: `NetworkLinkError` naming the part that cannot be read or lies outside `bandwidthRange` or
    ///   0…`maximumLatencySeconds`.
    public init(parsing text: String) throws(NetworkLinkError) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .notTwoParts(text) }
        let bandwidthText = String(parts[0]).trimmingWhitespace()
        let latencyText = String(parts[1]).trimmingWhitespace()
        guard let bits = NetworkLink.bitsPerSecond(parsing: bandwidthText) else { throw .badBandwidth(bandwidthText) }
        guard NetworkLink.bandwidthRange.contains(bits) else { throw .bandwidthOutOfRange(bandwidthText) }
        guard let latency = NetworkLink.seconds(parsing: latencyText) else { throw .badLatency(latencyText) }
        guard latency <= NetworkLink.maximumLatencySeconds else { throw .latencyOutOfRange(latencyText) }
        self.init(bitsPerSecond: bits, latencySeconds: latency)
    }

    /// `25Gbit,100us`: the form `init(parsing:)` reads back to the same value.
    public var description: String {
        "\(NetworkLink.bandwidthText(bitsPerSecond)),\(NetworkLink.latencyText(latencySeconds))"
    }

    /// `25 Gbit/s, 100 µs`: the form reports and recommendations print.
    public var label: String {
        let units: [(String, Double)] = [("Tbit/s", 1e12), ("Gbit/s", 1e9), ("Mbit/s", 1e6), ("kbit/s", 1e3)]
        let bandwidth = units.first { bitsPerSecond >= $0.1 }
            .map { "\(Formatting.significant(bitsPerSecond / $0.1)) \($0.0)" } ?? "\(Formatting.significant(bitsPerSecond)) bit/s"
        return "\(bandwidth), \(Formatting.seconds(latencySeconds))"
    }

    // MARK: - Parsing

    /// Decimal and binary prefixes, lower-cased.
    private static let prefixes: [String: Double] = [
        "": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12,
        "ki": 1024, "mi": 1_048_576, "gi": 1_073_741_824, "ti": 1_099_511_627_776,
    ]

    /// `10Gbit`, `25Gbit/s`, `10Gbps`, `1GB/s`, `800MiB/s` in bits per second; nil when it cannot be read.
    static func bitsPerSecond(parsing text: String) -> Double? {
        guard let (number, unitText) = split(text) else { return nil }
        var unit = Substring(unitText)
        if unit.lowercased().hasSuffix("/s") {
            unit = unit.dropLast(2)
        } else if unit.lowercased().hasSuffix("ps") {
            unit = unit.dropLast(2)
        }
        let lowered = unit.lowercased()
        let prefix: String
        let bitsPerUnit: Double
        if lowered.hasSuffix("bit") {
            prefix = String(lowered.dropLast(3))
            bitsPerUnit = 1
        } else if unit.hasSuffix("b") {
            prefix = String(lowered.dropLast())
            bitsPerUnit = 1
        } else if unit.hasSuffix("B") {
            prefix = String(lowered.dropLast())
            bitsPerUnit = 8
        } else {
            return nil
        }
        // Binary prefixes belong to bytes; a "Kibit" is too rare to be meant.
        guard let multiplier = prefixes[prefix], bitsPerUnit == 8 || !prefix.hasSuffix("i") else { return nil }
        let value = number * multiplier * bitsPerUnit
        return value.isFinite && value > 0 ? value : nil
    }

    /// `200us`, `0.1ms`, `50ns`, `1s`, `0us` in seconds; nil when it cannot be read.
    static func seconds(parsing text: String) -> Double? {
        guard let (number, unit) = split(text) else { return nil }
        let divisors: [String: Double] = ["ns": 1e9, "us": 1e6, "µs": 1e6, "μs": 1e6, "ms": 1e3, "s": 1]
        guard let divisor = divisors[unit.lowercased()] else { return nil }
        // Dividing (not multiplying by 1e-6) keeps 200us exactly the double nearest 0.0002.
        let value = number / divisor
        return value.isFinite && value >= 0 ? value : nil
    }

    /// A non-negative decimal number and the unit text after it; nil without a number or a unit.
    private static func split(_ text: String) -> (Double, String)? {
        guard let unitStart = text.firstIndex(where: { !($0.isASCII && ($0.isNumber || $0 == ".")) }) else { return nil }
        let numberText = text[..<unitStart]
        let unit = text[unitStart...].trimmingWhitespaceSubstring()
        guard !numberText.isEmpty, !unit.isEmpty, numberText.filter({ $0 == "." }).count <= 1,
              let number = Double(numberText), number.isFinite
        else { return nil }
        return (number, String(unit))
    }

    // MARK: - Formatting

    /// The bandwidth in the largest bit unit that keeps the number at least 1: `25Gbit`, `2.5Gbit`, `800Mbit`.
    static func bandwidthText(_ bits: Double) -> String {
        let units: [(String, Double)] = [("Tbit", 1e12), ("Gbit", 1e9), ("Mbit", 1e6), ("Kbit", 1e3)]
        let (name, size) = units.first { bits >= $0.1 } ?? ("bit", 1)
        return plain(bits / size) + name
    }

    /// The latency in the largest unit that keeps the number at least 1: `200us`, `1.5ms`, `0us`.
    static func latencyText(_ seconds: Double) -> String {
        if seconds == 0 { return "0us" }
        let units: [(String, Double)] = [("s", 1), ("ms", 1e3), ("us", 1e6)]
        for (name, scale) in units where seconds * scale >= 1 { return plain(seconds * scale) + name }
        return plain(seconds * 1e9) + "ns"
    }

    /// `25`, `2.5`, `0.125`: twelve significant digits at most, trailing zeros dropped, no exponent.
    static func plain(_ value: Double) -> String {
        var text = Formatting.significant(value, digits: 12)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
