import Payload
/// Turns a payload into bytes and back.
///
/// Every error a codec throws is a `CodecError`. Decoding never trusts its input: malformed, truncated or
/// bit-flipped bytes throw; they never crash, read out of bounds or allocate more than the input can justify.
public protocol Codec: Sendable {
    /// The codec's canonical name as the command line spells it: `binary`, `json`, `plist`, `binary+zstd:3`.
    var name: String { get }

    /// Encodes `payload` into a newly allocated buffer.
    func encode(_ payload: Payload) throws -> [UInt8]

    /// Decodes a payload from `bytes`, which may live in any memory (a reused receive buffer, a mapping).
    func decode(_ bytes: UnsafeRawBufferPointer) throws -> Payload
}
