import Foundation
import Testing
import TestSupport
@testable import Charts

@Suite("Axis")
struct AxisTests {
    let bytes = Axis(title: "payload size", scale: .log10, label: TickLabel.bytes)

    @Test func linearTicksAreEvenOneTwoFiveSteps() {
        let axis = Axis(title: "n").resolved(for: [0, 97])
        #expect(axis.ticks.map(\.value) == [0, 20, 40, 60, 80, 100])
        #expect(axis.lower == 0 && axis.upper == 100)
    }

    @Test func linearRangeReachesZeroWhenAsked() {
        let axis = Axis(title: "n", includesZero: true).resolved(for: [40, 97])
        #expect(axis.lower == 0)
        #expect(axis.ticks.first?.value == 0)
    }

    @Test func logTicksArePowersOfTenLabelledByTheCaller() {
        let axis = bytes.resolved(for: [1e3, 2e8])
        #expect(axis.ticks.map(\.label) == ["1 KB", "10 KB", "100 KB", "1 MB", "10 MB", "100 MB"])
        #expect(axis.lower < 1e3 && axis.upper > 2e8)
    }

    @Test func shortLogRangesAlsoGetTwoAndFiveMultiples() {
        let axis = bytes.resolved(for: [1e6, 3e7])
        #expect(axis.ticks.map(\.label) == ["1 MB", "2 MB", "5 MB", "10 MB", "20 MB"])
    }

    @Test func logRangeWithFewPowersAlsoGetsTwoAndFiveMultiples() {
        let axis = Axis(title: "rate", scale: .log10, label: TickLabel.bytesPerSecond).resolved(for: [1.5e7, 2.9e9])
        #expect(axis.ticks.map(\.label).contains("200 MB/s"))
        #expect(axis.ticks.map(\.label).contains("1 GB/s"))
    }

    @Test func manyDecadesAreThinned() {
        let axis = Axis(title: "x", scale: .log10).resolved(for: [1e-9, 1e9])
        #expect(axis.ticks.count <= Axis.maxLogTicks)
        #expect(axis.ticks.count >= 4)
        #expect(axis.minorTicks.isEmpty)
    }

    @Test func narrowLogRangeStillHasTwoTicks() {
        let axis = Axis(title: "x", scale: .log10).resolved(for: [3, 3.4])
        #expect(axis.ticks.count >= 2)
    }

