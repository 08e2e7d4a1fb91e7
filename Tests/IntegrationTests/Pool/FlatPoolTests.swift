import Testing
import TestSupport
@testable import Payload
@testable import Codec
@testable import Pool
@testable import Results

extension Integration {
    /// `flat` in every pool: workers read records in place (from the shared segment, or from the pipe's receive
    /// buffer) and write the bytes they got; the thread pool encodes from its objects.
    @Suite("Flat records in the pools", .serialized)
    struct FlatPoolTests {
        @Test(arguments: [ProcessPool.Transport.shm, .pipe])
        func workersReadFlatRecordsInPlace(transport: ProcessPool.Transport) throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let payload = Payload.generate(shape: .records, sizeBytes: 2_000_000, seed: 12)
            let encodedBytes = try FlatCodec().encode(payload).count
            for work in [WorkProfile.checksum, .cpu(nanosecondsPerByte: 1)] {
                let pool = try PoolTests.processPool(
                    codec: "flat", work: work, workBytes: 2_000_000, scratch: scratch.path, transport: transport)
                _ = try pool.start()
                let batch = try pool.run(payload: payload, checksum: payload.checksum, tasks: 4)
                _ = pool.shutdown()
                #expect(batch.samples.count == 4)
                for sample in batch.samples {
                    #expect(sample.seconds[.reserialize] == nil, "the object did not change: nothing to re-encode")
                    #expect(sample.seconds[.deserialize] != nil && sample.seconds[.verify] != nil)
                    #expect(sample.seconds[.work] != nil && sample.seconds[.write] != nil)
                    #expect(sample.encodedBytes == encodedBytes)
                }
            }
            #expect(scratch.contents.isEmpty)

            // A wrong checksum is still caught on the in-place path.
            let wrong = try PoolTests.processPool(
                workers: 1, codec: "flat", workBytes: 2_000_000, scratch: scratch.path,
                faults: [0: .wrongChecksum(task: 1)], transport: transport)
            _ = try wrong.start()
            #expect(throws: PoolError.self) { try wrong.run(payload: payload, checksum: payload.checksum, tasks: 1) }
            _ = wrong.shutdown()
        }

        /// The thread pool holds objects, not flat bytes: it encodes them (a reserialize stage) and writes that.
        @Test func threadPoolEncodesFlatFromItsObjects() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let payload = Payload.generate(shape: .records, sizeBytes: 200_000, seed: 3)
            let pool = ThreadPool(options: ThreadPool.Options(
                workers: 2, codec: FlatCodec(), work: .checksum, workBytes: 200_000, gil: 0, sync: false,
                scratchDirectory: scratch.path))
            _ = try pool.start()
            defer { _ = pool.shutdown() }
            let batch = try pool.run(payload: payload, checksum: payload.checksum, tasks: 4)
            for sample in batch.samples {
                #expect(sample.seconds[.reserialize] != nil)
                #expect(sample.encodedBytes == (try FlatCodec().encode(payload)).count)
            }
            #expect(scratch.contents.isEmpty)
        }
    }
}
