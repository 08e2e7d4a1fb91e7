#if _endian(big)
// Bulk fields (numeric, tags) are copied with memcpy, which is only the little-endian layout on little-endian hosts.
#error("payloadlab's binary codec copies arrays as little-endian bytes; add byte-swapping paths for big-endian hosts")
#endif
import Payload

/// payloadlab's own format: a versioned 24-byte header, then the payload's fields in little-endian order with
/// length prefixes. `docs/FORMAT.md` describes every byte; `fixtures/binary/` pins them.
///
/// Encoding computes the exact size first and writes into one allocation. Decoding checks every length and count
/// against the bytes that remain before it reserves anything, so hostile input throws `CodecError` and never
/// allocates more than a small multiple of its own size.
public struct BinaryCodec: Codec {
    public init() {}

    public var name: String { "binary" }

    public func encode(_ payload: Payload) throws -> [UInt8] {
        let layout = try measure(payload)
        return try [UInt8](unsafeUninitializedCapacity: layout.bytes) { buffer, initialized in
            try encode(payload, layout: layout, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = layout.bytes
        }
    }

    /// The size of an encoding and the element count its header holds.
    struct Layout {
        var bytes: Int
        var elements: Int
    }

    /// Measures `payload`'s encoding in one pass; throws if a length does not fit the format or a tree nests too deep.
    func measure(_ payload: Payload) throws -> Layout {
        switch payload {
        case .records(let records):
            let body = try records.withUnsafeBufferPointer { buffer in
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
            return Layout(bytes: BinaryLayout.headerBytes + body, elements: records.count)
        case .tree(let root):
            var nodes = 0
            let body = try BinaryTreeWriter.measure(root, depth: 0, nodes: &nodes)
            return Layout(bytes: BinaryLayout.headerBytes + body, elements: nodes)
        case .blob, .text, .numeric:
            return Layout(bytes: payload.logicalBytes, elements: payload.elementCount)
        }
    }

    /// Writes `payload` into `output`, whose size must be `layout.bytes` from `measure(payload)`.
    func encode(_ payload: Payload, layout: Layout, into output: UnsafeMutableRawBufferPointer) throws {
        guard let base = output.baseAddress, output.count == layout.bytes,
              layout.bytes >= BinaryLayout.headerBytes else {
            throw CodecError.corrupt("the output buffer holds \(output.count) bytes where the encoding needs \(layout.bytes)")
        }
        let bodyLength = output.count - BinaryLayout.headerBytes
        BinaryLayout.writeHeader(into: base, shape: payload.shape, elements: layout.elements, bodyLength: bodyLength)
        let body = base + BinaryLayout.headerBytes
        let written: Int
        switch payload {
        case .blob(let bytes):
            written = bytes.withUnsafeBytes { BinaryCodec.copy($0, to: body) }
        case .text(var text):
            written = text.withUTF8 { BinaryCodec.copy(UnsafeRawBufferPointer($0), to: body) }
        case .numeric(let values):
            written = values.withUnsafeBytes { BinaryCodec.copy($0, to: body) }
        case .records(let records):
            written = BinaryCodec.write(records, to: body)
        case .tree(let root):
            var writer = BinaryTreeWriter(base: body, capacity: bodyLength)
            try writer.write(root, depth: 0)
            written = writer.offset
        }
        guard written == bodyLength else {
            throw CodecError.corrupt("the encoder wrote \(written) body bytes where it measured \(bodyLength)")
        }
    }

    @inline(__always)
    static func copy(_ source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawPointer) -> Int {
        if let from = source.baseAddress, source.count > 0 {
            destination.copyMemory(from: from, byteCount: source.count)
        }
        return source.count
    }

    static func checkLength(_ length: Int, of what: String) throws {
        guard length <= Int(UInt32.max) else {
            throw CodecError.sizeLimitExceeded(what: what, bytes: length, limit: Int(UInt32.max))
        }
    }

    /// Writes the records (the caller measured them) and returns the bytes written.
    static func write(_ records: [Record], to body: UnsafeMutableRawPointer) -> Int {
        records.withUnsafeBufferPointer { buffer in
            var offset = 0
            for index in buffer.indices {
                let record = buffer[index]
                let nameBytes = record.name.utf8.count
                let tagCount = record.tags.count
                body.storeBytes(of: UInt64(bitPattern: record.id).littleEndian, toByteOffset: offset, as: UInt64.self)
                body.storeBytes(of: UInt64(bitPattern: record.timestamp).littleEndian, toByteOffset: offset &+ 8,
                                as: UInt64.self)
                body.storeBytes(of: record.value.bitPattern.littleEndian, toByteOffset: offset &+ 16, as: UInt64.self)
                body.storeBytes(of: UInt32(truncatingIfNeeded: nameBytes).littleEndian, toByteOffset: offset &+ 24,
                                as: UInt32.self)
                body.storeBytes(of: UInt32(truncatingIfNeeded: tagCount).littleEndian, toByteOffset: offset &+ 28,
                                as: UInt32.self)
                offset &+= BinaryLayout.recordFixedBytes
                BinaryCodec.copyUTF8(of: record.name, count: nameBytes, to: body + offset)
                offset &+= nameBytes
                if tagCount > 0 {
                    record.tags.withUnsafeBytes { tags in
                        if let from = tags.baseAddress { (body + offset).copyMemory(from: from, byteCount: tags.count) }
                    }
                    offset &+= tagCount &* BinaryLayout.tagBytes
                }
            }
            return offset
        }
    }

    /// Copies a string's UTF-8 bytes; small (inline) strings take the contiguous path too.
    @inline(__always)
    static func copyUTF8(of string: String, count: Int, to destination: UnsafeMutableRawPointer) {
        guard count > 0 else { return }
        let copied: Void? = string.utf8.withContiguousStorageIfAvailable { source in
            if let from = source.baseAddress { destination.copyMemory(from: from, byteCount: count) }
        }
        if copied == nil {
            var offset = 0
            for byte in string.utf8 {
                destination.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
                offset &+= 1
            }
        }
    }

    // MARK: decoding

    public func decode(_ bytes: UnsafeRawBufferPointer) throws -> Payload {
        let header = try BinaryHeader(bytes)
        guard let base = bytes.baseAddress else { throw CodecError.truncated(expected: BinaryLayout.headerBytes, got: 0) }
        let body = UnsafeRawBufferPointer(start: base + BinaryLayout.headerBytes, count: header.bodyLength)
        switch header.shape {
        case .blob:
            try header.expectCount(header.bodyLength, unit: "bytes")
            return .blob(BinaryCodec.array(of: UInt8.self, count: header.bodyLength, from: body))
        case .text:
            try header.expectCount(header.bodyLength, unit: "UTF-8 bytes")
            return .text(try BinaryCodec.string(body, what: "text"))
        case .numeric:
            let (bytes, overflow) = header.elementCount.multipliedReportingOverflow(by: MemoryLayout<Double>.size)
            guard !overflow, bytes == header.bodyLength else {
                throw CodecError.corrupt("the header promises \(header.elementCount) Doubles in \(header.bodyLength) bytes")
            }
            return .numeric(BinaryCodec.array(of: Double.self, count: header.elementCount, from: body))
        case .records:
            return .records(try BinaryCodec.readRecords(count: header.elementCount, from: body))
        case .tree:
            // Every node takes at least two bytes, so a larger count is a lie told before anything is reserved.
            guard header.elementCount <= header.bodyLength / BinaryLayout.treeBoolBytes else {
                throw CodecError.corrupt("the header promises \(header.elementCount) tree nodes in \(header.bodyLength) bytes")
            }
            var reader = BinaryTreeReader(body)
            let root = try reader.node(depth: 0)
            guard reader.offset == header.bodyLength else {
                throw CodecError.corrupt("\(header.bodyLength - reader.offset) bytes follow the tree's root")
            }
            guard reader.nodes == header.elementCount else {
                throw CodecError.corrupt("the header promises \(header.elementCount) tree nodes, the body has \(reader.nodes)")
            }
            return .tree(root)
        }
    }

    /// A fresh array holding `count` elements copied from `source` (which holds exactly their bytes).
    @inline(__always)
    static func array<Element: BitwiseCopyable>(of type: Element.Type, count: Int,
                                                from source: UnsafeRawBufferPointer) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let destination = buffer.baseAddress, let from = source.baseAddress, count > 0 {
                UnsafeMutableRawPointer(destination).copyMemory(from: from, byteCount: count * MemoryLayout<Element>.stride)
            }
            initialized = count
        }
    }

