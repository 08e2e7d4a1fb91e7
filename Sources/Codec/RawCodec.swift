import Payload
/// The zero-copy floor for flat payloads (`blob`, `numeric`): the `binary` format's header followed by the
/// payload's own bytes, which a worker of the `shm` transport reads **in place** from the shared segment, without
/// a decode copy, and writes to disk straight from there.
///
/// Anywhere else (a pipe, a thread pool) it encodes and decodes like `binary`, except that the scratch file is
/// written from the object's own storage behind a 24-byte header (`withEncodedParts`: one gather write), never
/// re-encoded. Other shapes have no flat form and are refused.
public struct RawCodec: Codec, BufferEncoding {
    public init() {}

    public var name: String { "raw" }

    public static func supports(_ shape: PayloadShape) -> Bool { shape == .blob || shape == .numeric }

    public func encode(_ payload: Payload) throws -> [UInt8] {
        try checkShape(payload.shape)
        return try BinaryCodec().encode(payload)
    }

    public func encode(_ payload: Payload, reserve: (Int) throws -> UnsafeMutableRawBufferPointer) throws -> Int {
        try checkShape(payload.shape)
        return try BinaryCodec().encode(payload, reserve: reserve)
    }

    /// The encoding without building it: `body` gets two parts, the 24-byte header (on the stack) and the payload's
    /// own bytes where the object keeps them, which written one after the other (a gather write, `writev`) are
    /// byte for byte what `encode` returns. The parts are valid only inside `body`.
    /// Throws `CodecError` for a shape with no flat form.
    public func withEncodedParts<Result>(
        of payload: Payload, _ body: ([UnsafeRawBufferPointer]) throws -> Result
    ) throws -> Result {
        func gather(_ content: UnsafeRawBufferPointer, elements: Int) throws -> Result {
            var header = (UInt64(0), UInt64(0), UInt64(0))
            return try withUnsafeMutableBytes(of: &header) { raw in
                BinaryLayout.writeHeader(
                    into: raw.baseAddress!, shape: payload.shape, elements: elements, bodyLength: content.count)
                return try body([UnsafeRawBufferPointer(raw), content])
            }
        }
        switch payload {
        case .blob(let bytes):
            return try bytes.withUnsafeBytes { try gather($0, elements: bytes.count) }
        case .numeric(let values):
            return try values.withUnsafeBytes { try gather($0, elements: values.count) }
        default:
            try checkShape(payload.shape)
            preconditionFailure("RawCodec.supports and withEncodedParts disagree about \(payload.shape)")
        }
    }

    public func decode(_ bytes: UnsafeRawBufferPointer) throws -> Payload {
        let view = try RawView(bytes)
        return try BinaryCodec().decode(UnsafeRawBufferPointer(rebasing: bytes[0..<(BinaryLayout.headerBytes + view.body.count)]))
    }

    private func checkShape(_ shape: PayloadShape) throws {
        guard RawCodec.supports(shape) else {
            throw CodecError.corrupt("the raw codec holds only blob and numeric payloads, not \(shape.rawValue); use binary")
        }
    }
}

/// A flat payload read in place: its shape, element count and body bytes, borrowed from the buffer it lives in.
public struct RawView {
    public let shape: PayloadShape
    public let elementCount: Int
    /// The payload's content (bytes, or Doubles as little-endian bit patterns), without the header.
    public let body: UnsafeRawBufferPointer
    /// The header and the body: what `raw` (and `binary`) would encode.
    public let encoded: UnsafeRawBufferPointer

    /// Checks the header against the buffer; never reads past it.
    public init(_ bytes: UnsafeRawBufferPointer) throws {
        let header = try BinaryHeader(bytes)
        guard RawCodec.supports(header.shape), let base = bytes.baseAddress else {
            throw CodecError.corrupt("the raw codec holds only blob and numeric payloads, not \(header.shape.rawValue)")
        }
        if header.shape == .numeric {
            let (needed, overflow) = header.elementCount.multipliedReportingOverflow(by: MemoryLayout<Double>.size)
            guard !overflow, needed == header.bodyLength else {
                throw CodecError.corrupt("the header promises \(header.elementCount) Doubles in \(header.bodyLength) bytes")
            }
        } else {
            try header.expectCount(header.bodyLength, unit: "bytes")
        }
        shape = header.shape
        elementCount = header.elementCount
        body = UnsafeRawBufferPointer(start: base + BinaryLayout.headerBytes, count: header.bodyLength)
        encoded = UnsafeRawBufferPointer(start: base, count: BinaryLayout.headerBytes + header.bodyLength)
    }

    /// The same checksum `Payload.checksum` gives the decoded payload, computed over the bytes in place.
    public var checksum: UInt64 {
        let seed = UInt64(BinaryLayout.shapeCode(shape)) &+ 1
        let content = XXH64.hash(body, seed: seed)
        return XXH64.avalanche(content ^ (UInt64(truncatingIfNeeded: elementCount) &* XXH64.prime2))
    }
}
