/// The outcome of a two-sided Mann–Whitney U test (see `MannWhitney`).
public struct MannWhitneyResult: Codable, Sendable, Equatable {
    /// How the p-value was computed.
    public enum Method: String, Codable, Sendable {
        /// From the exact null distribution of U (small samples without ties).
        case exact
        /// From the normal approximation with tie and continuity corrections.
        case asymptotic
    }

    /// U of the first sample: the number of pairs (a, b) with a > b, plus half the pairs with a == b.
    /// It ranges from 0 to `a.count · b.count`; half of that means no tendency either way. This is the
    /// statistic scipy's `mannwhitneyu` reports.
    public let u: Double
    /// The probability, if both samples came from one distribution, of a U at least this far from the middle.
    public let pValue: Double
    public let method: Method

    public init(u: Double, pValue: Double, method: Method) {
        self.u = u
        self.pValue = pValue
        self.method = method
    }
}
