import Testing
import TestSupport
@testable import Payload
@testable import Codec

@Suite("Codec round trips")
struct CodecRoundTripTests {
    static let allCodecNames = ["binary", "json", "plist", "binary+zstd:1", "json+zstd:3"]

    /// Every codec at sizes the Foundation codecs finish quickly in a debug build.
    @Test(arguments: PayloadShape.allCases, allCodecNames)
    func everyShapeRoundTripsThroughEveryCodec(shape: PayloadShape, codecName: String) throws {
        let codec = try Codecs.named(codecName)
        for size in [1_000, 64_000, 256_000] {
            let payload = Payload.generate(shape: shape, sizeBytes: size, seed: UInt64(size))
            let encoded = try codec.encode(payload)
            let decoded = try encoded.withUnsafeBytes { try codec.decode($0) }
            #expect(decoded == payload, "\(shape) at \(size) through \(codecName)")
            #expect(decoded.checksum == payload.checksum)
            #expect(decoded.elementCount == payload.elementCount)
        }
    }

    @Test(arguments: PayloadShape.allCases, ["binary", "binary+zstd:1", "binary+zstd:-5"])
    func binaryCodecsRoundTripLargerPayloads(shape: PayloadShape, codecName: String) throws {
        let codec = try Codecs.named(codecName)
        for size in [1_000_000, 4_000_000] {
            let payload = Payload.generate(shape: shape, sizeBytes: size, seed: 77)
            let decoded = try codec.encode(payload).withUnsafeBytes { try codec.decode($0) }
            #expect(decoded.checksum == payload.checksum, "\(shape) at \(size) through \(codecName)")
            #expect(decoded == payload)
        }
    }

    @Test(arguments: ["binary", "json", "plist", "binary+zstd:3"])
    func edgeValuesRoundTrip(codecName: String) throws {
        let codec = try Codecs.named(codecName)
        let records = Record(id: .min, timestamp: .max, value: -.greatestFiniteMagnitude, name: "ünïcødé ✓",
                             tags: [.min, .max, 0, -1, 1, 2, 3, 4, 5])
        // Keys sorted, as Foundation's decoders return them.
        let tree = TreeNode.map([
            TreeEntry(key: "", value: .string("")),
            TreeEntry(key: "big", value: .integer(.max)),
            TreeEntry(key: "flags", value: .array([.bool(true), .bool(false), .array([]), .map([])])),
            TreeEntry(key: "neg", value: .integer(.min)),
            TreeEntry(key: "tiny", value: .number(.leastNonzeroMagnitude)),
            TreeEntry(key: "π", value: .number(3.141592653589793)),
        ])
        let payloads: [Payload] = [
            .blob([]), .blob([0, 255, 128]), .text(""), .text("line\n\"quoted\" \\ ✓ 😀\u{0}"),
            .numeric([]), .numeric([0, 1.5, -2.25, .greatestFiniteMagnitude, .leastNormalMagnitude, 1e-300, 0.1]),
            .records([]), .records([records]), .tree(tree), .tree(.array([])),
        ]
        for payload in payloads {
            let decoded = try codec.encode(payload).withUnsafeBytes { try codec.decode($0) }
            #expect(decoded == payload, "\(payload.shape) through \(codecName)")
            #expect(decoded.checksum == payload.checksum)
        }
    }

    @Test func binaryDecodesFromUnalignedMemory() throws {
        let payload = Payload.generate(shape: .records, sizeBytes: 10_000, seed: 3)
        let encoded = try BinaryCodec().encode(payload)
        var shifted = [UInt8](repeating: 0, count: encoded.count + 3)
        shifted.replaceSubrange(3..., with: encoded)
        let decoded = try shifted.withUnsafeBytes { try BinaryCodec().decode(UnsafeRawBufferPointer(rebasing: $0[3...])) }
        #expect(decoded == payload)
    }

    @Test func foundationCodecsSortTreeMapsOnDecode() throws {
        let unsorted = TreeNode.map([
            TreeEntry(key: "b", value: .integer(2)),
            TreeEntry(key: "a", value: .integer(1)),
        ])
        let sorted = TreeNode.map([
            TreeEntry(key: "a", value: .integer(1)),
            TreeEntry(key: "b", value: .integer(2)),
        ])
        for codec in [try Codecs.named("json"), try Codecs.named("plist")] {
            let decoded = try codec.encode(.tree(unsorted)).withUnsafeBytes { try codec.decode($0) }
            #expect(decoded == .tree(sorted))
        }
        // The binary codec keeps the order it is given.
        let binary = try BinaryCodec().encode(.tree(unsorted)).withUnsafeBytes { try BinaryCodec().decode($0) }
        #expect(binary == .tree(unsorted))
    }

    @Test func jsonEnvelopeNamesTheShape() throws {
        let encoded = try JSONCodec().encode(.numeric([1.5]))
        #expect(String(decoding: encoded, as: UTF8.self).contains("\"shape\":\"numeric\""))
    }

    @Test func deepTreesAreRefusedWhenEncodedToo() throws {
        var node = TreeNode.integer(1)
        for _ in 0..<(BinaryLayout.maximumTreeDepth + 1) { node = .array([node]) }
        #expect(throws: CodecError.nestingTooDeep(limit: BinaryLayout.maximumTreeDepth)) {
            try BinaryCodec().encode(.tree(node))
        }
        var allowed = TreeNode.integer(1)
        for _ in 0..<BinaryLayout.maximumTreeDepth { allowed = .array([allowed]) }
        for name in ["binary", "json", "plist"] {
            let codec = try Codecs.named(name)
            let decoded = try codec.encode(.tree(allowed)).withUnsafeBytes { try codec.decode($0) }
            #expect(decoded == .tree(allowed), "\(name)")
        }
    }
}
