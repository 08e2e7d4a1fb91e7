import Foundation
import Testing
import TestSupport
@testable import Results

/// The loopback TCP figures are added keys of `Calibration`: results written before them still load, and new ones
/// round-trip and are validated like the other figures.
@Suite("Results: calibration's TCP figures")
struct CalibrationTCPFieldsTests {
    /// A real calibration from a sweep run before TCP was measured (`fixtures/results/calibration-before-tcp.json`).
    @Test func aCalibrationWrittenBeforeTCPStillDecodes() throws {
        let data = try Data(contentsOf: Fixtures.url("results/calibration-before-tcp.json"))
        let calibration = try JSONDecoder().decode(Calibration.self, from: data)
        #expect(calibration.tcpLoopbackBytesPerSecond == nil)
        #expect(calibration.tcpRoundTripSeconds == nil)
        #expect(calibration.tcpConnectSeconds == nil)
        #expect(calibration.tcpPlacement == nil)
        #expect(calibration.pipeEnlargedBytesPerSecond > 0)
        #expect(calibration.disturbedPhases.allSatisfy { $0 != "tcp" })
    }

    @Test func theGoldenResultStillDecodesAtTheSameSchemaVersion() throws {
        #expect(SweepResult.currentSchemaVersion == 1, "added optional keys need no new schema version")
        let url = Fixtures.url("results/golden-v1.json")
        _ = try SweepResult.decode(try Data(contentsOf: url), path: url.path)
        var result = try SyntheticSweep.result()
        result.calibration = try JSONDecoder().decode(
            Calibration.self, from: try Data(contentsOf: Fixtures.url("results/calibration-before-tcp.json")))
        let loaded = try SweepResult.decode(try result.jsonData(), path: "old.json")
        #expect(loaded.calibration?.tcpLoopbackBytesPerSecond == nil)
    }

    @Test func tcpFiguresRoundTripAndAreLeftOutWhenAbsent() throws {
        let json = String(decoding: try JSONEncoder().encode(SampleCalibration.example), as: UTF8.self)
        #expect(!json.contains("tcp"))
        let calibration = SyntheticDaskSweep.calibration
        let decoded = try JSONDecoder().decode(Calibration.self, from: try JSONEncoder().encode(calibration))
        #expect(decoded == calibration)
        #expect(decoded.tcpLoopbackBytesPerSecond == 2e9)
        #expect(decoded.tcpRoundTripSeconds == 40e-6)
    }

    @Test func aNegativeTCPFigureIsRefusedOnLoad() throws {
        var result = try SyntheticSweep.result()
        result.calibration = SyntheticDaskSweep.calibration
        result.calibration?.tcpRoundTripSeconds = -1
        #expect(throws: ResultFileError.self) { try SweepResult.decode(try result.jsonData(), path: "bad.json") }
        result.calibration?.tcpRoundTripSeconds = 40e-6
        result.calibration?.tcpLoopbackBytesPerSecond = 1e300
        let error = #expect(throws: ResultFileError.self) { try SweepResult.decode(try result.jsonData(), path: "bad.json") }
        #expect("\(String(describing: error))".contains("tcpLoopbackBytesPerSecond"))
    }
}
