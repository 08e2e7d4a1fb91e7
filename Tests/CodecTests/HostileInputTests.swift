import Testing
import TestSupport
@testable import Payload
@testable import Codec

/// Malformed input must throw `CodecError`; it must never trap, read out of bounds or allocate what it claims.
@Suite("Hostile input")
struct HostileInputTests {
    /// Decodes `bytes`; returns the error, which must be a `CodecError`, or nil if a payload came back.
    @discardableResult
    func decodeExpectingCodecErrorOrPayload(_ codec: any Codec, _ bytes: [UInt8],
                                            sourceLocation: SourceLocation = #_sourceLocation) -> CodecError? {
        do {
            _ = try bytes.withUnsafeBytes { try codec.decode($0) }
            return nil
        } catch let error as CodecError {
            return error
        } catch {
            Issue.record("\(codec.name) threw a non-codec error: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    func smallEncoding(_ codec: any Codec, _ shape: PayloadShape, size: Int = 300) throws -> [UInt8] {
        try codec.encode(Payload.generate(shape: shape, sizeBytes: size, seed: 31))
    }

    @Test(arguments: PayloadShape.allCases, ["binary", "binary+zstd:1", "json", "plist"])
    func everyTruncationIsRejected(shape: PayloadShape, codecName: String) throws {
        let codec = try Codecs.named(codecName)
        let encoded = try smallEncoding(codec, shape)
        for length in 0..<encoded.count {
            let error = decodeExpectingCodecErrorOrPayload(codec, Array(encoded.prefix(length)))
            #expect(error != nil, "\(codecName) \(shape) accepted a prefix of \(length) of \(encoded.count) bytes")
        }
    }

    @Test func binaryTruncationSaysHowMuchIsMissing() throws {
        let encoded = try smallEncoding(BinaryCodec(), .records)
        #expect(decodeExpectingCodecErrorOrPayload(BinaryCodec(), Array(encoded.dropLast(5)))
            == .truncated(expected: encoded.count, got: encoded.count - 5))
        #expect(decodeExpectingCodecErrorOrPayload(BinaryCodec(), Array(encoded.prefix(10)))
            == .truncated(expected: BinaryLayout.headerBytes, got: 10))
    }

