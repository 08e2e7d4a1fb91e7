import Foundation

/// Human formatting of measured quantities for terminals and reports.
public enum Formatting {
    /// A byte count rounded to three significant figures in decimal units: `1.05 MB`, `200 MB`, `812 B`.
    public static func bytes(_ value: Double) -> String {
        let units: [(String, Double)] = [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)]
        for (name, size) in units where abs(value) >= size {
            return "\(significant(value / size)) \(name)"
        }
        return "\(Int(clampingFinite: value.rounded())) B"
    }

    /// A size label for tables and axes: exact when the size is round (`64MB`, `1KiB`), else `bytes(_:)`.
    public static func sizeLabel(_ bytes: Int) -> String {
        let exact = ByteSize.exactText(bytes)
        let bareBytes = exact.hasSuffix("B") && exact.dropLast().allSatisfy(\.isNumber)
        return exact.count <= 7 && !(bareBytes && bytes >= 1_000) ? exact : Formatting.bytes(Double(bytes))
    }

    /// A rate in bytes per second: `2.31 GB/s`, `840 MB/s`.
    public static func rate(_ bytesPerSecond: Double) -> String {
        guard bytesPerSecond.isFinite else { return "–" }
        return "\(bytes(bytesPerSecond))/s"
    }

    /// A duration in seconds with a unit chosen so three significant figures remain: `12.3 µs`, `1.20 s`.
    public static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let magnitude = abs(value)
        if magnitude == 0 { return "0 s" }
        if magnitude < 1e-6 { return "\(significant(value * 1e9)) ns" }
        if magnitude < 1e-3 { return "\(significant(value * 1e6)) µs" }
        if magnitude < 1 { return "\(significant(value * 1e3)) ms" }
        return "\(significant(value)) s"
    }

    /// A ratio such as `2.41×`.
    public static func ratio(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        return "\(significant(value))×"
    }

    /// A share as a whole percentage: `85 %`.
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "–" }
        return "\(Int(clampingFinite: (fraction * 100).rounded())) %"
    }

    /// `value` with three significant figures, no exponent, trailing zeros kept (`1.20`, `12.3`, `123`).
    public static func significant(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return "–" }
        if value == 0 { return "0" }
        let exponent = Int(clampingFinite: log10(abs(value)).rounded(.down))
        var decimals = min(12, max(0, digits - 1 - exponent))
        if decimals == 12 && abs(value) < 1e-10 { return value < 0 ? "-0" : "0" }
        // Rounding may carry into a new digit (9.996 → 10.0): one decimal fewer then.
        if decimals > 0, abs(Double(fixed(value, decimals: decimals)) ?? 0) >= pow10(digits - decimals) { decimals -= 1 }
        return fixed(value, decimals: decimals)
    }

    private static func pow10(_ n: Int) -> Double {
        var result = 1.0
        if n >= 0 { for _ in 0..<n { result *= 10 } } else { for _ in 0..<(-n) { result /= 10 } }
        return result
    }

    /// `value` with exactly `decimals` digits after the point, rounded half away from zero.
    public static func fixed(_ value: Double, decimals requested: Int) -> String {
        let decimals = min(max(requested, 0), 15)
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        let scaled = (abs(value) * factor).rounded()
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard scaled < 9e15 else { return "\(sign)\(abs(value).rounded())" }
        let whole = Int(clampingFinite: scaled) / Int(clampingFinite: factor)
        let fraction = Int(clampingFinite: scaled) % Int(clampingFinite: factor)
        if decimals == 0 { return "\(sign)\(whole)" }
        var fractionText = String(fraction)
        while fractionText.count < decimals { fractionText = "0" + fractionText }
        return "\(sign)\(whole).\(fractionText)"
    }
}
