import Foundation
import Testing
@testable import PayloadLab

@Suite("Interruption", .serialized)
struct InterruptTests {
    /// Ctrl-C during a sweep: workers stopped, scratch removed, finished points saved as an incomplete result.
    @Test func sigintDuringASweepSavesFinishedPointsAndLeavesNothingBehind() throws {
        let out = try TemporaryDirectory()
        let scratch = try TemporaryDirectory()
        defer { out.remove(); scratch.remove() }
        var sweepPID: Int32 = 0
        let run = try CommandRun.payloadlab(
            ["sweep", "--max", "4MB", "--shapes", "blob,records", "--budget", "0.3", "--out", out.path,
             "--scratch", scratch.path, "--name", "interrupted"],
            timeout: 120
        ) { process, stderrURL in
            sweepPID = process.processIdentifier
            // Wait until two points have finished, then press Ctrl-C.
            let deadline = Date().addingTimeInterval(90)
            while Date() < deadline {
                let text = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
                if text.contains("[2/") { break }
                usleep(20_000)
            }
            kill(process.processIdentifier, SIGINT)
        }
        #expect(!run.timedOut)
        #expect(run.status == 1, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("Interrupted"))
        let result = try SweepResult.load(path: "\(out.path)/interrupted.json")
        #expect(!result.complete)
        #expect(result.points.count >= 2)
        #expect(result.points.count < result.plan.pointCount)
        let markdown = try String(contentsOfFile: "\(out.path)/interrupted.md", encoding: .utf8)
        #expect(markdown.contains("Incomplete run"))
        #expect(scratch.contents.isEmpty, "scratch left: \(scratch.contents)")
        #expect(!out.contents.contains { $0.contains(".partial") })
        #expect(WorkerProcesses.children(of: sweepPID).isEmpty)
    }
}

/// Finds payloadlab workers started by a given parent, from /proc.
enum WorkerProcesses {
    static func children(of parent: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.contains("worker") && arguments.contains("\(parent)")
        }
    }
}
