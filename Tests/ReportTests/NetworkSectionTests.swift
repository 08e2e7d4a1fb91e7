import Foundation
import Testing
import TestSupport
import Units
@testable import Results
@testable import Report

@Suite("Report: Dask against TCP")
struct NetworkSectionTests {
    /// The table's cells for a synthetic Dask point of `size`: its transfer is 2 ms + 1 ns/B.
    static func row(size: Int, share: String, commShare: String = "–", freshBytesPerSecond: Double) -> [String] {
        let seconds = 2e-3 + 1e-9 * Double(size)
        let copies = Formatting.significant(seconds * freshBytesPerSecond / Double(size), digits: 2) + "×"
        return ["records", Formatting.sizeLabel(size), "dask", Formatting.seconds(seconds),
                Formatting.rate(Double(size) / seconds), share, commShare, copies]
    }

    /// Every table row of `markdown` as trimmed cells.
    static func rows(_ markdown: String) -> [[String]] {
        markdown.split(separator: "\n").filter { $0.hasPrefix("|") }.map {
            $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    @Test func daskTransferIsAShareOfLoopbackTCPAndLoopbackIsCalledTheUpperBound() throws {
        let result = try SyntheticDaskSweep.result()
        let section = NetworkSection.render(result)
        #expect(section.hasPrefix("## Dask against this machine's TCP\n\nCalibrated in this run: one connection on 127.0.0.1 to another process carried 2.00 GB/s; a 64-byte round trip took 40.0 µs (p50); opening a connection 30.0 µs.\n"))
        // 65.5 MB: transfer 2 ms + 65.5 ms, 970 MB/s, 49 % of 2 GB/s.
        let fresh = try #require(result.calibration?.memcpyFreshBytesPerSecond)
        #expect(Self.rows(section).contains(Self.row(size: 65_536_000, share: "49 %", freshBytesPerSecond: fresh)), "\(section)")
        #expect(section.contains("*in fresh copies* is the transfer's time as copies of the same bytes into freshly mapped memory at this run's rate (\(Formatting.rate(fresh)))"))
        #expect(!Self.rows(section).contains { $0.count > 1 && $0[1] == "1KB" }, "only sizes of 1 MB and more")
        #expect(section.contains(Calibration.loopbackBoundSentence))
        #expect(section.contains("Per-task overhead (latency − stages, median, at each pool's smallest size): dask 2.00 ms at 1KB."))
        // And in the report, after the CPython section.
        let report = MarkdownReport.render(result)
        #expect(report.contains("## Dask against this machine's TCP"))
    }

    @Test func aCalibrationWithoutTCPSaysSo() throws {
        let result = try SyntheticDaskSweep.result(calibration: SampleCalibration.example)
        let section = NetworkSection.render(result)
        #expect(section.contains("This sweep's calibration has no TCP figures"))
        let fresh = try #require(result.calibration?.memcpyFreshBytesPerSecond)
        #expect(Self.rows(section).contains(Self.row(size: 65_536_000, share: "–", freshBytesPerSecond: fresh)), "\(section)")
    }

    @Test func freshCopiesAreTheTransfersTimeInCopiesIntoFreshMemory() {
        // 300 MB/s against fresh copies at 1.2 GB/s: the transfer took as long as four copies.
        #expect(NetworkSection.freshCopies(rate: 300e6, freshBytesPerSecond: 1.2e9) == "4.0×")
        #expect(NetworkSection.freshCopies(rate: 0, freshBytesPerSecond: 1.2e9) == "–")
    }

    @Test func daskTransferIsAShareOfDasksOwnCommAtTheSameSize() throws {
        var result = try SyntheticDaskSweep.result()
        // The comm's round took 40.1 ms and a small round trip 200 µs: one message 40 ms (1.64 GB/s); the synthetic
        // transfer takes 67.5 ms (970 MB/s): 59 %.
        result.daskComm = DaskCommBaseline(
            readings: [.init(sizeBytes: 65_536_000, rounds: 5, medianSeconds: 0.0401, bestSeconds: 0.039),
                       .init(sizeBytes: 1_024_000, rounds: 40, medianSeconds: 0.0021, bestSeconds: 0.0019)],
            roundTripSeconds: 200e-6, python: "3.11.7")
        let section = NetworkSection.render(result)
        let fresh = try #require(result.calibration?.memcpyFreshBytesPerSecond)
        #expect(Self.rows(section).contains(
            Self.row(size: 65_536_000, share: "49 %", commShare: "59 %", freshBytesPerSecond: fresh)), "\(section)")
        let small = Formatting.sizeLabel(1_024_000), large = Formatting.sizeLabel(65_536_000)
        #expect(section.contains("Dask's own comm (`distributed.comm` from one process to another here, no scheduler, no task and no pickling, median of at least 5 messages less half a small message's round trip for the answer) carried \(small) 512 MB/s, \(large) 1.64 GB/s: 82 % of loopback TCP at \(large); a 64-byte message and its answer took 200 µs."), "\(section)")
        // A size the comm was not timed at has no share.
        let untimed = Self.rows(section).filter { $0.count > 6 && $0[1] == Formatting.sizeLabel(4_096_000) }
        #expect(!untimed.isEmpty && untimed.allSatisfy { $0[6] == "–" }, "\(untimed)")
        // And the baseline survives the results file.
        let decoded = try SweepResult.decode(try result.jsonData(), path: "dask.json")
        #expect(decoded.daskComm == result.daskComm)
    }

