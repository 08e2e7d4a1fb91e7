import Foundation
import Units

/// What a chart axis shows: a title with its unit, a linear or log₁₀ scale, and how to label ticks.
/// `resolved(for:)` turns it into a concrete range with "nice" ticks for the values a chart holds.
public struct Axis: Sendable {
    /// How values map to positions along the axis.
    public enum Scale: Sendable, Equatable {
        /// Equal distances for equal differences; ticks at 1-2-5 steps.
        case linear
        /// Equal distances for equal ratios; ticks at powers of ten (and 2 and 5 multiples on short ranges).
        /// Zero, negative and non-finite values have no position and are skipped.
        case log10
    }

    /// The axis title, with its unit: `payload size (bytes)`, `throughput (per second)`.
    public var title: String
    public var scale: Scale
    /// A fixed range; nil fits the range to the data. Values outside a fixed range are not drawn.
    public var domain: ClosedRange<Double>?
    /// Whether a fitted linear range must reach zero (bars and other quantities whose length matters).
    public var includesZero: Bool
    /// Turns a tick value into its label, for example `TickLabel.bytes` (`1 MB`) or `TickLabel.seconds` (`10 µs`).
    public var label: @Sendable (Double) -> String

    /// - Parameters:
    ///   - title: The axis title with its unit.
    ///   - scale: `.linear` (default) or `.log10`.
    ///   - domain: A fixed range, or nil (default) to fit the data.
    ///   - includesZero: Whether a fitted linear range must include zero (default false).
    ///   - label: The tick label function (default `TickLabel.number`).
    public init(
        title: String,
        scale: Scale = .linear,
        domain: ClosedRange<Double>? = nil,
        includesZero: Bool = false,
        label: @escaping @Sendable (Double) -> String = TickLabel.number
    ) {
        self.title = title
        self.scale = scale
        self.domain = domain
        self.includesZero = includesZero
        self.label = label
    }

    /// The range and ticks for `values`; values without a position on this scale are ignored.
    /// With no usable values the range is 0…1 (linear) or 1…10 (log); a single value is padded on both sides.
    public func resolved(for values: [Double]) -> ResolvedAxis {
        switch scale {
        case .linear: resolvedLinear(values)
        case .log10: resolvedLog(values)
        }
    }

    /// Values beyond this magnitude (or, on log axes, below its inverse) are ignored when fitting a range.
    static let largestValue = 1e100
    /// Ticks the chart aims for on a linear axis; the 1-2-5 rounding gives between about 4 and 10.
    static let targetTickCount = 5.0
    /// The most labelled powers of ten on a log axis before every second (third, …) one is dropped.
    static let maxLogTicks = 8

    private func resolvedLinear(_ values: [Double]) -> ResolvedAxis {
        var lower: Double
        var upper: Double
        let fixed = domain.flatMap { $0.lowerBound.isFinite && $0.upperBound.isFinite ? $0 : nil }
        if let fixed {
            (lower, upper) = (fixed.lowerBound, fixed.upperBound)
        } else {
            let usable = values.filter { $0.isFinite && abs($0) < Self.largestValue }
            (lower, upper) = (usable.min() ?? 0, usable.max() ?? 1)
            if includesZero { (lower, upper) = (min(lower, 0), max(upper, 0)) }
        }
        if upper - lower <= Swift.max(abs(lower), abs(upper)) * 1e-12 {
            // All values equal: open a window around them (never below zero if they are all at or above it).
            let pad = lower == 0 ? 1 : abs(lower) * 0.1
            let startsAtZero = lower >= 0 && (includesZero || lower == 0)
            (lower, upper) = (startsAtZero ? Swift.max(0, lower - pad) : lower - pad, upper + pad)
        }
        let step = Self.niceStep((upper - lower) / Self.targetTickCount)
        if fixed == nil {
            lower = (lower / step + 1e-9).rounded(.down) * step
            upper = (upper / step - 1e-9).rounded(.up) * step
        }
        let ticks = Self.linearTicks(lower: lower, upper: upper, step: step)
        return ResolvedAxis(
            scale: .linear, lower: lower, upper: upper,
            ticks: ticks.map { ResolvedAxis.Tick(value: $0, label: label($0)) }, minorTicks: []
        )
    }

