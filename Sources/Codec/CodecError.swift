import Payload
/// Why a codec could not be chosen, or could not encode or decode. Every error a codec throws is one of these.
public enum CodecError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A codec name `Codecs.named` does not know.
    case unknownCodec(String)
    /// A zstd level outside libzstd's range.
    case invalidZstdLevel(Int)
    /// The input ends before the length its header or structure promises.
    case truncated(expected: Int, got: Int)
    /// The input does not start with the binary format's magic `PLAB`.
    case badMagic
    /// The binary format version is not the one this build reads.
    case unsupportedVersion(UInt16)
    /// The input does not start with the flat records format's magic `PLFR`.
    case badFlatMagic
    /// The flat records format version is not the one this build reads.
    case unsupportedFlatVersion(UInt16)
    /// The input is inconsistent; the text says where.
    case corrupt(String)
    /// Maps and arrays nest deeper than the codecs allow.
    case nestingTooDeep(limit: Int)
    /// libzstd reported an error (its own message).
    case zstd(String)
    /// Foundation's JSON or property-list coder reported an error (its message).
    case foundation(String)
    /// A length is beyond what the format or a safety limit allows.
    case sizeLimitExceeded(what: String, bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .unknownCodec(let name):
            return "Unknown codec '\(name)'; use binary, flat, json, plist or raw, optionally followed by +zstd or "
                + "+zstd:LEVEL (for example binary+zstd:3)."
        case .invalidZstdLevel(let level):
            return "zstd level \(level) is outside libzstd's range \(ZstdCodec.levelRange.lowerBound)…"
                + "\(ZstdCodec.levelRange.upperBound); pick a level such as 1 (fast) or 3 (the default)."
        case .truncated(let expected, let got):
            return "The input is truncated: it has \(got) bytes where \(expected) are needed; "
                + "the file was cut short, so write it again."
        case .badMagic:
            return "The input does not start with the binary format's magic 'PLAB'; "
                + "it is not a payloadlab binary payload, so name its codec or regenerate it."
        case .unsupportedVersion(let version):
            return "The input is binary format version \(version), but this payloadlab reads version "
                + "\(BinaryLayout.version); regenerate the file with this build."
        case .badFlatMagic:
            return "The input does not start with the flat format's magic 'PLFR'; "
                + "it is not a payloadlab flat records payload, so name its codec or regenerate it."
        case .unsupportedFlatVersion(let version):
            return "The input is flat format version \(version), but this payloadlab reads version "
                + "\(FlatLayout.version); regenerate the file with this build."
        case .corrupt(let detail):
            return "The input is corrupt (\(detail)); regenerate the file."
        case .nestingTooDeep(let limit):
            return "The tree nests maps and arrays deeper than \(limit) levels; flatten it or generate a shallower tree."
        case .zstd(let message):
            return "zstd failed: \(message); the compressed data is damaged or not zstd, so regenerate it."
        case .foundation(let message):
            return "Foundation's coder failed: \(message); the input is damaged or not a payloadlab payload."
        case .sizeLimitExceeded(let what, let bytes, let limit):
            return "The \(what) is \(bytes) bytes, above the limit of \(limit) bytes; use a smaller payload."
        }
    }
}
