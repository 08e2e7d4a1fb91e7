/// A size, duration or rate that could not be read.
public enum UnitsError: Error, Equatable, CustomStringConvertible {
    case emptySize
    case invalidSize(String)
    case negativeSize(String)
    case unknownSizeUnit(String)
    case sizeTooSmall(String)
    case sizeTooLarge(String)
    case fractionalBytes(String)

    public var description: String {
        switch self {
        case .emptySize:
            return "A size is empty; give one such as 512, 64KiB or 200MB."
        case .invalidSize(let text):
            return "'\(text)' is not a size; give a positive number with an optional unit, such as 64KiB or 200MB."
        case .negativeSize(let text):
            return "\(text) is not a size; use a positive size such as 64MB."
        case .unknownSizeUnit(let text):
            return "'\(text)' has an unknown unit; use B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB (powers of 1024)."
        case .sizeTooSmall(let text):
            return "'\(text)' is less than one byte; sizes start at 1."
        case .sizeTooLarge(let text):
            return "'\(text)' is larger than payloadlab's limit of 1TiB; ask for a smaller size."
        case .fractionalBytes(let text):
            return "'\(text)' is not a whole number of bytes; round it, e.g. to \(text.split(separator: ".").first ?? "1")."
        }
    }
}