    private func resolvedLog(_ values: [Double]) -> ResolvedAxis {
        var lower: Double
        var upper: Double
        if let domain, domain.lowerBound > 0, domain.upperBound.isFinite {
            (lower, upper) = (domain.lowerBound, domain.upperBound)
        } else {
            let usable = values.filter { $0.isFinite && $0 > 1 / Self.largestValue && $0 < Self.largestValue }
            (lower, upper) = (usable.min() ?? 1, usable.max() ?? 10)
            if usable.isEmpty {
                // Nothing to fit: a single decade.
            } else if upper / lower < 1.000001 {
                (lower, upper) = (lower / 2, upper * 2)
            } else {
                // A little air so markers at the ends are not cut by the frame.
                let pad = Swift.max(0.02, (Foundation.log10(upper) - Foundation.log10(lower)) * 0.04)
                (lower, upper) = (lower / pow(10, pad), upper * pow(10, pad))
            }
        }
        let (major, minor) = Self.logTicks(lower: lower, upper: upper)
        return ResolvedAxis(
            scale: .log10, lower: lower, upper: upper,
            ticks: major.map { ResolvedAxis.Tick(value: $0, label: label($0)) }, minorTicks: minor
        )
    }

    /// The 1, 2 or 5 × 10ⁿ step nearest above `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        let magnitude = pow(10, Foundation.log10(rough).rounded(.down))
        let fraction = rough / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Multiples of `step` within `lower…upper`, each computed from its index so errors do not accumulate.
    static func linearTicks(lower: Double, upper: Double, step: Double) -> [Double] {
        guard step > 0, upper > lower else { return [lower] }
        guard abs(lower / step) < 1e12, abs(upper / step) < 1e12 else { return [lower, upper] }
        let first = Int(clampingFinite: (lower / step - 1e-9).rounded(.up))
        let last = Int(clampingFinite: (upper / step + 1e-9).rounded(.down))
        guard first <= last, last - first <= 1000 else { return [lower, upper] }
        return (first...last).map { index in
            let value = Double(index) * step
            return abs(value) < step * 1e-9 ? 0 : value
        }
    }

    /// Labelled and unlabelled ticks for a log range: powers of ten (thinned when there are many); on ranges under
    /// two decades, or holding fewer than three powers, also 2 and 5 multiples; on ranges too short for either,
    /// 1-2-5 linear steps.
    static func logTicks(lower: Double, upper: Double) -> (major: [Double], minor: [Double]) {
        let lowExponent = Int(clampingFinite: Foundation.log10(lower).rounded(.down))
        let highExponent = Int(clampingFinite: Foundation.log10(upper).rounded(.up))
        guard highExponent - lowExponent <= 300 else { return ([lower, upper], []) }
        let inRange = { (value: Double) in value >= lower * (1 - 1e-9) && value <= upper * (1 + 1e-9) }
        let decades = Foundation.log10(upper) - Foundation.log10(lower)

        var powers: [Double] = []
        var twosAndFives: [Double] = []
        var others: [Double] = []
        for exponent in lowExponent...highExponent {
            let power = pow(10, Double(exponent))
            for multiple in 1...9 {
                let value = Double(multiple) * power
                guard inRange(value) else { continue }
                switch multiple {
                case 1: powers.append(value)
                case 2, 5: twosAndFives.append(value)
                default: others.append(value)
                }
            }
        }

        var major: [Double]
        var minor: [Double]
        if decades < 2 || powers.count < 3 {
            major = (powers + twosAndFives).sorted()
            minor = others
        } else {
            let stride = (powers.count + maxLogTicks - 1) / maxLogTicks
            major = stride <= 1 ? powers : powers.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
            // Minor gridlines only while they stay sparse enough to read.
            minor = decades <= 7 ? (twosAndFives + others).sorted() : []
        }
        if major.count < 2 {
            let step = niceStep((upper - lower) / targetTickCount)
            major = linearTicks(lower: lower, upper: upper, step: step).filter { $0 > 0 }
            minor = []
        }
        return (major, minor)
    }
}
