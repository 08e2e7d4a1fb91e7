import Foundation
import Payload

/// The Codable form of a payload for Foundation's coders: `{"shape": "records", "value": …}`.
///
/// This is how most Swift code hands data to `JSONEncoder` or `PropertyListEncoder`: records through their
/// synthesized `Codable`, a blob as `Data` (base64 in JSON), a tree as nested objects and arrays. Tree maps come back
/// sorted by key, because Foundation's decoders do not keep key order; the generator writes keys sorted, so a
/// generated payload and its decoded copy are equal.
struct PayloadEnvelope: Codable {
    var payload: Payload

    init(_ payload: Payload) {
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey {
        case shape
        case value
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let shape = try container.decode(PayloadShape.self, forKey: .shape)
        switch shape {
        case .blob:
            payload = .blob([UInt8](try container.decode(Data.self, forKey: .value)))
        case .text:
            payload = .text(try container.decode(String.self, forKey: .value))
        case .numeric:
            payload = .numeric(try container.decode([Double].self, forKey: .value))
        case .records:
            payload = .records(try container.decode([Record].self, forKey: .value))
        case .tree:
            payload = .tree(try container.decode(CodableTreeNode.self, forKey: .value).node)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(payload.shape, forKey: .shape)
        switch payload {
        case .blob(let bytes):
            try container.encode(Data(bytes), forKey: .value)
        case .text(let text):
            try container.encode(text, forKey: .value)
        case .numeric(let values):
            try container.encode(values, forKey: .value)
        case .records(let records):
            try container.encode(records, forKey: .value)
        case .tree(let root):
            try container.encode(CodableTreeNode(root), forKey: .value)
        }
    }
}

/// A tree node as JSON-like Codable: maps as keyed containers, arrays as unkeyed ones, scalars as single values.
///
/// Decoding tries bool, then integer, then number, then string; a number with an integral value therefore comes back
/// as an integer (the generator's numbers are never integral). Nesting is bounded by `BinaryLayout.maximumTreeDepth`.
struct CodableTreeNode: Codable {
    var node: TreeNode

    init(_ node: TreeNode) {
        self.node = node
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) {
            self.stringValue = stringValue
        }

        init?(intValue: Int) {
            return nil
        }
    }

    /// The envelope's `value` key sits above the root, so the root container's path has one element.
    static func checkDepth(_ decoder: any Decoder) throws {
        if decoder.codingPath.count > BinaryLayout.maximumTreeDepth {
            throw CodecError.nestingTooDeep(limit: BinaryLayout.maximumTreeDepth)
        }
    }

    init(from decoder: any Decoder) throws {
        if let map = try? decoder.container(keyedBy: Key.self) {
            try CodableTreeNode.checkDepth(decoder)
            var entries: [TreeEntry] = []
            for key in map.allKeys {
                entries.append(TreeEntry(key: key.stringValue, value: try map.decode(CodableTreeNode.self, forKey: key).node))
            }
            entries.sort { $0.key < $1.key }
            node = .map(entries)
        } else if var array = try? decoder.unkeyedContainer() {
            try CodableTreeNode.checkDepth(decoder)
            var items: [TreeNode] = []
            while !array.isAtEnd {
                items.append(try array.decode(CodableTreeNode.self).node)
            }
            node = .array(items)
        } else {
            let value = try decoder.singleValueContainer()
            if let flag = try? value.decode(Bool.self) {
                node = .bool(flag)
            } else if let integer = try? value.decode(Int64.self) {
                node = .integer(integer)
            } else if let number = try? value.decode(Double.self) {
                node = .number(number)
            } else {
                node = .string(try value.decode(String.self))
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch node {
        case .map(let entries):
            var map = encoder.container(keyedBy: Key.self)
            for entry in entries {
                try map.encode(CodableTreeNode(entry.value), forKey: Key(stringValue: entry.key))
            }
        case .array(let items):
            var array = encoder.unkeyedContainer()
            for item in items { try array.encode(CodableTreeNode(item)) }
        case .string(let text):
            var value = encoder.singleValueContainer()
            try value.encode(text)
        case .integer(let integer):
            var value = encoder.singleValueContainer()
            try value.encode(integer)
        case .number(let number):
            var value = encoder.singleValueContainer()
            try value.encode(number)
        case .bool(let flag):
            var value = encoder.singleValueContainer()
            try value.encode(flag)
        }
    }
}

/// Foundation errors as one line for `CodecError.foundation`.
enum FoundationErrorText {
    static func describe(_ error: any Error) -> String {
        let text: String
        switch error {
        case DecodingError.dataCorrupted(let context),
             DecodingError.keyNotFound(_, let context),
             DecodingError.typeMismatch(_, let context),
             DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            text = [context.debugDescription, underlying, path.isEmpty ? nil : "at \(path)"]
                .compactMap { $0 }.joined(separator: " ")
        case EncodingError.invalidValue(_, let context):
            text = context.debugDescription
        default:
            text = String(describing: error)
        }
        var line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        while line.hasSuffix(".") { line.removeLast() }
        return line
    }

    /// Runs `body`, turning every error that is not already a `CodecError` into `.foundation`.
    static func wrapping<Result>(_ body: () throws -> Result) throws(CodecError) -> Result {
        do {
            return try body()
        } catch let error as CodecError {
            throw error
        } catch {
            throw .foundation(describe(error))
        }
    }
}
