import Foundation

/// An axis fitted to data: its range, its ticks, and the mapping from a value to a position along it.
public struct ResolvedAxis: Sendable, Equatable {
    /// A labelled tick.
    public struct Tick: Sendable, Equatable {
        public var value: Double
        public var label: String
    }

    public let scale: Axis.Scale
    public let lower: Double
    public let upper: Double
    /// Labelled ticks in increasing order.
    public let ticks: [Tick]
    /// Unlabelled values for faint gridlines (2…9 × 10ⁿ on log axes), in increasing order.
    public let minorTicks: [Double]

    /// Where `value` sits between `lower` (0) and `upper` (1); nil when it has no position on this axis
    /// (not finite, not positive on a log axis) or falls outside the range.
    public func fraction(of value: Double) -> Double? {
        guard value.isFinite else { return nil }
        let position: Double
        switch scale {
        case .linear:
            position = (value - lower) / (upper - lower)
        case .log10:
            guard value > 0 else { return nil }
            position = (Foundation.log10(value) - Foundation.log10(lower)) / (Foundation.log10(upper) - Foundation.log10(lower))
        }
        guard position.isFinite, position >= -1e-9, position <= 1 + 1e-9 else { return nil }
        return min(max(position, 0), 1)
    }
}
