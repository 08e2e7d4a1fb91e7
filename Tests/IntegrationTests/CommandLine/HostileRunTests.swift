import Foundation
import Testing
import TestSupport
@testable import Platform
@testable import Results
@testable import Sweep

/// Runs `/bin/sh -c script` (the payloadlab executable is `$0`) with stdout and stderr in files, bounded by a safety
/// deadline. Shell redirections (`> /dev/full`, `2>&-`) are the point of these runs.
struct ShellRun {
    var status: Int32
    /// Killed by a signal it did not handle (SIGILL from a Swift trap, SIGPIPE).
    var crashed: Bool
    var stdout: String
    var stderr: String
    var timedOut: Bool

    static func payloadlab(
        _ script: String, timeout: Double = 120, whileRunning: ((Process, URL) -> Void)? = nil
    ) throws -> ShellRun {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outURL = URL(fileURLWithPath: directory.path + "/stdout")
        let errURL = URL(fileURLWithPath: directory.path + "/stderr")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, try TestExecutable.path()]
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        try process.run()
        whileRunning?(process, errURL)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        let timedOut = process.isRunning
        if timedOut { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return ShellRun(
            status: process.terminationStatus, crashed: process.terminationReason == .uncaughtSignal,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "", timedOut: timedOut)
    }
}

/// The bytes process `pid` has read (`rchar` in /proc/PID/io): past 8 MB, a worker has taken 4 MB tasks.
func bytesRead(by pid: Int32) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("rchar:") {
        return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
    }
    return 0
}

extension Integration {
    /// Issue 15: nothing destroyed, nothing hung, no false green — a stopped worker, a closed or full stream, a
    /// process limit, SIGHUP and SIGTERM, Ctrl-C during calibration.
    @Suite("Hostile runs", .serialized)
    struct HostileRunTests {
        /// A worker stopped with SIGSTOP while the parent sends it a payload larger than the pipe buffer: the send
        /// has the task's deadline, so the worker is declared hung and the sweep ends instead of blocking in write().
        @Test func stoppedWorkerBehindAFullPipeIsDeclaredHung() throws {
            let out = try TemporaryDirectory()
            let scratch = try TemporaryDirectory()
            defer { out.remove(); scratch.remove() }
            var stopped: [Int32] = []
            let run = try CommandRun.payloadlab(
                ["sweep", "--pools", "process", "--min", "4MB", "--max", "4MB", "--shapes", "blob", "--tasks", "5000",
                 "--budget", "60", "--no-calibrate", "--quiet", "--task-timeout", "2", "--out", out.path,
                 "--scratch", scratch.path, "--name", "stopped"],
                timeout: 180
            ) { process, _ in
                guard let workers = waitFor({ () -> [Int32]? in
                    let found = WorkerProcesses.children(of: process.processIdentifier)
                    return found.count == 2 && found.allSatisfy({ bytesRead(by: $0) > 8_000_000 }) ? found : nil
                }) else {
                    Issue.record("the sweep's two workers never took a task")
                    return
                }
                kill(workers[0], SIGSTOP)
                stopped = [workers[0]]
            }
            for worker in stopped { kill(worker, SIGCONT) }
            #expect(!run.timedOut, "the sweep hung behind a stopped worker")
            #expect(run.status == 1, "stderr: \(run.stderr)")
            #expect(run.stderr.contains("gave no answer"), "stderr: \(run.stderr)")
            #expect(scratch.contents.isEmpty, "scratch left: \(scratch.contents)")
        }