    /// A String from bytes that must be valid UTF-8.
    ///
    /// ASCII (checked eight bytes at a time) takes the stdlib's specialized path; anything else goes through
    /// `String(validating:)`, which is correct but generic and several times slower per call.
    @inline(__always)
    static func string(_ bytes: UnsafeRawBufferPointer, what: @autoclosure () -> String) throws -> String {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return "" }
        let units = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        if isASCII(bytes) { return String(decoding: units, as: UTF8.self) }
        guard let text = String(validating: units, as: UTF8.self) else {
            throw CodecError.corrupt("the \(what()) is not valid UTF-8")
        }
        return text
    }

    /// Whether every byte is below 0x80.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var offset = 0
        var high: UInt64 = 0
        while offset &+ 8 <= count {
            high |= base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset &+= 8
        }
        while offset < count {
            high |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self))
            offset &+= 1
        }
        return high & 0x8080_8080_8080_8080 == 0
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
        let records = try [Record](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let output = buffer.baseAddress else { return }
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
                let name = try string(UnsafeRawBufferPointer(start: base + offset, count: nameBytes),
                                      what: "name of record \(initialized)")
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

/// The 24-byte header, checked field by field.
struct BinaryHeader {
    let shape: PayloadShape
    let elementCount: Int
    let bodyLength: Int

    init(_ bytes: UnsafeRawBufferPointer) throws {
        let magic = BinaryLayout.magic
        for index in 0..<min(magic.count, bytes.count) where bytes[index] != magic[index] {
            throw CodecError.badMagic
        }
        guard let base = bytes.baseAddress, bytes.count >= BinaryLayout.headerBytes else {
            throw CodecError.truncated(expected: BinaryLayout.headerBytes, got: bytes.count)
        }
        let version = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 4, as: UInt16.self))
        guard version == BinaryLayout.version else { throw CodecError.unsupportedVersion(version) }
        let shapeCode = base.load(fromByteOffset: 6, as: UInt8.self)
        guard let shape = BinaryLayout.shape(code: shapeCode) else {
            throw CodecError.corrupt("unknown shape code \(shapeCode) in the header")
        }
        let flags = base.load(fromByteOffset: 7, as: UInt8.self)
        guard flags == 0 else { throw CodecError.corrupt("unknown header flags \(flags)") }
        let count = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let length = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        guard let bodyLength = Int(exactly: length), bodyLength <= Int.max - BinaryLayout.headerBytes else {
            throw CodecError.corrupt("the header claims an impossible body length of \(length) bytes")
        }
        let total = BinaryLayout.headerBytes + bodyLength
        guard bytes.count >= total else { throw CodecError.truncated(expected: total, got: bytes.count) }
        guard bytes.count == total else {
            throw CodecError.corrupt("\(bytes.count - total) bytes follow the end of the payload")
        }
        guard let elementCount = Int(exactly: count) else {
            throw CodecError.corrupt("the header claims an impossible element count of \(count)")
        }
        self.shape = shape
        self.elementCount = elementCount
        self.bodyLength = bodyLength
    }

    func expectCount(_ expected: Int, unit: String) throws {
        guard elementCount == expected else {
            throw CodecError.corrupt("the header counts \(elementCount) \(unit) in a body of \(bodyLength) bytes")
        }
    }
}

