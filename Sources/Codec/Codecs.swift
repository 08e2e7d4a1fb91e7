import Payload
/// Codecs by name, as the command line and the sweep plan spell them.
public enum Codecs {
    /// The codecs that stand alone; any of them may be followed by `+zstd` or `+zstd:LEVEL`. `raw` holds only
    /// blob and numeric payloads and `flat` only records; workers read both in place.
    public static let baseNames: [String] = ["binary", "flat", "json", "plist", "raw"]

    /// The shapes a codec name can hold: `raw` (and `raw+zstd…`) blob and numeric, `flat` records, any other
    /// codec every shape. The name is not checked; `named` does that.
    public static func shapes(heldBy name: String) -> [PayloadShape] {
        let base = name.lowercased().split(separator: "+", maxSplits: 1).first.map(String.init) ?? ""
        switch base {
        case "raw": return PayloadShape.allCases.filter(RawCodec.supports)
        case "flat": return PayloadShape.allCases.filter(FlatCodec.supports)
        default: return PayloadShape.allCases
        }
    }

    /// "blob and numeric", "records": the shapes a codec holds, as a sentence says them.
    public static func shapeList(_ shapes: [PayloadShape]) -> String {
        let names = shapes.map(\.rawValue)
        guard names.count > 1 else { return names.first ?? "no" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// The codec a name means: `binary`, `json`, `plist`, or `X+zstd` / `X+zstd:LEVEL` for any codec X
    /// (level 3 when omitted; `ZSTD_minCLevel()...ZSTD_maxCLevel()`, 0 meaning libzstd's default).
    /// Throws `CodecError.unknownCodec` or `.invalidZstdLevel` naming the offending text.
    public static func named(_ text: String) throws -> any Codec {
        do {
            return try parse(text.lowercased())
        } catch .unknownCodec {
            throw CodecError.unknownCodec(text)
        }
    }

    private static func parse(_ text: String) throws(CodecError) -> any Codec {
        switch text {
        case "binary": return BinaryCodec()
        case "json": return JSONCodec()
        case "plist": return PropertyListCodec()
        case "raw": return RawCodec()
        case "flat": return FlatCodec()
        default: break
        }
        guard let marker = text.ranges(of: "+zstd").last else { throw .unknownCodec(text) }
        let baseName = String(text[..<marker.lowerBound])
        let suffix = text[marker.upperBound...]
        guard !baseName.isEmpty else { throw .unknownCodec(text) }
        var level = ZstdCodec.defaultLevel
        if !suffix.isEmpty {
            guard suffix.first == ":", let parsed = Int(suffix.dropFirst()) else { throw .unknownCodec(text) }
            level = parsed
        }
        return try ZstdCodec(base: try parse(baseName), level: level)
    }

    /// Guesses the codec that wrote `bytes`: `binary` (magic `PLAB`), `flat` (magic `PLFR`), `json` (`{` or `[` after white space),
    /// `plist` (`bplist00`, or XML), or `X+zstd` for a zstd frame whose decompressed start is X. Nil if none fits.
    /// The zstd level is not recorded in a frame, so a detected zstd codec carries no level; any level decodes it.
    public static func detect(_ bytes: UnsafeRawBufferPointer) -> String? {
        detect(bytes, zstdLayers: 0)
    }

    /// How many zstd frames inside one another `detect` looks through.
    static let deepestZstdNesting = 4
    /// The decompressed bytes `detect` looks at inside a zstd frame.
    static let detectionPrefixBytes = 4_096

    private static func detect(_ bytes: UnsafeRawBufferPointer, zstdLayers: Int) -> String? {
        if startsWith(bytes, BinaryLayout.magic) { return "binary" }
        if startsWith(bytes, FlatLayout.magic) { return "flat" }
        if ZstdCodec.hasFrameMagic(bytes) {
            guard zstdLayers < deepestZstdNesting,
                  let prefix = ZstdCodec.decompressedPrefix(bytes, maximumBytes: detectionPrefixBytes),
                  let inner = prefix.withUnsafeBytes({ detect($0, zstdLayers: zstdLayers + 1) })
            else { return nil }
            return "\(inner)+zstd"
        }
        if startsWith(bytes, Array("bplist00".utf8)) { return "plist" }
        var index = 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[index...])
        if let first = rest.first, first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return "json" }
        if startsWith(rest, Array("<?xml".utf8)) || startsWith(rest, Array("<plist".utf8))
            || startsWith(rest, Array("<!DOCTYPE plist".utf8)) {
            return "plist"
        }
        return nil
    }

    private static func startsWith(_ bytes: UnsafeRawBufferPointer, _ prefix: [UInt8]) -> Bool {
        bytes.count >= prefix.count && prefix.indices.allSatisfy { bytes[$0] == prefix[$0] }
    }
}
