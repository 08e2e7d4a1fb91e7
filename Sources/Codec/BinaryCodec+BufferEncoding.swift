import Payload
extension BinaryCodec: BufferEncoding {
    /// Measures once, then encodes straight into the caller's buffer (the shared segment of the `shm` transport).
    public func encode(_ payload: Payload, reserve: (Int) throws -> UnsafeMutableRawBufferPointer) throws -> Int {
        let layout = try measure(payload)
        let buffer = try reserve(layout.bytes)
        try encode(payload, layout: layout, into: buffer)
        return layout.bytes
    }
}
