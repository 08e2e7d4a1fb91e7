import Payload
import Units

/// A `flat` records payload read in place: every field of every record, read from the buffer it lives in (a shared
/// segment, a receive buffer, a mapped file) without building a `Record`.
///
/// `init` checks the whole structure before anything is read: the header's fields, the length of every column
/// against the buffer, and every name end and tag end (they must rise from 0 to the heap's end). After that the
/// accessors need no checks of their own: each offset they compute was proved in bounds. Names are handed out as
/// bytes; their UTF-8 is checked only when a `String` is made (`record(_:)`), because the checksum, like the
/// worker's verify stage, reads bytes and catches damaged names by value.
///
/// The view borrows the buffer: it must not outlive it.
public struct FlatRecordsView {
    /// The number of records.
    public let count: Int
    /// The bytes of all names together (the name heap).
    public let nameBytes: Int
    /// The tags of all records together.
    public let tagCount: Int
    /// The whole encoding: header and columns, exactly what `flat` encodes and what the worker writes to disk.
    public let encoded: UnsafeRawBufferPointer
    let columns: FlatLayout.Columns
    private let base: UnsafeRawPointer

    /// Checks `bytes` as a flat records encoding; throws `CodecError` for anything out of place, never reads past
    /// `bytes`, and allocates nothing.
    public init(_ bytes: UnsafeRawBufferPointer) throws {
        let magic = FlatLayout.magic
        for index in 0..<min(magic.count, bytes.count) where bytes[index] != magic[index] {
            throw CodecError.badFlatMagic
        }
        guard let base = bytes.baseAddress, bytes.count >= FlatLayout.headerBytes else {
            throw CodecError.truncated(expected: FlatLayout.headerBytes, got: bytes.count)
        }
        let version = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
        guard version == FlatLayout.version else { throw CodecError.unsupportedFlatVersion(version) }
        let shapeCode = base.load(fromByteOffset: 6, as: UInt8.self)
        guard shapeCode == BinaryLayout.shapeCode(.records) else {
            throw CodecError.corrupt("shape code \(shapeCode) in a flat header; the flat format holds only records")
        }
        let flags = base.load(fromByteOffset: 7, as: UInt8.self)
        guard flags == 0 else { throw CodecError.corrupt("unknown header flags \(flags)") }
        func field(_ offset: Int) -> UInt64 {
            UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        let (rawCount, rawBody, rawNames, rawTags) = (field(8), field(16), field(24), field(32))
        guard rawBody <= UInt64(Int.max - FlatLayout.headerBytes) else {
            throw CodecError.corrupt("the header claims an impossible body length of \(rawBody) bytes")
        }
        let total = FlatLayout.headerBytes + Int(rawBody)
        guard bytes.count >= total else { throw CodecError.truncated(expected: total, got: bytes.count) }
        guard bytes.count == total else {
            throw CodecError.corrupt("\(bytes.count - total) bytes follow the end of the payload")
        }
        // Each count is checked against the body before any product is formed, so nothing below overflows.
        let body = UInt64(total - FlatLayout.headerBytes)
        guard rawCount <= body / UInt64(FlatLayout.recordFixedBytes),
              rawTags <= UInt64(FlatLayout.maximumHeapCount), rawNames <= UInt64(FlatLayout.maximumHeapCount),
              rawCount * UInt64(FlatLayout.recordFixedBytes) + rawTags * UInt64(FlatLayout.tagBytes) + rawNames == body
        else {
            throw CodecError.corrupt("the header promises \(rawCount) records, \(rawTags) tags and \(rawNames) name "
                + "bytes in a body of \(body) bytes")
        }
        let count = Int(rawCount)
        let tagCount = Int(rawTags)
        let nameBytes = Int(rawNames)
        let columns = FlatLayout.Columns(count: count, tagCount: tagCount)
        try FlatRecordsView.checkEnds(at: base + columns.nameEnds, count: count, last: nameBytes, what: "name")
        try FlatRecordsView.checkEnds(at: base + columns.tagEnds, count: count, last: tagCount, what: "tag")
        self.count = count
        self.nameBytes = nameBytes
        self.tagCount = tagCount
        self.columns = columns
        self.base = base
        self.encoded = UnsafeRawBufferPointer(start: base, count: total)
    }

    /// Checks a column of `count` UInt32 ends: each at least the one before (the first at least 0), the last exactly
    /// `last`. With no records, `last` must be 0.
    private static func checkEnds(at column: UnsafeRawPointer, count: Int, last: Int, what: String) throws {
        var previous: UInt32 = 0
        for index in 0..<count {
            let end = UInt32(littleEndian: column.loadUnaligned(fromByteOffset: index &* 4, as: UInt32.self))
            guard end >= previous else {
                throw CodecError.corrupt("the \(what) end of record \(index) (\(end)) lies before the one before it "
                    + "(\(previous))")
            }
            previous = end
        }
        guard Int(previous) == last else {
            throw CodecError.corrupt("the \(what) ends stop at \(previous), not at the \(last) the header promises")
        }
    }

    // MARK: fields in place

    @inline(__always)
    private func word(_ column: Int, _ index: Int) -> UInt64 {
        precondition(index >= 0 && index < count, "record \(index) of \(count)")
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: column &+ index &* 8, as: UInt64.self))
    }

    @inline(__always)
    private func end(_ column: Int, _ index: Int) -> Int {
        Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: column &+ index &* 4, as: UInt32.self)))
    }

    public func id(_ index: Int) -> Int64 { Int64(bitPattern: word(columns.ids, index)) }

    public func timestamp(_ index: Int) -> Int64 { Int64(bitPattern: word(columns.timestamps, index)) }

    public func value(_ index: Int) -> Double { Double(bitPattern: word(columns.values, index)) }

    /// Record `index`'s name as UTF-8 bytes in place (not checked as UTF-8: `record(_:)` does that).
    public func name(_ index: Int) -> UnsafeRawBufferPointer {
        precondition(index >= 0 && index < count, "record \(index) of \(count)")
        let start = index == 0 ? 0 : end(columns.nameEnds, index &- 1)
        return UnsafeRawBufferPointer(
            start: base + (columns.names &+ start), count: end(columns.nameEnds, index) &- start)
    }

    /// Record `index`'s tags in place: little-endian Int32, four bytes each.
    public func tagBytes(_ index: Int) -> UnsafeRawBufferPointer {
        precondition(index >= 0 && index < count, "record \(index) of \(count)")
        let start = index == 0 ? 0 : end(columns.tagEnds, index &- 1)
        return UnsafeRawBufferPointer(
            start: base + (columns.tags &+ start &* FlatLayout.tagBytes),
            count: (end(columns.tagEnds, index) &- start) &* FlatLayout.tagBytes)
    }

    /// The same checksum `Payload.checksum` gives the records object, computed from the columns in place.
    public var checksum: UInt64 {
        PayloadDigest.records(count: count, base: base, columns: columns)
    }

    // MARK: objects, when a caller wants them

    /// Record `index` as an object; throws if its name is not valid UTF-8.
    public func record(_ index: Int) throws -> Record {
        let tags = tagBytes(index)
        return Record(
            id: id(index), timestamp: timestamp(index), value: value(index),
            name: try BinaryCodec.string(name(index), what: "name of record \(index)"),
            tags: BinaryCodec.tagList(count: tags.count / FlatLayout.tagBytes, at: tags.baseAddress ?? base))
    }

    /// Every record as objects: what `FlatCodec.decode` returns. One pass down the columns, carrying each name's
    /// and tag list's start from the end before (the view proved the ends), so no record is looked up twice.
    public func records() throws -> [Record] {
        var nameStart = 0
        var tagStart = 0
        return try [Record](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let output = buffer.baseAddress else { return }
            HugePages.adviseFresh(output, count: count &* MemoryLayout<Record>.stride)
            while initialized < count {
                let index = initialized
                let nameEnd = end(columns.nameEnds, index)
                let tagEnd = end(columns.tagEnds, index)
                let name = try BinaryCodec.string(
                    UnsafeRawBufferPointer(start: base + (columns.names &+ nameStart), count: nameEnd &- nameStart),
                    what: "name of record \(index)")
                let tags = BinaryCodec.tagList(
                    count: tagEnd &- tagStart, at: base + (columns.tags &+ tagStart &* FlatLayout.tagBytes))
                let eight = index &* 8
                (output + index).initialize(to: Record(
                    id: Int64(bitPattern: UInt64(littleEndian: base.loadUnaligned(
                        fromByteOffset: columns.ids &+ eight, as: UInt64.self))),
                    timestamp: Int64(bitPattern: UInt64(littleEndian: base.loadUnaligned(
                        fromByteOffset: columns.timestamps &+ eight, as: UInt64.self))),
                    value: Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(
                        fromByteOffset: columns.values &+ eight, as: UInt64.self))),
                    name: name, tags: tags))
                nameStart = nameEnd
                tagStart = tagEnd
                initialized &+= 1
            }
        }
    }
}
