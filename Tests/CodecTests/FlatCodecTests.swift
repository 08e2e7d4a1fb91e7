import Foundation
import Testing
import TestSupport
@testable import Payload
@testable import Codec

/// The `flat` records format: round trips, the in-place view, and the golden file that pins its bytes. Regenerate
/// the fixture only on purpose, with `PAYLOADLAB_REGENERATE_FIXTURES=1 swift test --filter FlatCodec`, and bump
/// `FlatLayout.version` if the layout changed (docs/FORMAT.md, "Flat records format").
@Suite("Flat records codec")
struct FlatCodecTests {
    static let fixturePath = Fixtures.url("flat").path + "/records.plf"
    static let regenerating = ProcessInfo.processInfo.environment["PAYLOADLAB_REGENERATE_FIXTURES"] == "1"
    /// The fixture's payload: the binary records fixture's (2 KB, seed 2024).
    static let fixturePayload = Payload.generate(shape: .records, sizeBytes: 2_000, seed: 2_024)

    @Test(arguments: [0, 23, 24, 100, 1_000, 64_000, 1_000_000])
    func roundTripsAndTheViewAgreesWithTheObject(size: Int) throws {
        let payload = Payload.generate(shape: .records, sizeBytes: size, seed: UInt64(size) &+ 3)
        let codec = try Codecs.named("flat")
        let encoded = try codec.encode(payload)
        #expect(encoded.count == payload.logicalBytes + FlatLayout.headerBytes - BinaryLayout.headerBytes,
                "flat is the binary encoding's size plus 16 header bytes")
        #expect(try encoded.withUnsafeBytes { try codec.decode($0) } == payload)
        try encoded.withUnsafeBytes { bytes in
            let view = try FlatRecordsView(bytes)
            #expect(view.checksum == payload.checksum, "the in-place checksum must equal the object's")
            #expect(view.encoded.count == encoded.count)
            guard case .records(let records) = payload else { return }
            #expect(view.count == records.count)
            for (index, record) in records.enumerated() {
                #expect(view.id(index) == record.id && view.timestamp(index) == record.timestamp)
                #expect(view.value(index).bitPattern == record.value.bitPattern)
                #expect(Array(view.name(index)) == Array(record.name.utf8))
                #expect(Array(view.tagBytes(index)) == record.tags.withUnsafeBytes { Array($0) })
            }
        }
    }

    @Test func edgeValuesRoundTripAndHashAlike() throws {
        let payload = Payload.records([
            Record(id: .min, timestamp: .max, value: -.greatestFiniteMagnitude, name: "ünïcødé ✓",
                   tags: [.min, .max, 0, -1, 1, 2, 3, 4, 5]),
            Record(id: 0, timestamp: 0, value: -0.0, name: "", tags: []),
            Record(id: -1, timestamp: 1, value: .nan, name: String(repeating: "x", count: 300), tags: [7]),
        ])
        let encoded = try FlatCodec().encode(payload)
        let decoded = try encoded.withUnsafeBytes { try FlatCodec().decode($0) }
        #expect(try BinaryCodec().encode(decoded) == (try BinaryCodec().encode(payload)))
        #expect(try encoded.withUnsafeBytes { try FlatRecordsView($0).checksum } == payload.checksum)
    }

    @Test func encodesStraightIntoACallersBuffer() throws {
        let payload = Payload.generate(shape: .records, sizeBytes: 50_000, seed: 8)
        let expected = try FlatCodec().encode(payload)
        var target = [UInt8](repeating: 0xEE, count: expected.count)
        let written = try target.withUnsafeMutableBytes { buffer in
            try FlatCodec().encode(payload) { count in
                #expect(count == expected.count)
                return buffer
            }
        }
        #expect(written == expected.count && target == expected)
    }

    @Test(arguments: [PayloadShape.blob, .text, .numeric, .tree])
    func refusesShapesOtherThanRecords(shape: PayloadShape) {
        #expect(throws: CodecError.self) { try FlatCodec().encode(Payload.generate(shape: shape, sizeBytes: 1_000, seed: 1)) }
        #expect(Codecs.shapes(heldBy: "flat") == [.records])
        #expect(Codecs.shapes(heldBy: "FLAT+zstd:1") == [.records])
        #expect(Codecs.shapes(heldBy: "raw") == [.blob, .numeric])
        #expect(Codecs.shapes(heldBy: "binary") == PayloadShape.allCases)
    }

    @Test func isDetectedByItsMagicAndRoundTripsThroughZstd() throws {
        let payload = Payload.generate(shape: .records, sizeBytes: 5_000, seed: 2)
        for name in ["flat", "flat+zstd"] {
            let codec = try Codecs.named(name)
            let encoded = try codec.encode(payload)
            #expect(encoded.withUnsafeBytes { Codecs.detect($0) } == name)
            #expect(try encoded.withUnsafeBytes { try codec.decode($0) } == payload)
        }
    }

    @Test func headerAndColumnsAreAsDocumented() throws {
        let payload = Payload.records([
            Record(id: 1, timestamp: 2, value: 1.0, name: "ab", tags: [5]),
            Record(id: 3, timestamp: 4, value: 2.0, name: "c", tags: []),
        ])
        let bytes = try FlatCodec().encode(payload)
        func u64(_ offset: Int) -> UInt64 { bytes[offset..<(offset + 8)].reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        func u32(_ offset: Int) -> UInt32 { bytes[offset..<(offset + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        #expect(Array(bytes[0..<4]) == Array("PLFR".utf8))
        #expect(Array(bytes[4..<8]) == [1, 0, 3, 0])  // version 1, records, no flags
        #expect(u64(8) == 2 && u64(24) == 3 && u64(32) == 1)  // records, name bytes, tags
        #expect(u64(16) == UInt64(bytes.count - 40))  // body length
        #expect(bytes.count == 40 + 32 * 2 + 4 * 1 + 3)
        #expect(u64(40) == 1 && u64(48) == 3)  // ids
        #expect(u64(56) == 2 && u64(64) == 4)  // timestamps
        #expect(u64(72) == 1.0.bitPattern && u64(80) == 2.0.bitPattern)  // values
        #expect(u32(88) == 2 && u32(92) == 3)  // name ends
        #expect(u32(96) == 1 && u32(100) == 1)  // tag ends
        #expect(u32(104) == 5)  // tags
        #expect(Array(bytes[108...]) == Array("abc".utf8))  // names
    }

    @Test func encodingMatchesTheFixtureByteForByte() throws {
        let encoded = try FlatCodec().encode(FlatCodecTests.fixturePayload)
        let path = FlatCodecTests.fixturePath
        if FlatCodecTests.regenerating {
            try FileManager.default.createDirectory(atPath: Fixtures.url("flat").path, withIntermediateDirectories: true)
            try Data(encoded).write(to: URL(fileURLWithPath: path))
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("missing fixture \(path); create it with PAYLOADLAB_REGENERATE_FIXTURES=1 swift test")
            return
        }
        let fixture = [UInt8](data)
        #expect(fixture.count == encoded.count, "fixture records.plf changed size")
        if let first = zip(fixture, encoded).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            Issue.record("""
                records.plf differs from the flat encoder at byte \(first.offset): the flat format or the generator \
                changed. If on purpose, bump FlatLayout.version when the layout changed, update docs/FORMAT.md, and \
                regenerate with PAYLOADLAB_REGENERATE_FIXTURES=1.
                """)
        }
        let decoded = try fixture.withUnsafeBytes { try FlatCodec().decode($0) }
        #expect(decoded == FlatCodecTests.fixturePayload)
        #expect(try fixture.withUnsafeBytes { try FlatRecordsView($0).checksum } == FlatCodecTests.fixturePayload.checksum)
    }
}
