/// Finds samples far from the rest with the modified Z-score of Iglewicz & Hoaglin.
///
/// A sample's score is `0.6745 · (x - median) / MAD`, where MAD is the median absolute deviation from the median
/// (B. Iglewicz and D. C. Hoaglin, *How to Detect and Handle Outliers*, ASQC 1993, §3.3). The median and MAD are
/// not moved by the outliers themselves, unlike a mean and standard deviation, so one slow run cannot hide
/// another. A score above 3.5 in magnitude marks an outlier, as the authors recommend.
///
/// When more than half the samples are equal, MAD is 0 and the score is undefined. hyperfine then divides by
/// machine epsilon, which marks every sample that differs from the median, however slightly, as an outlier.
/// We instead fall back to the mean absolute deviation from the median, scaled so that it estimates the same
/// spread as MAD on normal data: `(x - median) / (1.253314 · meanAD)` (IBM SPSS Modeler's documented rule;
/// 1.253314 ≈ √(π/2)). So among nine equal timings and one that differs, the odd one is an outlier (score 7.98),
/// but among `[1, 1, 5]` it is not (score 2.39): three samples are too few to call one of them wrong. When every
/// sample is equal, every score is 0 and nothing is an outlier.
public enum OutlierDetection {
    /// The score above which (in magnitude) a sample is an outlier, as recommended by Iglewicz & Hoaglin.
    public static let defaultThreshold = 3.5

    /// `Φ⁻¹(0.75)`: makes MAD estimate the standard deviation of normal data (`σ ≈ MAD / 0.6745`).
    static let madConsistency = 0.6745

    /// `√(π/2)`: makes the mean absolute deviation estimate the standard deviation of normal data.
    static let meanDeviationConsistency = 1.253314

    /// The signed modified Z-score of each sample, in input order; empty for no samples.
    public static func modifiedZScores(_ samples: [Double]) -> [Double] {
        guard !samples.isEmpty else { return [] }
        let median = Percentile.median(samples)
        let deviations = samples.map { abs($0 - median) }
        let mad = Percentile.median(deviations)
        if mad > 0 {
            return samples.map { madConsistency * ($0 - median) / mad }
        }
        let meanDeviation = deviations.reduce(0, +) / Double(deviations.count)
        guard meanDeviation > 0 else { return samples.map { _ in 0 } }
        return samples.map { ($0 - median) / (meanDeviationConsistency * meanDeviation) }
    }

    /// The indices, ascending, of samples whose modified Z-score exceeds `threshold` in magnitude.
    public static func outlierIndices(_ samples: [Double], threshold: Double = defaultThreshold) -> [Int] {
        modifiedZScores(samples).enumerated().compactMap { index, score in
            abs(score) > threshold ? index : nil
        }
    }
}
