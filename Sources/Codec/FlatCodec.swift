#if _endian(big)
#error("the flat codec stores columns as little-endian bytes; add byte-swapping paths for big-endian hosts")
#endif
import Payload
import Units

/// The `flat` records format (`docs/FORMAT.md`, "Flat records format"; `fixtures/flat/` pins it): fixed-width
/// columns for the numeric fields and the name and tag ends, then all tags and all names, so a receiver reads any
/// field of any record where it lies (`FlatRecordsView`) instead of decoding.
///
/// A `process:shm` worker reads it in place from the shared segment and writes the segment's bytes to disk; a pipe
/// worker does the same on its receive buffer. `decode` builds objects for callers that want them (`inspect`, a
/// round trip), checking every name's UTF-8. Only records have a flat form; other shapes are refused.
public struct FlatCodec: Codec, BufferEncoding {
    public init() {}

    public var name: String { "flat" }

    public static func supports(_ shape: PayloadShape) -> Bool { shape == .records }

    public func encode(_ payload: Payload) throws -> [UInt8] {
        let (records, layout) = try measure(payload)
        return try [UInt8](unsafeUninitializedCapacity: layout.bytes) { buffer, initialized in
            HugePages.adviseFresh(buffer.baseAddress, count: layout.bytes)
            FlatCodec.write(records, layout: layout, into: UnsafeMutableRawPointer(buffer.baseAddress!))
            initialized = layout.bytes
        }
    }

    public func encode(_ payload: Payload, reserve: (Int) throws -> UnsafeMutableRawBufferPointer) throws -> Int {
        let (records, layout) = try measure(payload)
        let buffer = try reserve(layout.bytes)
        guard let base = buffer.baseAddress, buffer.count == layout.bytes else {
            throw CodecError.corrupt("the output buffer holds \(buffer.count) bytes where the encoding needs \(layout.bytes)")
        }
        FlatCodec.write(records, layout: layout, into: base)
        return layout.bytes
    }

    public func decode(_ bytes: UnsafeRawBufferPointer) throws -> Payload {
        .records(try FlatRecordsView(bytes).records())
    }

    /// The sizes a flat encoding of some records needs.
    struct Layout {
        var count: Int
        var nameBytes: Int
        var tagCount: Int
        var bytes: Int { FlatLayout.headerBytes + FlatLayout.recordFixedBytes * count + FlatLayout.tagBytes * tagCount
            + nameBytes }
    }

    /// The records in `payload` and their layout; throws for other shapes and for heaps beyond the format's UInt32.
    private func measure(_ payload: Payload) throws -> ([Record], Layout) {
        guard case .records(let records) = payload else {
            throw CodecError.corrupt("the flat codec holds only records payloads, not \(payload.shape.rawValue); "
                + "use binary")
        }
        var layout = Layout(count: records.count, nameBytes: 0, tagCount: 0)
        records.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                layout.nameBytes &+= buffer[index].name.utf8.count
                layout.tagCount &+= buffer[index].tags.count
            }
        }
        if layout.nameBytes > FlatLayout.maximumHeapCount {
            throw CodecError.sizeLimitExceeded(what: "flat name heap", bytes: layout.nameBytes,
                                               limit: FlatLayout.maximumHeapCount)
        }
        if layout.tagCount > FlatLayout.maximumHeapCount {
            throw CodecError.sizeLimitExceeded(what: "flat tag column", bytes: layout.tagCount * FlatLayout.tagBytes,
                                               limit: FlatLayout.maximumHeapCount * FlatLayout.tagBytes)
        }
        return (records, layout)
    }

    /// Writes the header and every column in one pass over the records, into `layout.bytes` bytes at `base`.
    static func write(_ records: [Record], layout: Layout, into base: UnsafeMutableRawPointer) {
        let header: [UInt64] = [
            UInt64(layout.count), UInt64(layout.bytes - FlatLayout.headerBytes), UInt64(layout.nameBytes),
            UInt64(layout.tagCount),
        ]
        for (index, byte) in FlatLayout.magic.enumerated() {
            base.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
        }
        base.storeBytes(of: FlatLayout.version.littleEndian, toByteOffset: 4, as: UInt16.self)
        base.storeBytes(of: BinaryLayout.shapeCode(.records), toByteOffset: 6, as: UInt8.self)
        base.storeBytes(of: 0, toByteOffset: 7, as: UInt8.self)
        for (index, value) in header.enumerated() {
            base.storeBytes(of: value.littleEndian, toByteOffset: 8 + 8 * index, as: UInt64.self)
        }
        let columns = FlatLayout.Columns(count: layout.count, tagCount: layout.tagCount)
        records.withUnsafeBufferPointer { buffer in
            var nameEnd = 0
            var tagEnd = 0
            for index in buffer.indices {
                let record = buffer[index]
                let eight = index &* 8
                base.storeBytes(of: UInt64(bitPattern: record.id).littleEndian,
                                toByteOffset: columns.ids &+ eight, as: UInt64.self)
                base.storeBytes(of: UInt64(bitPattern: record.timestamp).littleEndian,
                                toByteOffset: columns.timestamps &+ eight, as: UInt64.self)
                base.storeBytes(of: record.value.bitPattern.littleEndian,
                                toByteOffset: columns.values &+ eight, as: UInt64.self)
                let nameCount = record.name.utf8.count
                BinaryCodec.copyUTF8(of: record.name, count: nameCount, to: base + (columns.names &+ nameEnd))
                nameEnd &+= nameCount
                let tagCount = record.tags.count
                if tagCount > 0 {
                    record.tags.withUnsafeBytes { tags in
                        if let from = tags.baseAddress {
                            (base + (columns.tags &+ tagEnd &* FlatLayout.tagBytes)).copyMemory(
                                from: from, byteCount: tags.count)
                        }
                    }
                    tagEnd &+= tagCount
                }
                let four = index &* 4
                base.storeBytes(of: UInt32(truncatingIfNeeded: nameEnd).littleEndian,
                                toByteOffset: columns.nameEnds &+ four, as: UInt32.self)
                base.storeBytes(of: UInt32(truncatingIfNeeded: tagEnd).littleEndian,
                                toByteOffset: columns.tagEnds &+ four, as: UInt32.self)
            }
        }
    }
}
