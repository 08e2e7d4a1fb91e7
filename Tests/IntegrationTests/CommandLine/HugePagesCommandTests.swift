import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Platform
@testable import Sweep

extension Integration {
    /// `--huge-pages` as a user types it: recorded in the result and the report, reaching every pool, and `bench
    /// codecs` saying it in its table and its JSON. Nothing here judges a time.
    @Suite("Huge pages on the command line", .serialized)
    struct HugePagesCommandTests {
        @Test func sweepRecordsTheOptionAndTheKernelsModes() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            let run = try CommandRun.payloadlab(
                ["sweep", "--min", "3MB", "--max", "3MB", "--shapes", "blob", "--codecs", "binary,raw",
                 "--pools", "process,process:shm,thread", "--tasks", "2", "--no-calibrate", "--quiet",
                 "--out", out.path, "--name", "huge", "--huge-pages"],
                timeout: 120)
            #expect(run.status == 0, "\(run.stderr)")
            let result = try SweepResult.load(path: "\(out.path)/huge.json")
            #expect(result.plan.hugePages == true)
            #expect(result.points.count == 6 && result.points.allSatisfy(\.succeeded))
            let support = try #require(result.environment.hugePages)
            #expect(support.mode == TransparentHugePages.mode())
            #expect(support.sharedMemoryMode == TransparentHugePages.sharedMemoryMode())
            #expect(support.probeBytes == 4 << 20)
            let markdown = try String(contentsOfFile: "\(out.path)/huge.md", encoding: .utf8)
            #expect(markdown.contains("payload buffers advised to use huge pages (`--huge-pages`"))
            #expect(markdown.contains("`--huge-pages` on:"))
        }

        @Test func sweepWithoutTheOptionWritesNoPlanKey() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            let run = try CommandRun.payloadlab(
                ["sweep", "--min", "4KB", "--max", "4KB", "--shapes", "blob", "--pools", "thread", "--tasks", "2",
                 "--no-calibrate", "--quiet", "--out", out.path, "--name", "small"],
                timeout: 60)
            #expect(run.status == 0, "\(run.stderr)")
            let json = try String(contentsOfFile: "\(out.path)/small.json", encoding: .utf8)
            let result = try SweepResult.load(path: "\(out.path)/small.json")
            #expect(result.plan.hugePages == nil)
            #expect(!json.contains(#""hugePages":true"#))
            // The kernel's mode is recorded either way, so a reader knows whether `always` gave huge pages anyway.
            #expect(result.environment.hugePages?.mode == TransparentHugePages.mode())
            #expect(result.environment.hugePages?.probeBytes == nil)
        }

        @Test func benchCodecsSaysItInTheTableAndTheJSON() throws {
            let common = ["bench", "codecs", "--shape", "numeric", "--size", "3MB", "--codecs", "binary,raw",
                          "--budget", "0.01", "--huge-pages"]
            let table = try CommandRun.payloadlab(common, timeout: 60)
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("Huge pages: every buffer of 2 MiB and more"))
            let json = try CommandRun.payloadlab(common + ["--format", "json"], timeout: 60)
            #expect(json.status == 0, "\(json.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(!rows.isEmpty && rows.allSatisfy { $0["hugePages"] as? Bool == true })
            let plain = try CommandRun.payloadlab(Array(common.dropLast()), timeout: 60)
            #expect(plain.status == 0 && !plain.stdout.contains("Huge pages"))
        }
    }
}
