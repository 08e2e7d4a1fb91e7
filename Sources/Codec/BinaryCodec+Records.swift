import Payload
import Units

/// The records shape: fixed 32-byte fields, then the name's UTF-8 bytes and the tags, per record.
extension BinaryCodec {
    /// The body bytes of `records`; throws if a name or tag list is longer than the format's UInt32 holds.
    static func measure(_ records: [Record]) throws -> Int {
        try records.withUnsafeBufferPointer { buffer in
            var body = 0
            for index in buffer.indices {
                let nameBytes = buffer[index].name.utf8.count
                let tagCount = buffer[index].tags.count
                if nameBytes > Int(UInt32.max) { try BinaryCodec.checkLength(nameBytes, of: "record name") }
                if tagCount > Int(UInt32.max) { try BinaryCodec.checkLength(tagCount, of: "tag list") }
                body &+= BinaryLayout.recordFixedBytes &+ nameBytes &+ tagCount &* BinaryLayout.tagBytes
            }
            return body
        }
    }

    /// Writes the records into at most `capacity` bytes at `body` and returns the bytes written; nil when they do
    /// not fit (only a one-pass reservation can be short); throws when a name or tag list is longer than the format's
    /// UInt32 holds.
    ///
    /// Records are read where they lie (no copy of a `Record`, so no retain and release of its tag list), a small
    /// name is stored as its two words (`SmallStringLayout`) while 16 bytes remain, and tags are copied in words
    /// rather than through `memmove`: calls that cost more than the bytes they move at 10–15 bytes a name and 0–32
    /// bytes of tags. Bytes a word store writes past the name are overwritten by the tags and the next record.
    static func write(_ records: [Record], to body: UnsafeMutableRawPointer, capacity: Int) throws -> Int? {
        try records.withUnsafeBufferPointer { buffer in
            guard let first = buffer.baseAddress else { return 0 }
            let smallNames = SmallStringLayout.isVerified
            var offset = 0
            for index in 0..<buffer.count {
                let record = first + index
                let room = capacity &- offset &- BinaryLayout.recordFixedBytes
                guard room >= 0 else { return nil }
                let fixed = body + offset
                let name = fixed + BinaryLayout.recordFixedBytes
                let nameBytes: Int
                if smallNames, room >= 16, let words = SmallStringLayout.words(of: record.pointee.name) {
                    name.storeBytes(of: words.low, as: UInt64.self)
                    name.storeBytes(of: words.high, toByteOffset: 8, as: UInt64.self)
                    nameBytes = words.count
                } else {
                    nameBytes = record.pointee.name.utf8.count
                    if nameBytes > Int(UInt32.max) { try BinaryCodec.checkLength(nameBytes, of: "record name") }
                    guard nameBytes <= room else { return nil }
                    BinaryCodec.copyUTF8(of: record.pointee.name, count: nameBytes, to: name)
                }
                let tagBytes = try record.pointee.tags.withUnsafeBytes { tags -> Int? in
                    let tagCount = tags.count / BinaryLayout.tagBytes
                    if tagCount > Int(UInt32.max) { try BinaryCodec.checkLength(tagCount, of: "tag list") }
                    guard tags.count <= room &- nameBytes else { return nil }
                    return BinaryCodec.copyWords(tags, to: name + nameBytes)
                }
                guard let tagBytes else { return nil }
                fixed.storeBytes(of: UInt64(bitPattern: record.pointee.id).littleEndian, as: UInt64.self)
                fixed.storeBytes(of: UInt64(bitPattern: record.pointee.timestamp).littleEndian, toByteOffset: 8,
                                 as: UInt64.self)
                fixed.storeBytes(of: record.pointee.value.bitPattern.littleEndian, toByteOffset: 16, as: UInt64.self)
                fixed.storeBytes(of: UInt32(truncatingIfNeeded: nameBytes).littleEndian, toByteOffset: 24,
                                 as: UInt32.self)
                fixed.storeBytes(of: UInt32(truncatingIfNeeded: tagBytes / BinaryLayout.tagBytes).littleEndian,
                                 toByteOffset: 28, as: UInt32.self)
                offset &+= BinaryLayout.recordFixedBytes &+ nameBytes &+ tagBytes
            }
            return offset
        }
    }

