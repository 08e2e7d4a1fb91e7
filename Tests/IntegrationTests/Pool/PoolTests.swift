import Foundation
import Testing
import TestSupport
@testable import Units
@testable import Payload
@testable import Codec
@testable import Results
@testable import Pool
@testable import Platform

extension Integration {
    /// Real worker processes and real threads, on small payloads.
    @Suite("Pools", .serialized)
    struct PoolTests {
        static func processPool(
            workers: Int = 2, codec: String = "binary", work: WorkProfile = .none, workBytes: Int, gil: Double = 0,
            scratch: String, timeout: Double = 30, faults: [Int: WorkerFault] = [:], sync: Bool = false,
            record: Bool = false, transport: ProcessPool.Transport = .pipe
        ) throws -> ProcessPool {
            let configuration = WorkerConfiguration(
                codec: codec, work: work.description, gil: gil, workBytes: workBytes, sync: sync,
                scratchDirectory: scratch, maxBodyBytes: 1 << 30, recordLockIntervals: record,
                transport: transport.rawValue)
            return ProcessPool(options: ProcessPool.Options(
                executable: try TestExecutable.path(), workers: workers, codec: try Codecs.named(codec),
                configuration: configuration, taskTimeoutSeconds: timeout, faults: faults, transport: transport))
        }

