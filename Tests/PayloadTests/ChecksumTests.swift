import Testing
import TestSupport
@testable import Payload

@Suite("Checksum")
struct ChecksumTests {
    @Test func xxh64MatchesTheReferenceVectors() {
        // Vectors from xxHash's own test suite (xxhsum -H64).
        #expect(hash("", seed: 0) == 0xEF46_DB37_51D8_E999)
        #expect(hash("a", seed: 0) == 0xD24E_C4F1_A98C_6E5B)
        #expect(hash("abc", seed: 0) == 0x44BC_2CF5_AD77_0999)
        #expect(hash("Nobody inspects the spammish repetition", seed: 0) == 0xFBCE_A83C_8A37_8BF1)
    }

    private func hash(_ text: String, seed: UInt64) -> UInt64 {
        Array(text.utf8).withUnsafeBytes { XXH64.hash($0, seed: seed) }
    }

    @Test func oneChangedByteChangesTheChecksum() {
        var bytes = [UInt8](repeating: 0, count: 1_000)
        let before = Payload.blob(bytes).checksum
        bytes[617] = 1
        #expect(Payload.blob(bytes).checksum != before)
    }

    @Test func shapesWithTheSameBytesDiffer() {
        // The same eight zero bytes as a blob and as one Double must not share a checksum.
        #expect(Payload.blob([UInt8](repeating: 0, count: 8)).checksum != Payload.numeric([0]).checksum)
    }

    @Test func recordFieldsCannotTradeBytes() {
        let first = Record(id: 1, timestamp: 2, value: 3, name: "ab", tags: [])
        let second = Record(id: 1, timestamp: 2, value: 3, name: "a", tags: [98])
        #expect(Payload.records([first]).checksum != Payload.records([second]).checksum)
    }

    @Test func treeKeysAndValuesCount() {
        let one = TreeNode.map([TreeEntry(key: "a", value: .integer(1))])
        let otherKey = TreeNode.map([TreeEntry(key: "b", value: .integer(1))])
        let otherValue = TreeNode.map([TreeEntry(key: "a", value: .number(1))])
        let nested = TreeNode.array([one])
        let checksums = [one, otherKey, otherValue, nested].map { Payload.tree($0).checksum }
        #expect(Set(checksums).count == 4)
    }

    @Test(arguments: PayloadShape.allCases)
    func largerPayloadsHashTheSameWayEveryTime(shape: PayloadShape) {
        let payload = Payload.generate(shape: shape, sizeBytes: 300_000, seed: 21)
        #expect(payload.checksum == payload.checksum)
        #expect(payload.checksum != 0)
    }
}