    /// `count` little-endian Int32 read from `source`.
    ///
    /// Lists of up to eight are built as array literals: the compiler allocates those with the array type's metadata
    /// cached in this module, while `Array(unsafeUninitializedCapacity:)` calls into the standard library's generic
    /// allocator, which looks the metadata up at run time on every call (a quarter of a records decode here).
    @inline(__always)
    static func tagList(count: Int, at source: UnsafeRawPointer) -> [Int32] {
        @inline(__always) func tag(_ index: Int) -> Int32 {
            Int32(littleEndian: source.loadUnaligned(fromByteOffset: index &* 4, as: Int32.self))
        }
        switch count {
        case 0: return []
        case 1: return [tag(0)]
        case 2: return [tag(0), tag(1)]
        case 3: return [tag(0), tag(1), tag(2)]
        case 4: return [tag(0), tag(1), tag(2), tag(3)]
        case 5: return [tag(0), tag(1), tag(2), tag(3), tag(4)]
        case 6: return [tag(0), tag(1), tag(2), tag(3), tag(4), tag(5)]
        case 7: return [tag(0), tag(1), tag(2), tag(3), tag(4), tag(5), tag(6)]
        case 8: return [tag(0), tag(1), tag(2), tag(3), tag(4), tag(5), tag(6), tag(7)]
        default:
            return array(of: Int32.self, count: count,
                         from: UnsafeRawBufferPointer(start: source, count: count &* BinaryLayout.tagBytes))
        }
    }

    /// The `count` (at most 15) bytes at `source` as a small string when they are all ASCII; nil otherwise.
    /// `source` must have 16 readable bytes: both words are loaded whole and masked to the name.
    @inline(__always)
    static func smallASCIIString(at source: UnsafeRawPointer, count: Int) -> String? {
        let bits = count &* 8
        let lowMask: UInt64 = bits >= 64 ? ~0 : (1 &<< UInt64(bits)) &- 1
        let highMask: UInt64 = bits <= 64 ? 0 : (1 &<< UInt64(bits &- 64)) &- 1
        let low = UInt64(littleEndian: source.loadUnaligned(as: UInt64.self)) & lowMask
        let high = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & highMask
        guard (low | high) & 0x8080_8080_8080_8080 == 0 else { return nil }
        return SmallStringLayout.asciiString(low: low, high: high, count: count)
    }

    static func readRecords(count: Int, from body: UnsafeRawBufferPointer) throws -> [Record] {
        let (smallest, overflow) = count.multipliedReportingOverflow(by: BinaryLayout.recordFixedBytes)
        guard !overflow, smallest <= body.count else {
            throw CodecError.corrupt("the header promises \(count) records but the body of \(body.count) bytes "
                + "cannot hold them")
        }
        guard count > 0 else {
            guard body.isEmpty else { throw CodecError.corrupt("\(body.count) bytes follow the last record") }
            return []
        }
        guard let base = body.baseAddress else { throw CodecError.corrupt("the record body is missing") }
        let end = body.count
        var offset = 0
        let smallNames = SmallStringLayout.isVerified
        let records = try [Record](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let output = buffer.baseAddress else { return }
            HugePages.adviseFresh(output, count: count &* MemoryLayout<Record>.stride)
            while initialized < count {
                guard end &- offset >= BinaryLayout.recordFixedBytes else {
                    throw CodecError.corrupt("record \(initialized) is cut short")
                }
                let id = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                let timestamp = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self))
                let value = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ 16, as: UInt64.self))
                let nameBytes = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ 24,
                                                                            as: UInt32.self)))
                let tagCount = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ 28,
                                                                           as: UInt32.self)))
                offset &+= BinaryLayout.recordFixedBytes
                // Both lengths are below 2³², so the sum cannot overflow.
                let tagBytes = tagCount &* BinaryLayout.tagBytes
                guard nameBytes &+ tagBytes <= end &- offset else {
                    throw CodecError.corrupt("record \(initialized) claims a \(nameBytes)-byte name and \(tagCount) "
                        + "tags beyond the end of the body")
                }
                let name: String
                if smallNames, nameBytes <= SmallStringLayout.capacity, end &- offset >= 16,
                   let small = smallASCIIString(at: base + offset, count: nameBytes) {
                    name = small
                } else {
                    name = try string(UnsafeRawBufferPointer(start: base + offset, count: nameBytes),
                                      what: "name of record \(initialized)")
                }
                offset &+= nameBytes
                let tags = tagList(count: tagCount, at: base + offset)
                offset &+= tagBytes
                (output + initialized).initialize(to: Record(
                    id: Int64(bitPattern: id), timestamp: Int64(bitPattern: timestamp),
                    value: Double(bitPattern: value), name: name, tags: tags))
                initialized &+= 1
            }
        }
        guard offset == end else { throw CodecError.corrupt("\(end - offset) bytes follow the last record") }
        return records
    }
}
