/// A results file that cannot be read as a payloadlab result of this schema version.
public enum ResultFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case schema(path: String, found: Int, expected: Int)
    /// A value that decodes but that no report can state truthfully: a negative duration, a rate of 1e308.
    case invalidValue(path: String, field: String, value: String, rule: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path) is not a payloadlab result (\(reason)); pass a .json written by payloadlab sweep."
        case .schema(let path, let found, let expected):
            return "\(path) has results schema version \(found), this payloadlab reads version \(expected); re-run the sweep or use the matching payloadlab."
        case .invalidValue(let path, let field, let value, let rule):
            return "\(path) is not a result payloadlab can use: \(field) is \(value), but \(rule); re-run the sweep or restore the file."
        }
    }
}
