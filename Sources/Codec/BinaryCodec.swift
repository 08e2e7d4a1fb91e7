#if _endian(big)
// Bulk fields (numeric, tags) are copied with memcpy, which is only the little-endian layout on little-endian hosts.
#error("payloadlab's binary codec copies arrays as little-endian bytes; add byte-swapping paths for big-endian hosts")
#endif
import Payload
import Units

/// payloadlab's own format: a versioned 24-byte header, then the payload's fields in little-endian order with
/// length prefixes. `docs/FORMAT.md` describes every byte; `fixtures/binary/` pins them.
///
/// Encoding computes the exact size first and writes into one allocation; records are written in one pass into a
/// reservation estimated from a sample, with the exact size as the fallback (`BinaryCodec+OnePass.swift`). Decoding
/// checks every length and count against the bytes that remain before it reserves anything, so hostile input throws
/// `CodecError` and never allocates more than a small multiple of its own size.
public struct BinaryCodec: Codec {
    public init() {}

    public var name: String { "binary" }

    public func encode(_ payload: Payload) throws -> [UInt8] {
        if case .records(let records) = payload, let reserve = BinaryCodec.estimatedBodyBytes(of: records),
           let encoded = try BinaryCodec.encodeInOnePass(records, bodyCapacity: reserve) {
            return encoded
        }
        let layout = try measure(payload)
        return try [UInt8](unsafeUninitializedCapacity: layout.bytes) { buffer, initialized in
            HugePages.adviseFresh(buffer.baseAddress, count: layout.bytes)
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
            let body = try BinaryCodec.measure(records)
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
            guard let bytes = try BinaryCodec.write(records, to: body, capacity: bodyLength) else {
                throw CodecError.corrupt("the records outgrew the \(bodyLength) body bytes measured for them")
            }
            written = bytes
        case .tree(let root):
            var writer = BinaryTreeWriter(base: body, capacity: bodyLength)
            try writer.write(root, depth: 0)
            written = writer.offset
        }
        guard written == bodyLength else {
            throw CodecError.corrupt("the encoder wrote \(written) body bytes where it measured \(bodyLength)")
        }
    }

    static func checkLength(_ length: Int, of what: String) throws {
        guard length <= Int(UInt32.max) else {
            throw CodecError.sizeLimitExceeded(what: what, bytes: length, limit: Int(UInt32.max))
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

}