        /// SIGTERM while every worker is stopped (the parent blocked sending or waiting): the stop wakes the blocked
        /// send, the sweep saves its result, names the signal, and leaves no scratch or worker behind.
        @Test func sigtermWakesASweepBlockedOnStoppedWorkersAndIsNamed() throws {
            let out = try TemporaryDirectory()
            let scratch = try TemporaryDirectory()
            defer { out.remove(); scratch.remove() }
            var stopped: [Int32] = []
            var sweepPID: Int32 = 0
            let run = try CommandRun.payloadlab(
                ["sweep", "--pools", "process", "--min", "4MB", "--max", "4MB", "--shapes", "blob", "--tasks", "5000",
                 "--budget", "60", "--no-calibrate", "--out", out.path, "--scratch", scratch.path, "--name", "term"],
                timeout: 180
            ) { process, _ in
                sweepPID = process.processIdentifier
                guard let workers = waitFor({ () -> [Int32]? in
                    let found = WorkerProcesses.children(of: process.processIdentifier)
                    return found.count == 2 && found.allSatisfy({ bytesRead(by: $0) > 8_000_000 }) ? found : nil
                }) else {
                    Issue.record("the sweep's two workers never took a task")
                    return
                }
                for worker in workers { kill(worker, SIGSTOP) }
                stopped = workers
                kill(process.processIdentifier, SIGTERM)
            }
            for worker in stopped { kill(worker, SIGCONT) }
            #expect(!run.timedOut, "SIGTERM did not end a sweep blocked on stopped workers")
            #expect(run.status == 1, "stderr: \(run.stderr)")
            #expect(run.stderr.contains("stopping after the current batch (SIGTERM)"), "stderr: \(run.stderr)")
            #expect(!run.stderr.contains("Ctrl-C"), "stderr: \(run.stderr)")
            #expect(run.stderr.contains("Interrupted by SIGTERM"), "stderr: \(run.stderr)")
            let result = try SweepResult.load(path: "\(out.path)/term.json")
            #expect(result.stopReason != nil)
            #expect(FileManager.default.fileExists(atPath: "\(out.path)/term.md"))
            #expect(scratch.contents.isEmpty, "scratch left: \(scratch.contents)")
            #expect(waitFor { WorkerProcesses.children(of: sweepPID).isEmpty ? true : nil } == true)
        }

        /// A closed terminal (SIGHUP) stops a sweep as SIGTERM does: message, report, stop reason, no scratch.
        @Test func sighupSavesTheReportAsSigtermDoes() throws {
            let out = try TemporaryDirectory()
            let scratch = try TemporaryDirectory()
            defer { out.remove(); scratch.remove() }
            let run = try CommandRun.payloadlab(
                ["sweep", "--max", "1MB", "--shapes", "blob,records", "--pools", "process,thread", "--budget", "0.3",
                 "--no-calibrate", "--out", out.path, "--scratch", scratch.path, "--name", "hup"],
                timeout: 180
            ) { process, stderrURL in
                #expect(waitForOutput("[2/", in: stderrURL), "no progress line for the second point")
                kill(process.processIdentifier, SIGHUP)
            }
            #expect(!run.timedOut)
            #expect(run.status == 1, "stderr: \(run.stderr)")
            #expect(run.stderr.contains("(SIGHUP)"), "stderr: \(run.stderr)")
            #expect(run.stderr.contains("Interrupted by SIGHUP"), "stderr: \(run.stderr)")
            let result = try SweepResult.load(path: "\(out.path)/hup.json")
            #expect(result.stopReason != nil)
            #expect(!result.complete)
            #expect(FileManager.default.fileExists(atPath: "\(out.path)/hup.md"))
            #expect(FileManager.default.fileExists(atPath: "\(out.path)/hup.csv"))
            #expect(scratch.contents.isEmpty, "scratch left: \(scratch.contents)")
        }

        /// A closed stderr, a stderr whose reader left, and a full stderr are ignored: no SIGILL, the sweep saves its
        /// report. A full or closed stdout ends `report` with one sentence and status 1; a reader that left ends it
        /// quietly with status 0.
        @Test func brokenStandardStreamsNeitherCrashNorPassSilently() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            let sweep = "\"$0\" sweep --max 64KB --min 64KB --shapes blob --pools thread --tasks 8 --no-calibrate --out '\(out.path)'"

            let closedStderr = try ShellRun.payloadlab("\(sweep) --name closed 2>&-")
            #expect(!closedStderr.crashed && closedStderr.status == 0, "status \(closedStderr.status)")
            #expect(FileManager.default.fileExists(atPath: "\(out.path)/closed.json"))

            let fullStderr = try ShellRun.payloadlab("\(sweep) --name full 2>/dev/full")
            #expect(!fullStderr.crashed && fullStderr.status == 0, "status \(fullStderr.status)")
            #expect(FileManager.default.fileExists(atPath: "\(out.path)/full.json"))

            // The reader of stderr exits at once; every progress line then meets EPIPE.
            let brokenStderr = try ShellRun.payloadlab("exec 3>&1; { \(sweep) --name piped 2>&1 >/dev/null; echo \"status $?\" >&3; } | true")
            #expect(!brokenStderr.crashed)
            #expect(brokenStderr.stdout.contains("status 0"), "stdout: \(brokenStderr.stdout) stderr: \(brokenStderr.stderr)")
            #expect(FileManager.default.fileExists(atPath: "\(out.path)/piped.json"))

            try Data("{".utf8).write(to: URL(fileURLWithPath: "\(out.path)/bad.json"))
            let badReport = try ShellRun.payloadlab("\"$0\" report '\(out.path)/bad.json' 2>/dev/full")
            #expect(!badReport.crashed && badReport.status == 1, "status \(badReport.status)")

