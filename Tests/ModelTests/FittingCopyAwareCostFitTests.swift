import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Model

@Suite("Fitting: copy-aware costs")
struct FittingCopyAwareCostFitTests {
    /// A machine like the one these tests were written on: copies cached up to 4 MiB, slower past the last-level
    /// cache, and five times slower again once an allocation is a fresh mapping (above 32 MiB).
    static let curve = CopyCostCurve(threads: 2, points: [
        .init(bytes: 64 << 10, secondsPerByte: 0.02e-9), .init(bytes: 4 << 20, secondsPerByte: 0.02e-9),
        .init(bytes: 8 << 20, secondsPerByte: 0.04e-9), .init(bytes: 16 << 20, secondsPerByte: 0.09e-9),
        .init(bytes: 32 << 20, secondsPerByte: 0.5e-9), .init(bytes: 256 << 20, secondsPerByte: 0.5e-9),
    ])
    /// The sizes a default sweep measures.
    static let sweepSizes: [Double] = [1e3, 4e3, 16e3, 64e3, 250e3, 1e6, 4e6, 16e6, 64e6, 200e6]

    /// 30 µs + 0.2 ns/B + 1.5 copies.
    static func stage(_ bytes: Double) -> Double { 30e-6 + 0.2e-9 * bytes + 1.5 * bytes * curve.secondsPerByte(at: bytes) }

    @Test func curveInterpolatesInLogSizeAndHoldsItsEnds() {
        let curve = Self.curve
        #expect(curve.secondsPerByte(at: 1_000) == 0.02e-9)
        #expect(curve.secondsPerByte(at: 1e12) == 0.5e-9)
        #expect(abs(curve.secondsPerByte(at: Double(16 << 20)) - 0.09e-9) < 1e-21)
        // Halfway between 16 and 32 MiB on a log scale is 16·√2 MiB.
        let middle = curve.secondsPerByte(at: Double(16 << 20) * 2.0.squareRoot())
        #expect(abs(middle - (0.09e-9 + 0.5e-9) / 2) < 1e-15)
        let upToOneMiB: [Int] = (16...20).map { 1 << $0 }
        let upToFourMiB: [Int] = (16...22).map { 1 << $0 }
        #expect(CopyCostCurve.sizes(upTo: 1 << 20) == upToOneMiB)
        #expect(CopyCostCurve.sizes(upTo: 3 << 20) == upToFourMiB)
        #expect(CopyCostCurve(threads: 1, points: []).secondsPerByte(at: 1e6) == 0)
    }

    @Test func recoversKnownFixedPerByteAndCopyCosts() throws {
        let sizes = Self.sweepSizes
        let fit = try #require(CopyAwareCostFit.fit(sizes: sizes, seconds: sizes.map(Self.stage), curve: Self.curve))
        #expect(abs(fit.fixedSeconds - 30e-6) / 30e-6 < 1e-6)
        #expect(abs(fit.secondsPerByte - 0.2e-9) / 0.2e-9 < 1e-6)
        #expect(abs(fit.copies - 1.5) / 1.5 < 1e-6)
    }

    @Test func noCostComesOutNegative() throws {
        // Cheaper per byte at 200 MB than a straight line through the small sizes allows: an unconstrained fit
        // would want a negative copy count.
        let sizes = Self.sweepSizes
        let seconds = sizes.map { 10e-6 + 0.5e-9 * $0 * ($0 > 30e6 ? 0.7 : 1) }
        let fit = try #require(CopyAwareCostFit.fit(sizes: sizes, seconds: seconds, curve: Self.curve))
        #expect(fit.fixedSeconds >= 0 && fit.secondsPerByte >= 0 && fit.copies >= 0)
        #expect(fit.copies == 0)
        #expect(CopyAwareCostFit.fit(sizes: [1e6, 1e6], seconds: [1e-3, 1e-3], curve: Self.curve) == nil)
        #expect(CopyAwareCostFit.fit(sizes: [1e6], seconds: [1e-3, 2e-3], curve: Self.curve) == nil)
    }

    @Test func nonNegativeLeastSquaresMatchesTheUnconstrainedSolutionWhenItIsFeasible() throws {
        let matrix: [[Double]] = [[1, 0], [0, 1], [1, 1]]
        let solution = try #require(NonNegativeLeastSquares.solve(matrix, [1, 2, 3]))
        #expect(abs(solution[0] - 1) < 1e-12 && abs(solution[1] - 2) < 1e-12)
        // y = -x + 2 on x = 0, 1, 2: the best line with a slope ≥ 0 is flat at the mean.
        let clamped = try #require(NonNegativeLeastSquares.solve([[1, 0], [1, 1], [1, 2]], [2, 1, 0]))
        #expect(abs(clamped[0] - 1) < 1e-12 && clamped[1] == 0)
    }