    @Test(arguments: [
        [1e3, 2e8], [1e6, 3e7], [0.5, 0.6], [1e-9, 1e9], [42, 42], [3, 3.4], [1e-6, 1e-3],
    ])
    func logTickPositionsIncrease(values: [Double]) {
        let axis = Axis(title: "x", scale: .log10).resolved(for: values)
        let positions = axis.ticks.compactMap { axis.fraction(of: $0.value) }
        #expect(positions.count == axis.ticks.count)
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0 < $1 })
        let minor = axis.minorTicks.compactMap { axis.fraction(of: $0) }
        #expect(zip(minor, minor.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test(arguments: [[0.0, 97], [-3, 7], [0.001, 0.004], [42, 42], [-5, -5], [0, 0], [1e6, 1.0001e6]])
    func linearTickPositionsIncreaseWithinTheRange(values: [Double]) {
        let axis = Axis(title: "x").resolved(for: values)
        let positions = axis.ticks.compactMap { axis.fraction(of: $0.value) }
        #expect(positions.count == axis.ticks.count)
        #expect(positions.count >= 2)
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0 < $1 })
        #expect(values.allSatisfy { axis.fraction(of: $0) != nil })
    }

    @Test func logAxisSkipsValuesWithoutAPosition() {
        let axis = bytes.resolved(for: [0, -1, .nan, .infinity, 10, 1000])
        #expect(axis.lower > 0 && axis.lower <= 10 && axis.upper >= 1000)
        #expect(axis.fraction(of: 0) == nil)
        #expect(axis.fraction(of: -5) == nil)
        #expect(axis.fraction(of: .nan) == nil)
    }

    @Test func equalValuesArePadded() {
        let linear = Axis(title: "x").resolved(for: [5, 5, 5])
        #expect(linear.lower < 5 && linear.upper > 5)
        let log = bytes.resolved(for: [1e6, 1e6])
        #expect(log.lower < 1e6 && log.upper > 1e6)
        #expect(log.ticks.count >= 2)
    }

    @Test func noValuesGiveADefaultRange() {
        #expect(Axis(title: "x").resolved(for: []).ticks.count >= 2)
        #expect(bytes.resolved(for: []).ticks.count >= 2)
        #expect(bytes.resolved(for: [.nan, 0]).ticks.count >= 2)
    }

    @Test func fixedDomainIsKeptAndValuesOutsideItHaveNoPosition() {
        let axis = Axis(title: "share", domain: 0...1, label: TickLabel.percent).resolved(for: [0.2, 3])
        #expect(axis.lower == 0 && axis.upper == 1)
        #expect(axis.ticks.map(\.label) == ["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"])
        #expect(axis.fraction(of: 3) == nil)
    }

    /// Extreme values and domains still give a usable axis: a finite range, at least two finite ticks in ascending
    /// order inside it, each labelled, placed at ascending fractions within 0…1.
    @Test(arguments: [
        (Axis(title: "x"), [1e308, -1e308, .greatestFiniteMagnitude]),
        (Axis(title: "x", scale: .log10), [.leastNonzeroMagnitude, 1e308]),
        (Axis(title: "x", domain: -1e300...1e300), []),
        (Axis(title: "x", scale: .log10, domain: 1e-300...1e300), []),
    ])
    func extremeValuesGiveAnOrderedLabelledAxis(axis: Axis, values: [Double]) {
        let resolved = axis.resolved(for: values)
        #expect(resolved.lower.isFinite && resolved.upper.isFinite)
        #expect(resolved.lower < resolved.upper)
        let ticks = resolved.ticks.map(\.value)
        #expect(ticks.count >= 2)
        #expect(ticks.allSatisfy { $0.isFinite })
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0 < $1 }, "ticks not ascending: \(ticks)")
        #expect(ticks.allSatisfy { $0 >= resolved.lower && $0 <= resolved.upper }, "ticks \(ticks) outside \(resolved.lower)…\(resolved.upper)")
        #expect(resolved.ticks.allSatisfy { !$0.label.isEmpty })
        let positions = ticks.compactMap { resolved.fraction(of: $0) }
        #expect(positions.count == ticks.count)
        #expect(positions.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0 < $1 })
    }
}

@Suite("TickLabel")
struct TickLabelTests {
    @Test(arguments: [
        (1e3, "1 KB"), (1e6, "1 MB"), (2.5e6, "2.5 MB"), (2e8, "200 MB"), (512, "512 B"), (1.5e9, "1.5 GB"),
    ])
    func labelsBytesWithoutTrailingZeros(value: Double, text: String) {
        #expect(TickLabel.bytes(value) == text)
    }

    @Test func labelsOtherQuantities() {
        #expect(TickLabel.seconds(1e-5) == "10 µs")
        #expect(TickLabel.seconds(0.0025) == "2.5 ms")
        #expect(TickLabel.seconds(5e-7) == "500 ns")
        #expect(TickLabel.seconds(0) == "0 s")
        #expect(TickLabel.bytesPerSecond(1e9) == "1 GB/s")
        #expect(TickLabel.percent(0.25) == "25 %")
        #expect(TickLabel.number(0.0025) == "0.0025")
        #expect(TickLabel.number(1500) == "1500")
        #expect(TickLabel.number(-0.5) == "-0.5")
        #expect(TickLabel.number(.nan) == "–")
        #expect(TickLabel.number(1e300) == "1e+300")
    }
}
