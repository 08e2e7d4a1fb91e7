import Foundation
import Testing
import TestSupport
@testable import Payload
@testable import Model

@Suite("Fitting: CostFitting")
struct FittingCostFittingTests {
    /// 16 sizes from 1 KB to 200 MB, evenly spaced on a log scale, as a sweep measures them.
    static let logSpacedSizes: [Double] = (0..<16).map { 1e3 * pow(2e5, Double($0) / 15) }

    /// A stage whose fixed and per-byte costs are equal at 100 KB (50 µs + 2 GB/s), so both matter in the data.
    static let fixed = 50e-6
    static let perByte = 1 / 2e9

    /// Times of the line `fixed + perByte · size` at each size, `repeats` times, each off by a uniform ±5 %.
    static func noisyTimes(seed: UInt64, repeats: Int = 1, fixed: Double = fixed, perByte: Double = perByte)
        -> (sizes: [Double], seconds: [Double]) {
        var random = SplitMix64(seed: seed)
        var sizes: [Double] = []
        var seconds: [Double] = []
        for size in logSpacedSizes {
            for _ in 0..<repeats {
                sizes.append(size)
                seconds.append((fixed + perByte * size) * (1 + 0.05 * (2 * random.nextUnit() - 1)))
            }
        }
        return (sizes, seconds)
    }

