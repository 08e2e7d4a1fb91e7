import Foundation
import Testing
import TestSupport
@testable import Results
@testable import Sweep

extension Integration {
    @Suite("Interruption", .serialized)
    struct InterruptTests {
        /// Ctrl-C during a sweep: workers stopped, scratch removed, finished points saved as an incomplete result.
        @Test func sigintDuringASweepSavesFinishedPointsAndLeavesNothingBehind() throws {
            let out = try TemporaryDirectory()
            let scratch = try TemporaryDirectory()
            defer { out.remove(); scratch.remove() }
            var sweepPID: Int32 = 0
            let run = try CommandRun.payloadlab(
                ["sweep", "--max", "4MB", "--shapes", "blob,records", "--pools", "process,process:shm,thread", "--budget", "0.3", "--no-calibrate", "--out", out.path,
                 "--scratch", scratch.path, "--name", "interrupted"],
                timeout: 120
            ) { process, stderrURL in
                sweepPID = process.processIdentifier
                // Wait until two points have finished, then press Ctrl-C.
                #expect(waitForOutput("[2/", in: stderrURL), "no progress line for the second point")
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
            #expect(Set((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []).allSatisfy { !$0.contains("payloadlab") })
        }
    }
}

extension Integration.InterruptTests {
    /// A second Ctrl-C gives up at once (exit 130), and still leaves no scratch file and no worker behind.
    ///
    /// The sweep measures one long point. Once its two workers exist they are stopped (SIGSTOP), so the batch in
    /// flight cannot finish and the first Ctrl-C cannot end the sweep by itself; the second is sent once stderr shows
    /// the first was handled. Every step waits for an event, never for time to pass.
    @Test func secondSigintExitsAtOnceAndStillLeavesNothingBehind() throws {
        let out = try TemporaryDirectory()
        let scratch = try TemporaryDirectory()
        defer { out.remove(); scratch.remove() }
        var sweepPID: Int32 = 0
        var stoppedWorkers: [Int32] = []
        let run = try CommandRun.payloadlab(
            ["sweep", "--min", "4MB", "--max", "4MB", "--shapes", "blob", "--pools", "process", "--budget", "30",
             "--no-calibrate", "--out", out.path, "--scratch", scratch.path, "--name", "twice"],
            timeout: 120
        ) { process, stderrURL in
            sweepPID = process.processIdentifier
            let workers = waitFor {
                let found = WorkerProcesses.children(of: sweepPID)
                return found.count == 2 ? found : nil
            }
            guard let workers else {
                Issue.record("the sweep's two workers never appeared")
                return
            }
            for worker in workers { kill(worker, SIGSTOP) }
            stoppedWorkers = workers
            kill(process.processIdentifier, SIGINT)
            #expect(waitForOutput("stopping after the current batch", in: stderrURL),
                    "the first Ctrl-C was not acknowledged")
            kill(process.processIdentifier, SIGINT)
        }
        // Stopped workers still die of SIGKILL when their parent goes; SIGCONT in case the test failed early.
        for worker in stoppedWorkers { kill(worker, SIGCONT) }
        #expect(!run.timedOut)
        #expect(run.status == 130, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("second Ctrl-C"))
        #expect(scratch.contents.isEmpty, "scratch left: \(scratch.contents)")
        // Workers get SIGKILL from the kernel when their parent dies; wait for them to be gone.
        #expect(waitFor { WorkerProcesses.children(of: sweepPID).isEmpty ? true : nil } == true,
                "workers outlived the sweep: \(WorkerProcesses.children(of: sweepPID))")
        #expect(!out.contents.contains { $0.contains(".partial") })
    }
}

/// Polls `condition` until it returns a value; nil only if none came within `seconds`. The deadline is a safety
/// net that turns a hang into a failed expectation: callers pass on the event, never on the deadline.
func waitFor<T>(seconds: Double = 90, _ condition: () -> T?) -> T? {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
        if let value = condition() { return value }
        usleep(10_000)
    } while Date() < deadline
    return condition()
}

/// Whether the child's stderr (a file) shows `marker`, such as the progress line `[2/`, before the safety deadline.
func waitForOutput(_ marker: String, in stderrURL: URL, seconds: Double = 90) -> Bool {
    waitFor(seconds: seconds) { ((try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "").contains(marker) ? true : nil } ?? false
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

extension Integration {
    @Suite("Full disk", .serialized)
    struct FullDiskTests {
        /// A file-size limit stands in for a full disk: scratch writes fail with EFBIG mid-run. The sweep must stop with
        /// one sentence, keep the points done so far, and leave no scratch file or worker behind.
        @Test func diskFullMidRunSavesWhatWasMeasured() throws {
            let out = try TemporaryDirectory()
            let scratch = try TemporaryDirectory()
            defer { out.remove(); scratch.remove() }
            let executable = try TestExecutable.path()
            // dash's `ulimit -f` counts 512-byte blocks: 1200 blocks = 600 KB, bash's 1 KiB blocks = 1.2 MB; either way
            // the 64KB and 256KB points fit and the 4MB one does not.
            let script = "ulimit -f 1200; exec \"$0\" sweep --min 64KB --max 4MB --shapes blob --pools process,thread --tasks 4 --no-calibrate --out '\(out.path)' --scratch '\(scratch.path)' --name full"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script, executable]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 1, "stderr: \(stderr)")
            #expect(stderr.contains("ran out of space"), "stderr: \(stderr)")
            let result = try SweepResult.load(path: "\(out.path)/full.json")
            #expect(!result.complete)
            #expect(result.points.filter(\.succeeded).count >= 2)
            #expect(result.points.contains { $0.failure?.contains("ran out of space") == true })
            #expect(scratch.contents.isEmpty, "scratch left: \(scratch.contents)")
            #expect(WorkerProcesses.children(of: process.processIdentifier).isEmpty)
        }
    }
}
