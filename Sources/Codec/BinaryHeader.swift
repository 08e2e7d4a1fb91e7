import Payload

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
