/// A number of bytes, parsed from text such as `512`, `1KB`, `64KiB`, `200MB` or `1.5GiB`.
///
/// KB, MB, GB and TB are powers of 1000; KiB, MiB, GiB and TiB are powers of 1024 (as in `dd` and IEC 60027-2).
/// A bare number is bytes. Sizes must be whole bytes, at least 1 and at most 1 TiB.
public struct ByteSize: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The largest size payloadlab accepts (1 TiB): anything above is a typo, not a request.
    public static let maximum = 1 << 40

    public var bytes: Int

    public init(bytes: Int) {
        self.bytes = bytes
    }

    /// Parses a size, rejecting zero, negative, fractional-byte, unknown-unit and absurd values.
    public init(parsing text: String) throws(UnitsError) {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .emptySize }
        guard !trimmed.hasPrefix("-") else { throw .negativeSize(trimmed) }
        var numberPart = Substring(trimmed)
        var unitPart = Substring("")
        if let firstUnit = trimmed.firstIndex(where: { $0.isLetter }) {
            numberPart = trimmed[..<firstUnit]
            unitPart = trimmed[firstUnit...]
        }
        numberPart = numberPart.trimmingWhitespaceSubstring()
        guard let multiplier = ByteSize.multipliers[unitPart.lowercased()] else {
            throw .unknownSizeUnit(text)
        }
        guard !numberPart.isEmpty,
              numberPart.allSatisfy({ $0.isNumber || $0 == "." }),
              numberPart.filter({ $0 == "." }).count <= 1,
              let value = Double(numberPart), value.isFinite
        else { throw .invalidSize(text) }
        let exact = value * Double(multiplier)
        guard exact >= 1 else { throw .sizeTooSmall(text) }
        guard exact <= Double(ByteSize.maximum) else { throw .sizeTooLarge(text) }
        guard exact.rounded() == exact else { throw .fractionalBytes(text) }
        self.bytes = Int(clampingFinite: exact)
    }

    private static let multipliers: [String: Int] = [
        "": 1, "b": 1,
        "kb": 1_000, "mb": 1_000_000, "gb": 1_000_000_000, "tb": 1_000_000_000_000,
        "k": 1_000, "m": 1_000_000, "g": 1_000_000_000,
        "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
    ]

    /// The size in the shortest exact form: `200MB`, `64KiB`, `1.5GiB`, or `1234B`.
    public var description: String {
        ByteSize.exactText(bytes)
    }

    static func exactText(_ bytes: Int) -> String {
        let units: [(String, Int)] = [
            ("TB", 1_000_000_000_000), ("TiB", 1 << 40), ("GB", 1_000_000_000), ("GiB", 1 << 30),
            ("MB", 1_000_000), ("MiB", 1 << 20), ("KB", 1_000), ("KiB", 1 << 10),
        ]
        // Of the units that state the size exactly (whole, or with one decimal place), the shortest text wins;
        // on a tie, a whole number, then the larger unit: 64000 → 64KB, 1.5 GiB → 1.5GiB, 65536 → 64KiB.
        var best: String?
        var bestScore = Int.max
        for (rank, (name, size)) in units.enumerated() where bytes >= size {
            let text: String
            let score: Int
            if bytes % size == 0 {
                text = "\(bytes / size)\(name)"
                score = String(bytes / size).count * 100 + rank
            } else if (bytes * 10) % size == 0 {
                let tenths = bytes * 10 / size
                text = "\(tenths / 10).\(tenths % 10)\(name)"
                score = String(tenths).count * 100 + 50 + rank
            } else {
                continue
            }
            if score < bestScore {
                best = text
                bestScore = score
            }
        }
        if let best { return best }
        return "\(bytes)B"
    }

    public static func < (lhs: ByteSize, rhs: ByteSize) -> Bool { lhs.bytes < rhs.bytes }

    public init(from decoder: any Decoder) throws {
        self.bytes = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(bytes)
    }
}

extension String {
    package func trimmingWhitespace() -> String {
        String(Substring(self).trimmingWhitespaceSubstring())
    }
}

extension Substring {
    func trimmingWhitespaceSubstring() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result = result.dropFirst() }
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}
