import Testing
import TestSupport
@testable import Payload
@testable import Codec

@Suite("Codec names and detection")
struct CodecsTests {
    @Test(arguments: [
        ("binary", "binary"), ("json", "json"), ("plist", "plist"), ("binary+zstd", "binary+zstd:3"),
        ("binary+zstd:1", "binary+zstd:1"), ("json+zstd:19", "json+zstd:19"), ("plist+zstd:0", "plist+zstd:0"),
        ("binary+zstd:-5", "binary+zstd:-5"), ("BINARY+ZSTD:2", "binary+zstd:2"),
        ("binary+zstd:1+zstd", "binary+zstd:1+zstd:3"),
    ])
    func parsesNames(text: String, canonical: String) throws {
        #expect(try Codecs.named(text).name == canonical)
    }

    @Test func nameRoundTripsThroughNamed() throws {
        for name in Codecs.baseNames + Codecs.baseNames.map({ $0 + "+zstd:7" }) {
            #expect(try Codecs.named(Codecs.named(name).name).name == name)
        }
    }

    @Test(arguments: ["", "xml", "binary+", "+zstd", "binary+zstd:", "binary+zstd:x", "binary+zstd:1.5",
                      "binary+gzip", "binary+zstd:3:4", "zstd", " binary"])
    func rejectsUnknownNamesNamingThem(text: String) {
        #expect(throws: CodecError.unknownCodec(text)) { try Codecs.named(text) }
        let message = CodecError.unknownCodec(text).description
        #expect(message.contains("'\(text)'"))
        #expect(message.contains("binary"))
    }

    @Test(arguments: [23, 100, -200_000, Int.max])
    func rejectsLevelsOutsideLibzstdsRange(level: Int) {
        #expect(throws: CodecError.invalidZstdLevel(level)) { try Codecs.named("binary+zstd:\(level)") }
        #expect(CodecError.invalidZstdLevel(level).description.contains("\(level)"))
    }

    @Test func acceptsLibzstdsWholeRange() throws {
        #expect(try Codecs.named("json+zstd:\(ZstdCodec.levelRange.upperBound)").name.hasSuffix(":22"))
        #expect(try ZstdCodec(base: BinaryCodec(), level: ZstdCodec.levelRange.lowerBound).level < 0)
    }

    @Test func errorMessagesAreOneSentenceNamingTheValue() {
        let errors: [(CodecError, String)] = [
            (.unknownCodec("foo"), "foo"), (.invalidZstdLevel(99), "99"), (.truncated(expected: 100, got: 7), "7"),
            (.badMagic, "PLAB"), (.unsupportedVersion(9), "9"), (.badFlatMagic, "PLFR"), (.unsupportedFlatVersion(7), "7"), (.corrupt("record 3 is cut short"), "record 3"),
            (.nestingTooDeep(limit: 64), "64"), (.zstd("Unknown frame descriptor"), "Unknown frame descriptor"),
            (.foundation("Unexpected character"), "Unexpected character"),
            (.sizeLimitExceeded(what: "decompressed data", bytes: 5_000, limit: 4_096), "5000"),
        ]
        for (error, value) in errors {
            let text = error.description
            #expect(text.contains(value), "\(text)")
            #expect(text.hasSuffix("."), "\(text)")
            #expect(!text.dropLast().contains(". "), "more than one sentence: \(text)")
            #expect(!text.contains("\n"))
        }
    }

    @Test(arguments: ["binary", "json", "plist", "binary+zstd", "json+zstd", "plist+zstd", "binary+zstd+zstd"])
    func detectsTheCodecThatWroteThePayload(name: String) throws {
        let codec = try Codecs.named(name)
        for shape in PayloadShape.allCases {
            let encoded = try codec.encode(Payload.generate(shape: shape, sizeBytes: 3_000, seed: 1))
            #expect(encoded.withUnsafeBytes { Codecs.detect($0) } == name, "\(shape)")
        }
    }

    @Test func detectsNothingInOtherBytes() {
        for bytes: [UInt8] in [[], [0], Array("hello".utf8), [0x28, 0xB5, 0x2F, 0xFD], [0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3]] {
            #expect(bytes.withUnsafeBytes { Codecs.detect($0) } == nil)
        }
        #expect(Array("  \n{\"a\":1}".utf8).withUnsafeBytes { Codecs.detect($0) } == "json")
        #expect(Array("<?xml version=\"1.0\"?>".utf8).withUnsafeBytes { Codecs.detect($0) } == "plist")
    }

    @Test func detectsATruncatedZstdPayloadWhoseFirstBlockIsWhole() throws {
        // zstd emits nothing before a whole block (up to 128 KiB) arrives, so cut well after the first.
        let codec = try Codecs.named("binary+zstd:1")
        let encoded = try codec.encode(Payload.generate(shape: .text, sizeBytes: 2_000_000, seed: 1))
        let cut = Array(encoded.prefix(encoded.count * 3 / 4))
        #expect(cut.withUnsafeBytes { Codecs.detect($0) } == "binary+zstd")
        #expect(Array(encoded.prefix(100)).withUnsafeBytes { Codecs.detect($0) } == nil)
    }
}
