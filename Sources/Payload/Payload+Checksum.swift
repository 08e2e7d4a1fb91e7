extension Payload {
    /// How many elements the payload holds: bytes of a blob, UTF-8 bytes of a text, Doubles, records, or tree nodes
    /// (every map, array, string, integer, number and bool, the root included).
    public var elementCount: Int {
        switch self {
        case .blob(let bytes): return bytes.count
        case .text(let text): return text.utf8.count
        case .numeric(let values): return values.count
        case .records(let records): return records.count
        case .tree(let root): return root.nodeCount
        }
    }

    /// A 64-bit hash of the payload's content, the same for a payload and any decoded copy of it through any codec.
    ///
    /// Computed in one pass: blob, text and numeric through XXH64 (Collet) over their bytes (Doubles as their IEEE 754
    /// bit patterns); records field by field; trees node by node in order, keys included. Lengths and counts are
    /// mixed in, so a shorter name plus a longer tag list cannot collide by construction. Detects damage and mix-ups,
    /// not tampering: it is not a cryptographic hash.
    public var checksum: UInt64 {
        let shapeSeed = UInt64(BinaryLayout.shapeCode(shape)) &+ 1
        let content: UInt64
        switch self {
        case .blob(let bytes):
            content = bytes.withUnsafeBytes { XXH64.hash($0, seed: shapeSeed) }
        case .text(var text):
            content = text.withUTF8 { XXH64.hash(UnsafeRawBufferPointer($0), seed: shapeSeed) }
        case .numeric(let values):
            content = values.withUnsafeBytes { XXH64.hash($0, seed: shapeSeed) }
        case .records(let records):
            content = PayloadDigest.records(records, seed: shapeSeed)
        case .tree(let root):
            var digest = PayloadDigest(seed: shapeSeed)
            digest.add(root)
            // The digest counted the nodes on the way, so the count costs no second traversal.
            return XXH64.avalanche(digest.value ^ (UInt64(truncatingIfNeeded: digest.nodes) &* XXH64.prime2))
        }
        return XXH64.avalanche(content ^ (UInt64(truncatingIfNeeded: elementCount) &* XXH64.prime2))
    }
}

extension TreeNode {
    /// This node and every node under it.
    var nodeCount: Int {
        switch self {
        case .map(let entries):
            return entries.withUnsafeBufferPointer { buffer in
                var total = 1
                for index in buffer.indices { total &+= buffer[index].value.nodeCount }
                return total
            }
        case .array(let items):
            return items.withUnsafeBufferPointer { buffer in
                var total = 1
                for index in buffer.indices { total &+= buffer[index].nodeCount }
                return total
            }
        case .string, .integer, .number, .bool:
            return 1
        }
    }
}

/// XXH64 by Yann Collet (https://github.com/Cyan4973/xxHash, doc/xxhash_spec.md): four independent lanes of
/// multiply–rotate over 32-byte stripes, so it runs near memory speed.
package enum XXH64 {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    package static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always)
    static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        (accumulator &+ input &* prime2).rotatedLeft(by: 31) &* prime1
    }

    @inline(__always)
    static func mergeRound(_ accumulator: UInt64, _ value: UInt64) -> UInt64 {
        (accumulator ^ round(0, value)) &* prime1 &+ prime4
    }

    @inline(__always)
    package static func avalanche(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash &*= prime2
        hash ^= hash >> 29
        hash &*= prime3
        hash ^= hash >> 32
        return hash
    }

    @inline(__always)
    static func word(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// XXH64 of `bytes` with `seed`.
    package static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        let length = bytes.count
        guard let base = bytes.baseAddress, length > 0 else { return avalanche(seed &+ prime5) }
        var offset = 0
        var hash: UInt64
        if length >= 32 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            let stripesEnd = length & ~31
            while offset < stripesEnd {
                v1 = round(v1, word(base, offset))
                v2 = round(v2, word(base, offset &+ 8))
                v3 = round(v3, word(base, offset &+ 16))
                v4 = round(v4, word(base, offset &+ 24))
                offset &+= 32
            }
            hash = v1.rotatedLeft(by: 1) &+ v2.rotatedLeft(by: 7) &+ v3.rotatedLeft(by: 12) &+ v4.rotatedLeft(by: 18)
            hash = mergeRound(hash, v1)
            hash = mergeRound(hash, v2)
            hash = mergeRound(hash, v3)
            hash = mergeRound(hash, v4)
        } else {
            hash = seed &+ prime5
        }
        hash &+= UInt64(length)
        while offset &+ 8 <= length {
            hash ^= round(0, word(base, offset))
            hash = hash.rotatedLeft(by: 27) &* prime1 &+ prime4
            offset &+= 8
        }
        if offset &+ 4 <= length {
            let half = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            hash ^= half &* prime1
            hash = hash.rotatedLeft(by: 23) &* prime2 &+ prime3
            offset &+= 4
        }
        while offset < length {
            hash ^= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &* prime5
            hash = hash.rotatedLeft(by: 11) &* prime1
            offset &+= 1
        }
        return avalanche(hash)
    }
}

