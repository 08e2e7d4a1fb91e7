import Foundation
import Payload

/// Foundation's `JSONEncoder`/`JSONDecoder` over Codable: the baseline most Swift code uses, and slow on purpose of
/// being representative (tens of MB/s). The document is `{"shape": …, "value": …}` (see `PayloadEnvelope`).
public struct JSONCodec: Codec {
    public init() {}

    public var name: String { "json" }

    public func encode(_ payload: Payload) throws -> [UInt8] {
        try FoundationErrorText.wrapping {
            [UInt8](try JSONEncoder().encode(PayloadEnvelope(payload)))
        }
    }

    public func decode(_ bytes: UnsafeRawBufferPointer) throws -> Payload {
        try FoundationErrorText.wrapping {
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                throw CodecError.truncated(expected: 2, got: bytes.count)
            }
            // Read in place: the Data does not own or free the bytes and does not outlive this call.
            let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
            return try JSONDecoder().decode(PayloadEnvelope.self, from: data).payload
        }
    }
}