/// Writes a tree depth-first into a buffer that `measure` sized.
struct BinaryTreeWriter {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    var offset = 0

    init(base: UnsafeMutableRawPointer, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// The bytes `node` takes; throws if it nests too deeply or a length exceeds the format's UInt32.
    static func measure(_ node: TreeNode, depth: Int, nodes: inout Int) throws -> Int {
        nodes += 1
        switch node {
        case .map(let entries):
            guard depth < BinaryLayout.maximumTreeDepth else {
                throw CodecError.nestingTooDeep(limit: BinaryLayout.maximumTreeDepth)
            }
            try BinaryCodec.checkLength(entries.count, of: "map")
            var total = BinaryLayout.treeContainerBytes
            for entry in entries {
                let keyBytes = entry.key.utf8.count
                try BinaryCodec.checkLength(keyBytes, of: "map key")
                let value = try measure(entry.value, depth: depth + 1, nodes: &nodes)
                total += BinaryLayout.lengthBytes + keyBytes + value
            }
            return total
        case .array(let items):
            guard depth < BinaryLayout.maximumTreeDepth else {
                throw CodecError.nestingTooDeep(limit: BinaryLayout.maximumTreeDepth)
            }
            try BinaryCodec.checkLength(items.count, of: "array")
            var total = BinaryLayout.treeContainerBytes
            for item in items { total += try measure(item, depth: depth + 1, nodes: &nodes) }
            return total
        case .string(let text):
            try BinaryCodec.checkLength(text.utf8.count, of: "string")
            return BinaryLayout.treeContainerBytes + text.utf8.count
        case .integer, .number:
            return BinaryLayout.treeScalarBytes
        case .bool:
            return BinaryLayout.treeBoolBytes
        }
    }

    @inline(__always)
    mutating func put<T: FixedWidthInteger>(_ value: T) throws {
        guard capacity - offset >= MemoryLayout<T>.size else {
            throw CodecError.corrupt("the tree changed size while it was written")
        }
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
    }

    mutating func put(string: String) throws {
        let count = string.utf8.count
        try put(UInt32(truncatingIfNeeded: count))
        guard capacity - offset >= count else { throw CodecError.corrupt("the tree changed size while it was written") }
        BinaryCodec.copyUTF8(of: string, count: count, to: base + offset)
        offset += count
    }

    mutating func write(_ node: TreeNode, depth: Int) throws {
        switch node {
        case .map(let entries):
            try put(TreeTag.map.rawValue)
            try put(UInt32(truncatingIfNeeded: entries.count))
            for entry in entries {
                try put(string: entry.key)
                try write(entry.value, depth: depth + 1)
            }
        case .array(let items):
            try put(TreeTag.array.rawValue)
            try put(UInt32(truncatingIfNeeded: items.count))
            for item in items { try write(item, depth: depth + 1) }
        case .string(let text):
            try put(TreeTag.string.rawValue)
            try put(string: text)
        case .integer(let value):
            try put(TreeTag.integer.rawValue)
            try put(value)
        case .number(let value):
            try put(TreeTag.number.rawValue)
            try put(value.bitPattern)
        case .bool(let value):
            try put(TreeTag.bool.rawValue)
            try put(UInt8(value ? 1 : 0))
        }
    }
}

/// Reads a tree depth-first, checking each count against the bytes left and the nesting against the limit.
struct BinaryTreeReader {
    let base: UnsafeRawPointer?
    let end: Int
    var offset = 0
    var nodes = 0

