import Foundation

/// One stage's cost as a function of payload size: the measured medians, joined piece by piece inside the
/// measured range, and the robust fixed + per-byte line beyond it.
///
/// A single straight line cannot follow a stage whose cost per byte changes with size — a copy that fits in the
/// CPU's caches at 1 MB runs several times faster per byte than one that faults in fresh pages at 200 MB — so
/// between two measured sizes the curve joins the neighbours' medians; above the largest it continues the last
/// segment's cost per byte; below the smallest it uses the line, whose fixed cost dominates there.
public struct StageCurve: Codable, Sendable, Equatable {
    /// A measured size and the stage's median seconds there.
    public struct Anchor: Codable, Sendable, Equatable {
        public var bytes: Double
        public var seconds: Double
    }

    public var line: LinearCostFit
    public var anchors: [Anchor]

    public init(line: LinearCostFit, anchors: [Anchor]) {
        self.line = line
        self.anchors = anchors.sorted { $0.bytes < $1.bytes }
    }

    /// Fits the line and keeps the medians (several at one size are reduced to their median); nil when the line
    /// cannot be fitted.
    public static func fit(sizes: [Double], seconds: [Double]) -> StageCurve? {
        guard let line = CostFitting.fit(sizes: sizes, seconds: seconds) else { return nil }
        let grouped = Dictionary(grouping: zip(sizes, seconds), by: \.0)
        let anchors = grouped.map { Anchor(bytes: $0.key, seconds: Percentile.median($0.value.map(\.1))) }
        return StageCurve(line: line, anchors: anchors)
    }

    public var fixedSeconds: Double { line.fixedSeconds }
    public var secondsPerByte: Double { line.secondsPerByte }

    public func predict(bytes: Double) -> Double {
        guard anchors.count >= 2, let first = anchors.first, let last = anchors.last else {
            return line.predict(bytes: bytes)
        }
        if bytes <= first.bytes { return min(line.predict(bytes: bytes), first.seconds) }
        if bytes >= last.bytes {
            let previous = anchors[anchors.count - 2]
            let slope = max(0, (last.seconds - previous.seconds) / (last.bytes - previous.bytes))
            return last.seconds + slope * (bytes - last.bytes)
        }
        let upper = anchors.firstIndex { $0.bytes >= bytes }!
        let a = anchors[upper - 1]
        let b = anchors[upper]
        // Linear in bytes between the neighbours: exact for a stage that really is fixed + per-byte, and a chord of
        // a stage whose cost per byte grows between them.
        let t = (bytes - a.bytes) / (b.bytes - a.bytes)
        return a.seconds + t * (b.seconds - a.seconds)
    }
}
