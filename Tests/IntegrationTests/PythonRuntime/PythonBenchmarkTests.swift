import Foundation
import Testing
import TestSupport
@testable import Platform
@testable import PythonRuntime

extension Integration {
    /// `bench python`: the driver's bench lines gathered and rendered, malformed output refused, and one small real
    /// run end to end. Figures are checked for being there and consistent, never for their size.
    @Suite("CPython bench", .serialized)
    struct PythonBenchmarkTests {
        static func ended(_ code: Int32) -> ChildProcess.Termination {
            .init(cause: .exited(code), peakResidentBytes: 0, userSeconds: 0, systemSeconds: 0)
        }
        static let exited = ended(0)

        static let lines = """
            {"event":"overhead","pool":"process","round":0,"tasks":400,"driverP50Ns":300,"driverWallNsPerTask":200,"byHandP50Ns":250,"byHandWallNsPerTask":200,"emptyP50Ns":100,"emptyWallNsPerTask":90}
            {"event":"overhead","pool":"process","round":1,"tasks":400,"driverP50Ns":400,"driverWallNsPerTask":220,"byHandP50Ns":250,"byHandWallNsPerTask":200,"emptyP50Ns":100,"emptyWallNsPerTask":90}
            {"event":"pickle","shape":"records","sizeBytes":1048576,"pickleBytes":1048000,"rounds":2,"dumpsBytesPerSecond":2e8,"loadsBytesPerSecond":1e8,"timeitDumpsBytesPerSecond":1.9e8,"timeitLoadsBytesPerSecond":1.5e8,"dumpsRatio":1.05,"loadsRatio":0.67,"timeitDumps":"50 loops, best of 5: 5 msec per loop","timeitLoads":"20 loops, best of 5: 7 msec per loop"}
            {"event":"done"}
            """

        @Test func linesAreGatheredAndRatiosAreMediansOverRounds() throws {
            let result = try PythonBenchmark.gather(Self.lines, python: "3.11", status: Self.exited, stderr: "")
            #expect(result.overhead.count == 2)
            #expect(result.pickle.count == 1)
            let ratios = result.overheadRatios
            #expect(ratios.count == 1)
            #expect(abs(ratios[0].latency - (1.2 + 1.6) / 2) < 1e-9)
            #expect(abs(ratios[0].wall - (1.0 + 1.1) / 2) < 1e-9)
        }

        @Test func theTablesSayWhichFiguresMeetTheirTargets() throws {
            var result = try PythonBenchmark.gather(Self.lines, python: "3.11", status: Self.exited, stderr: "")
            result.overheadSizeBytes = 1024
            let text = result.renderTable()
            let processRow = try #require(text.split(separator: "\n").first { $0.hasPrefix("| process") })
            #expect(processRow.hasSuffix("| no            |"))  // 1.40× over a 1.25× target
            let recordsRow = try #require(text.split(separator: "\n").first { $0.hasPrefix("| records") })
            #expect(recordsRow.contains("0.67"))
            #expect(recordsRow.hasSuffix("| no            |"))  // loads 33 % off
            #expect(text.contains("python3 -m timeit"))
        }

        @Test func malformedOrUnfinishedOutputIsRefusedInOneSentence() {
            let cases: [(String, String)] = [
                ("{\"event\":\"overhead\",\"pool\":\"thread\"}\n{\"event\":\"done\"}", "missing fields"),
                ("not json", "cannot read"),
                ("{\"event\":\"error\",\"kind\":\"badRequest\",\"message\":\"'rounds' must be a whole number.\"}", "'rounds'"),
                (String(Self.lines.split(separator: "\n").dropLast().joined(separator: "\n")), "before finishing"),
            ]
            for (stdout, mentions) in cases {
                #expect {
                    _ = try PythonBenchmark.gather(stdout, python: "3.11", status: Self.ended(3), stderr: "")
                } throws: { error in
                    "\(error)".contains(mentions) && !"\(error)".contains("\n")
                }
            }
        }

        @Test func aSmallRealBenchRunsEndToEndAndLeavesNothing() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let settings = try PythonRuntimeTests.settings()
            let request = PythonBenchmarkRequest(
                rounds: 1, workers: 2, pools: ["thread"], pickleShapes: ["blob"], pickleSizes: [2048],
                scratchDirectory: scratch.path, taskTimeoutSeconds: 30)
            let result = try PythonBenchmark(interpreter: settings.interpreter, driver: settings.driver)
                .run(request, timeoutSeconds: 120)
            #expect(result.overhead.map(\.pool) == ["thread"])
            #expect(result.overhead.allSatisfy { $0.driverP50Ns > 0 && $0.byHandP50Ns > 0 && $0.emptyP50Ns > 0 })
            #expect(result.pickle.map(\.pickleBytes).allSatisfy { $0 > 0 })
            #expect(result.pickle.allSatisfy { $0.dumpsRatio > 0 && $0.loadsRatio > 0 })
            #expect((try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) == [])
        }
    }
}
