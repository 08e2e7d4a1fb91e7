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

    // MARK: flat

    /// Checks `bytes` as a flat view; returns the error (which must be a `CodecError`), or nil with `checksum` set
    /// when the view accepted them.
    @discardableResult
    func viewExpectingCodecErrorOrView(_ bytes: [UInt8], checksum: inout UInt64?,
                                       sourceLocation: SourceLocation = #_sourceLocation) -> CodecError? {
        do {
            checksum = try bytes.withUnsafeBytes { raw in
                let view = try FlatRecordsView(raw)
                // Every accessor on every record stays inside the buffer (the sanitizer-free check: it must not trap).
                var touched = 0
                for index in 0..<view.count {
                    touched &+= view.name(index).count &+ view.tagBytes(index).count
                    _ = (view.id(index), view.timestamp(index), view.value(index))
                }
                #expect(touched == view.nameBytes + view.tagCount * FlatLayout.tagBytes, sourceLocation: sourceLocation)
                return view.checksum
            }
            return nil
        } catch let error as CodecError {
            return error
        } catch {
            Issue.record("the flat view threw a non-codec error: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test(arguments: ["flat", "flat+zstd:1"])
    func everyFlatTruncationIsRejected(codecName: String) throws {
        let codec = try Codecs.named(codecName)
        let encoded = try smallEncoding(codec, .records)
        for length in 0..<encoded.count {
            let prefix = Array(encoded.prefix(length))
            #expect(decodeExpectingCodecErrorOrPayload(codec, prefix) != nil,
                    "\(codecName) accepted a prefix of \(length) of \(encoded.count) bytes")
            if codecName == "flat" {
                var checksum: UInt64?
                #expect(viewExpectingCodecErrorOrView(prefix, checksum: &checksum) != nil,
                        "the flat view accepted a prefix of \(length) of \(encoded.count) bytes")
            }
        }
        let flat = try smallEncoding(FlatCodec(), .records)
        #expect(decodeExpectingCodecErrorOrPayload(FlatCodec(), Array(flat.dropLast(5)))
            == .truncated(expected: flat.count, got: flat.count - 5))
        #expect(decodeExpectingCodecErrorOrPayload(FlatCodec(), Array(flat.prefix(10)))
            == .truncated(expected: FlatLayout.headerBytes, got: 10))
    }

    /// Every bit of a flat encoding carries information (there is no padding), so every flip must be caught: by the
    /// view's checks, or by the checksum it computes in place — what the worker's verify stage compares.
    @Test func everyFlatBitFlipIsDetectedByTheViewAndTheDecoder() throws {
        let original = Payload.generate(shape: .records, sizeBytes: 300, seed: 31)
        let encoded = try FlatCodec().encode(original)
        for bit in 0..<(encoded.count * 8) {
            var damaged = encoded
            damaged[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            expectDetected(FlatCodec(), damaged, original: original, what: "bit \(bit)")
            var checksum: UInt64?
            if viewExpectingCodecErrorOrView(damaged, checksum: &checksum) == nil {
                #expect(checksum != original.checksum, "bit \(bit) flipped passes the view with the original's checksum")
            }
        }
        let zstd = try Codecs.named("flat+zstd:1")
        let compressed = try zstd.encode(original)
        for bit in 0..<(compressed.count * 8) {
            var damaged = compressed
            damaged[bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            expectDetected(zstd, damaged, original: original, what: "bit \(bit)")
        }
    }

    @Test func randomBytesAreRejectedByTheFlatViewAndDecoder() {
        var generator = SeededGenerator(seed: 5)
        for length in [0, 1, 7, 24, 40, 100, 4_096] {
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(decodeExpectingCodecErrorOrPayload(FlatCodec(), bytes) != nil)
            // Behind a valid magic and version too.
            if length >= 8 { bytes.replaceSubrange(0..<8, with: FlatLayout.magic + [1, 0, 3, 0]) }
            var checksum: UInt64?
            #expect(viewExpectingCodecErrorOrView(bytes, checksum: &checksum) != nil)
        }
    }

    /// A flat header with the given fields, followed by `body`.
    func flatHeader(count: UInt64, bodyLength: UInt64, nameBytes: UInt64, tags: UInt64, shape: UInt8 = 3,
                    version: UInt16 = FlatLayout.version, body: [UInt8] = []) -> [UInt8] {
        var bytes = FlatLayout.magic
        bytes += withUnsafeBytes(of: version.littleEndian, Array.init)
        bytes += [shape, 0]
        for field in [count, bodyLength, nameBytes, tags] { bytes += withUnsafeBytes(of: field.littleEndian, Array.init) }
        return bytes + body
    }

    @Test func flatHeadersThatLieThrowWithoutAllocating() {
        let terabyte: UInt64 = 1 << 40
        #expect(decodeExpectingCodecErrorOrPayload(
            FlatCodec(), flatHeader(count: terabyte, bodyLength: terabyte, nameBytes: 0, tags: 0))
            == .truncated(expected: Int(terabyte) + FlatLayout.headerBytes, got: FlatLayout.headerBytes))
        #expect(decodeExpectingCodecErrorOrPayload(
            FlatCodec(), flatHeader(count: 1, bodyLength: .max, nameBytes: 0, tags: 0)) != nil)
        let body = [UInt8](repeating: 0, count: 64)
        // Counts whose products overflow, heaps beyond UInt32, and sums that miss the body by a little.
        let lies: [(UInt64, UInt64, UInt64)] = [
            (.max, 0, 0), (1 << 62, 0, 0), (2, .max, 0), (2, 0, .max), (0, 1 << 32, 0), (0, 0, 1 << 32),
            (2, 1, 0), (1, 32, 0), (0, 0, 16), (0, 64, 0), (3, 0, 0),
        ]
        for (count, names, tags) in lies {
            let bytes = flatHeader(count: count, bodyLength: 64, nameBytes: names, tags: tags, body: body)
            var checksum: UInt64?
            let error = viewExpectingCodecErrorOrView(bytes, checksum: &checksum)
            #expect(error != nil, "count \(count) names \(names) tags \(tags)")
        }
        // No records but 64 name bytes: no end reaches them.
        var checksum: UInt64?
        #expect(viewExpectingCodecErrorOrView(
            flatHeader(count: 0, bodyLength: 64, nameBytes: 64, tags: 0, body: body), checksum: &checksum)
            == .corrupt("the name ends stop at 0, not at the 64 the header promises"))
    }

    @Test func flatEndsThatFallBackOrOverrunThrow() throws {
        let payload = Payload.records([
            Record(id: 1, timestamp: 2, value: 3, name: "abc", tags: [1, 2]),
            Record(id: 4, timestamp: 5, value: 6, name: "de", tags: [3]),
        ])
        let encoded = try FlatCodec().encode(payload)
        let columns = FlatLayout.Columns(count: 2, tagCount: 3)
        func withEnd(_ offset: Int, _ value: UInt32) -> [UInt8] {
            var bytes = encoded
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + 4), with: $0) }
            return bytes
        }
        var checksum: UInt64?
        #expect(viewExpectingCodecErrorOrView(withEnd(columns.nameEnds, 6), checksum: &checksum)
            == .corrupt("the name end of record 1 (5) lies before the one before it (6)"))
        #expect(viewExpectingCodecErrorOrView(withEnd(columns.nameEnds + 4, .max), checksum: &checksum)
            == .corrupt("the name ends stop at 4294967295, not at the 5 the header promises"))
        #expect(viewExpectingCodecErrorOrView(withEnd(columns.tagEnds, .max), checksum: &checksum) != nil)
        #expect(viewExpectingCodecErrorOrView(withEnd(columns.tagEnds + 4, 2), checksum: &checksum) != nil)
        // A name that is not UTF-8 passes the view (it reads bytes) but not the decoder, and changes the checksum.
        var notUTF8 = encoded
        notUTF8[columns.names] = 0xFF
        #expect(viewExpectingCodecErrorOrView(notUTF8, checksum: &checksum) == nil)
        #expect(checksum != payload.checksum)
        #expect(decodeExpectingCodecErrorOrPayload(FlatCodec(), notUTF8) == .corrupt("the name of record 0 is not valid UTF-8"))
    }

    @Test func flatHeaderFieldsAreChecked() throws {
        let good = try smallEncoding(FlatCodec(), .records)
        var wrongMagic = good
        wrongMagic[0] = UInt8(ascii: "X")
        #expect(decodeExpectingCodecErrorOrPayload(FlatCodec(), wrongMagic) == .badFlatMagic)
        #expect(decodeExpectingCodecErrorOrPayload(FlatCodec(), try smallEncoding(BinaryCodec(), .records)) == .badFlatMagic)
        var newerVersion = good
        newerVersion[4] = 2
        #expect(decodeExpectingCodecErrorOrPayload(FlatCodec(), newerVersion) == .unsupportedFlatVersion(2))
        var otherShape = good
        otherShape[6] = 0
        #expect(decodeExpectingCodecErrorOrPayload(FlatCodec(), otherShape)
            == .corrupt("shape code 0 in a flat header; the flat format holds only records"))
        var flags = good
        flags[7] = 1
        #expect(decodeExpectingCodecErrorOrPayload(FlatCodec(), flags) == .corrupt("unknown header flags 1"))
        #expect(decodeExpectingCodecErrorOrPayload(FlatCodec(), good + [0])
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
