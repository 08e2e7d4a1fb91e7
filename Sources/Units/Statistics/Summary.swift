/// The location and spread of one measurement's samples (usually seconds), as reports show them.
///
/// Reports lead with the median and show p10–p90 beside it: both resist the occasional slow run that a mean and
/// standard deviation would let dominate. Percentiles interpolate linearly between closest ranks, as numpy does by
/// default (see `Percentile`). `mad` is the raw median absolute deviation (not scaled by 1.4826), and
/// `outlierCount` counts samples with a modified Z-score above 3.5 (see `OutlierDetection`).
///
/// The Codable keys are fixed names, independent of the property names, because summaries go into the versioned
/// results JSON. `spread` is not stored: it follows from `p10` and `p90` and may be infinite, which JSON cannot
/// represent.
public struct Summary: Codable, Sendable, Equatable {
    /// Above this `spread` (p90 / p10) a measurement is flagged as noisy.
    public static let noisySpreadThreshold = 1.5

    /// How many samples were summarised.
    public let count: Int
    /// The 50th percentile, in the samples' unit (as are all the values below).
    public let median: Double
    /// The 10th percentile.
    public let p10: Double
    /// The 90th percentile.
    public let p90: Double
    /// The smallest sample.
    public let min: Double
    /// The largest sample.
    public let max: Double
    /// The arithmetic mean, kept for readers who want it; reports lead with the median.
    public let mean: Double
    /// The median absolute deviation from the median, unscaled.
    public let mad: Double
    /// How many samples `OutlierDetection` marks with the default threshold.
    public let outlierCount: Int

    /// Summarises `samples`.
    ///
    /// - Precondition: `samples` is non-empty and every sample is finite; use `of(_:)` when that is not known.
    public init(_ samples: [Double]) {
        precondition(!samples.isEmpty, "a summary of no samples is undefined")
        precondition(samples.allSatisfy(\.isFinite), "samples must be finite")
        let sorted = samples.sorted()
        count = sorted.count
        median = Percentile.value(at: 0.5, inSorted: sorted)
        p10 = Percentile.value(at: 0.1, inSorted: sorted)
        p90 = Percentile.value(at: 0.9, inSorted: sorted)
        min = sorted[0]
        max = sorted[sorted.count - 1]
        mean = sorted.reduce(0, +) / Double(sorted.count)
        let center = median
        mad = Percentile.median(sorted.map { abs($0 - center) })
        outlierCount = OutlierDetection.outlierIndices(sorted).count
    }

    /// A summary of `samples`, or nil when there are none or one is not finite (NaN or infinite).
    public static func of(_ samples: [Double]) -> Summary? {
        guard !samples.isEmpty, samples.allSatisfy(\.isFinite) else { return nil }
        return Summary(samples)
    }

    /// p90 / p10: how far apart the slow and fast runs are, as a ratio (1 means no spread).
    ///
    /// Meant for non-negative quantities such as durations. When p10 is 0 (or negative) the ratio is 1 if p90 equals
    /// p10 and +infinity otherwise.
    public var spread: Double {
        if p10 > 0 { return p90 / p10 }
        return p90 == p10 ? 1 : .infinity
    }

    /// Whether the samples are too spread out to trust the median alone: `spread` above
    /// `noisySpreadThreshold` with at least 3 samples (fewer cannot show a spread worth flagging).
    public var isNoisy: Bool {
        count >= 3 && spread > Summary.noisySpreadThreshold
    }

    private enum CodingKeys: String, CodingKey {
        case count = "count"
        case median = "median"
        case p10 = "p10"
        case p90 = "p90"
        case min = "min"
        case max = "max"
        case mean = "mean"
        case mad = "mad"
        case outlierCount = "outlierCount"
    }
}
