import Foundation
import Units

/// Ready-made tick label functions for `Axis`: compact, without trailing zeros (`1 KB`, `2.5 MB`, `10 µs`).
public enum TickLabel {
    /// A plain number: `0`, `0.25`, `1500`, `2.5`.
    @Sendable public static func number(_ value: Double) -> String {
        trimmed(value)
    }

    /// A byte count in decimal units: `812 B`, `1 KB`, `100 MB`, `1.5 GB`.
    @Sendable public static func bytes(_ value: Double) -> String {
        scaled(value, units: [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)], base: "B")
    }

    /// A rate in bytes per second: `1 GB/s`, `250 MB/s`.
    @Sendable public static func bytesPerSecond(_ value: Double) -> String {
        bytes(value) + "/s"
    }

    /// A duration in seconds with a fitting unit: `500 ns`, `10 µs`, `2.5 ms`, `1 s`.
    @Sendable public static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let magnitude = abs(value)
        if magnitude == 0 { return "0 s" }
        if magnitude < 1e-6 { return "\(trimmed(value * 1e9)) ns" }
        if magnitude < 1e-3 { return "\(trimmed(value * 1e6)) µs" }
        if magnitude < 1 { return "\(trimmed(value * 1e3)) ms" }
        return "\(trimmed(value)) s"
    }

    /// A fraction as a percentage: `0.25` → `25 %`.
    @Sendable public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "–" }
        return "\(trimmed(fraction * 100)) %"
    }

    /// `value / unit` with the largest unit it reaches, in `Formatting.significant` precision without trailing zeros.
    private static func scaled(_ value: Double, units: [(String, Double)], base: String) -> String {
        guard value.isFinite else { return "–" }
        for (name, size) in units where abs(value) >= size {
            return "\(trimmed(value / size)) \(name)"
        }
        return "\(trimmed(value)) \(base)"
    }

    /// Three significant figures (more for whole numbers) without trailing zeros: `1.00` → `1`, `0.0025`, `1500`.
    static func trimmed(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let magnitude = abs(value)
        if magnitude == 0 { return "0" }
        // Beyond what `Formatting.fixed` can hold in an Int; axis values this large are not expected.
        if magnitude >= 1e15 { return "\(value)" }
        let exponent = Int(clampingFinite: log10(magnitude).rounded(.down))
        var text = Formatting.fixed(value, decimals: min(max(0, 2 - exponent), 12))
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