    @Test(arguments: PayloadShape.allCases, ["binary", "binary+zstd:1"])
    func everyBitFlipIsDetected(shape: PayloadShape, codecName: String) throws {
        let codec = try Codecs.named(codecName)
        let original = Payload.generate(shape: shape, sizeBytes: 300, seed: 31)
        let encoded = try codec.encode(original)
        for bit in 0..<(encoded.count * 8) {
            var damaged = encoded
            damaged[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            expectDetected(codec, damaged, original: original, what: "bit \(bit)")
        }
    }

    /// A damaged encoding must either throw `CodecError`, decode to exactly the original payload (the bit carried
    /// no payload information: a zstd frame's window size, a plist's whitespace), or decode to a payload whose
    /// checksum differs from the original's — what a worker's verify stage compares. What fails is a different
    /// payload with the original's checksum: damage that would pass unnoticed.
    func expectDetected(_ codec: any Codec, _ damaged: [UInt8], original: Payload, what: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let decoded = try damaged.withUnsafeBytes { try codec.decode($0) }
            let same = (try? BinaryCodec().encode(decoded)) == (try? BinaryCodec().encode(original))
            #expect(same || decoded.checksum != original.checksum,
                    "\(codec.name) \(original.shape): \(what) flipped decodes to another payload with the original's checksum",
                    sourceLocation: sourceLocation)
        } catch is CodecError {
        } catch {
            Issue.record("\(codec.name) threw a non-codec error: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: PayloadShape.allCases, ["json", "plist", "json+zstd:3"])
    func sampledBitFlipsAreDetected(shape: PayloadShape, codecName: String) throws {
        let codec = try Codecs.named(codecName)
        let original = Payload.generate(shape: shape, sizeBytes: 600, seed: 31)
        let encoded = try codec.encode(original)
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<300 {
            var damaged = encoded
            let bit = generator.next(below: encoded.count * 8)
            damaged[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            expectDetected(codec, damaged, original: original, what: "bit \(bit)")
        }
    }

    @Test(arguments: ["binary", "binary+zstd:1", "json", "plist"])
    func randomBytesAreRejected(codecName: String) throws {
        let codec = try Codecs.named(codecName)
        var generator = SeededGenerator(seed: 5)
        for length in [0, 1, 7, 24, 100, 4_096] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(decodeExpectingCodecErrorOrPayload(codec, bytes) != nil)
        }
    }

    // MARK: lengths that lie

    /// A binary header with the given fields, followed by `body`.
    func header(shape: UInt8, count: UInt64, bodyLength: UInt64, version: UInt16 = BinaryLayout.version,
                body: [UInt8] = []) -> [UInt8] {
        var bytes = BinaryLayout.magic
        bytes += withUnsafeBytes(of: version.littleEndian, Array.init)
        bytes += [shape, 0]
        bytes += withUnsafeBytes(of: count.littleEndian, Array.init)
        bytes += withUnsafeBytes(of: bodyLength.littleEndian, Array.init)
        return bytes + body
    }

    @Test func aHeaderClaimingATerabyteThrowsWithoutAllocating() {
        let terabyte: UInt64 = 1 << 40
        for shape in UInt8(0)...4 {
            let error = decodeExpectingCodecErrorOrPayload(BinaryCodec(),
                                                           header(shape: shape, count: terabyte, bodyLength: terabyte))
            #expect(error == .truncated(expected: Int(terabyte) + BinaryLayout.headerBytes, got: 24))
        }
        #expect(decodeExpectingCodecErrorOrPayload(BinaryCodec(), header(shape: 0, count: 1, bodyLength: .max))
            != nil)
    }

    @Test func elementCountsBeyondTheBodyThrowBeforeReserving() {
        let body = [UInt8](repeating: 0, count: 64)
        for shape in UInt8(0)...4 {
            for count: UInt64 in [1 << 40, UInt64(Int.max), .max, 3] {
                let bytes = header(shape: shape, count: count, bodyLength: UInt64(body.count), body: body)
                let error = decodeExpectingCodecErrorOrPayload(BinaryCodec(), bytes)
                #expect(error != nil, "shape \(shape) count \(count)")
            }
        }
    }

    @Test func aRecordClaimingAHugeNameOrTagListThrows() throws {
        var encoded = try BinaryCodec().encode(.records([Record(id: 1, timestamp: 2, value: 3, name: "x", tags: [])]))
        for offset in [BinaryLayout.headerBytes + 24, BinaryLayout.headerBytes + 28] {
            var damaged = encoded
            damaged.replaceSubrange(offset..<(offset + 4), with: [0xFF, 0xFF, 0xFF, 0xFF])
            guard case .corrupt = decodeExpectingCodecErrorOrPayload(BinaryCodec(), damaged) else {
                Issue.record("expected corrupt")
                continue
            }
        }
        encoded[BinaryLayout.headerBytes + BinaryLayout.recordFixedBytes] = 0xFF  // the name becomes invalid UTF-8
        #expect(decodeExpectingCodecErrorOrPayload(BinaryCodec(), encoded)
            == .corrupt("the name of record 0 is not valid UTF-8"))
    }

    @Test func aTreeArrayClaimingBillionsOfItemsThrows() {
        // array tag, count 0xFFFFFFFF, then nothing.
        let body: [UInt8] = [TreeTag.array.rawValue, 0xFF, 0xFF, 0xFF, 0xFF, TreeTag.bool.rawValue, 1]
        let error = decodeExpectingCodecErrorOrPayload(BinaryCodec(),
                                                       header(shape: 4, count: 2, bodyLength: 7, body: body))
        guard case .corrupt = error else {
            Issue.record("expected corrupt, got \(String(describing: error))")
            return
        }
    }

