import Foundation

/// The two-sided Mann–Whitney U test (Wilcoxon rank-sum test): do two sets of timings come from one distribution?
///
/// It compares ranks, not values, so it needs no normality and one wild run moves it little; google/benchmark's
/// `compare.py` uses it (through scipy) to say whether two benchmarks differ. We follow
/// `scipy.stats.mannwhitneyu(a, b, alternative='two-sided')` with its default `method='auto'`, so our p-values can
/// be checked against scipy:
/// - **exact** when the smaller sample has at most `exactSampleLimit` (8) values and there are no ties: the null
///   distribution of U is counted exactly (the generating function of U is the Gaussian binomial coefficient
///   `[m+n choose m]_q`, Mann & Whitney 1947), and p = 2 · P(U ≤ min(U₁, U₂)), capped at 1;
/// - **asymptotic** otherwise: U is compared with a normal distribution of mean `mn/2` and variance
///   `mn/12 · ((N + 1) - Σ(t³ - t) / (N(N - 1)))`, where t runs over the sizes of groups of tied values
///   (the tie correction), and 0.5 is taken off `|U - mn/2|` (the continuity correction).
public enum MannWhitney {
    /// The largest smaller-sample size for which the exact distribution is used (scipy's rule).
    public static let exactSampleLimit = 8

    /// Tests whether `a` and `b` differ in location, both directions counted.
    ///
    /// - Returns: nil when either sample is empty or holds a value that is not finite.
    public static func twoSided(_ a: [Double], _ b: [Double]) -> MannWhitneyResult? {
        guard !a.isEmpty, !b.isEmpty, a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { return nil }
        let (rankSumA, tieSizes) = rankSumOfFirst(a, b)
        let m = Double(a.count)
        let n = Double(b.count)
        let uA = rankSumA - m * (m + 1) / 2
        let uLarger = Swift.max(uA, m * n - uA)
        let hasTies = tieSizes.contains { $0 > 1 }
        if Swift.min(a.count, b.count) <= exactSampleLimit && !hasTies {
            let pValue = exactTwoSidedPValue(uSmaller: Int(clampingFinite: (m * n - uLarger).rounded()), a.count, b.count)
            return MannWhitneyResult(u: uA, pValue: pValue, method: .exact)
        }
        let pValue = asymptoticTwoSidedPValue(uLarger: uLarger, a.count, b.count, tieSizes: tieSizes)
        return MannWhitneyResult(u: uA, pValue: pValue, method: .asymptotic)
    }

    /// The sum of `a`'s ranks in `a + b` (ties get the mean of the ranks they span), and the size of every group of
    /// equal values (1 for a value without ties).
    static func rankSumOfFirst(_ a: [Double], _ b: [Double]) -> (rankSum: Double, tieSizes: [Int]) {
        let pooled = (a.map { ($0, true) } + b.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSum = 0.0
        var tieSizes: [Int] = []
        var start = 0
        while start < pooled.count {
            var end = start + 1
            while end < pooled.count && pooled[end].0 == pooled[start].0 { end += 1 }
            // Ranks are 1-based: positions start..<end share the rank (start + 1 + end) / 2.
            let sharedRank = Double(start + 1 + end) / 2
            rankSum += sharedRank * Double(pooled[start..<end].count { $0.1 })
            tieSizes.append(end - start)
            start = end
        }
        return (rankSum, tieSizes)
    }

    /// 2 · P(U ≤ `uSmaller`) under the null hypothesis for samples of `m` and `n` values without ties, capped at 1.
    ///
    /// The count of arrangements with U = u is the coefficient of qᵘ in `∏_{k=1…m} (1 - q^{n+k}) / (1 - q^k)`;
    /// only coefficients up to `uSmaller` are needed, and the distribution is symmetric, so that is at most half
    /// of them. Cost O(m · uSmaller).
    static func exactTwoSidedPValue(uSmaller: Int, _ m: Int, _ n: Int) -> Double {
        let (small, large) = (Swift.min(m, n), Swift.max(m, n))
        var counts = [Double](repeating: 0, count: uSmaller + 1)
        counts[0] = 1
        for k in stride(from: 1, through: small, by: 1) {
            let factor = large + k
            if factor <= uSmaller {
                for u in stride(from: uSmaller, through: factor, by: -1) { counts[u] -= counts[u - factor] }
            }
            if k <= uSmaller {
                for u in k...uSmaller { counts[u] += counts[u - k] }
            }
        }
        let arrangements = binomial(m + n, small)
        let lowerTail = counts.reduce(0, +) / arrangements
        return Swift.min(1, 2 * lowerTail)
    }

    /// The two-sided p-value from the normal approximation with tie and continuity corrections.
    static func asymptoticTwoSidedPValue(uLarger: Double, _ m: Int, _ n: Int, tieSizes: [Int]) -> Double {
        let (mm, nn) = (Double(m), Double(n))
        let total = mm + nn
        let tieTerm = tieSizes.reduce(0.0) { sum, t in sum + (Double(t) * Double(t) * Double(t) - Double(t)) }
        let variance = mm * nn / 12 * ((total + 1) - tieTerm / (total * (total - 1)))
        // Every value equal: U sits exactly in the middle and there is no evidence of a difference.
        guard variance > 0 else { return 1 }
        let z = (uLarger - mm * nn / 2 - 0.5) / variance.squareRoot()
        // Two-sided: 2 · P(Z ≥ z) = erfc(z / √2).
        return Swift.min(1, erfc(z / 2.0.squareRoot()))
    }

    /// C(n, k) as a Double, multiplied out so that every partial product is itself a binomial coefficient.
    static func binomial(_ n: Int, _ k: Int) -> Double {
        var result = 1.0
        for i in stride(from: 1, through: Swift.min(k, n - k), by: 1) {
            result = result * Double(n - Swift.min(k, n - k) + i) / Double(i)
        }
        return result
    }
}
