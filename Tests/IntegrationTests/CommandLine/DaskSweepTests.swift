import Foundation
import Testing
import TestSupport
@testable import Platform
@testable import Results
@testable import Sweep

extension Integration {
    /// `payloadlab sweep --pools dask` through the CLI. The cluster tests run only where the checkout's
    /// `.venv/bin/python3` (`make python-deps`) can import distributed; every process the sweep starts inherits a
    /// tag in its environment, and none may carry it once the sweep has ended (so no worker, scheduler or port).
    @Suite("Sweep with a Dask pool", .serialized)
    struct DaskSweepTests {
        static let venvPython: String? = {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().path
            let python = "\(root)/.venv/bin/python3"
            guard access(python, X_OK) == 0 else { return nil }
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: python)
            probe.arguments = ["-c", "import distributed"]
            probe.standardOutput = FileHandle.nullDevice
            probe.standardError = FileHandle.nullDevice
            guard (try? probe.run()) != nil else { return nil }
            probe.waitUntilExit()
            return probe.terminationStatus == 0 ? python : nil
        }()

        /// Live processes whose environment holds `PAYLOADLAB_TEST_TAG=tag`.
        static func tagged(_ tag: String) -> [Int32] {
            let needle = Array("PAYLOADLAB_TEST_TAG=\(tag)".utf8)
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { entry -> Int32? in
                guard let pid = Int32(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/environ")
                else { return nil }
                return data.split(separator: 0).contains { Array($0) == needle } ? pid : nil
            }
        }

        static func waitUntilGone(_ tag: String) -> [Int32] {
            let deadline = Date().addingTimeInterval(30)
            var left = tagged(tag)
            while !left.isEmpty && Date() < deadline {
                usleep(100_000)
                left = tagged(tag)
            }
            for pid in left { kill(pid, SIGKILL) }  // never leave them to the next test
            return left
        }

        @Test func theSwiftRuntimeRefusesDaskInOneSentence() throws {
            let run = try CommandRun.payloadlab(["sweep", "--max", "4KB", "--pools", "process,dask"])
            #expect(run.status == 64)
            #expect(run.stderr == "payloadlab: dask is a pool of the python runtime; add --runtime python (alone: the swift runtime has no dask pool).\n")
        }

        @Test func daskWithoutDistributedNamesMakePythonDeps() throws {
            let run = try CommandRun.payloadlab(
                ["sweep", "--max", "4KB", "--runtime", "python", "--pools", "dask", "--python", "/usr/bin/python3"])
            if run.status == 0 || run.stderr.isEmpty { return }  // this system python has distributed: nothing to say
            #expect(run.status == 1)
            #expect(run.stderr.contains("make python-deps"), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }

        @Test(.enabled(if: venvPython != nil, "make python-deps has not made .venv with distributed"))
        func aSmallDaskSweepLeavesNoWorkerSchedulerOrPort() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            let tag = UUID().uuidString
            let run = try CommandRun.payloadlab(
                ["sweep", "--runtime", "python", "--pools", "process,dask", "--min", "1KB", "--max", "4KB",
                 "--shapes", "records", "--tasks", "4", "--no-calibrate", "--quiet", "--out", out.path,
                 "--name", "dask", "--python", try #require(Self.venvPython)],
                timeout: 300, environment: ["PAYLOADLAB_TEST_TAG": tag])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(Self.waitUntilGone(tag).isEmpty, "no process of the sweep outlives it")
            let result = try SweepResult.load(path: "\(out.path)/dask.json")
            #expect(Set(result.points.map(\.pool)) == [.process, .dask, .daskScatter])
            // Dask's own comm was timed once, at the sweep's sizes (none reaches 1 MB), and the report sets it out.
            let comm = try #require(result.daskComm, "\(result.warnings)")
            #expect(comm.readings.map(\.sizeBytes) == [1_000, 4_000])
            #expect(comm.readings.allSatisfy { $0.medianSeconds > 0 && $0.rounds >= 5 })
            #expect(comm.roundTripSeconds > 0)
            let report = try String(contentsOfFile: "\(out.path)/dask.md", encoding: .utf8)
            #expect(report.contains("Dask's own comm (`distributed.comm` from one process to another here"))
            for point in result.points where point.pool.isDask {
                #expect(point.failure == nil, "\(point.failure ?? "")")
                #expect(point.python?.daskMode == (point.pool == .dask ? "submit" : "scatter"))
                #expect(point.python?.daskSchedulerInProcess == false, "the scheduler has a process of its own")
                #expect(point.python?.startMethod == "exec")
                let stages = Set(point.samples.flatMap { $0.nanoseconds.keys })
                #expect(stages.isSuperset(of: [.serialize, .transfer, .deserialize, .verify, .work, .reserialize, .write]))
            }
        }

        @Test(.enabled(if: venvPython != nil, "make python-deps has not made .venv with distributed"))
        func aSchedulerNobodyListensAtIsOneSentenceBeforeAnyPoint() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            // A port the kernel just handed out and nobody listens on any more.
            var (fd, port) = try LoopbackSocket.listen()
            DescriptorIO.close(&fd)
            let run = try CommandRun.payloadlab(
                ["sweep", "--runtime", "python", "--pools", "dask", "--dask-scheduler", "tcp://127.0.0.1:\(port)",
                 "--max", "4KB", "--no-calibrate", "--out", out.path, "--name", "remote",
                 "--python", try #require(Self.venvPython)],
                timeout: 300)
            #expect(run.status == 64, "\(run.stderr)")
            #expect(run.stderr == "payloadlab: --dask-scheduler tcp://127.0.0.1:\(port): nothing accepts a connection there (Connection refused); start the scheduler, or check the address.\n")
            #expect(out.contents.isEmpty, "no sweep ran, so nothing was written")
        }

        /// The tagged process running the CPython driver, if one is running.
        static func driver(_ tag: String) -> Int32? {
            tagged(tag).first { pid in
                let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
                return String(decoding: command, as: UTF8.self).contains("payloadlab_driver.py")
            }
        }

        /// The driver's files in /dev/shm (`plab<driver pid>_…`: the local cluster's scheduler file and its
        /// processes' stderr files).
        static func sharedMemoryFiles(of driver: Int32) -> [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []
            return names.filter { $0.hasPrefix("plab\(driver)_") }
        }

        @Test(.enabled(if: venvPython != nil, "make python-deps has not made .venv with distributed"))
        func aDriverKilledOutrightLeavesNoDaskProcessOrFile() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let tag = UUID().uuidString
            var killed: Int32?
            var filesWhileRunning: [String] = []
            var workerFolders: [String] = []
            let run = try CommandRun.payloadlab(
                ["sweep", "--runtime", "python", "--pools", "dask:submit", "--min", "4KB", "--max", "4KB",
                 "--shapes", "records", "--workers", "2", "--budget", "60", "--no-calibrate", "--quiet",
                 "--scratch", scratch.path,
                 "--out", out.path, "--name", "killed", "--python", try #require(Self.venvPython)],
                timeout: 300, environment: ["PAYLOADLAB_TEST_TAG": tag],
                whileRunning: { _, _ in
                    // Wait for the driver, its scheduler listening and both workers, then for tasks to be running.
                    let deadline = Date().addingTimeInterval(120)
                    while Date() < deadline {
                        if let driver = Self.driver(tag), Self.tagged(tag).count >= 4,
                           Self.sharedMemoryFiles(of: driver).contains(where: { $0.hasSuffix("-scheduler.json") }) {
                            usleep(1_500_000)
                            filesWhileRunning = Self.sharedMemoryFiles(of: driver)
                            let sweepScratch = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
                            workerFolders = sweepScratch.flatMap { name in
                                ((try? FileManager.default.contentsOfDirectory(atPath: "\(scratch.path)/\(name)")) ?? [])
                                    .filter { $0.hasSuffix("_dask-workers") }
                            }
                            kill(driver, SIGKILL)
                            killed = driver
                            return
                        }
                        usleep(50_000)
                    }
                })
            #expect(!run.timedOut)
            let driver = try #require(killed, "the driver was never seen running its cluster: \(run.stderr)")
            #expect(filesWhileRunning.contains { $0.hasSuffix("-scheduler.json") }, "\(filesWhileRunning)")
            #expect(Self.waitUntilGone(tag).isEmpty, "the kernel ends the scheduler and workers with their driver")
            #expect(Self.sharedMemoryFiles(of: driver).isEmpty, "payloadlab removes what the killed driver left")
            #expect(!workerFolders.isEmpty, "the workers keep their own folder in the sweep's scratch directory")
            let left = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
            #expect(left.isEmpty, "the scratch directory goes, with the killed workers' folder: \(left)")
            let result = try SweepResult.load(path: "\(out.path)/killed.json")
            #expect(result.points.count == 1)
            #expect(result.points.first?.failure != nil, "the killed point is reported as failed")
        }

        @Test(.enabled(if: venvPython != nil, "make python-deps has not made .venv with distributed"))
        func anInterruptedDaskSweepLeavesNothing() throws {
            let out = try TemporaryDirectory()
            defer { out.remove() }
            let tag = UUID().uuidString
            let run = try CommandRun.payloadlab(
                ["sweep", "--runtime", "python", "--pools", "dask", "--min", "1KB", "--max", "4KB",
                 "--shapes", "records", "--budget", "60", "--no-calibrate", "--out", out.path,
                 "--name", "stopped", "--python", try #require(Self.venvPython)],
                timeout: 300, environment: ["PAYLOADLAB_TEST_TAG": tag],
                whileRunning: { process, errors in
                    // Wait until the first Dask point is measuring (payloadlab, its driver, a scheduler and at least
                    // one worker: more processes than timing Dask's comm takes), then interrupt it.
                    let deadline = Date().addingTimeInterval(120)
                    while Date() < deadline {
                        let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
                        if text.contains("[1/") || Self.tagged(tag).count > 3 { break }
                        usleep(50_000)
                    }
                    usleep(2_000_000)
                    kill(process.processIdentifier, SIGINT)
                })
            #expect(run.status == 1, "\(run.stderr)")
            #expect(run.stderr.contains("Interrupted"), "\(run.stderr)")
            #expect(Self.waitUntilGone(tag).isEmpty, "no worker or scheduler outlives the interrupt")
        }
    }
}
