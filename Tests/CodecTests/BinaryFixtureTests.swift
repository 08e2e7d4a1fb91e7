import Foundation
import Testing
import TestSupport
@testable import Payload
@testable import Codec

/// Golden files pin the binary format (and the generator): any change to the bytes fails here until the fixtures
/// are regenerated on purpose, with `PAYLOADLAB_REGENERATE_FIXTURES=1 swift test --filter BinaryFixture`, and the
/// format version is bumped if the layout changed (docs/FORMAT.md, "Versioning").
@Suite("Binary format fixtures")
struct BinaryFixtureTests {
    /// `fixtures/binary/` at the package root, found from this file's path.
    static let directory = Fixtures.url("binary").path

    static let regenerating = ProcessInfo.processInfo.environment["PAYLOADLAB_REGENERATE_FIXTURES"] == "1"

    /// Each fixture's payload: a few kilobytes of one shape, seed 2024.
    static func payload(_ shape: PayloadShape) -> Payload {
        Payload.generate(shape: shape, sizeBytes: shape == .tree ? 4_000 : 2_000, seed: 2_024)
    }

    static func path(_ shape: PayloadShape) -> String {
        "\(directory)/\(shape.rawValue).plb"
    }

    @Test(arguments: PayloadShape.allCases)
    func encodingMatchesTheFixtureByteForByte(shape: PayloadShape) throws {
        let encoded = try BinaryCodec().encode(BinaryFixtureTests.payload(shape))
        let path = BinaryFixtureTests.path(shape)
        if BinaryFixtureTests.regenerating {
            try FileManager.default.createDirectory(atPath: BinaryFixtureTests.directory,
                                                    withIntermediateDirectories: true)
            try Data(encoded).write(to: URL(fileURLWithPath: path))
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("missing fixture \(path); create it with PAYLOADLAB_REGENERATE_FIXTURES=1 swift test")
            return
        }
        let fixture = [UInt8](data)
        #expect(fixture.count == encoded.count, "fixture \(shape.rawValue).plb changed size")
        if let first = zip(fixture, encoded).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            Issue.record("""
                \(shape.rawValue).plb differs from the encoder at byte \(first.offset): the binary format or the \
                generator changed. If on purpose, bump BinaryLayout.version when the layout changed, update \
                docs/FORMAT.md, and regenerate with PAYLOADLAB_REGENERATE_FIXTURES=1.
                """)
        }
    }

    @Test(arguments: PayloadShape.allCases)
    func fixtureDecodesToTheGeneratedPayload(shape: PayloadShape) throws {
        guard !BinaryFixtureTests.regenerating,
              let data = FileManager.default.contents(atPath: BinaryFixtureTests.path(shape)) else { return }
        let decoded = try [UInt8](data).withUnsafeBytes { try BinaryCodec().decode($0) }
        #expect(decoded == BinaryFixtureTests.payload(shape))
        #expect(data.count >= BinaryLayout.headerBytes)
        #expect(Array(data.prefix(4)) == BinaryLayout.magic)
        #expect(data[4] == UInt8(BinaryLayout.version) && data[5] == 0)
    }

    @Test func headerLayoutIsAsDocumented() throws {
        let encoded = try BinaryCodec().encode(.numeric([1.0, 2.0]))
        #expect(encoded.count == 24 + 16)
        #expect(Array(encoded[0..<4]) == Array("PLAB".utf8))
        #expect(Array(encoded[4..<6]) == [1, 0])  // version 1, little-endian
        #expect(encoded[6] == 2)  // numeric
        #expect(encoded[7] == 0)  // flags
        #expect(Array(encoded[8..<16]) == [2, 0, 0, 0, 0, 0, 0, 0])  // two elements
        #expect(Array(encoded[16..<24]) == [16, 0, 0, 0, 0, 0, 0, 0])  // sixteen body bytes
        #expect(Array(encoded[24..<32]) == [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])  // 1.0 as little-endian IEEE 754
    }
}
