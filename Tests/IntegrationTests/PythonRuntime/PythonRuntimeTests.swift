import Foundation
import Testing
import TestSupport
@testable import Payload
@testable import Platform
@testable import PythonRuntime
@testable import Results

extension Integration {
    /// The CPython runtime end to end: the real interpreter, the driver shipped in this package, the stdlib's own
    /// executors. Timings are only checked for being measured, never for their size.
    @Suite("CPython runtime", .serialized)
    struct PythonRuntimeTests {
        static func settings() throws -> PythonSettings {
            let driver = try PythonDriverScript.locate()
            let interpreter = try PythonInterpreter.probe(nil, driver: driver)
            return PythonSettings(interpreter: interpreter, driver: driver, startMethod: nil, async: false)
        }

        static func request(pool: String, scratch: String, sizeBytes: Int = 4_000, tasks: Int = 6) -> PythonPointRequest {
            PythonPointRequest(
                shape: "records", sizeBytes: sizeBytes, seed: 1, pool: pool, workers: 2, work: "checksum", startMethod: nil,
                warmupTasksPerWorker: 1, tasks: tasks, minTasks: 2, maxTasks: 50, minBatches: 2, budgetSeconds: 0.2,
                sync: false, scratchDirectory: scratch, async: false, taskTimeoutSeconds: 60)
        }

        /// CPython segments in /dev/shm whose driver is gone: leaks. A live driver's (another suite's) are not.
        static func leakedSegments() -> [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []
            return names.filter { name in
                guard name.hasPrefix("plab"), let underscore = name.firstIndex(of: "_"),
                      let pid = Int32(name[name.index(name.startIndex, offsetBy: 4)..<underscore]) else { return false }
                return kill(pid, 0) != 0
            }
        }

        static func template(_ pool: PoolKind, sizeBytes: Int = 4_000) -> PointResult {
            .empty(pool: pool, shape: .records, codec: Runtime.pythonCodec, workers: 2, sizeBytes: sizeBytes,
                   work: .checksum, gil: 1, sync: false)
        }

        @Test func probeFindsAnInterpreterTheDriverAccepts() throws {
            let settings = try Self.settings()
            #expect(settings.interpreter.version.hasPrefix("3."))
            #expect(settings.interpreter.startMethods.contains(settings.interpreter.defaultStartMethod))
        }

        @Test(arguments: [PoolKind.process, .processShm, .thread])
        func pointRunsThroughTheRealExecutor(pool: PoolKind) throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let settings = try Self.settings()
            let point = settings.runner.measure(
                Self.request(pool: pool.rawValue, scratch: scratch.path), point: Self.template(pool), shouldStop: { false })
            #expect(point.failure == nil, "\(point.failure ?? "")")
            #expect(point.runtime == .python)
            #expect(point.codec == "pickle")
            #expect(point.samples.count == 6)
            #expect(point.warmup.count == 2)
            let stages = Set(point.samples.flatMap { $0.nanoseconds.keys })
            if pool.isProcess {
                #expect(stages.isSuperset(of: [.serialize, .transfer, .deserialize, .verify, .work, .reserialize, .write]))
                #expect(point.python?.startMethod == settings.interpreter.defaultStartMethod)
            } else {
                #expect(stages == [.verify, .work, .reserialize, .write])
                #expect(point.python?.startMethod == nil)
            }
            for sample in point.samples { #expect(sample.stageSecondsTotal <= sample.latencySeconds + 1e-3) }
            let pickled = try #require(point.python?.pickleBytes)
            #expect(abs(Double(pickled) - 4_000) / 4_000 <= 0.05, "the pickle is the size asked for within 5 %")
            #expect(point.tasksPerSecond > 0)
            #expect(scratch.contents.isEmpty, "scratch files and the driver's stderr file are removed")
            let leftovers = Self.leakedSegments()
            #expect(leftovers.isEmpty, "\(leftovers)")
        }

        @Test func aBadRequestIsOneSentenceNotAHang() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            var request = Self.request(pool: "thread", scratch: scratch.path)
            request.workers = 0
            let point = try Self.settings().runner.measure(request, point: Self.template(.thread), shouldStop: { false })
            let failure = try #require(point.failure)
            #expect(failure.contains("workers"), "\(failure)")
            #expect(!failure.contains("\n"))
        }

        @Test func anInterruptStopsTheDriverAndLeavesNothing() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            var request = Self.request(pool: "process:shm", scratch: scratch.path, sizeBytes: 1_000_000, tasks: 100_000)
            request.maxTasks = 100_000
            let point = try Self.settings().runner.measure(
                request, point: Self.template(.processShm, sizeBytes: 1_000_000),
                shouldStop: { true })
            #expect(point.failure == "Interrupted.")
            #expect(scratch.contents.isEmpty)
            let leftovers = Self.leakedSegments()
            #expect(leftovers.isEmpty, "\(leftovers)")
        }

        @Test func aMissingInterpreterIsNamed() throws {
            let driver = try PythonDriverScript.locate()
            #expect(throws: PythonRuntimeError.interpreterNotFound("/no/such/python3")) {
                try PythonInterpreter.probe("/no/such/python3", driver: driver)
            }
        }

        @Test func anInterpreterTooOldForTheDriverIsNamed() throws {
            // A stand-in interpreter that answers the probe as Python 3.6 would be seen: by its version.
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let fake = "\(directory.path)/python3"
            try "#!/bin/sh\necho '{\"event\":\"probe\",\"protocol\":1,\"python\":\"3.6.15\",\"startMethods\":[\"fork\"],\"defaultStartMethod\":\"fork\",\"numpy\":false}'\n"
                .write(toFile: fake, atomically: false, encoding: .utf8)
            chmod(fake, 0o755)
            let driver = try PythonDriverScript.locate()
            #expect(throws: PythonRuntimeError.interpreterTooOld(path: fake, version: "3.6.15")) {
                try PythonInterpreter.probe(fake, driver: driver)
            }
        }
    }
}
