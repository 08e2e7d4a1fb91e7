/// Values known at a few ascending positions, joined by straight lines: what payloadlab uses between measured
/// sizes (stage medians, peak memory, the copy-cost curve, the model's measured ÷ fitted ratios).
package struct PiecewiseLinear {
    /// What the function does above the last known position (below the first it keeps the first value).
    package enum End {
        /// Keeps the last value.
        case hold
        /// Continues the last segment's slope, never downwards (a cost does not shrink as the payload grows).
        case continueRising
    }

    /// Ascending, distinct positions and their values.
    let positions: [Double]
    let values: [Double]

    /// `points` sorted by position; several at one position should already be reduced to one.
    package init(_ points: [(position: Double, value: Double)]) {
        let sorted = points.sorted { $0.position < $1.position }
        positions = sorted.map(\.position)
        values = sorted.map(\.value)
    }

    /// The value at `position`; 0 with no points.
    package func value(at position: Double, above: End) -> Double {
        guard let first = positions.first, let last = positions.last else { return 0 }
        if position <= first || positions.count == 1 { return position <= first ? values[0] : values[values.count - 1] }
        if position >= last {
            let n = positions.count
            guard above == .continueRising else { return values[n - 1] }
            let slope = max(0, (values[n - 1] - values[n - 2]) / (positions[n - 1] - positions[n - 2]))
            return values[n - 1] + slope * (position - last)
        }
        let upper = positions.firstIndex { $0 >= position }!
        let t = (position - positions[upper - 1]) / (positions[upper] - positions[upper - 1])
        return values[upper - 1] + t * (values[upper] - values[upper - 1])
    }
}
