/// Byte counts of the `flat` records format (`docs/FORMAT.md`, "Flat records format"): a records payload laid out
/// as columns that a reader uses where they lie, without building objects.
///
/// After a 40-byte header come, back to back: the ids, timestamps and values (`n` × 8 bytes each), the name ends
/// and tag ends (`n` × 4 bytes each), the tags (`T` × 4 bytes) and the names' UTF-8 bytes (`H`). Every column that
/// holds 8-byte values starts on a multiple of 8 from the start of the encoding and every 4-byte column on a
/// multiple of 4, without any padding, so a reader may treat each column as a typed array.
public enum FlatLayout {
    /// `PLFR`: the first four bytes of every flat encoding.
    public static let magic: [UInt8] = [0x50, 0x4C, 0x46, 0x52]
    /// The format version this build writes and reads. Any change to the bytes is a new version.
    public static let version: UInt16 = 1
    /// magic (4) + version (2) + shape (1) + flags (1) + record count (8) + body length (8) + name bytes (8) +
    /// tag count (8).
    public static let headerBytes = 40
    /// id (8) + timestamp (8) + value (8) + name end (4) + tag end (4): the fixed columns' bytes per record.
    public static let recordFixedBytes = 32
    /// Each tag is a little-endian Int32.
    public static let tagBytes = 4
    /// Name ends and tag ends are little-endian UInt32, so all names together and all tags together are limited
    /// to `UInt32.max` bytes and tags.
    public static let maximumHeapCount = Int(UInt32.max)

    /// Where each column starts, from the start of the encoding, for `count` records and `tagCount` tags.
    public struct Columns: Equatable, Sendable {
        public let ids: Int
        public let timestamps: Int
        public let values: Int
        public let nameEnds: Int
        public let tagEnds: Int
        public let tags: Int
        public let names: Int

        /// Offsets for `count` records holding `tagCount` tags in all; the caller has checked that they fit.
        public init(count: Int, tagCount: Int) {
            ids = FlatLayout.headerBytes
            timestamps = ids &+ 8 &* count
            values = timestamps &+ 8 &* count
            nameEnds = values &+ 8 &* count
            tagEnds = nameEnds &+ 4 &* count
            tags = tagEnds &+ 4 &* count
            names = tags &+ FlatLayout.tagBytes &* tagCount
        }
    }
}

extension PayloadDigest {
    /// `Payload.checksum`'s records digest, computed from flat columns in place instead of from `Record` objects:
    /// the same words in the same order, so both give the same checksum.
    ///
    /// The caller has checked every column against the buffer it lives in: `nameEnds` and `tagEnds` rise from 0 and
    /// end within `names` and `tags`. Bytes are little-endian.
    package static func records(
        count: Int, base: UnsafeRawPointer, columns: FlatLayout.Columns
    ) -> UInt64 {
        var digest = PayloadDigest(seed: UInt64(BinaryLayout.shapeCode(.records)) &+ 1)
        var nameStart = 0
        var tagStart = 0
        for index in 0..<count {
            let id = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: columns.ids &+ index &* 8, as: UInt64.self))
            var one = PayloadDigest(seed: id)
            one.add(UInt64(littleEndian: base.loadUnaligned(
                fromByteOffset: columns.timestamps &+ index &* 8, as: UInt64.self)))
            one.add(UInt64(littleEndian: base.loadUnaligned(
                fromByteOffset: columns.values &+ index &* 8, as: UInt64.self)))
            let nameEnd = Int(UInt32(littleEndian: base.loadUnaligned(
                fromByteOffset: columns.nameEnds &+ index &* 4, as: UInt32.self)))
            let tagEnd = Int(UInt32(littleEndian: base.loadUnaligned(
                fromByteOffset: columns.tagEnds &+ index &* 4, as: UInt32.self)))
            one.add(bytes: UnsafeRawBufferPointer(start: base + (columns.names &+ nameStart), count: nameEnd &- nameStart))
            one.add(bytes: UnsafeRawBufferPointer(
                start: base + (columns.tags &+ tagStart &* FlatLayout.tagBytes),
                count: (tagEnd &- tagStart) &* FlatLayout.tagBytes))
            digest.add(one.value)
            nameStart = nameEnd
            tagStart = tagEnd
        }
        return XXH64.avalanche(digest.value ^ (UInt64(truncatingIfNeeded: count) &* XXH64.prime2))
    }
}
