import Testing
import TestSupport
@testable import Model

@Suite("Fitting: Crossover")
struct FittingCrossoverTests {
    static func line(fixed: Double, perByte: Double) -> LinearCostFit {
        LinearCostFit(fixedSeconds: fixed, secondsPerByte: perByte, method: "test", residualSpread: 0, points: 2)
    }

    @Test func findsWhereACheapStartMeetsACheapPerByteCost() throws {
        // Thread pool: 0.1 ms + 2 ns/B; process pool: 1 ms + 1 ns/B. Equal at 0.9 ms / 1 ns/B = 900 KB.
        let thread = Self.line(fixed: 1e-4, perByte: 2e-9)
        let process = Self.line(fixed: 1e-3, perByte: 1e-9)
        let bytes = try #require(Crossover.crossoverBytes(thread, process))
        #expect(abs(bytes - 9e5) <= 1e-9 * 9e5)
        #expect(abs(thread.predict(bytes: bytes) - process.predict(bytes: bytes)) <= 1e-15)
        #expect(Crossover.crossoverBytes(process, thread) == bytes)
    }

    @Test func parallelLinesNeverCross() {
        #expect(Crossover.crossoverBytes(Self.line(fixed: 1, perByte: 1e-9), Self.line(fixed: 2, perByte: 1e-9)) == nil)
        #expect(Crossover.crossoverBytes(Self.line(fixed: 1, perByte: 1e-9), Self.line(fixed: 1, perByte: 1e-9)) == nil)
    }

    @Test func oneLineCheaperAtEverySizeHasNoCrossover() {
        // Lower fixed and lower per-byte cost: the lines meet at -1 byte.
        #expect(Crossover.crossoverBytes(Self.line(fixed: 1, perByte: 1), Self.line(fixed: 2, perByte: 2)) == nil)
    }

    @Test func linesMeetingAtZeroBytesHaveNoCrossover() {
        #expect(Crossover.crossoverBytes(Self.line(fixed: 1, perByte: 1), Self.line(fixed: 1, perByte: 2)) == nil)
    }
}
