import Payload

/// Writes a tree depth-first into a buffer that `measure` sized.
struct BinaryTreeWriter {
    let base: UnsafeMutableRawPointer
    let capacity: Int
    var offset = 0

    init(base: UnsafeMutableRawPointer, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// The bytes `node` takes; throws if it nests too deeply or a length exceeds the format's UInt32.
    static func measure(_ node: TreeNode, depth: Int, nodes: inout Int) throws -> Int {
        nodes += 1
        switch node {
        case .map(let entries):
            guard depth < BinaryLayout.maximumTreeDepth else {
                throw CodecError.nestingTooDeep(limit: BinaryLayout.maximumTreeDepth)
            }
            try BinaryCodec.checkLength(entries.count, of: "map")
            var total = BinaryLayout.treeContainerBytes
            for entry in entries {
                let keyBytes = entry.key.utf8.count
                try BinaryCodec.checkLength(keyBytes, of: "map key")
                let value = try measure(entry.value, depth: depth + 1, nodes: &nodes)
                total += BinaryLayout.lengthBytes + keyBytes + value
            }
            return total
        case .array(let items):
            guard depth < BinaryLayout.maximumTreeDepth else {
                throw CodecError.nestingTooDeep(limit: BinaryLayout.maximumTreeDepth)
            }
            try BinaryCodec.checkLength(items.count, of: "array")
            var total = BinaryLayout.treeContainerBytes
            for item in items { total += try measure(item, depth: depth + 1, nodes: &nodes) }
            return total
        case .string(let text):
            try BinaryCodec.checkLength(text.utf8.count, of: "string")
            return BinaryLayout.treeContainerBytes + text.utf8.count
        case .integer, .number:
            return BinaryLayout.treeScalarBytes
        case .bool:
            return BinaryLayout.treeBoolBytes
        }
    }

    @inline(__always)
    mutating func put<T: FixedWidthInteger>(_ value: T) throws {
        guard capacity - offset >= MemoryLayout<T>.size else {
            throw CodecError.corrupt("the tree changed size while it was written")
        }
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
    }

    mutating func put(string: String) throws {
        let count = string.utf8.count
        try put(UInt32(truncatingIfNeeded: count))
        guard capacity - offset >= count else { throw CodecError.corrupt("the tree changed size while it was written") }
        BinaryCodec.copyUTF8(of: string, count: count, to: base + offset)
        offset += count
    }

    mutating func write(_ node: TreeNode, depth: Int) throws {
        switch node {
        case .map(let entries):
            try put(TreeTag.map.rawValue)
            try put(UInt32(truncatingIfNeeded: entries.count))
            for entry in entries {
                try put(string: entry.key)
                try write(entry.value, depth: depth + 1)
            }
        case .array(let items):
            try put(TreeTag.array.rawValue)
            try put(UInt32(truncatingIfNeeded: items.count))
            for item in items { try write(item, depth: depth + 1) }
        case .string(let text):
            try put(TreeTag.string.rawValue)
            try put(string: text)
        case .integer(let value):
            try put(TreeTag.integer.rawValue)
            try put(value)
        case .number(let value):
            try put(TreeTag.number.rawValue)
            try put(value.bitPattern)
        case .bool(let value):
            try put(TreeTag.bool.rawValue)
            try put(UInt8(value ? 1 : 0))
        }
    }
}
