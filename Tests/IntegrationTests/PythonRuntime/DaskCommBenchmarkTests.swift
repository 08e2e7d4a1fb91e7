import Foundation
import Testing
import TestSupport
@testable import Platform
@testable import PythonRuntime
@testable import Results

extension Integration {
    /// The driver's `dask-comm` lines gathered into a `DaskCommBaseline`, malformed output refused in one sentence.
    /// (The real run, with distributed installed, is covered by the Dask sweep tests and the driver's own tests.)
    @Suite("Dask comm baseline")
    struct DaskCommBenchmarkTests {
        static func ended(_ code: Int32) -> ChildProcess.Termination {
            .init(cause: .exited(code), peakResidentBytes: 0, userSeconds: 0, systemSeconds: 0)
        }

        static let lines = """
            {"event":"daskComm","sizeBytes":1000000,"rounds":5,"medianNs":4000000,"bestNs":3500000}
            {"event":"daskComm","sizeBytes":64000000,"rounds":5,"medianNs":160000000,"bestNs":150000000}
            {"event":"done","roundTripNs":120000}
            """

        @Test func linesBecomeReadingsInSeconds() throws {
            let baseline = try DaskCommBenchmark.gather(Self.lines, python: "3.11.7", status: Self.ended(0), stderr: "")
            #expect(baseline.readings.map(\.sizeBytes) == [1_000_000, 64_000_000])
            // 160 ms a round, less 60 µs for the answer: 64 MB in 159.94 ms.
            let rate = try #require(baseline.bytesPerSecond(sizeBytes: 64_000_000))
            #expect(abs(rate - 64e6 / 0.15994) < 1)
            #expect(baseline.bytesPerSecond(sizeBytes: 5) == nil)
            #expect(baseline.reading(sizeBytes: 1_000_000)?.bestSeconds == 0.0035)
            #expect(baseline.roundTripSeconds == 120e-6)
            #expect(baseline.python == "3.11.7")
        }

        @Test func malformedOrUnfinishedOutputIsRefusedInOneSentence() {
            let cases: [(String, String)] = [
                ("{\"event\":\"daskComm\",\"sizeBytes\":1000}\n{\"event\":\"done\",\"roundTripNs\":1}", "missing fields"),
                ("not json", "cannot read"),
                ("{\"event\":\"error\",\"kind\":\"missingDependency\",\"message\":\"Run make python-deps.\"}", "make python-deps"),
                (String(Self.lines.split(separator: "\n").dropLast().joined(separator: "\n")), "before finishing"),
            ]
            for (stdout, mentions) in cases {
                #expect {
                    _ = try DaskCommBenchmark.gather(stdout, python: "3.11", status: Self.ended(3), stderr: "")
                } throws: { error in
                    "\(error)".contains(mentions) && !"\(error)".contains("\n")
                }
            }
        }
    }
}
