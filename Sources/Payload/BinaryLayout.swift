/// Byte counts of payloadlab's binary format (`docs/FORMAT.md`), which define a payload's logical size.
///
/// The generator sizes payloads with these numbers and `BinaryCodec` writes exactly this layout, so a payload
/// generated for `sizeBytes` encodes to `sizeBytes` bytes in the `binary` codec (whenever the size can hold the
/// header and at least one element).
public enum BinaryLayout {
    /// `PLAB`: the first four bytes of every binary encoding.
    public static let magic: [UInt8] = [0x50, 0x4C, 0x41, 0x42]
    /// The format version this build writes and reads. Any change to the bytes is a new version.
    public static let version: UInt16 = 1
    /// magic (4) + version (2) + shape (1) + flags (1) + element count (8) + body length (8).
    public static let headerBytes = 24
    /// id (8) + timestamp (8) + value (8) + name length (4) + tag count (4); the name and tags follow.
    public static let recordFixedBytes = 32
    /// Each tag is a little-endian Int32.
    public static let tagBytes = 4
    /// A tree node starts with a one-byte tag.
    public static let treeTagBytes = 1
    /// Lengths and counts inside the body are little-endian UInt32.
    public static let lengthBytes = 4
    /// An integer or number tree node: tag + 8 bytes.
    public static let treeScalarBytes = 9
    /// A bool tree node: tag + 1 byte.
    public static let treeBoolBytes = 2
    /// A string, array or map node without its contents: tag + UInt32 length or count.
    public static let treeContainerBytes = 5
    /// The deepest nesting of maps and arrays the binary codec writes or reads.
    public static let maximumTreeDepth = 64

    /// The shape's one-byte code in the header.
    public static func shapeCode(_ shape: PayloadShape) -> UInt8 {
        switch shape {
        case .blob: return 0
        case .text: return 1
        case .numeric: return 2
        case .records: return 3
        case .tree: return 4
        }
    }

    /// Writes the 24-byte header at `base`: magic, version, shape, flags 0, element count, body length.
    public static func writeHeader(
        into base: UnsafeMutableRawPointer, shape: PayloadShape, elements: Int, bodyLength: Int
    ) {
        for (index, byte) in magic.enumerated() {
            base.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
        }
        base.storeBytes(of: version.littleEndian, toByteOffset: 4, as: UInt16.self)
        base.storeBytes(of: shapeCode(shape), toByteOffset: 6, as: UInt8.self)
        base.storeBytes(of: 0, toByteOffset: 7, as: UInt8.self)
        base.storeBytes(of: UInt64(elements).littleEndian, toByteOffset: 8, as: UInt64.self)
        base.storeBytes(of: UInt64(bodyLength).littleEndian, toByteOffset: 16, as: UInt64.self)
    }

    /// The shape a header byte names, or nil for an unknown code.
    public static func shape(code: UInt8) -> PayloadShape? {
        switch code {
        case 0: return .blob
        case 1: return .text
        case 2: return .numeric
        case 3: return .records
        case 4: return .tree
        default: return nil
        }
    }
}

/// Tree node tags of the binary format.
package enum TreeTag: UInt8 {
    case map = 0
    case array = 1
    case string = 2
    case integer = 3
    case number = 4
    case bool = 5
}

extension Record {
    /// The bytes this record takes in the binary format.
    @inline(__always)
    var binaryBytes: Int {
        BinaryLayout.recordFixedBytes &+ name.utf8.count &+ tags.count &* BinaryLayout.tagBytes
    }
}

extension TreeNode {
    /// The bytes this node and everything under it take in the binary format.
    var binaryBytes: Int {
        switch self {
        case .map(let entries):
            return entries.withUnsafeBufferPointer { buffer in
                var total = BinaryLayout.treeContainerBytes
                for index in buffer.indices {
                    total &+= BinaryLayout.lengthBytes &+ buffer[index].key.utf8.count &+ buffer[index].value.binaryBytes
                }
                return total
            }
        case .array(let items):
            return items.withUnsafeBufferPointer { buffer in
                var total = BinaryLayout.treeContainerBytes
                for index in buffer.indices { total &+= buffer[index].binaryBytes }
                return total
            }
        case .string(let text):
            return BinaryLayout.treeContainerBytes &+ text.utf8.count
        case .integer, .number:
            return BinaryLayout.treeScalarBytes
        case .bool:
            return BinaryLayout.treeBoolBytes
        }
    }
}

extension Payload {
    /// The payload's logical size: the bytes of its `binary` encoding, header included.
    ///
    /// O(1) for blob, text and numeric; one pass over the elements for records and tree.
    public var logicalBytes: Int {
        BinaryLayout.headerBytes &+ bodyBytes
    }

    /// The bytes of the binary encoding after the header.
    var bodyBytes: Int {
        switch self {
        case .blob(let bytes):
            return bytes.count
        case .text(let text):
            return text.utf8.count
        case .numeric(let values):
            return values.count &* MemoryLayout<Double>.size
        case .records(let records):
            return records.withUnsafeBufferPointer { buffer in
                var total = 0
                for index in buffer.indices { total &+= buffer[index].binaryBytes }
                return total
            }
        case .tree(let root):
            return root.binaryBytes
        }
    }
}