        /// The memfd segments this process holds open (they show as `/memfd:` links in /proc/self/fd).
        static func openSegments() -> Int {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return fds.filter {
                ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) ?? "")
                    .hasPrefix("/memfd:payloadlab")
            }.count
        }

        static func sharedMemoryNames() -> Set<String> {
            // Only payloadlab's names: the host is shared, and other programs come and go in /dev/shm meanwhile.
            Set(((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []).filter { $0.contains("payloadlab") })
        }

        @Test func sharedMemoryTransportRoundTripsAndLeavesNothing() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let before = Self.sharedMemoryNames()
            let payload = Payload.generate(shape: .records, sizeBytes: 3_000_000, seed: 5)
            let pool = try Self.processPool(workBytes: 3_000_000, scratch: scratch.path, transport: .shm)
            _ = try pool.start()
            #expect(Self.openSegments() == 2)
            // Growing payloads make the segment grow and both sides remap.
            let small = Payload.generate(shape: .records, sizeBytes: 100_000, seed: 5)
            let first = try pool.run(payload: small, checksum: small.checksum, tasks: 2)
            let batch = try pool.run(payload: payload, checksum: payload.checksum, tasks: 4)
            let ended = pool.shutdown()
            #expect(first.samples.count == 2)
            #expect(batch.samples.count == 4)
            for sample in batch.samples {
                #expect(sample.seconds[.transfer] != nil && sample.seconds[.deserialize] != nil)
                #expect(sample.encodedBytes > 2_900_000)
            }
            #expect(ended.allSatisfy { $0.succeeded })
            #expect(Self.openSegments() == 0, "shared segments still open after shutdown")
            #expect(Self.sharedMemoryNames() == before, "something was left in /dev/shm")
        }

        /// `raw` over shared memory: the worker reads the payload where it lies — no re-encoding stage — and the
        /// parent still verifies the checksum of what the worker saw.
        @Test func rawPayloadIsReadInPlaceFromSharedMemory() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let payload = Payload.generate(shape: .numeric, sizeBytes: 2_000_000, seed: 9)
            let pool = try Self.processPool(
                codec: "raw", work: .checksum, workBytes: 2_000_000, scratch: scratch.path, transport: .shm)
            _ = try pool.start()
            let batch = try pool.run(payload: payload, checksum: payload.checksum, tasks: 4)
            _ = pool.shutdown()
            for sample in batch.samples {
                #expect(sample.seconds[.reserialize] == nil)
                #expect(sample.seconds[.deserialize] != nil && sample.seconds[.write] != nil)
            }
            #expect(scratch.contents.isEmpty)

            // A wrong checksum is still caught on the in-place path.
            let wrong = try Self.processPool(
                workers: 1, codec: "raw", workBytes: 2_000_000, scratch: scratch.path,
                faults: [0: .wrongChecksum(task: 1)], transport: .shm)
            _ = try wrong.start()
            #expect(throws: PoolError.self) { try wrong.run(payload: payload, checksum: payload.checksum, tasks: 1) }
            _ = wrong.shutdown()
        }

        @Test func sharedMemoryWorkerKilledLeavesNoSegment() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let before = Self.sharedMemoryNames()
            let payload = Payload.generate(shape: .blob, sizeBytes: 100_000, seed: 1)
            let pool = try Self.processPool(
                workers: 1, workBytes: 100_000, scratch: scratch.path, faults: [0: .crash(task: 1)], transport: .shm)
            _ = try pool.start()
            #expect(throws: PoolError.self) { try pool.run(payload: payload, checksum: payload.checksum, tasks: 1) }
            _ = pool.shutdown()
            #expect(Self.openSegments() == 0)
            #expect(Self.sharedMemoryNames() == before)
        }

        @Test func processPoolRoundTripVerifiesWhatArrived() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let payload = Payload.generate(shape: .records, sizeBytes: 64_000, seed: 3)
            let pool = try Self.processPool(workBytes: 64_000, scratch: scratch.path, sync: true)
            let started = try pool.start()
            #expect(started.seconds > 0)
            #expect(started.workerBaselineBytes.count == 2)
            #expect(started.pipeBufferBytes >= 65_536)
            let batch = try pool.run(payload: payload, checksum: payload.checksum, tasks: 6)
            let ended = pool.shutdown()
            #expect(batch.samples.count == 6)
            #expect(Set(batch.samples.map(\.worker)) == [0, 1] || batch.samples.count < 2)
            for sample in batch.samples {
                for stage in [Stage.serialize, .transfer, .deserialize, .verify, .work, .reserialize, .write, .sync] {
                    #expect(sample.seconds[stage] != nil, "missing \(stage)")
                }
                #expect(sample.encodedBytes > 60_000)
                #expect(sample.latencySeconds >= sample.stageSecondsTotal * 0.5)
            }
            #expect(ended.count == 2)
            #expect(ended.allSatisfy { $0.succeeded })
            #expect(ended.allSatisfy { $0.peakResidentBytes > 0 })
            #expect(scratch.contents.isEmpty, "scratch files left: \(scratch.contents)")
        }

        @Test func threadPoolSharesTheObjectAndWrites() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let payload = Payload.generate(shape: .blob, sizeBytes: 100_000, seed: 1)
            let pool = ThreadPool(options: ThreadPool.Options(
                workers: 2, codec: try Codecs.named("binary"), work: .checksum, workBytes: 100_000, gil: 0, sync: false,
                scratchDirectory: scratch.path))
            _ = try pool.start()
            let batch = try pool.run(payload: payload, checksum: payload.checksum, tasks: 10)
            _ = pool.shutdown()
            #expect(batch.samples.count == 10)
            #expect(batch.samples.map(\.task) == Array(0..<10))
            for sample in batch.samples {
                #expect(sample.seconds[.serialize] == nil && sample.seconds[.transfer] == nil)
                #expect(sample.seconds[.work] != nil && sample.seconds[.reserialize] != nil && sample.seconds[.write] != nil)
                #expect(sample.seconds[.sync] == nil)
            }
            #expect(scratch.contents.isEmpty)
        }

        /// With --gil 1 every unit of a pool's threads holds the lock and no two locked intervals overlap (an
        /// ordering fact, true at any speed); with --gil 0 no unit holds it.
        @Test func interpreterLockIsHeldOnlyWhenAsked() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let payload = Payload.generate(shape: .numeric, sizeBytes: 1_000_000, seed: 2)
            func intervals(gil: Double) throws -> [[LockInterval]] {
                let pool = ThreadPool(options: ThreadPool.Options(
                    workers: 2, codec: try Codecs.named("binary"), work: .cpu(nanosecondsPerByte: 20),
                    workBytes: 1_000_000, gil: gil, sync: false, scratchDirectory: scratch.path,
                    recordLockIntervals: true))
                _ = try pool.start()
                defer { _ = pool.shutdown() }
                let batch = try pool.run(payload: payload, checksum: payload.checksum, tasks: 4)
                var byWorker: [Int: [LockInterval]] = [:]
                for sample in batch.samples { byWorker[sample.worker, default: []] += sample.lockIntervals ?? [] }
                return byWorker.keys.sorted().map { byWorker[$0]! }
            }
            func overlaps(_ a: [LockInterval], _ b: [LockInterval]) -> Int {
                var count = 0
                for x in a { for y in b where x.start < y.end && y.start < x.end { count += 1 } }
                return count
            }

            let locked = try intervals(gil: 1)
            #expect(!locked.isEmpty && locked.allSatisfy { !$0.isEmpty })
            #expect(locked.allSatisfy { $0.allSatisfy { $0.locked } })
            if locked.count == 2 {
                #expect(overlaps(locked[0], locked[1]) == 0, "two threads held the interpreter lock at once")
            }

            let free = try intervals(gil: 0)
            #expect(!free.isEmpty && free.allSatisfy { !$0.isEmpty })
            #expect(free.allSatisfy { $0.allSatisfy { !$0.locked } })
        }

        /// Two threads each run one unit that says "I am in" and then waits for the other to be in too. With
        /// --gil 0 both get in (a rendezvous inside the units proves they ran at the same time, on any number of
        /// idle cores); with --gil 1 the second cannot enter while the first holds the lock, so the first's
        /// bounded wait always ends unanswered and no two units are ever inside at once. No verdict depends on
        /// speed: the deadlines only turn a would-be hang into a failed expectation (gil 0) or bound a wait whose
        /// outcome is already certain (gil 1).
        @Test(arguments: [0.0, 1.0])
        func interpreterLockDecidesWhetherTwoUnitsCanBeInsideTogether(gil: Double) throws {
            let outcome = LockRendezvous.run(gil: gil, wait: gil == 0 ? 30 : 0.2)
            #expect(outcome.entered == 2, "both threads must finish their unit")
            if gil == 0 {
                #expect(outcome.metInside == 2, "with --gil 0 each thread should see the other inside its unit")
                #expect(outcome.mostInside == 2)
            } else {
                #expect(outcome.metInside == 0, "with --gil 1 a thread saw the other inside while holding the lock")
                #expect(outcome.mostInside == 1, "with --gil 1 two units were inside at once")
            }
        }

        @Test func workerKilledMidTaskIsReportedNotHung() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let payload = Payload.generate(shape: .blob, sizeBytes: 10_000, seed: 1)
            let pool = try Self.processPool(workers: 1, workBytes: 10_000, scratch: scratch.path, faults: [0: .crash(task: 2)])
            _ = try pool.start()
            let pid = pool.workerPIDs[0]
            #expect(throws: PoolError.self) { try pool.run(payload: payload, checksum: payload.checksum, tasks: 3) }
            do {
                _ = try pool.run(payload: payload, checksum: payload.checksum, tasks: 1)
            } catch {
                // Either the death itself or the broken pipe afterwards; never a hang.
            }
            _ = pool.shutdown()
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"), "worker \(pid) left as a zombie or still running")
        }

        @Test func workerDeathNamesTheSignal() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let payload = Payload.generate(shape: .blob, sizeBytes: 10_000, seed: 1)
            let pool = try Self.processPool(workers: 1, workBytes: 10_000, scratch: scratch.path, faults: [0: .crash(task: 1)])
            _ = try pool.start()
            defer { _ = pool.shutdown() }
            do {
                _ = try pool.run(payload: payload, checksum: payload.checksum, tasks: 1)
                Issue.record("a killed worker went unnoticed")
            } catch {
                guard case .workerDied(_, let how, let task) = error else {
                    Issue.record("expected workerDied, got \(error)")
                    return
                }
                #expect(how.contains("SIGKILL"))
                #expect(task == 0)
            }
        }

        @Test func hungWorkerIsKilledAfterTheTimeout() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let payload = Payload.generate(shape: .blob, sizeBytes: 10_000, seed: 1)
            let pool = try Self.processPool(
                workers: 1, workBytes: 10_000, scratch: scratch.path, timeout: 0.5, faults: [0: .hang(task: 1)])
            _ = try pool.start()
            let pid = pool.workerPIDs[0]
            #expect(throws: PoolError.workerHung(pid: pid, seconds: 0.5, task: 0)) {
                try pool.run(payload: payload, checksum: payload.checksum, tasks: 1)
            }
            _ = pool.shutdown()
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"))
        }

        @Test func malformedFrameAndWrongChecksumAreCaught() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let payload = Payload.generate(shape: .text, sizeBytes: 10_000, seed: 1)
            let garbage = try Self.processPool(workers: 1, workBytes: 10_000, scratch: scratch.path, faults: [0: .garbage(task: 1)])
            _ = try garbage.start()
            do {
                _ = try garbage.run(payload: payload, checksum: payload.checksum, tasks: 1)
                Issue.record("a garbage frame went unnoticed")
            } catch {
                guard case .protocolViolation = error else { Issue.record("expected protocolViolation, got \(error)"); return }
            }
            _ = garbage.shutdown()

            let wrong = try Self.processPool(workers: 1, workBytes: 10_000, scratch: scratch.path, faults: [0: .wrongChecksum(task: 1)])
            _ = try wrong.start()
            do {
                _ = try wrong.run(payload: payload, checksum: payload.checksum, tasks: 1)
                Issue.record("a wrong checksum went unnoticed")
            } catch {
                guard case .checksumMismatch = error else { Issue.record("expected checksumMismatch, got \(error)"); return }
            }
            _ = wrong.shutdown()
            #expect(scratch.contents.isEmpty)
        }

        @Test func workProfilesParseAndReject() throws {
            #expect(try WorkProfile(parsing: "none") == WorkProfile.none)
            #expect(try WorkProfile(parsing: "checksum") == .checksum)
            #expect(try WorkProfile(parsing: "cpu:20") == .cpu(nanosecondsPerByte: 20))
            #expect(try WorkProfile(parsing: "cpu:0.5").description == "cpu:0.5")
            for bad in ["cpu", "cpu:", "cpu:-1", "cpu:0", "cpu:abc", "gpu:3", "", "cpu:1e9"] {
                #expect(throws: WorkProfileError.self) { try WorkProfile(parsing: bad) }
            }
        }

        @Test func cpuWorkSpendsTheRequestedCPUTime() {
            let payload = Payload.generate(shape: .blob, sizeBytes: 100_000, seed: 1)
            var schedule = LockSchedule(fraction: 0, lock: nil)
            let start = MonotonicClock.threadCPU()
            _ = WorkRunner.run(.cpu(nanosecondsPerByte: 100), on: payload, bytes: 100_000, schedule: &schedule)
            let used = Double(MonotonicClock.threadCPU() - start) / 1e9
            // 10 ms asked; CPU time is what is controlled, so this holds on a busy machine too.
            #expect(used >= 0.010)
        }

        @Test func lockScheduleLocksTheRequestedShare() {
            for fraction in [0.0, 0.25, 0.5, 1.0] {
                var schedule = LockSchedule(fraction: fraction, lock: InterpreterLock(), recordsIntervals: true)
                for _ in 0..<100 { schedule.unit { () } }
                let locked = schedule.intervals.filter(\.locked).count
                #expect(locked == Int(fraction * 100))
            }
        }
    }
}
