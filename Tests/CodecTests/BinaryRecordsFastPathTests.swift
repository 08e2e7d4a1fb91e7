import Testing
import TestSupport
@testable import Payload
@testable import Codec

/// The records paths that skip the standard library's generic calls: small names built and read as two words
/// (`SmallStringLayout`), and encoding in one pass into an estimated reservation (`BinaryCodec+OnePass.swift`).
@Suite("Binary records fast paths")
struct BinaryRecordsFastPathTests {
    /// A name of `length` bytes, ASCII or with two-byte characters.
    static func name(length: Int, ascii: Bool) -> String {
        let unit = ascii ? "k" : "é"
        var text = ""
        while text.utf8.count + unit.utf8.count <= length { text += unit }
        while text.utf8.count < length { text += "x" }
        return text
    }

    /// Records whose names are 0–20 bytes (both sides of the 15-byte small-string limit), ASCII and not, with 0–9
    /// tags; each name is repeated last, where fewer than 16 bytes follow it.
    static func records(ascii: Bool) -> [Record] {
        var records: [Record] = []
        for length in 0...20 {
            for tagCount in [0, 1, 9] {
                records.append(Record(id: Int64(length), timestamp: Int64(tagCount), value: Double(length) / 3,
                                      name: name(length: length, ascii: ascii),
                                      tags: (0..<tagCount).map { Int32($0) - 4 }))
            }
        }
        return records
    }

    @Test func theSmallStringLayoutIsVerifiedOnThisPlatform() {
        #if (arch(x86_64) || arch(arm64)) && _endian(little)
        #expect(SmallStringLayout.isVerified)
        #endif
    }

    @Test(arguments: [true, false])
    func namesOnBothSidesOfTheSmallLimitRoundTrip(ascii: Bool) throws {
        for record in Self.records(ascii: ascii) {
            // Alone (the name ends the body), and followed by another record (the two-word path).
            for records in [[record], [record, record]] {
                let payload = Payload.records(records)
                let encoded = try BinaryCodec().encode(payload)
                #expect(encoded.count == payload.logicalBytes)
                let decoded = try encoded.withUnsafeBytes { try BinaryCodec().decode($0) }
                #expect(decoded == payload, "name \(record.name.utf8.count) bytes, \(record.tags.count) tags")
                guard case .records(let back) = decoded else { continue }
                // Built from words, the names are ordinary strings: equal, hashed alike, and of the same bytes.
                #expect(Set(back.map(\.name)) == Set(records.map(\.name)))
                #expect(back.map { Array($0.name.utf8) } == records.map { Array($0.name.utf8) })
            }
        }
    }

    @Test func anInvalidByteInANameReadAsWordsIsRejected() throws {
        let records = [Record(id: 1, timestamp: 2, value: 3, name: "abcdefghijklmno", tags: []),
                       Record(id: 4, timestamp: 5, value: 6, name: "next", tags: [7])]
        let encoded = try BinaryCodec().encode(.records(records))
        for position in [0, 7, 8, 14] {
            var damaged = encoded
            damaged[BinaryLayout.headerBytes + BinaryLayout.recordFixedBytes + position] = 0xFF
            #expect(throws: CodecError.corrupt("the name of record 0 is not valid UTF-8")) {
                try damaged.withUnsafeBytes { try BinaryCodec().decode($0) }
            }
        }
    }

    @Test func oneAndTwoPassEncodingsAreTheSameBytes() throws {
        for size in [10_000, 100_000, 1_000_000] {
            let payload = Payload.generate(shape: .records, sizeBytes: size, seed: 5)
            let onePass = try BinaryCodec().encode(payload)
            #expect(onePass.count == size)
            #expect(onePass == (try Self.exactEncoding(payload)), "records at \(size)")
        }
    }

    @Test func aReservationTheSampleMadeTooSmallFallsBackToTheExactSize() throws {
        // The sample reads every fourth record (4096 records, stride 4): records between them are far larger.
        var records: [Record] = []
        for index in 0..<4096 {
            let sampled = index % 4 == 0
            records.append(Record(
                id: Int64(index), timestamp: 0, value: 0,
                name: sampled ? "a" : String(repeating: "long name ", count: 5),
                tags: sampled ? [] : Array(repeating: Int32(index), count: 40)))
        }
        let estimate = try #require(BinaryCodec.estimatedBodyBytes(of: records))
        let exact = try BinaryCodec.measure(records)
        #expect(estimate < exact)
        #expect(try BinaryCodec.encodeInOnePass(records, bodyCapacity: estimate) == nil)
        let payload = Payload.records(records)
        let encoded = try BinaryCodec().encode(payload)
        #expect(encoded == (try Self.exactEncoding(payload)))
        #expect(try encoded.withUnsafeBytes { try BinaryCodec().decode($0) } == payload)
    }

    @Test func shortListsAreMeasuredExactly() {
        let records = Array(repeating: Record(id: 1, timestamp: 2, value: 3, name: "n", tags: []),
                            count: BinaryCodec.sampleRecords)
        #expect(BinaryCodec.estimatedBodyBytes(of: records) == nil)
    }

    /// The two-pass encoding through `BufferEncoding`, which measures exactly before it writes.
    static func exactEncoding(_ payload: Payload) throws -> [UInt8] {
        var buffer = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        defer { buffer.deallocate() }
        let count = try BinaryCodec().encode(payload) { bytes in
            buffer = .allocate(byteCount: bytes, alignment: 16)
            buffer.initializeMemory(as: UInt8.self, repeating: 0xAA)
            return buffer
        }
        #expect(count == buffer.count)
        return Array(buffer)
    }
}
