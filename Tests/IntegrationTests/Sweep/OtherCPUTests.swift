#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
@testable import Units
@testable import Platform
@testable import Results
@testable import Sweep
@testable import Report
@testable import Payload

extension Integration {
    /// Other processes' CPU use is recorded per point and per batch (issue 14, part 3). These tests check that the
    /// figures are recorded and survive the JSON, never how a live point was classified: that depends on the host.
    @Suite("Other processes' CPU", .serialized)
    struct OtherCPUTests {
        @Test func procPIDStatIsParsedFromAfterTheCommandName() {
            // The command name may hold spaces and parentheses; utime and stime are fields 14 and 15.
            let line = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 1000 1000000 200 0"
            #expect(CPUActivity.processCPUSeconds(procPIDStat: line, ticksPerSecond: 100) == 3.0)
            #expect(CPUActivity.processCPUSeconds(procPIDStat: "4242 (short) S 1", ticksPerSecond: 100) == nil)
            #expect(CPUActivity.processCPUSeconds(procPIDStat: line, ticksPerSecond: 0) == nil)
        }

        @Test func aReadingCountsLiveChildrenAsOwnTime() throws {
            let spinner = try ChildProcess.spawn(
                executable: "/bin/sh", arguments: ["-c", "while :; do :; done"], descriptors: [])
            defer { spinner.killAndReap() }
            let before = try #require(CPUActivity.now(liveChildren: [spinner.pid]))
            // Wait until the spinner has been scheduled (however slow the host), with a deadline as a safety net.
            var after = try #require(CPUActivity.now(liveChildren: [spinner.pid]))
            let deadline = Deadline(secondsFromNow: 30)
            while after.ownSeconds <= before.ownSeconds && MonotonicClock.now() < deadline.instant {
                usleep(50_000)
                after = try #require(CPUActivity.now(liveChildren: [spinner.pid]))
            }
            #expect(after.ownSeconds > before.ownSeconds, "the live child's CPU time is read from /proc/<pid>/stat")
            #expect(after.resolutionSeconds > 0)
        }

        /// A tiny sweep beside a CPU-bound process pinned to one CPU: each Swift point records other processes'
        /// CPU over the point and per batch, and the result round-trips through its JSON and renders.
        @Test func aSweepBesideACompetitorRecordsOtherCPUAndRoundTrips() throws {
            let pin = FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset")
            let cpu = sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1 ? "1" : "0"
            let spinner = try ChildProcess.spawn(
                executable: pin ? "/usr/bin/taskset" : "/bin/sh",
                arguments: (pin ? ["-c", cpu, "/bin/sh"] : []) + ["-c", "while :; do :; done"], descriptors: [])
            defer { spinner.killAndReap() }

            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let plan = try SweepPlan(
                minBytes: 1_000, maxBytes: 4_000, factor: 4, shapes: [.blob], codecs: ["binary"],
                pools: [.process, .thread], workers: 2, budgetSeconds: 0.2, minTasks: 4, maxTasks: 400)
            let runner = SweepRunner(
                plan: plan, options: SweepOptions(executable: try TestExecutable.path(), scratchParent: scratch.path),
                name: "busy", environment: Environment.capture(commandLine: ["test"], scratchDirectory: scratch.path),
                warnings: [])
            let result = runner.run(stop: StopFlag())
            spinner.killAndReap()

            #expect(result.complete)
            #expect(result.points.count == 4)
            for point in result.points {
                #expect(point.failure == nil, "\(point.pool) \(point.sizeBytes): \(point.failure ?? "")")
                let other = try #require(point.otherCPU, "\(point.pool) \(point.sizeBytes) recorded no other CPU")
                // Recorded and sane; how much the competitor got in a window this short is the scheduler's business.
                #expect(other.seconds >= 0 && other.seconds.isFinite)
                #expect(other.wallSeconds > 0)
                #expect(!other.batchSeconds.isEmpty)
                #expect(other.batchSeconds.allSatisfy { $0 >= 0 && $0.isFinite })
                #expect(other.resolutionSeconds > 0)
            }
            let decoded = try SweepResult.decode(try result.jsonData(), path: "busy.json")
            #expect(decoded == result)
            let markdown = MarkdownReport.render(decoded)
            #expect(markdown.contains("ran on a quiet machine"))
            #expect(markdown.contains("other processes' CPU"))
        }
    }
}
