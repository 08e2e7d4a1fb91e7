import Testing
import TestSupport
@testable import Payload
@testable import Codec
@testable import Pool
@testable import Results

extension Integration {
    @Suite("Raw codec and in-place views")
    struct RawCodecTests {
        @Test(arguments: [PayloadShape.blob, .numeric])
        func roundTripsAndViewsInPlace(shape: PayloadShape) throws {
            let payload = Payload.generate(shape: shape, sizeBytes: 100_000, seed: 4)
            let codec = try Codecs.named("raw")
            let bytes = try codec.encode(payload)
            #expect(bytes == (try BinaryCodec().encode(payload)), "raw is the binary format of a flat payload")
            let decoded = try bytes.withUnsafeBytes { try codec.decode($0) }
            #expect(decoded == payload)
            let checksum = try bytes.withUnsafeBytes { try RawView($0).checksum }
            #expect(checksum == payload.checksum, "the in-place checksum must equal the object's")
        }

        @Test func refusesShapesWithoutAFlatForm() {
            let records = Payload.generate(shape: .records, sizeBytes: 10_000, seed: 1)
            #expect(throws: CodecError.self) { try RawCodec().encode(records) }
            let encoded = try! BinaryCodec().encode(records)
            #expect(throws: CodecError.self) { try encoded.withUnsafeBytes { try RawView($0) } }
        }

        @Test func viewRejectsTruncatedBuffers() throws {
            let bytes = try RawCodec().encode(Payload.generate(shape: .numeric, sizeBytes: 4_000, seed: 2))
            for length in stride(from: 0, to: bytes.count, by: 7) {
                #expect(throws: CodecError.self) { try Array(bytes[0..<length]).withUnsafeBytes { try RawView($0) } }
            }
        }

        /// The zero-copy write puts the binary header in front of the object's own bytes: the header it builds is the
        /// binary encoding's, byte for byte.
        @Test(arguments: [PayloadShape.blob, .numeric])
        func inPlaceHeaderIsTheBinaryHeader(shape: PayloadShape) throws {
            let payload = Payload.generate(shape: shape, sizeBytes: 10_000, seed: 9)
            let encoded = try BinaryCodec().encode(payload)
            var header = [UInt8](repeating: 0xEE, count: BinaryLayout.headerBytes)
            let elements: Int
            switch payload {
            case .blob(let bytes): elements = bytes.count
            case .numeric(let values): elements = values.count
            default: elements = -1
            }
            header.withUnsafeMutableBytes {
                BinaryLayout.writeHeader(
                    into: $0.baseAddress!, shape: shape, elements: elements,
                    bodyLength: encoded.count - BinaryLayout.headerBytes)
            }
            #expect(header == Array(encoded.prefix(BinaryLayout.headerBytes)))
        }

        /// A thread pool with `raw` writes straight from the object: no reserialize stage, and a file of exactly the
        /// binary encoding's length (the writer checks the length with fstat).
        @Test func threadPoolWritesRawPayloadsWithoutReencoding() throws {
            let scratch = try TemporaryDirectory()
            defer { scratch.remove() }
            let payload = Payload.generate(shape: .numeric, sizeBytes: 200_000, seed: 3)
            let pool = ThreadPool(options: ThreadPool.Options(
                workers: 2, codec: try Codecs.named("raw"), work: .none, workBytes: 200_000, gil: 0, sync: false,
                scratchDirectory: scratch.path))
            _ = try pool.start()
            defer { _ = pool.shutdown() }
            let batch = try pool.run(payload: payload, checksum: payload.checksum, tasks: 6)
            #expect(batch.samples.count == 6)
            for sample in batch.samples {
                #expect(sample.seconds[.reserialize] == nil)
                #expect(sample.seconds[.write] != nil)
                #expect(sample.encodedBytes == (try BinaryCodec().encode(payload)).count)
            }
            #expect(scratch.contents.isEmpty)
        }
    }
}
