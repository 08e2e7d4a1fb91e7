import Foundation
import Testing
import TestSupport

extension Integration {
    /// `payloadlab recommend` as a user runs it: from nothing, and with `--measure`.
    @Suite("Recommend command", .serialized)
    struct RecommendCommandTests {
        @Test func withoutAResultItSaysHowToMakeOne() throws {
            let run = try CommandRun.payloadlab(["recommend", "--size", "120MB"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("payloadlab sweep --max 200MB"))
            #expect(run.stderr.contains("--measure"))
            #expect(run.stdout.isEmpty)
        }

        @Test func measureAndFromAreExclusive() throws {
            let run = try CommandRun.payloadlab(["recommend", "--size", "1MB", "--measure", "--from", "x.json"])
            #expect(run.status == 64)
            #expect(run.stderr.contains("--measure and --from"))
        }

        @Test func measureRefusesWhatCannotFitInMemoryInItsOwnTerms() throws {
            let run = try CommandRun.payloadlab(["recommend", "--size", "1TB", "--measure"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("ask about --size"), "\(run.stderr)")
            #expect(!run.stderr.contains("--max"))
            #expect(run.stderr.split(separator: "\n").count == 1)
            #expect(run.stdout.isEmpty)
        }

        /// A real short sweep (real workers, real files, the calibration's copy curve), saved under reports/, then a
        /// recommendation from it: stdout is only the JSON, and the asked size is inside the range the fit kept.
        @Test func measureRunsAShortSweepAndRecommendsFromIt() throws {
            let run = try CommandRun.payloadlab(
                ["recommend", "--size", "256KB", "--shape", "blob", "--workers", "2", "--work", "cpu:2", "--gil", "1",
                 "--measure", "--budget", "0.05", "--format", "json"],
                timeout: 120)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("reports/recommend-"))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            // The sweep measures 4KB…256KB; the fit leaves out a point other processes disturbed while most of the
            // sweep was quiet, so on a busy machine its range may be narrower, and the answer must say so.
            let maxBytes = try #require(json["measuredMaxBytes"] as? Int)
            let minBytes = try #require(json["measuredMinBytes"] as? Int)
            #expect(minBytes >= 4_000 && maxBytes <= 256_000 && minBytes < maxBytes)
            #expect(json["insideMeasuredRange"] as? Bool == (maxBytes == 256_000))
            let recommended = try #require(json["recommended"] as? [String: Any])
            #expect(["process", "thread"].contains(recommended["pool"] as? String))
            let options = try #require(json["options"] as? [[String: Any]])
            #expect(Set(options.compactMap { $0["pool"] as? String }) == ["process", "thread"])
            // The request's work and lock share are modelled on top of the measured pipeline.
            let scenario = try #require(json["scenario"] as? [String: Any])
            #expect(scenario["gil"] as? Double == 1)
        }
    }
}
