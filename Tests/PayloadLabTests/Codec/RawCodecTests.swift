import Testing
@testable import PayloadLab

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
}