            let csvFull = try ShellRun.payloadlab("\"$0\" report '\(out.path)/closed.json' --format csv > /dev/full")
            #expect(csvFull.status == 1, "stderr: \(csvFull.stderr)")
            #expect(csvFull.stderr.hasPrefix("payloadlab: Could not write to standard output"), "stderr: \(csvFull.stderr)")
            #expect(csvFull.stderr.split(separator: "\n").count == 1, "stderr: \(csvFull.stderr)")

            let csvClosed = try ShellRun.payloadlab("\"$0\" report '\(out.path)/closed.json' --format csv >&-")
            #expect(csvClosed.status == 1, "stderr: \(csvClosed.stderr)")
            #expect(csvClosed.stderr.contains("Could not write to standard output"), "stderr: \(csvClosed.stderr)")

            let csvHead = try ShellRun.payloadlab("exec 3>&1; { \"$0\" report '\(out.path)/closed.json' --format csv; echo \"status $?\" >&3; } | true")
            #expect(csvHead.stdout.contains("status 0"), "stdout: \(csvHead.stdout) stderr: \(csvHead.stderr)")
            #expect(csvHead.stderr.isEmpty, "stderr: \(csvHead.stderr)")
        }

        /// Under a process limit no worker or thread can start: the sweep says so and ends, it does not hang.
        /// RLIMIT_NPROC binds only an unprivileged user, so the sweep runs as `nobody` (skipped when not root).
        @Test func processLimitIsASentenceNotAHang() throws {
            guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                  FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") else { return }
            let out = try TemporaryDirectory()
            defer { out.remove() }
            chmod(out.path, 0o777)
            for limit in [1, 2] {
                let run = try ShellRun.payloadlab(
                    "exec setpriv --reuid=nobody --regid=nogroup --clear-groups prlimit --nproc=\(limit) -- \"$0\" sweep --max 64KB --min 64KB --shapes blob --pools thread,process --tasks 8 --no-calibrate --quiet --out '\(out.path)' --scratch '\(out.path)' --name limit\(limit)",
                    timeout: 120)
                #expect(!run.timedOut, "the sweep hung under --nproc=\(limit)")
                #expect(!run.crashed)
                #expect(run.status == 1, "stderr: \(run.stderr)")
                #expect(run.stderr.contains("Could not start"), "stderr: \(run.stderr)")
            }
        }

        /// Ctrl-C during calibrate's disk phase: the measurement stops within one write, its scratch file is
        /// removed, and the one sentence starts with `payloadlab:` as every command's does.
        @Test func ctrlCDuringCalibrationDiskPhaseLeavesNoScratchFile() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let run = try CommandRun.payloadlab(
                ["calibrate", "--size", "64MB", "--scratch", scratch.path], timeout: 300
            ) { process, stderrURL in
                #expect(waitForOutput("calibrate: disk write", in: stderrURL, seconds: 240), "no disk phase")
                kill(process.processIdentifier, SIGINT)
            }
            #expect(!run.timedOut)
            #expect(run.status == 1, "stderr: \(run.stderr)")
            #expect(run.stderr.contains("payloadlab: Calibration was interrupted by SIGINT"), "stderr: \(run.stderr)")
            #expect(scratch.contents.isEmpty, "scratch left: \(scratch.contents)")
        }

        @Test func calibrateFailsWithThePayloadlabSentence() throws {
            let run = try CommandRun.payloadlab(["calibrate", "--scratch", "/nonexistent-payloadlab-scratch"])
            #expect(run.status == 1)
            #expect(run.stderr.hasPrefix("payloadlab: "), "stderr: \(run.stderr)")
            #expect(!run.stderr.contains("error:"), "stderr: \(run.stderr)")
        }

        /// A send to a reader that stopped reading ends at its deadline instead of blocking in write().
        @Test func writeAllWithADeadlineEndsWhenTheReaderStopsReading() throws {
            var fds = try DescriptorIO.pipe()
            defer { DescriptorIO.close(&fds.read); DescriptorIO.close(&fds.write) }
            try DescriptorIO.setNonBlocking(fds.write)
            let bytes = [UInt8](repeating: 7, count: 4 << 20)
            #expect(throws: DescriptorError.timedOut(seconds: 0.2)) {
                try bytes.withUnsafeBytes { raw in
                    try DescriptorIO.writeAll(fds.write, raw, deadline: Deadline(secondsFromNow: 0.2))
                }
            }
        }
    }
}