/// A sequential digest for structured payloads: each word goes through one XXH64 round into a running state.
///
/// Trees are walked through `withUnsafeBufferPointer` and indices rather than `for … in`, which copies (retains and
/// releases) every element; that halved the time of a tree checksum.
package struct PayloadDigest {
    package private(set) var value: UInt64
    /// Tree nodes added so far.
    private(set) var nodes = 0

    package init(seed: UInt64) {
        value = seed &+ XXH64.prime5
    }

    @inline(__always)
    package mutating func add(_ word: UInt64) {
        value ^= XXH64.round(0, word)
        value = value.rotatedLeft(by: 27) &* XXH64.prime1 &+ XXH64.prime4
    }

    /// Adds the length, then the bytes eight at a time (the last word zero-padded).
    @inline(__always)
    package mutating func add(bytes: UnsafeRawBufferPointer) {
        add(UInt64(truncatingIfNeeded: bytes.count))
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var offset = 0
        while offset &+ 8 <= count {
            add(XXH64.word(base, offset))
            offset &+= 8
        }
        if offset < count {
            var last: UInt64 = 0
            withUnsafeMutableBytes(of: &last) { destination in
                destination.baseAddress?.copyMemory(from: base + offset, byteCount: count &- offset)
            }
            add(UInt64(littleEndian: last))
        }
    }

    /// Adds a string's UTF-8 bytes as `add(bytes:)` does.
    @inline(__always)
    mutating func add(string: borrowing String) {
        let added: Void? = string.utf8.withContiguousStorageIfAvailable { add(bytes: UnsafeRawBufferPointer($0)) }
        if added == nil {
            var copy = copy string
            copy.withUTF8 { add(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    mutating func add(_ node: borrowing TreeNode) {
        nodes &+= 1
        switch node {
        case .map(let entries):
            add(UInt64(TreeTag.map.rawValue) << 56 | UInt64(truncatingIfNeeded: entries.count))
            entries.withUnsafeBufferPointer { buffer in
                for index in buffer.indices {
                    add(string: buffer[index].key)
                    add(buffer[index].value)
                }
            }
        case .array(let items):
            add(UInt64(TreeTag.array.rawValue) << 56 | UInt64(truncatingIfNeeded: items.count))
            items.withUnsafeBufferPointer { buffer in
                for index in buffer.indices { add(buffer[index]) }
            }
        case .string(let text):
            add(UInt64(TreeTag.string.rawValue) << 56)
            add(string: text)
        case .integer(let integer):
            add(UInt64(TreeTag.integer.rawValue) << 56)
            add(UInt64(bitPattern: integer))
        case .number(let number):
            add(UInt64(TreeTag.number.rawValue) << 56)
            add(number.bitPattern)
        case .bool(let flag):
            add(UInt64(TreeTag.bool.rawValue) << 56 | (flag ? 1 : 0))
        }
    }

    /// Records hash one by one; each record's hash is computed apart from the running state, so the processor
    /// overlaps consecutive records and only one round per record is a serial dependency.
    static func records(_ records: [Record], seed: UInt64) -> UInt64 {
        var digest = PayloadDigest(seed: seed)
        records.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                var one = PayloadDigest(seed: UInt64(bitPattern: buffer[index].id))
                one.add(UInt64(bitPattern: buffer[index].timestamp))
                one.add(buffer[index].value.bitPattern)
                one.add(string: buffer[index].name)
                buffer[index].tags.withUnsafeBytes { one.add(bytes: $0) }
                digest.add(one.value)
            }
        }
        return digest.value
    }
}
