import Foundation
import Results
import Units

/// One stage's cost as a function of payload size, built from the stage's median at each measured size.
///
/// A single straight line cannot follow a stage whose cost per byte changes with size: a copy whose buffers stay
/// in the CPU's caches at 4 MB runs several times faster per byte than one that faults in fresh pages at 64 MB.
/// Two forms, the first when the sweep's calibration measured this machine's `CopyCostCurve`:
/// - **Copy-aware.** `CopyAwareCostFit` (fixed + per byte + copies priced by the curve) gives the shape, including
///   the steps between measured sizes that no measured point shows; the measured medians then correct it: the ratio
///   measured ÷ fitted at each measured size is interpolated (in log size) between them and held beyond them. At a
///   measured size the curve returns the median; between two, the fit's shape scaled by its neighbours' misses.
/// - **Without a copy curve** (results from before it was measured): between two measured sizes the curve joins
///   their medians; above the largest it continues the last segment's cost per byte; below the smallest it uses
///   the robust line, whose fixed cost dominates there.
public struct StageCurve: Codable, Sendable, Equatable {
    /// A measured size and the stage's median seconds there.
    public struct Anchor: Codable, Sendable, Equatable {
        public var bytes: Double
        public var seconds: Double
    }

    /// The robust fixed + per-byte line (`CostFitting.fit`).
    public var line: LinearCostFit
    public var anchors: [Anchor]
    /// The copy-aware fit; nil without a copy curve.
    public var copyAware: CopyAwareCostFit?

    public init(line: LinearCostFit, anchors: [Anchor], copyAware: CopyAwareCostFit? = nil) {
        self.line = line
        self.anchors = anchors.sorted { $0.bytes < $1.bytes }
        self.copyAware = copyAware
    }

    /// Fits the line (and, given `copyCurve`, the copy-aware form) and keeps the medians (several values at one
    /// size are reduced to their median); nil when the line cannot be fitted.
    public static func fit(sizes: [Double], seconds: [Double], copyCurve: CopyCostCurve? = nil) -> StageCurve? {
        guard let line = CostFitting.fit(sizes: sizes, seconds: seconds) else { return nil }
        let grouped = Dictionary(grouping: zip(sizes, seconds), by: \.0)
        let anchors = grouped.map { Anchor(bytes: $0.key, seconds: Percentile.median($0.value.map(\.1))) }
        let copyAware = copyCurve.flatMap { curve in
            CopyAwareCostFit.fit(sizes: anchors.map(\.bytes), seconds: anchors.map(\.seconds), curve: curve)
        }
        return StageCurve(line: line, anchors: anchors, copyAware: copyAware)
    }

    public var fixedSeconds: Double { line.fixedSeconds }
    public var secondsPerByte: Double { line.secondsPerByte }

    public func predict(bytes: Double) -> Double {
        if let copyAware { return corrected(copyAware, bytes: bytes) }
        guard anchors.count >= 2, let first = anchors.first else { return line.predict(bytes: bytes) }
        if bytes <= first.bytes { return min(line.predict(bytes: bytes), first.seconds) }
        // Linear in bytes between the neighbours: exact for a stage that really is fixed + per-byte, and a chord of
        // a stage whose cost per byte grows between them.
        return PiecewiseLinear(anchors.map { ($0.bytes, $0.seconds) }).value(at: bytes, above: .continueRising)
    }

    /// The copy-aware fit at `bytes`, times the measured ÷ fitted ratio interpolated from the anchors.
    ///
    /// When the curve steps up to fresh mappings, only the anchors on the same side of the step as `bytes` correct
    /// it (all of them when that side has none): a miss measured in recycled, cached memory says nothing about one
    /// in page-faulting memory, and interpolating across the step moved a held-out 64 MB prediction by half.
    private func corrected(_ fit: CopyAwareCostFit, bytes: Double) -> Double {
        let base = max(0, fit.predict(bytes: bytes))
        guard base > 0 else { return base }
        var used = anchors
        if let step = fit.curve.freshMappingStepBytes {
            let side = anchors.filter { ($0.bytes >= step) == (bytes >= step) }
            if !side.isEmpty { used = side }
        }
        // log(measured ÷ fitted) at each anchor where both are positive (else no correction there), against log size.
        let misses = PiecewiseLinear(used.map { anchor in
            let fitted = fit.predict(bytes: anchor.bytes)
            return (log(max(anchor.bytes, 1)), anchor.seconds > 0 && fitted > 0 ? log(anchor.seconds / fitted) : 0)
        })
        return base * exp(misses.value(at: log(max(bytes, 1)), above: .hold))
    }
}
