import Foundation

/// Why `JSONDecoder` refused a results file, as a clause naming the field by its JSON path (`points[3].sizeBytes`).
enum ResultDecodingFailure {
    static func reason(for error: any Error, in data: Data) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return "\(field(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context)?:
            return "\(field(context.codingPath)) has the wrong type: it should be \(typeName(type))"
        case .valueNotFound(let type, let context)?:
            return "\(field(context.codingPath)) is null: it should be \(typeName(type))"
        case .dataCorrupted(let context)? where context.codingPath.isEmpty:
            // Foundation reports a number its field's type cannot hold (1e30 for an Int) as invalid JSON with no
            // path; find the number ourselves when the text itself parses.
            if let misfit = misfitNumber(in: data) {
                return "\(misfit.field) is \(misfit.text), which is not a whole number that field can hold"
            }
            return "it is not valid JSON, or it is truncated"
        case .dataCorrupted(let context)?:
            return "\(field(context.codingPath)) has a value it cannot hold (\(context.debugDescription))"
        default:
            return "\(error)".trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
    }

    /// `points[3].latency.median`; the whole document is "the top level".
    static func field(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "the top level" : text
    }

    static func typeName(_ type: Any.Type) -> String {
        if type == Int.self || type == Int64.self || type == UInt64.self || type == Double.self { return "a number" }
        if type == String.self { return "a string" }
        if type == Bool.self { return "true or false" }
        let name = String(describing: type)
        if name.hasPrefix("Array") || name.hasPrefix("[") && !name.contains(":") { return "a list" }
        return "an object"
    }

    /// Keys whose values payloadlab stores as integers (arrays under them hold integers too).
    static let integerKeys: Set<String> = [
        "schemaVersion", "sizes", "workers", "tasks", "minTasks", "maxTasks", "minBatches", "batches", "rounds", "warmupTasksPerWorker",
        "seed", "cores", "threads", "bytes", "task", "worker", "ns", "cpuNs", "count", "outlierCount",
    ]

    static func holdsIntegers(_ key: String) -> Bool {
        integerKeys.contains(key) || key.hasSuffix("Bytes") || key.hasSuffix("Ns") || key.hasSuffix("Nanoseconds")
    }

    /// The first number (in sorted-key order) under an integer key that is fractional or beyond 64 bits.
    static func misfitNumber(in data: Data) -> (field: String, text: String)? {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        return misfit(root, path: "", key: nil)
    }

    private static func misfit(_ value: Any, path: String, key: String?) -> (field: String, text: String)? {
        if let object = value as? [String: Any] {
            for name in object.keys.sorted() {
                if let found = misfit(object[name]!, path: path.isEmpty ? name : "\(path).\(name)", key: name) {
                    return found
                }
            }
        } else if let array = value as? [Any] {
            for (index, element) in array.enumerated() {
                if let found = misfit(element, path: "\(path)[\(index)]", key: key) { return found }
            }
        } else if let number = value as? NSNumber, !(value is String), let key, holdsIntegers(key) {
            let double = number.doubleValue
            let limit = key == "seed" ? 18446744073709551615.0 : 9223372036854775807.0
            if !double.isFinite || double.rounded() != double || abs(double) >= limit {
                return (path.isEmpty ? "the top level" : path, number.stringValue)
            }
        }
        return nil
    }
}
