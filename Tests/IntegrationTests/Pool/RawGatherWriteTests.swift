#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import TestSupport
@testable import Payload
@testable import Codec
@testable import Platform

extension Integration {
    /// The `raw` codec's gather write: what a thread pool (and a pipe worker) writes to disk for blob and numeric.
    @Suite("Raw codec: gather writes")
    struct RawGatherWriteTests {
        /// The parts `withEncodedParts` hands out, written with one gather write, make the file `encode` would:
        /// byte for byte, for every shape `raw` holds.
        @Test(arguments: [PayloadShape.blob, .numeric], [0, 1, 4_096, 300_001])
        func gatherWrittenFileIsTheEncoding(shape: PayloadShape, size: Int) throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let payload = Payload.generate(shape: shape, sizeBytes: size, seed: 11)
            let codec = RawCodec()
            let path = directory.path + "/raw.bin"
            let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o600)
            #expect(fd >= 0)
            let partCount = try codec.withEncodedParts(of: payload) { parts in
                try DescriptorIO.writevAll(fd, parts)
                return parts.count
            }
            close(fd)
            #expect(partCount == 2, "a header and the object's own bytes, nothing staged")
            let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(written == (try codec.encode(payload)))
        }

        /// The body part is the object's own storage, not a copy of it.
        @Test func bodyPartIsTheObjectsOwnStorage() throws {
            let payload = Payload.generate(shape: .blob, sizeBytes: 10_000, seed: 2)
            guard case .blob(let bytes) = payload else { Issue.record("not a blob"); return }
            let own = bytes.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
            let lent = try RawCodec().withEncodedParts(of: payload) { UInt(bitPattern: $0[1].baseAddress) }
            #expect(own == lent)
        }

        @Test(arguments: [PayloadShape.records, .text, .tree])
        func shapesWithoutAFlatFormAreRefused(shape: PayloadShape) {
            let payload = Payload.generate(shape: shape, sizeBytes: 2_000, seed: 1)
            #expect(throws: CodecError.self) { try RawCodec().withEncodedParts(of: payload) { _ in () } }
        }
    }
}
