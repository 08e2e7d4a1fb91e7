import Units

/// Copying bytes in and out of an encoding, and checking UTF-8 on the way out.
extension BinaryCodec {
    @inline(__always)
    static func copy(_ source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawPointer) -> Int {
        if let from = source.baseAddress, source.count > 0 {
            destination.copyMemory(from: from, byteCount: source.count)
        }
        return source.count
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

    /// Copies `source` (a whole number of 4-byte units, as a tag list is) to `destination` in 8- and 4-byte words:
    /// for the few bytes of a record's tags, cheaper than a call to `memmove`. Returns the bytes copied.
    @inline(__always)
    @discardableResult
    static func copyWords(_ source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawPointer) -> Int {
        guard let from = source.baseAddress else { return 0 }
        let count = source.count
        guard count <= 64 else {
            destination.copyMemory(from: from, byteCount: count)
            return count
        }
        var offset = 0
        while offset &+ 8 <= count {
            destination.storeBytes(of: from.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
                                   toByteOffset: offset, as: UInt64.self)
            offset &+= 8
        }
        if offset &+ 4 <= count {
            destination.storeBytes(of: from.loadUnaligned(fromByteOffset: offset, as: UInt32.self),
                                   toByteOffset: offset, as: UInt32.self)
            offset &+= 4
        }
        while offset < count {
            destination.storeBytes(of: from.load(fromByteOffset: offset, as: UInt8.self), toByteOffset: offset,
                                   as: UInt8.self)
            offset &+= 1
        }
        return count
    }

    /// A fresh array holding `count` elements copied from `source` (which holds exactly their bytes).
    @inline(__always)
    static func array<Element: BitwiseCopyable>(of type: Element.Type, count: Int,
                                                from source: UnsafeRawBufferPointer) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            HugePages.adviseFresh(buffer.baseAddress, count: count * MemoryLayout<Element>.stride)
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
}
