import Testing
import TestSupport
@testable import Units

/// Expected values from scipy 1.17.1: `scipy.stats.mannwhitneyu(a, b, alternative='two-sided')` with its default
/// `method='auto'` (the method scipy chose is the one expected here), and with `method='asymptotic'` where noted.
@Suite("Statistics: MannWhitney")
struct StatisticsMannWhitneyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let a: [Double]
        let b: [Double]
        let u: Double
        let pValue: Double
        let method: MannWhitneyResult.Method
        var testDescription: String { name }
    }

    static let scipyCases: [Case] = [
        Case(name: "exact 5×6", a: [1.1, 2.3, 3.5, 4.2, 5.9], b: [2.0, 6.1, 7.3, 8.4, 9.0, 10.2],
             u: 4, pValue: 0.05194805194805195, method: .exact),
        Case(name: "exact 8×12 (8 is still exact in scipy)",
             a: [0.81, 1.32, 0.95, 1.48, 1.07, 0.99, 1.21, 1.6],
             b: [1.11, 1.45, 1.9, 1.72, 1.33, 2.05, 1.56, 1.81, 1.27, 2.2, 1.66, 1.94],
             u: 12, pValue: 0.00409621338413908, method: .exact),
        Case(name: "exact 3×3 separated", a: [1, 2, 3], b: [4, 5, 6], u: 0, pValue: 0.1, method: .exact),
        Case(name: "exact 8×8 interleaved", a: [1, 2, 3, 4, 5, 6, 7, 8], b: [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5],
             u: 28, pValue: 0.7209013209013208, method: .exact),
        Case(name: "exact 3×40", a: [2.2, 17.7, 30.1], b: (1...40).map { Double($0) + 0.5 },
             u: 47, pValue: 0.5707803257434567, method: .exact),
        Case(name: "asymptotic 10×10",
             a: [10.2, 11.5, 9.8, 10.9, 12.1, 10.4, 11.8, 9.5, 10.7, 11.1],
             b: [11.9, 12.4, 10.8, 13.1, 12.7, 11.6, 13.5, 12.2, 12.9, 11.3],
             u: 11, pValue: 0.0036105143123296027, method: .asymptotic),
        Case(name: "asymptotic 5×5 with ties", a: [1, 2, 2, 3, 4], b: [2, 3, 3, 5, 6],
             u: 6, pValue: 0.19882894401644247, method: .asymptotic),
        Case(name: "asymptotic 12×9 with ties", a: [5, 5, 6, 7, 7, 7, 8, 9, 9, 10, 11, 12],
             b: [7, 8, 8, 9, 10, 10, 11, 12, 12], u: 30, pValue: 0.0918988969089743, method: .asymptotic),
        Case(name: "all values equal", a: [3, 3, 3], b: [3, 3, 3, 3], u: 6, pValue: 1, method: .asymptotic),
    ]

    @Test(arguments: scipyCases)
    func matchesScipy(_ example: Case) throws {
        let result = try #require(MannWhitney.twoSided(example.a, example.b))
        #expect(result.u == example.u)
        #expect(result.method == example.method)
        // Exact p-values are ratios of counts and agree to rounding; the normal approximation is held to 1e-3.
        let tolerance = example.method == .exact ? 1e-9 : 1e-3
        #expect(abs(result.pValue - example.pValue) <= tolerance * example.pValue)
    }

    @Test func asymptoticFormulaMatchesScipyOnSmallSamplesToo() {
        // scipy `method='asymptotic'` on the "exact 5×6" and "exact 8×8 interleaved" cases.
        let fiveBySix = MannWhitney.asymptoticTwoSidedPValue(
            uLarger: 26, 5, 6, tieSizes: Array(repeating: 1, count: 11))
        #expect(abs(fiveBySix - 0.05523425371806383) <= 1e-6 * 0.05523425371806383)
        let eightByEight = MannWhitney.asymptoticTwoSidedPValue(
            uLarger: 36, 8, 8, tieSizes: Array(repeating: 1, count: 16))
        #expect(abs(eightByEight - 0.713191261016072) <= 1e-6 * 0.713191261016072)
    }

    @Test func swappingSamplesMirrorsUAndKeepsP() throws {
        let a: [Double] = [1.1, 2.3, 3.5, 4.2, 5.9]
        let b: [Double] = [2.0, 6.1, 7.3, 8.4, 9.0, 10.2]
        let forward = try #require(MannWhitney.twoSided(a, b))
        let backward = try #require(MannWhitney.twoSided(b, a))
        #expect(forward.u + backward.u == Double(a.count * b.count))
        #expect(forward.pValue == backward.pValue)
    }

    @Test func exactDistributionSumsToOne() {
        // P(U ≤ mn) is 1; doubled and capped.
        #expect(MannWhitney.exactTwoSidedPValue(uSmaller: 35, 5, 7) == 1)
        // P(U ≤ 0) = 1 / C(12, 5).
        #expect(abs(MannWhitney.exactTwoSidedPValue(uSmaller: 0, 5, 7) - 2.0 / 792) < 1e-15)
    }

    @Test func rejectsEmptyOrNonFiniteSamples() {
        #expect(MannWhitney.twoSided([], [1, 2]) == nil)
        #expect(MannWhitney.twoSided([1, 2], []) == nil)
        #expect(MannWhitney.twoSided([1, .nan], [1, 2]) == nil)
    }
}
