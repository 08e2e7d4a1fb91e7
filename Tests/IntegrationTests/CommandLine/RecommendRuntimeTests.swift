import Foundation
import Testing
import TestSupport
@testable import Results

extension Integration {
    /// `payloadlab recommend --runtime`: a recommendation compares pools within one runtime, never across.
    @Suite("Recommend for a runtime", .serialized)
    struct RecommendRuntimeTests {
        /// A synthetic sweep with Swift points (binary) and CPython points (pickle), saved to a file.
        static func mixedResult(in directory: TemporaryDirectory) throws -> String {
            let swift = try SyntheticSweep.result(codecs: ["binary"])
            var python = try SyntheticSweep.result(codecs: [Runtime.pythonCodec])
            for index in python.points.indices { python.points[index].runtime = .python }
            var mixed = swift
            mixed.points += python.points
            mixed.plan.runtimes = [.swift, .python]
            let path = "\(directory.path)/mixed.json"
            try mixed.jsonData().write(to: URL(fileURLWithPath: path))
            return path
        }

        @Test func pythonAnswersFromCPythonPointsOnly() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let path = try Self.mixedResult(in: directory)
            let run = try CommandRun.payloadlab(
                ["recommend", "--from", path, "--size", "1MB", "--shape", "records", "--runtime", "python", "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let options = try #require(json["options"] as? [[String: Any]])
            #expect(Set(options.compactMap { $0["codec"] as? String }) == ["pickle"])
            let scenario = try #require(json["scenario"] as? [String: Any])
            #expect(scenario["gil"] as? Double == 1, "pure-Python work holds the real GIL")
        }

        @Test func swiftIsTheDefaultAndNeverMixesInPickle() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let path = try Self.mixedResult(in: directory)
            let run = try CommandRun.payloadlab(
                ["recommend", "--from", path, "--size", "1MB", "--shape", "records", "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let options = try #require(json["options"] as? [[String: Any]])
            #expect(Set(options.compactMap { $0["codec"] as? String }) == ["binary"])
        }

        @Test func aResultWithoutCPythonPointsSaysHowToGetThem() throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let path = "\(directory.path)/swift.json"
            try SyntheticSweep.result().jsonData().write(to: URL(fileURLWithPath: path))
            let run = try CommandRun.payloadlab(["recommend", "--from", path, "--size", "1MB", "--runtime", "python"])
            #expect(run.status == 1)
            #expect(run.stderr == "payloadlab: \(path) has no CPython points; sweep with --runtime python, or pass --measure.\n")
        }

        @Test func badRuntimeAndCodecCombinationsAreUsageErrors() throws {
            let unknown = try CommandRun.payloadlab(["recommend", "--size", "1MB", "--runtime", "rust"])
            #expect(unknown.status == 64)
            #expect(unknown.stderr.contains("--runtime 'rust' is not a runtime"))
            let mixed = try CommandRun.payloadlab(["recommend", "--size", "1MB", "--runtime", "python", "--codec", "binary"])
            #expect(mixed.status == 64)
            #expect(mixed.stderr.contains("always pickles"))
        }
    }
}