    @Test func treesNestedDeeperThanTheLimitThrow() {
        let depth = BinaryLayout.maximumTreeDepth + 1
        var body: [UInt8] = []
        for _ in 0..<depth { body += [TreeTag.array.rawValue, 1, 0, 0, 0] }
        body += [TreeTag.bool.rawValue, 1]
        let bytes = header(shape: 4, count: UInt64(depth + 1), bodyLength: UInt64(body.count), body: body)
        #expect(decodeExpectingCodecErrorOrPayload(BinaryCodec(), bytes)
            == .nestingTooDeep(limit: BinaryLayout.maximumTreeDepth))
        // Far deeper input (a stack-overflow attempt) stops at the same limit.
        var deep: [UInt8] = []
        for _ in 0..<100_000 { deep += [TreeTag.array.rawValue, 1, 0, 0, 0] }
        let deepBytes = header(shape: 4, count: 100_001, bodyLength: UInt64(deep.count + 2), body: deep + [5, 1])
        #expect(decodeExpectingCodecErrorOrPayload(BinaryCodec(), deepBytes)
            == .nestingTooDeep(limit: BinaryLayout.maximumTreeDepth))
    }

    @Test func jsonNestedDeeperThanTheLimitThrows() {
        let depth = 200
        let json = "{\"shape\":\"tree\",\"value\":" + String(repeating: "[", count: depth) + "1"
            + String(repeating: "]", count: depth) + "}"
        let error = decodeExpectingCodecErrorOrPayload(JSONCodec(), Array(json.utf8))
        #expect(error == .nestingTooDeep(limit: BinaryLayout.maximumTreeDepth))
    }

    @Test func headerFieldsAreChecked() throws {
        let good = try smallEncoding(BinaryCodec(), .blob)
        var wrongMagic = good
        wrongMagic[0] = UInt8(ascii: "X")
        #expect(decodeExpectingCodecErrorOrPayload(BinaryCodec(), wrongMagic) == .badMagic)
        var newerVersion = good
        newerVersion[4] = 2
        #expect(decodeExpectingCodecErrorOrPayload(BinaryCodec(), newerVersion) == .unsupportedVersion(2))
        var unknownShape = good
        unknownShape[6] = 9
        #expect(decodeExpectingCodecErrorOrPayload(BinaryCodec(), unknownShape)
            == .corrupt("unknown shape code 9 in the header"))
        var flags = good
        flags[7] = 1
        #expect(decodeExpectingCodecErrorOrPayload(BinaryCodec(), flags) == .corrupt("unknown header flags 1"))
        #expect(decodeExpectingCodecErrorOrPayload(BinaryCodec(), good + [0])
            == .corrupt("1 bytes follow the end of the payload"))
    }

    // MARK: zstd

    /// A zstd frame (single segment, 8-byte content size) declaring `declared` bytes, holding one raw block of `data`.
    func zstdFrame(declaring declared: UInt64, data: [UInt8]) -> [UInt8] {
        var frame = ZstdCodec.frameMagic
        frame.append(0b1110_0000)  // frame header descriptor: 8-byte content size, single segment, no checksum
        frame += withUnsafeBytes(of: declared.littleEndian, Array.init)
        let blockHeader = UInt32(data.count) << 3 | 0b001  // raw block, last block
        frame += [UInt8(truncatingIfNeeded: blockHeader), UInt8(truncatingIfNeeded: blockHeader >> 8),
                  UInt8(truncatingIfNeeded: blockHeader >> 16)]
        return frame + data
    }

    @Test func zstdFrameDeclaringATerabyteThrowsWithoutAllocating() throws {
        let codec = try Codecs.named("binary+zstd")
        let frame = zstdFrame(declaring: 1 << 40, data: Array("PLAB".utf8))
        #expect(decodeExpectingCodecErrorOrPayload(codec, frame) != nil)
        // A frame that tells the truth decodes through the same path.
        let payload = Payload.blob([1, 2, 3])
        let binary = try BinaryCodec().encode(payload)
        let honest = zstdFrame(declaring: UInt64(binary.count), data: binary)
        #expect(try honest.withUnsafeBytes { try codec.decode($0) } == payload)
    }

    @Test func zstdFrameDeclaringTooLittleThrows() throws {
        let binary = try BinaryCodec().encode(.blob([1, 2, 3]))
        let frame = zstdFrame(declaring: 10, data: binary)
        #expect(decodeExpectingCodecErrorOrPayload(try Codecs.named("binary+zstd"), frame) != nil)
    }

    @Test func zstdRejectsTrailingBytesAndSecondFrames() throws {
        let codec = try Codecs.named("binary+zstd:1")
        let encoded = try codec.encode(.text("hello"))
        #expect(decodeExpectingCodecErrorOrPayload(codec, encoded + [0]) != nil)
        #expect(decodeExpectingCodecErrorOrPayload(codec, encoded + encoded)
            == .corrupt("\(encoded.count) bytes follow the zstd frame"))
    }

    @Test func zstdOfSomethingElseIsRejectedByTheBase() throws {
        let jsonInZstd = try Codecs.named("json+zstd").encode(.text("hello"))
        let error = decodeExpectingCodecErrorOrPayload(try Codecs.named("binary+zstd"), jsonInZstd)
        #expect(error == .badMagic)
    }
}