    /// The case a straight line or a chord between measured sizes cannot get right: the sweep skipped 16 MB, and
    /// between 4 MB and 64 MB the copy cost steps up twice. The copy-aware curve puts the steps where the machine
    /// has them.
    @Test func stageCurvePredictsAHeldOutSizeAcrossTheCopyCostSteps() throws {
        let trained = Self.sweepSizes.filter { $0 != 16e6 }
        let seconds = trained.map(Self.stage)
        let aware = try #require(StageCurve.fit(sizes: trained, seconds: seconds, copyCurve: Self.curve))
        let chord = try #require(StageCurve.fit(sizes: trained, seconds: seconds))
        #expect(aware.copyAware != nil && chord.copyAware == nil)
        let truth = Self.stage(16e6)
        #expect(abs(aware.predict(bytes: 16e6) - truth) / truth < 0.01)
        #expect(abs(chord.predict(bytes: 16e6) - truth) / truth > 0.5)
        // At a measured size the curve returns the measured median, also when the data are not on the fit.
        let bumped = seconds.enumerated().map { $0.offset == 3 ? $0.element * 1.3 : $0.element }
        let corrected = try #require(StageCurve.fit(sizes: trained, seconds: bumped, copyCurve: Self.curve))
        for (size, value) in zip(trained, bumped) {
            #expect(abs(corrected.predict(bytes: size) - value) / value < 1e-9, "\(size)")
        }
    }

    /// `curve` with the size just below glibc's largest mmap threshold measured too: the step is then sharp.
    static let steppedCurve = CopyCostCurve(threads: 2, points: curve.points + [
        .init(bytes: CopyCostCurve.belowFreshMappingBytes, secondsPerByte: 0.1e-9),
    ])

    @Test func curveMeasuresBothSidesOfTheFreshMappingStepAndFindsIt() {
        let sizes = CopyCostCurve.sizes(upTo: 200_000_000)
        #expect(sizes.first == 64 << 10 && sizes.last == 256 << 20)
        let step = sizes.firstIndex(of: CopyCostCurve.freshMappingBytes)
        #expect(step != nil && sizes[step! - 1] == CopyCostCurve.belowFreshMappingBytes)
        #expect(!CopyCostCurve.sizes(upTo: 16 << 20).contains(CopyCostCurve.belowFreshMappingBytes))
        #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Self.steppedCurve.freshMappingStepBytes == Double(CopyCostCurve.freshMappingBytes))
        // A 30.5 MiB payload is priced as recycled memory, not halfway up the step.
        #expect(Self.steppedCurve.secondsPerByte(at: 32e6) <= 0.1e-9)
        // Without the size below it, or without a step there, the curve claims no step.
        #expect(Self.curve.freshMappingStepBytes == nil)
        var flat = Self.steppedCurve
        flat.points = flat.points.map { .init(bytes: $0.bytes, secondsPerByte: 0.1e-9) }
        #expect(flat.freshMappingStepBytes == nil)
    }

    /// Measured above the step the stage runs at twice the fit; below it, on the fit. A held-out 64 MB takes its
    /// correction from 200 MB alone, not halfway from 16 MB's.
    @Test func stageCurveCorrectsEachSideOfTheStepFromItsOwnSizes() throws {
        let trained = Self.sweepSizes.filter { $0 != 64e6 }
        let stage = { (bytes: Double) in 30e-6 + 0.2e-9 * bytes + 1.5 * bytes * Self.steppedCurve.secondsPerByte(at: bytes) }
        // Off the fit only above the step, by a factor the fit cannot absorb at one size.
        let seconds = trained.map { stage($0) * ($0 > 32e6 ? 2 : 1) }
        let curve = try #require(StageCurve.fit(sizes: trained, seconds: seconds, copyCurve: Self.steppedCurve))
        let fit = try #require(curve.copyAware)
        let expected = fit.predict(bytes: 64e6) * (seconds.last! / fit.predict(bytes: 200e6))
        #expect(abs(curve.predict(bytes: 64e6) - expected) / expected < 1e-9)
        // Below the step the sizes below it decide: 16 MB is still its measured median.
        #expect(abs(curve.predict(bytes: 16e6) - seconds[7]) / seconds[7] < 1e-9)
        // Without a step on the curve the correction at 64 MB is interpolated from 16 MB and 200 MB.
        let unstepped = try #require(StageCurve.fit(sizes: trained, seconds: seconds, copyCurve: Self.curve))
        let across = try #require(unstepped.copyAware)
        #expect(unstepped.predict(bytes: 64e6) < across.predict(bytes: 64e6) * (seconds.last! / across.predict(bytes: 200e6)))
    }

    @Test func costModelUsesTheCalibrationsCopyCurve() throws {
        var result = try SyntheticSweep.result()
        #expect(CostModel.fit(result).options.allSatisfy { $0.stageSeconds.values.allSatisfy { $0.copyAware == nil } })
        var calibration = SampleCalibration.example
        calibration.copyCurve = Self.curve
        result.calibration = calibration
        let model = CostModel.fit(result)
        #expect(!model.options.isEmpty)
        #expect(model.options.allSatisfy { option in option.stageSeconds.values.allSatisfy { $0.copyAware != nil } })
    }
}