    /// Arrays reserve at most this many slots up front; a longer one grows as its elements prove they exist.
    static let largestReservation = 1 << 16

    init(_ body: UnsafeRawBufferPointer) {
        base = body.baseAddress
        end = body.count
    }

    @inline(__always)
    mutating func take<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        guard let base, end - offset >= MemoryLayout<T>.size else {
            throw CodecError.corrupt("the tree ends inside \(what())")
        }
        let value = T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return value
    }

    mutating func string(_ what: String) throws -> String {
        let count = Int(try take(UInt32.self, what))
        guard let base, count <= end - offset else {
            throw CodecError.corrupt("a \(what) of \(count) bytes runs past the end of the tree")
        }
        let text = try BinaryCodec.string(UnsafeRawBufferPointer(start: base + offset, count: count), what: what)
        offset += count
        return text
    }

    /// A count of items that take at least `smallest` bytes each, checked against the bytes left.
    mutating func count(of what: String, smallest: Int) throws -> Int {
        let count = Int(try take(UInt32.self, what))
        guard count <= (end - offset) / smallest else {
            throw CodecError.corrupt("a \(what) claims \(count) items, more than its \(end - offset) remaining bytes hold")
        }
        return count
    }

    mutating func node(depth: Int) throws -> TreeNode {
        let tagByte = try take(UInt8.self, "a node tag")
        nodes += 1
        guard let tag = TreeTag(rawValue: tagByte) else {
            throw CodecError.corrupt("unknown tree node tag \(tagByte) at body offset \(offset - 1)")
        }
        switch tag {
        case .map:
            guard depth < BinaryLayout.maximumTreeDepth else {
                throw CodecError.nestingTooDeep(limit: BinaryLayout.maximumTreeDepth)
            }
            let count = try count(of: "map", smallest: BinaryLayout.lengthBytes + BinaryLayout.treeBoolBytes)
            var entries: [TreeEntry] = []
            entries.reserveCapacity(min(count, BinaryTreeReader.largestReservation))
            for _ in 0..<count {
                let key = try string("map key")
                entries.append(TreeEntry(key: key, value: try node(depth: depth + 1)))
            }
            return .map(entries)
        case .array:
            guard depth < BinaryLayout.maximumTreeDepth else {
                throw CodecError.nestingTooDeep(limit: BinaryLayout.maximumTreeDepth)
            }
            let count = try count(of: "array", smallest: BinaryLayout.treeBoolBytes)
            var items: [TreeNode] = []
            items.reserveCapacity(min(count, BinaryTreeReader.largestReservation))
            for _ in 0..<count { items.append(try node(depth: depth + 1)) }
            return .array(items)
        case .string:
            return .string(try string("string"))
        case .integer:
            return .integer(Int64(bitPattern: try take(UInt64.self, "an integer")))
        case .number:
            return .number(Double(bitPattern: try take(UInt64.self, "a number")))
        case .bool:
            let flag = try take(UInt8.self, "a bool")
            guard flag <= 1 else { throw CodecError.corrupt("a bool holds \(flag), not 0 or 1") }
            return .bool(flag == 1)
        }
    }
}
