/// Percentiles and medians of samples, by linear interpolation between closest ranks.
///
/// The `p`-th fraction of `n` sorted values sits at position `h = (n - 1) · p`; the result is
/// `x[⌊h⌋] + (h - ⌊h⌋) · (x[⌊h⌋ + 1] - x[⌊h⌋])`. This is definition 7 of Hyndman & Fan (1996), the default of
/// numpy (`method='linear'`), R (`type = 7`) and Excel's `PERCENTILE.INC`, so a reader can check any number we
/// report with the tool they already have.
public enum Percentile {
    /// The value at `fraction` (0 … 1) of values that are already sorted ascending.
    ///
    /// - Precondition: `sorted` is non-empty and `fraction` is in 0 … 1.
    public static func value(at fraction: Double, inSorted sorted: [Double]) -> Double {
        precondition(!sorted.isEmpty, "a percentile of no values is undefined")
        precondition((0...1).contains(fraction), "fraction \(fraction) is outside 0 … 1")
        let position = Double(sorted.count - 1) * fraction
        let lower = Int(clampingFinite: position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        if weight == 0 || sorted[lower] == sorted[upper] { return sorted[lower] }
        return sorted[lower] + weight * (sorted[upper] - sorted[lower])
    }

    /// The median (the 0.5 fraction): the middle value, or the mean of the two middle values.
    ///
    /// - Precondition: `values` is non-empty.
    public static func median(_ values: [Double]) -> Double {
        value(at: 0.5, inSorted: values.sorted())
    }
}
