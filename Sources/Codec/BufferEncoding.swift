import Payload
/// A codec that can encode straight into memory the caller provides — a shared-memory segment — with no
/// intermediate buffer.
public protocol BufferEncoding: Codec {
    /// Measures `payload`, asks `reserve` for a buffer of exactly the encoded size, encodes into it, and returns
    /// that size.
    func encode(_ payload: Payload, reserve: (Int) throws -> UnsafeMutableRawBufferPointer) throws -> Int
}
