import Payload

/// Reads a tree depth-first, checking each count against the bytes left and the nesting against the limit.
struct BinaryTreeReader {
    let base: UnsafeRawPointer?
    let end: Int
    var offset = 0
    var nodes = 0

    /// Arrays reserve at most this many slots up front; a longer one grows as its elements prove they exist.
    static let largestReservation = 1 << 16

    init(_ body: UnsafeRawBufferPointer) {
        base = body.baseAddress
        end = body.count
    }

    @inline(__always)
    mutating func take<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        guard let base, end - offset >= MemoryLayout<T>.size else {
            throw CodecError.corrupt("the tree ends inside \(what())")
        }
        let value = T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return value
    }

    mutating func string(_ what: String) throws -> String {
        let count = Int(try take(UInt32.self, what))
        guard let base, count <= end - offset else {
            throw CodecError.corrupt("a \(what) of \(count) bytes runs past the end of the tree")
        }
        let text = try BinaryCodec.string(UnsafeRawBufferPointer(start: base + offset, count: count), what: what)
        offset += count
        return text
    }

    /// A count of items that take at least `smallest` bytes each, checked against the bytes left.
    mutating func count(of what: String, smallest: Int) throws -> Int {
        let count = Int(try take(UInt32.self, what))
        guard count <= (end - offset) / smallest else {
            throw CodecError.corrupt("a \(what) claims \(count) items, more than its \(end - offset) remaining bytes hold")
        }
        return count
    }

    mutating func node(depth: Int) throws -> TreeNode {
        let tagByte = try take(UInt8.self, "a node tag")
        nodes += 1
        guard let tag = TreeTag(rawValue: tagByte) else {
            throw CodecError.corrupt("unknown tree node tag \(tagByte) at body offset \(offset - 1)")
        }
        switch tag {
        case .map:
            guard depth < BinaryLayout.maximumTreeDepth else {
                throw CodecError.nestingTooDeep(limit: BinaryLayout.maximumTreeDepth)
            }
            let count = try count(of: "map", smallest: BinaryLayout.lengthBytes + BinaryLayout.treeBoolBytes)
            var entries: [TreeEntry] = []
            entries.reserveCapacity(min(count, BinaryTreeReader.largestReservation))
            for _ in 0..<count {
                let key = try string("map key")
                entries.append(TreeEntry(key: key, value: try node(depth: depth + 1)))
            }
            return .map(entries)
        case .array:
            guard depth < BinaryLayout.maximumTreeDepth else {
                throw CodecError.nestingTooDeep(limit: BinaryLayout.maximumTreeDepth)
            }
            let count = try count(of: "array", smallest: BinaryLayout.treeBoolBytes)
            var items: [TreeNode] = []
            items.reserveCapacity(min(count, BinaryTreeReader.largestReservation))
            for _ in 0..<count { items.append(try node(depth: depth + 1)) }
            return .array(items)
        case .string:
            return .string(try string("string"))
        case .integer:
            return .integer(Int64(bitPattern: try take(UInt64.self, "an integer")))
        case .number:
            return .number(Double(bitPattern: try take(UInt64.self, "a number")))
        case .bool:
            let flag = try take(UInt8.self, "a bool")
            guard flag <= 1 else { throw CodecError.corrupt("a bool holds \(flag), not 0 or 1") }
            return .bool(flag == 1)
        }
    }
}
