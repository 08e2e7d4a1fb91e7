import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Sweep

extension Integration {
    /// `payloadlab sweep --runtime` as a user types it: bad input first, then a small real CPython sweep.
    @Suite("Sweep with the CPython runtime", .serialized)
    struct SweepRuntimeTests {
        @Test func unknownRuntimeIsAUsageError() throws {
            let run = try CommandRun.payloadlab(["sweep", "--max", "4KB", "--runtime", "pythn"])
            #expect(run.status == 64)
            #expect(run.stderr == "payloadlab: --runtime 'pythn' is not a runtime; use swift, python or swift,python.\n")
        }

        @Test func missingInterpreterIsOneSentenceAndExitOne() throws {
            let run = try CommandRun.payloadlab(["sweep", "--max", "4KB", "--runtime", "python", "--python", "/no/python3"])
            #expect(run.status == 1)
            #expect(run.stderr == "payloadlab: No Python interpreter at '/no/python3'; install python3 (apt-get install python3) or point --python at one.\n")
        }

        @Test func unknownStartMethodNamesTheInterpretersOwn() throws {
            let run = try CommandRun.payloadlab(["sweep", "--max", "4KB", "--runtime", "python", "--start-method", "vfork"])
            #expect(run.status == 64)
            #expect(run.stderr.contains("--start-method vfork is not offered by this interpreter; use one of"))
            #expect(run.stderr.contains("spawn"))
        }

        @Test func bothRuntimesLandInOneReport() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            let run = try CommandRun.payloadlab(
                ["sweep", "--runtime", "swift,python", "--min", "1KB", "--max", "4KB", "--shapes", "records",
                 "--tasks", "4", "--no-calibrate", "--quiet", "--out", out.path, "--name", "both"],
                timeout: 180)
            #expect(run.status == 0, "\(run.stderr)")
            let result = try SweepResult.load(path: "\(out.path)/both.json")
            #expect(result.plan.runtimes == [.swift, .python])
            #expect(result.points.count == 8)
            let python = result.points.filter { $0.runtime == .python }
            #expect(python.count == 4)
            #expect(python.allSatisfy { $0.succeeded && $0.codec == "pickle" && $0.samples.count == 4 })
            let markdown = try String(contentsOfFile: "\(out.path)/both.md", encoding: .utf8)
            #expect(markdown.contains("**records** in CPython (`pickle`)"))
            #expect(markdown.contains("## CPython beside Swift"))
            #expect(FileManager.default.fileExists(atPath: "\(out.path)/both-runtimes-records.svg"))
        }
    }
}
