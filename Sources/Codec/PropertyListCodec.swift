import Foundation
import Payload

/// Foundation's binary `PropertyListEncoder`/`PropertyListDecoder` over Codable (`bplist00`), with the same
/// `{shape, value}` document as `JSONCodec`. Decoding also accepts XML property lists.
public struct PropertyListCodec: Codec {
    public init() {}

    public var name: String { "plist" }

    public func encode(_ payload: Payload) throws -> [UInt8] {
        try FoundationErrorText.wrapping {
            let encoder = PropertyListEncoder()
            encoder.outputFormat = .binary
            return [UInt8](try encoder.encode(PayloadEnvelope(payload)))
        }
    }

    public func decode(_ bytes: UnsafeRawBufferPointer) throws -> Payload {
        try FoundationErrorText.wrapping {
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                throw CodecError.truncated(expected: 8, got: bytes.count)
            }
            let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
            return try PropertyListDecoder().decode(PayloadEnvelope.self, from: data).payload
        }
    }
}
