import Units
/// What a worker does with the object between receiving it and writing it out.
public enum WorkProfile: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Nothing: the pipeline's own cost alone.
    case none
    /// One checksum pass over the object's content.
    case checksum
    /// A checksum pass, then integer arithmetic seeded by it, until the thread has used this many nanoseconds of
    /// CPU per payload byte.
    case cpu(nanosecondsPerByte: Double)

    /// The largest `cpu:` value accepted (1 ms per byte would take days at 100 MB).
    public static let maxNanosecondsPerByte = 100_000.0

    /// Parses `none`, `checksum` or `cpu:<ns per byte>` such as `cpu:20` or `cpu:0.5`.
    public init(parsing text: String) throws(WorkProfileError) {
        let lowered = text.trimmingWhitespace().lowercased()
        switch lowered {
        case "none": self = .none
        case "checksum": self = .checksum
        default:
            guard lowered.hasPrefix("cpu:") else { throw .unknown(text) }
            let number = lowered.dropFirst(4)
            guard let value = Double(number), value.isFinite, value > 0, value <= WorkProfile.maxNanosecondsPerByte
            else { throw .badCPURate(text) }
            self = .cpu(nanosecondsPerByte: value)
        }
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .checksum: return "checksum"
        case .cpu(let rate): return "cpu:\(Formatting.significant(rate, digits: 6).trimmingTrailingZeros())"
        }
    }

    /// The CPU time the profile asks for on a payload of `bytes` (zero for `none`, one pass for `checksum`).
    public func targetCPUSeconds(bytes: Int) -> Double {
        if case .cpu(let rate) = self { return rate * Double(bytes) / 1e9 }
        return 0
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try WorkProfile(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A work profile that could not be read.
public enum WorkProfileError: Error, Equatable, CustomStringConvertible {
    case unknown(String)
    case badCPURate(String)

    public var description: String {
        switch self {
        case .unknown(let text):
            return "'\(text)' is not a work profile; use none, checksum or cpu:<ns per byte> such as cpu:20."
        case .badCPURate(let text):
            return "'\(text)' needs a CPU cost above 0 and at most \(Int(clampingFinite: WorkProfile.maxNanosecondsPerByte)) ns per byte, such as cpu:20."
        }
    }
}

extension String {
    /// `20.0000` → `20`, `0.500000` → `0.5`.
    func trimmingTrailingZeros() -> String {
        guard contains(".") else { return self }
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
