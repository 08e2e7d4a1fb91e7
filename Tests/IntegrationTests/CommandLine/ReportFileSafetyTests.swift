import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif
@testable import Platform
@testable import Sweep

extension Integration {
    /// What the commands leave on disk: special files kept, one sweep per report name, checkpoints that fail
    /// stop the sweep, and scratch directories of killed runs removed.
    @Suite("Report files on disk", .serialized)
    struct ReportFileSafetyTests {
        static func tinySweep(out: String, name: String) -> [String] {
            ["sweep", "--min", "1KB", "--max", "4KB", "--shapes", "blob", "--pools", "thread", "--workers", "1",
             "--budget", "0.01", "--no-calibrate", "--quiet", "--out", out, "--name", name]
        }

        @Test func generateWritesThroughADeviceAndReportsAFullOne() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let nul = "\(dir.path)/nul", full = "\(dir.path)/full"
            guard mknod(nul, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0,
                  mknod(full, S_IFCHR | 0o666, dev_t(1 << 8 | 7)) == 0 else { return }  // needs root
            let wrote = try CommandRun.payloadlab(["generate", "--shape", "blob", "--size", "64KB", "--output", nul])
            #expect(wrote.status == 0, "\(wrote.stderr)")
            var status = stat()
            #expect(lstat(nul, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
            let failed = try CommandRun.payloadlab(["generate", "--shape", "blob", "--size", "64KB", "--output", full])
            #expect(failed.status == 1)
            #expect(failed.stderr == "payloadlab: Cannot write '\(full)' (No space left on device); check the free space and try again.\n")
            #expect(lstat(full, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR)
        }

        @Test func secondSweepWithTheSameNameIsRefused() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            let lock = try #require(try FileLock.acquire("\(out.path)/.twin.lock"))
            defer { lock.release() }
            let run = try CommandRun.payloadlab(Self.tinySweep(out: out.path, name: "twin"))
            #expect(run.status == 1)
            #expect(run.stderr == "payloadlab: Another sweep (process \(getpid())) is writing --name twin in \(out.path); wait for it to finish or pass another --name or --out.\n")
            #expect(out.contents == [".twin.lock"])
        }

        @Test func sweepRemovesItsLockWhenDone() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            let run = try CommandRun.payloadlab(Self.tinySweep(out: out.path, name: "solo"))
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!out.contents.contains(".solo.lock"))
            #expect(out.contents.contains("solo.json"))
        }

        @Test func failedCheckpointStopsTheSweepAtOnceAndSaysWhatIsOnDisk() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            // A directory where the JSON goes: every save fails, as on a full disk.
            #expect(mkdir("\(out.path)/blocked.json", 0o755) == 0)
            let run = try CommandRun.payloadlab(Self.tinySweep(out: out.path, name: "blocked"))
            #expect(run.status == 1)
            let json = "\(out.path)/blocked.json"
            let last = run.stderr.split(separator: "\n").last.map(String.init) ?? ""
            #expect(last == "payloadlab: Saving \(json) after point 1 of 2 failed (Cannot write '\(json)': it is a directory; name a regular file, a new path, a character device or a FIFO), so the sweep stopped there; nothing was saved and no report was written. Free space in --out or pass another --out, then run again.")
            #expect(!last.contains(".;") && !last.contains(".)") && !last.contains(".."))
        }

        @Test func tooManyOpenFilesNamesTheLimitNotTheBinary() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            let sweep = ["sweep", "--min", "1KB", "--max", "1KB", "--shapes", "blob", "--pools", "process", "--workers", "4",
                         "--budget", "0.01", "--no-calibrate", "--quiet", "--out", out.path, "--name", "fds"]
            let run = try CommandRun.payloadlab(
                ["-c", "ulimit -n 12 && exec \"$0\" \"$@\"", try TestExecutable.path()] + sweep, executable: "/bin/sh")
            #expect(run.status == 1)
            #expect(run.stderr.contains("too many open files") && run.stderr.contains("ulimit -n"), "\(run.stderr)")
            #expect(!run.stderr.contains("intact"))
        }

        @Test func scratchOfAVanishedOwnerIsRemovedAndOnlyThat() throws {
            let parent = try TemporaryDirectory()
            defer { parent.remove() }
            let namespace = try #require(ScratchDirectory.pidNamespace())
            let finished = Process()
            finished.executableURL = URL(fileURLWithPath: "/bin/true")
            try finished.run()
            finished.waitUntilExit()
            func leftover(_ name: String, owner: String?) throws {
                #expect(mkdir("\(parent.path)/\(name)", 0o700) == 0)
                try AtomicFile.write([1, 2], to: "\(parent.path)/\(name)/task-1.bin")
                if let owner { try AtomicFile.write(owner, to: "\(parent.path)/\(name)/owner.pid") }
            }
            try leftover("payloadlab-dead01", owner: "\(finished.processIdentifier) \(namespace)\n")
            try leftover("payloadlab-live01", owner: "\(getpid()) \(namespace)\n")
            try leftover("payloadlab-other1", owner: "\(finished.processIdentifier) pid:[1]\n")
            try leftover("payloadlab-nopid1", owner: nil)
            let created = try ScratchDirectory.create(in: parent.path)
            defer { ScratchDirectory.remove(created) }
            let names = Set(parent.contents)
            #expect(!names.contains("payloadlab-dead01"))
            #expect(names.isSuperset(of: ["payloadlab-live01", "payloadlab-other1", "payloadlab-nopid1"]))
            #expect(try String(contentsOfFile: "\(created)/owner.pid", encoding: .utf8) == "\(getpid()) \(namespace)\n")
        }
    }
}