    @Test func aBadCommReadingIsRefusedByName() throws {
        var result = try SyntheticDaskSweep.result()
        result.daskComm = DaskCommBaseline(
            readings: [.init(sizeBytes: 1_000_000, rounds: 0, medianSeconds: 0.01, bestSeconds: 0.01)],
            roundTripSeconds: 1e-4, python: "3.11.7")
        #expect(throws: ResultFileError.self) { try SweepResult.decode(try result.jsonData(), path: "bad.json") }
        do {
            _ = try SweepResult.decode(try result.jsonData(), path: "bad.json")
        } catch {
            #expect("\(error)".contains("daskComm.readings[0].rounds"))
        }
    }

    @Test func theCommIsTimedAtTheReportsSizes() {
        #expect(DaskCommBaseline.sizes(for: [1_000, 250_000, 1_000_000, 64_000_000]) == [1_000_000, 64_000_000])
        #expect(DaskCommBaseline.sizes(for: [1_000, 4_000]) == [1_000, 4_000])
    }

    @Test func noDaskNoSection() throws {
        #expect(NetworkSection.render(try SyntheticDaskSweep.result(dask: false)).isEmpty)
        #expect(NetworkSection.render(try SyntheticSweep.result()).isEmpty)
    }

    @Test func efficiencyTableSetsDaskAgainstTCPNotThePipe() throws {
        let section = EfficiencySection.render(try SyntheticDaskSweep.result())
        #expect(section.contains("| TCP over loopback, one connection "))
        #expect(section.contains("| TCP round trip, 64 B (p50) "))
        let daskRows = Self.rows(section).filter { $0.count > 4 && $0[3] == "dask" }
        #expect(!daskRows.isEmpty)
        for cells in daskRows {
            #expect(cells[5] == "–", "transfer vs pipe is not Dask's limit: \(cells)")
        }
    }

    @Test func calibrationTableShowsTCPAndTheUpperBound() throws {
        let text = SyntheticDaskSweep.calibration.renderedText()
        #expect(text.contains("TCP over loopback to a child, one connection, across CPUs  2.00 GB/s"))
        #expect(text.contains("TCP round trip, 64 B ping-pong (p50)"))
        #expect(text.contains("TCP connect on 127.0.0.1"))
        #expect(text.contains(Calibration.loopbackBoundSentence))
        #expect(!SampleCalibration.example.renderedText().contains("TCP"))
    }
}
