extension Payload {
    /// Exactly `byteCount` bytes of seeded word lines, the text payload's own words: compressible like prose, the
    /// same on every machine for the same seed (the zstd calibration compresses this text).
    public static func wordText(byteCount: Int, seed: UInt64) -> [UInt8] {
        var generator = SeededGenerator(seed: seed)
        return Array(PayloadGenerator.text(bodyBytes: max(0, byteCount), generator: &generator).utf8)
    }

    /// The tree depth `generate(shape: .tree, …)` uses: the root array and up to five levels of maps and arrays.
    public static let defaultTreeDepth = 6
    /// The most children a map or array of a generated tree has by default.
    public static let defaultTreeFanOut = 8

    /// Generates a payload of `shape` whose `binary` encoding is `sizeBytes` long.
    ///
    /// The same shape, size and seed always give the same content, on every run and machine; another seed gives
    /// other content. The binary encoding is exactly `sizeBytes` for every size that fits the 24-byte header and one
    /// element (≥ 56 bytes for records, ≥ 32 for numeric); numeric rounds down to whole Doubles (at most 7 bytes short).
    /// Values are finite and never -0.0, so every codec (JSON included) gives back the same checksum.
    /// - Parameters:
    ///   - shape: what kind of object to build.
    ///   - sizeBytes: the target size of the binary encoding; values below the header give an empty payload.
    ///   - seed: selects the content.
    public static func generate(shape: PayloadShape, sizeBytes: Int, seed: UInt64) -> Payload {
        let bodyBytes = max(0, sizeBytes - BinaryLayout.headerBytes)
        // Mix the shape into the seed so shapes generated with one seed do not share a random stream.
        var generator = SeededGenerator(seed: seed ^ (UInt64(BinaryLayout.shapeCode(shape)) &* 0x9E37_79B9_7F4A_7C15))
        switch shape {
        case .blob:
            return .blob(PayloadGenerator.blob(bodyBytes: bodyBytes, generator: &generator))
        case .text:
            return .text(PayloadGenerator.text(bodyBytes: bodyBytes, generator: &generator))
        case .numeric:
            return .numeric(PayloadGenerator.numeric(bodyBytes: bodyBytes, generator: &generator))
        case .records:
            return .records(PayloadGenerator.records(bodyBytes: bodyBytes, generator: &generator))
        case .tree:
            return .tree(PayloadGenerator.tree(bodyBytes: bodyBytes, depth: defaultTreeDepth,
                                               fanOut: defaultTreeFanOut, generator: &generator))
        }
    }

    /// Generates a `tree` payload whose binary encoding is `sizeBytes` long.
    ///
    /// The root is an array of documents; each document is a map whose values are maps, arrays and scalar leaves
    /// (short strings, integers, non-integral numbers, bools), nested so that no path holds more than `depth` maps and
    /// arrays (the root included) and no map or array has more than `fanOut` children. Map keys are unique and sorted.
    /// - Parameters:
    ///   - depth: the deepest nesting of maps and arrays, root included; clamped to 1…64 (the codecs' limit).
    ///   - fanOut: the most children of one map or array; clamped to 1…1024.
    public static func generateTree(sizeBytes: Int, seed: UInt64, depth: Int = defaultTreeDepth,
                                    fanOut: Int = defaultTreeFanOut) -> Payload {
        let bodyBytes = max(0, sizeBytes - BinaryLayout.headerBytes)
        var generator = SeededGenerator(seed: seed ^ (UInt64(BinaryLayout.shapeCode(.tree)) &* 0x9E37_79B9_7F4A_7C15))
        return .tree(PayloadGenerator.tree(bodyBytes: bodyBytes, depth: depth, fanOut: fanOut, generator: &generator))
    }
}
