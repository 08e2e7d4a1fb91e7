#if canImport(Glibc)
import Glibc
#endif
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
    /// `--huge-pages` reaching the workers and the thread pool.
    @Suite("Pools: huge pages", .serialized)
    struct HugePagesPoolTests {
        /// A configuration without the key (every one written before it) decodes as off, and off is not written.
        @Test func configurationKeepsOldFramesDecoding() throws {
            let old = #"{"codec":"binary","work":"none","gil":0,"workBytes":10,"sync":false,"scratchDirectory":"/tmp","maxBodyBytes":100,"recordLockIntervals":false,"transport":"pipe"}"#
            let decoded = try JSONDecoder().decode(WorkerConfiguration.self, from: Data(old.utf8))
            #expect(decoded.hugePages == nil)
            let off = WorkerConfiguration(
                codec: "binary", work: "none", gil: 0, workBytes: 10, sync: false, scratchDirectory: "/tmp",
                maxBodyBytes: 100)
            #expect(!String(decoding: try JSONEncoder().encode(off), as: UTF8.self).contains("hugePages"))
            var on = off
            on.hugePages = true
            let roundTrip = try JSONDecoder().decode(WorkerConfiguration.self, from: JSONEncoder().encode(on))
            #expect(roundTrip.hugePages == true)
            let ready = try JSONDecoder().decode(WorkerReady.self, from: Data(#"{"pid":12,"residentBytes":34}"#.utf8))
            #expect(ready == WorkerReady(pid: 12, residentBytes: 34))
        }

        /// This process's own probe: whether advised memory gets huge pages on this machine at all.
        static var machineGivesHugePages: Bool {
            (TransparentHugePages.probe().hugePageBytes ?? 0) > 0
        }

        /// A worker's `AnonHugePages`, nil when unreadable.
        static func anonHugePageBytes(pid: Int32) -> Int? {
            guard let text = DescriptorIO.readTextFile("/proc/\(pid)/smaps_rollup") else { return nil }
            for line in text.split(separator: "\n") where line.hasPrefix("AnonHugePages:") {
                return Int(String(line.filter(\.isNumber))).map { $0 * 1024 }
            }
            return nil
        }

        /// With `hugePages` in their configuration, workers put a payload-sized receive buffer in huge pages (where
        /// the machine gives them at all); without it, in madvise mode, they have none. Either way every task
        /// succeeds and no worker reports a refused advice.
        @Test(arguments: [true, false])
        func workersFollowTheirConfiguration(hugePages: Bool) throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let size = 9 << 20
            let configuration = WorkerConfiguration(
                codec: "binary", work: "none", gil: 0, workBytes: size, sync: false, scratchDirectory: scratch.path,
                maxBodyBytes: 1 << 30, transport: "pipe", hugePages: hugePages)
            let pool = ProcessPool(options: ProcessPool.Options(
                executable: try TestExecutable.path(), workers: 1, codec: BinaryCodec(),
                configuration: configuration, taskTimeoutSeconds: 60))
            let started = try pool.start()
            defer { _ = pool.shutdown() }
            #expect(started.hugePageAdviceError == nil)
            let payload = Payload.generate(shape: .blob, sizeBytes: size, seed: 3)
            let batch = try pool.run(payload: payload, checksum: payload.checksum, tasks: 2)
            #expect(batch.samples.count == 2)
            let pid = try #require(pool.workerPIDs.first)
            let huge = try #require(Self.anonHugePageBytes(pid: pid), "/proc/\(pid)/smaps_rollup is unreadable")
            if hugePages {
                if Self.machineGivesHugePages {
                    #expect(huge >= HugePages.pageBytes, "the worker's 9 MiB receive buffer should hold huge pages")
                }
            } else if TransparentHugePages.mode() == "madvise" {
                #expect(huge == 0, "no advice, no huge pages in madvise mode")
            }
        }

        /// The thread pool under the switch writes the same files (their length is checked by the writer) and
        /// leaves nothing behind.
        @Test func threadPoolWithHugePagesStillWritesRawInPlace() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let before = HugePages.setEnabled(true)
            defer { HugePages.setEnabled(before) }
            let payload = Payload.generate(shape: .blob, sizeBytes: 5 << 20, seed: 8)
            let pool = ThreadPool(options: ThreadPool.Options(
                workers: 2, codec: RawCodec(), work: .none, workBytes: 5 << 20, gil: 0, sync: false,
                scratchDirectory: scratch.path))
            _ = try pool.start()
            defer { _ = pool.shutdown() }
            let batch = try pool.run(payload: payload, checksum: payload.checksum, tasks: 4)
            #expect(batch.samples.count == 4)
            #expect(batch.samples.allSatisfy { $0.seconds[.reserialize] == nil && $0.encodedBytes == 5 << 20 })
            #expect(scratch.contents.isEmpty)
        }
    }
}
