import Testing
import TestSupport
@testable import Payload
@testable import Codec

@Suite("zstd codec")
struct ZstdCodecTests {
    @Test func textCompressesMoreThanTwofold() throws {
        let payload = Payload.generate(shape: .text, sizeBytes: 1_000_000, seed: 1)
        let codec = try Codecs.named("binary+zstd:1")
        let compressed = try codec.encode(payload)
        #expect(Double(payload.logicalBytes) / Double(compressed.count) > 2)
        #expect(try compressed.withUnsafeBytes { try codec.decode($0) } == payload)
    }

    @Test func blobDoesNotCompress() throws {
        let payload = Payload.generate(shape: .blob, sizeBytes: 1_000_000, seed: 1)
        let compressed = try Codecs.named("binary+zstd:3").encode(payload)
        let ratio = Double(payload.logicalBytes) / Double(compressed.count)
        #expect(ratio > 0.99 && ratio < 1.01)
    }

    @Test func higherLevelsCompressTextBetter() throws {
        let payload = Payload.generate(shape: .text, sizeBytes: 300_000, seed: 2)
        let fast = try Codecs.named("binary+zstd:1").encode(payload).count
        let strong = try Codecs.named("binary+zstd:9").encode(payload).count
        #expect(strong < fast)
    }

    @Test func decodesHighlyCompressibleDataThroughTheStreamingPath() throws {
        // 4 MB of zeros compresses far beyond the trusted ratio, so the declared size is not allocated up front.
        let payload = Payload.blob([UInt8](repeating: 0, count: 4_000_000))
        let codec = try Codecs.named("binary+zstd:3")
        let compressed = try codec.encode(payload)
        #expect(Double(payload.logicalBytes) / Double(compressed.count) > Double(ZstdCodec.trustedRatio))
        #expect(try compressed.withUnsafeBytes { try codec.decode($0) } == payload)
    }

    @Test func contextsAndScratchAreReusedAcrossCalls() throws {
        let codec = try Codecs.named("binary+zstd:1")
        for seed in UInt64(0)..<20 {
            let payload = Payload.generate(shape: .records, sizeBytes: 20_000 + Int(seed) * 5_000, seed: seed)
            #expect(try codec.encode(payload).withUnsafeBytes { try codec.decode($0) } == payload)
        }
        ZstdCodec.releaseThreadState()
        let payload = Payload.generate(shape: .tree, sizeBytes: 50_000, seed: 1)
        #expect(try codec.encode(payload).withUnsafeBytes { try codec.decode($0) } == payload)
    }

    @Test func nestedZstdRoundTrips() throws {
        let codec = try Codecs.named("binary+zstd:1+zstd:3")
        let payload = Payload.generate(shape: .text, sizeBytes: 100_000, seed: 4)
        #expect(try codec.encode(payload).withUnsafeBytes { try codec.decode($0) } == payload)
    }

    @Test func worksFromManyThreadsAtOnce() async throws {
        let codec = try Codecs.named("binary+zstd:1")
        let payloads = (0..<8).map { Payload.generate(shape: .records, sizeBytes: 100_000, seed: UInt64($0)) }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for payload in payloads {
                group.addTask { try codec.encode(payload).withUnsafeBytes { try codec.decode($0) } == payload }
            }
            for try await matched in group { #expect(matched) }
        }
    }
}