    @Test func recoversAnExactLineWithEveryMethod() throws {
        let sizes = Self.logSpacedSizes
        let seconds = sizes.map { Self.fixed + Self.perByte * $0 }
        let fits = [
            CostFitting.fit(sizes: sizes, seconds: seconds),
            CostFitting.theilSen(x: sizes, y: seconds),
            CostFitting.leastSquares(x: sizes, y: seconds, weights: seconds.map { 1 / ($0 * $0) }),
        ]
        for fit in fits {
            let fit = try #require(fit)
            #expect(isClose(fit.fixedSeconds, Self.fixed, relative: 1e-6), "\(fit.method)")
            #expect(isClose(fit.secondsPerByte, Self.perByte, relative: 1e-6), "\(fit.method)")
            #expect(fit.residualSpread < 1e-6)
            #expect(fit.points == 16)
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func recoversBothCostsFromFivePercentNoise(seed: UInt64) throws {
        let data = Self.noisyTimes(seed: seed)
        let fit = try #require(CostFitting.fit(sizes: data.sizes, seconds: data.seconds))
        #expect(fit.method == "robust-relative")
        #expect(isClose(fit.fixedSeconds, Self.fixed, relative: 0.04))
        #expect(isClose(fit.secondsPerByte, Self.perByte, relative: 0.03))
        #expect(fit.residualSpread < 0.05)
    }

    @Test func recoversBothCostsFromRepeatedSamplesPerSize() throws {
        let data = Self.noisyTimes(seed: 42, repeats: 10)
        let fit = try #require(CostFitting.fit(sizes: data.sizes, seconds: data.seconds))
        #expect(fit.points == 160)
        #expect(isClose(fit.fixedSeconds, Self.fixed, relative: 0.02))
        #expect(isClose(fit.secondsPerByte, Self.perByte, relative: 0.01))
    }

    @Test func recoversAFixedCostThatIsSmallAgainstTheLargestSizes() throws {
        // 2 µs fixed, 1 GB/s: at 200 MB the fixed cost is 1e-5 of the time.
        let data = Self.noisyTimes(seed: 7, fixed: 2e-6, perByte: 1e-9)
        let fit = try #require(CostFitting.fit(sizes: data.sizes, seconds: data.seconds))
        #expect(isClose(fit.fixedSeconds, 2e-6, relative: 0.05))
        #expect(isClose(fit.secondsPerByte, 1e-9, relative: 0.03))
    }

    @Test func ordinaryLeastSquaresMissesTheFixedCostOnLogSpacedSizes() throws {
        // Why `fit` weighs relative errors: absolute errors at 200 MB swamp a 50 µs intercept.
        let data = Self.noisyTimes(seed: 3)
        let ordinary = try #require(CostFitting.leastSquares(x: data.sizes, y: data.seconds))
        let robust = try #require(CostFitting.fit(sizes: data.sizes, seconds: data.seconds))
        #expect(ordinary.method == "least-squares")
        #expect(!isClose(ordinary.fixedSeconds, Self.fixed, relative: 0.5))
        #expect(isClose(robust.fixedSeconds, Self.fixed, relative: 0.04))
    }

    @Test(arguments: [0, 4, 8, 12, 15], [10.0, 0.1])
    func ignoresOneWildPoint(index: Int, factor: Double) throws {
        var data = Self.noisyTimes(seed: 11)
        data.seconds[index] *= factor
        let fit = try #require(CostFitting.fit(sizes: data.sizes, seconds: data.seconds))
        #expect(isClose(fit.fixedSeconds, Self.fixed, relative: 0.04))
        #expect(isClose(fit.secondsPerByte, Self.perByte, relative: 0.03))
    }

    @Test func predictsFixedPlusPerByte() {
        let fit = LinearCostFit(fixedSeconds: 1e-3, secondsPerByte: 1e-9, method: "test", residualSpread: 0, points: 2)
        #expect(fit.predict(bytes: 0) == 1e-3)
        #expect(isClose(fit.predict(bytes: 1e6), 2e-3, relative: 1e-12))
    }

    @Test func rejectsInputThatCannotDetermineALine() {
        let fitters: [([Double], [Double]) -> LinearCostFit?] = [
            { CostFitting.fit(sizes: $0, seconds: $1) },
            { CostFitting.theilSen(x: $0, y: $1) },
            { CostFitting.leastSquares(x: $0, y: $1) },
        ]
        for fitter in fitters {
            #expect(fitter([], []) == nil)
            #expect(fitter([1e6, 1e6, 1e6], [1, 1.1, 0.9]) == nil, "one size cannot separate fixed from per-byte")
            #expect(fitter([1e3, 1e6], [1]) == nil)
            #expect(fitter([1e3, 1e6], [1, .nan]) == nil)
            #expect(fitter([1e3, .infinity], [1, 2]) == nil)
            #expect(fitter([-1e3, 1e6], [1, 2]) == nil)
            #expect(fitter([1e3, 1e6], [1, -2]) == nil)
        }
        #expect(CostFitting.leastSquares(x: [1, 2], y: [1, 2], weights: [1]) == nil)
        #expect(CostFitting.leastSquares(x: [1, 2], y: [1, 2], weights: [1, -1]) == nil)
        #expect(CostFitting.leastSquares(x: [1, 2], y: [1, 2], weights: [1, 0]) == nil)
    }

    @Test func twoSizesDetermineTheLineThroughThem() throws {
        let fit = try #require(CostFitting.fit(sizes: [1e3, 1e6], seconds: [2e-3, 5e-3]))
        #expect(isClose(fit.secondsPerByte, 3e-3 / 999e3, relative: 1e-9))
        #expect(isClose(fit.predict(bytes: 1e3), 2e-3, relative: 1e-9))
    }

    @Test func clampsANegativeFixedCostToZero() throws {
        // The line -1 µs + 1 ns/byte: the best line with a non-negative fixed cost goes through the origin.
        let sizes = Self.logSpacedSizes.filter { $0 >= 1e4 }
        let seconds = sizes.map { -1e-6 + 1e-9 * $0 }
        for fit in [
            CostFitting.fit(sizes: sizes, seconds: seconds),
            CostFitting.theilSen(x: sizes, y: seconds),
            CostFitting.leastSquares(x: sizes, y: seconds),
        ] {
            let fit = try #require(fit)
            #expect(fit.fixedSeconds == 0, "\(fit.method)")
            #expect(isClose(fit.secondsPerByte, 1e-9, relative: 0.1), "\(fit.method)")
        }
    }

    @Test func clampsANegativePerByteCostToZero() throws {
        // Times that shrink with size (noise on a constant stage): the best line is flat.
        let sizes = Self.logSpacedSizes
        let seconds = sizes.indices.map { 1e-3 * (1.02 - 0.002 * Double($0)) }
        for fit in [
            CostFitting.fit(sizes: sizes, seconds: seconds),
            CostFitting.theilSen(x: sizes, y: seconds),
            CostFitting.leastSquares(x: sizes, y: seconds),
        ] {
            let fit = try #require(fit)
            #expect(fit.secondsPerByte == 0, "\(fit.method)")
            #expect(isClose(fit.fixedSeconds, 1e-3, relative: 0.03), "\(fit.method)")
        }
    }

    @Test func timesOfZeroGiveTheZeroLine() throws {
        let fit = try #require(CostFitting.fit(sizes: [1e3, 1e6], seconds: [0, 0]))
        #expect(fit.fixedSeconds == 0 && fit.secondsPerByte == 0)
        #expect(fit.residualSpread == 0)
    }

    @Test func theilSenResistsAnOutlierOnEvenlySpacedSizes() throws {
        var random = SplitMix64(seed: 5)
        let sizes = (1...20).map { Double($0) * 1e6 }
        var seconds = sizes.map { 1e-3 + 1e-9 * $0 + 1e-5 * (2 * random.nextUnit() - 1) }
        seconds[3] = 1
        let fit = try #require(CostFitting.theilSen(x: sizes, y: seconds))
        #expect(fit.method == "theil-sen")
        #expect(isClose(fit.fixedSeconds, 1e-3, relative: 0.05))
        #expect(isClose(fit.secondsPerByte, 1e-9, relative: 0.02))
    }

    @Test func encodesStableKeys() throws {
        let fit = LinearCostFit(fixedSeconds: 0.5, secondsPerByte: 0.25, method: "theil-sen", residualSpread: 0.125,
                                points: 3)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(fit), as: UTF8.self)
        #expect(json == """
            {"fixedSeconds":0.5,"method":"theil-sen","points":3,"residualSpread":0.125,"secondsPerByte":0.25}
            """)
        #expect(try JSONDecoder().decode(LinearCostFit.self, from: Data(json.utf8)) == fit)
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator, so synthetic noise is the same on every run.
private struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        SeededGenerator.splitMix64(&state)
    }

    /// A uniform value in [0, 1).
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}

private func isClose(_ a: Double, _ b: Double, relative: Double) -> Bool {
    abs(a - b) <= relative * max(abs(a), abs(b))
}
