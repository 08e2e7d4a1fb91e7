/// The standard library's inline ("small") string representation, read and built as two words, so the records
/// codec handles the names of records (up to 15 UTF-8 bytes, stored inside the `String` with no allocation) without
/// the generic calls that cost most of a records decode.
///
/// On 64-bit little-endian platforms a small `String` is 16 bytes: code units 0–7 in the first word, code units 8–14
/// in the low seven bytes of the second, and in its top byte a discriminator nibble (`0xE` for ASCII, `0xA` for other
/// UTF-8) above the byte count. `String(decoding:as:)` on 15 ASCII bytes costs about 80 ns here (a validating path
/// through several non-inlined calls, which checks for ASCII once more), against a few nanoseconds to build the
/// same two words.
///
/// This is the standard library's private layout, so nothing is assumed: `isVerified` builds strings both ways, once
/// per process, and compares them bit for bit (lengths 0, 1, 7, 8, 14 and 15; ASCII and not). When they differ — another
/// platform, a future runtime — every caller takes the standard library's own path instead.
enum SmallStringLayout {
    /// The most UTF-8 bytes a small string holds.
    static let capacity = 15
    /// The discriminator nibble of a small ASCII string.
    static let asciiDiscriminator: UInt64 = 0xE
    /// The discriminator nibble of a small non-ASCII string.
    static let utf8Discriminator: UInt64 = 0xA

    /// Whether `String`s built from words here are bit-identical to the standard library's, checked once.
    static let isVerified: Bool = verify()

    /// A small ASCII string from its code units in two little-endian words (bytes at and beyond `count` zero).
    ///
    /// Only valid when `isVerified`, `count <= capacity`, and every byte is below 0x80.
    @inline(__always)
    static func asciiString(low: UInt64, high: UInt64, count: Int) -> String {
        let top = (asciiDiscriminator << 4 | UInt64(truncatingIfNeeded: count)) << 56
        return unsafeBitCast((low, high | top), to: String.self)
    }

    /// The code units of a small string as two words, and its byte count; nil for any other string.
    ///
    /// Only meaningful when `isVerified`. Bytes of the second word at and above the count are not code units.
    @inline(__always)
    static func words(of string: String) -> (low: UInt64, high: UInt64, count: Int)? {
        let (low, high) = unsafeBitCast(string, to: (UInt64, UInt64).self)
        let discriminator = high >> 60
        guard discriminator == asciiDiscriminator || discriminator == utf8Discriminator else { return nil }
        return (low, high, Int(truncatingIfNeeded: (high >> 56) & 0xF))
    }

    /// Builds test strings through the standard library and through `asciiString` and `words`, and compares them.
    static func verify() -> Bool {
        #if (arch(x86_64) || arch(arm64)) && _endian(little)
        guard MemoryLayout<String>.size == 16 else { return false }
        let samples = ["", "a", "abcdefg", "abcdefgh", "host-k3x9qabcd", "user-abcdefghij"]
        for sample in samples {
            let units = Array(sample.utf8)
            let standard = units.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
            var low: UInt64 = 0
            var high: UInt64 = 0
            for (index, unit) in units.enumerated() {
                if index < 8 { low |= UInt64(unit) << (8 * index) } else { high |= UInt64(unit) << (8 * (index - 8)) }
            }
            let built = asciiString(low: low, high: high, count: units.count)
            let standardWords = unsafeBitCast(standard, to: (UInt64, UInt64).self)
            let builtWords = unsafeBitCast(built, to: (UInt64, UInt64).self)
            guard standardWords == builtWords, built == sample, built.utf8.count == units.count,
                  Array(built.utf8) == units else { return false }
            guard let read = words(of: standard), read.count == units.count, read.low == low,
                  read.high & 0x00FF_FFFF_FFFF_FFFF == high else { return false }
        }
        // A non-ASCII small string reads as words too; a large one does not.
        let accented = String(decoding: Array("é-ü".utf8), as: UTF8.self)
        guard let read = words(of: accented), read.count == 5, read.low & 0xFFFF == 0xA9C3 else { return false }
        let large = String(decoding: Array("0123456789abcdef".utf8), as: UTF8.self)
        guard words(of: large) == nil else { return false }
        return true
        #else
        return false
        #endif
    }
}
