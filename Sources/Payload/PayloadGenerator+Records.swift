/// The records shape: random records, then one or two sized so the body lands exactly on its size.
extension PayloadGenerator {
    static let namePrefixes: [String] = ["user", "item", "host", "order", "job", "node", "acct", "sku"]
    static let nameAlphabet: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
    /// Names are at most 15 UTF-8 bytes, so Swift keeps them inline in the String (no allocation).
    static let maximumNameBytes = 15
    static let maximumTags = 8
    static let largestRecord = BinaryLayout.recordFixedBytes + maximumNameBytes + maximumTags * BinaryLayout.tagBytes

    static func records(bodyBytes: Int, generator: inout SeededGenerator) -> [Record] {
        let averageRecord = BinaryLayout.recordFixedBytes + 10 + maximumTags / 2 * BinaryLayout.tagBytes
        var records: [Record] = []
        records.reserveCapacity(bodyBytes / averageRecord + 16)
        let idBase = Int64(truncatingIfNeeded: generator.next() >> 24)
        var timestamp: Int64 = 1_700_000_000_000 + Int64(generator.next(below: 1_000_000))
        var remaining = bodyBytes

        func append(nameBytes: Int, tagCount: Int, generator: inout SeededGenerator) {
            timestamp &+= Int64(generator.next(below: 1_000))
            let value = ((generator.nextUnitDouble() - 0.5) * 2_000_000).rounded() / 100 + 0.0
            let record = Record(
                id: idBase &+ Int64(records.count),
                timestamp: timestamp,
                value: value,
                name: makeName(bytes: nameBytes, generator: &generator),
                tags: makeTags(count: tagCount, generator: &generator)
            )
            remaining &-= record.binaryBytes
            records.append(record)
        }

        // Random records while two more of the largest still fit, then one or two sized to land exactly on the size.
        while remaining >= 2 * largestRecord {
            append(nameBytes: generator.next(in: 4...maximumNameBytes), tagCount: generator.next(in: 0...maximumTags),
                   generator: &generator)
        }
        var finalSizes: [Int] = []
        if remaining >= 2 * BinaryLayout.recordFixedBytes {
            finalSizes = [remaining / 2, remaining - remaining / 2]
        } else if remaining >= BinaryLayout.recordFixedBytes {
            finalSizes = [remaining]
        }
        for size in finalSizes {
            // size - fixed is at most largestRecord - fixed = 15 + 8 × 4, so these tags and name fit it exactly.
            let variable = size - BinaryLayout.recordFixedBytes
            let tagCount = min(maximumTags, variable / BinaryLayout.tagBytes)
            append(nameBytes: variable - tagCount * BinaryLayout.tagBytes, tagCount: tagCount, generator: &generator)
        }
        return records
    }

    /// A name such as `host-k3x9q`: a prefix, a dash and random letters and digits, `bytes` long (at most 15).
    static func makeName(bytes: Int, generator: inout SeededGenerator) -> String {
        let prefix = namePrefixes[generator.next(below: namePrefixes.count)]
        return String(unsafeUninitializedCapacity: bytes) { output in
            var offset = 0
            if bytes > prefix.utf8.count + 1 {
                for byte in prefix.utf8 {
                    output[offset] = byte
                    offset &+= 1
                }
                output[offset] = UInt8(ascii: "-")
                offset &+= 1
            }
            var random = generator.next()
            while offset < bytes {
                // 64 random bits give 12 characters of 36 with a bias too small to matter for test data.
                output[offset] = nameAlphabet[Int(random % 36)]
                random /= 36
                offset &+= 1
            }
            return bytes
        }
    }

    /// `count` random tags in 0 ..< 16384. Lists of up to eight are array literals, which allocate without the
    /// run-time metadata lookup of `Array(unsafeUninitializedCapacity:)` (see `BinaryCodec.tagList`).
    static func makeTags(count: Int, generator: inout SeededGenerator) -> [Int32] {
        func tag() -> Int32 { Int32(truncatingIfNeeded: generator.next() >> 50) }
        switch count {
        case 0: return []
        case 1: return [tag()]
        case 2: return [tag(), tag()]
        case 3: return [tag(), tag(), tag()]
        case 4: return [tag(), tag(), tag(), tag()]
        case 5: return [tag(), tag(), tag(), tag(), tag()]
        case 6: return [tag(), tag(), tag(), tag(), tag(), tag()]
        case 7: return [tag(), tag(), tag(), tag(), tag(), tag(), tag()]
        case 8: return [tag(), tag(), tag(), tag(), tag(), tag(), tag(), tag()]
        default: return (0..<count).map { _ in tag() }
        }
    }
}
